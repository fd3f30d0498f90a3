"""The exchange with 1C end to end against the fake 1C on loopback
(4.1-4.4): queued with the change, coalesced, sent in dependency order,
nothing lost nor doubled when 1C is down, faults or hangs, refused items
back to their owner in the matrix, scans byte for byte, payments once."""
import datetime
import hashlib
import time
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from trytond.modules.mrk_rent.tests.tools import make_term
from trytond.modules.mrk_base import codes

from .tools import (
    NOW, ExchangeTestCase, make_contract, make_party, make_world,
    run_until_empty, setup_exchange)

MIN = datetime.timedelta(minutes=1)


class ExchangeTestCase_(ExchangeTestCase):
    "Exchange with the fake 1C"

    def assert_one_per_record(self, fake, parties, contracts, terminals):
        "1C holds exactly one object per record of ours, with its Ref"
        self.assertEqual(len(fake.counterparties), len(parties))
        self.assertEqual(len(fake.contracts), len(contracts))
        self.assertEqual(len(fake.terminals), len(terminals))
        for records, store in [(parties, fake.counterparties),
                (contracts, fake.contracts), (terminals, fake.terminals)]:
            for record in records:
                record = record.__class__(record.id)
                self.assertEqual(
                    store[record.onec_external_id]['Ref'], record.onec_ref)
                self.assertEqual(record.onec_state, 'sent')

    @with_transaction()
    def test_queued_with_change_and_coalesced(self):
        "Ten edits of a counterparty before the send make one message (4.1)"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Party = pool.get('party.party')
        fake = self.start_fake()
        setup_exchange(fake)
        parties, contracts, terminals = make_world(1)
        party, = parties
        self.assertEqual(len(party.onec_external_id), 36)
        for i in range(10):
            Party.write([party], {'name': 'ООО «Ромашка %s»' % i})
        messages = Message.search([('record', '=', str(party))])
        self.assertEqual(len(messages), 1)
        self.assertEqual(Party(party.id).onec_state, 'waiting')
        # A draft contract is not 1C's business
        draft = make_contract(party, state='draft')
        self.assertEqual(Message.search([('record', '=', str(draft))]), [])

        self.assertEqual(Message.send_queue(now=NOW), 3)
        self.assertEqual(
            fake.counterparties[party.onec_external_id]['Name'],
            'ООО «Ромашка 9»')
        self.assert_one_per_record(fake, parties, contracts, terminals)
        # The counterparty went before its contract, the contract before
        # its terminal
        self.assertEqual([c[0] for c in fake.calls], [
                'UpsertCounterparty', 'UpsertContract', 'UpsertTerminal'])
        # A new rent of the contract (5.4) is 1C's business too
        make_term(contracts[0], '7000.00', payment_form='transfer')
        message, = Message.search([
                ('record', '=', str(contracts[0])),
                ('state', '=', 'waiting')])
        Message.send_queue(now=NOW)
        stored = fake.contracts[contracts[0].onec_external_id]
        self.assertEqual(stored['Amount'], '7000.00')
        self.assertEqual(stored['PaymentForm'], 'transfer')
        # A later change is a new message; the Ref stays the same
        ref = Party(party.id).onec_ref
        Party.write([party], {'name': 'ООО «Ромашка»'})
        Message.send_queue(now=NOW + MIN)
        self.assertEqual(Party(party.id).onec_ref, ref)
        self.assertEqual(len(fake.counterparties), 1)

    @with_transaction()
    def test_day_down_nothing_lost_nothing_doubled(self):
        "1C down for a day of changes: one object per record, latest data"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        Placement = pool.get('mrk.terminal.placement')
        fake = self.start_fake()
        people = setup_exchange(fake, batch_size=2)[1]
        fake.stop()

        parties, contracts, terminals = make_world(3, 2)
        now = NOW
        delays = []
        # A working day of changes while 1C refuses every connection
        for hour in range(24):
            Party.write([parties[hour % 3]], {
                    'name': 'ООО «Контрагент %s»' % hour})
            Message.send_queue(now=now)
            message, = Message.search([
                    ('record', '=', str(parties[0])),
                    ('state', '=', 'waiting')])
            delays.append(message.next_try - now
                if message.next_try else None)
            now += datetime.timedelta(hours=1)
        Contract.terminate([contracts[0]])
        Placement.remove([terminals[0]], terminals[0].point,
            datetime.date(2026, 12, 1))
        # Back-off: from one minute doubling to one hour
        message, = Message.search([
                ('record', '=', str(parties[1])),
                ('state', '=', 'waiting')])
        self.assertGreater(message.attempts, 1)
        self.assertLessEqual(message.next_try - now,
            datetime.timedelta(hours=1))
        self.assertEqual(delays[0], MIN)
        self.assertIn('connection', message.last_error)
        # One message per record, whatever the number of changes
        self.assertEqual(Message.search_count([]),
            len(parties) + len(contracts) + len(terminals))
        # After 24 h of failures the administrator and the head are told
        Message.send_queue(now=now + datetime.timedelta(hours=1))
        notified = {n.user.id for n in
            Transaction().user_notifications}
        self.assertIn(people['head'].id, notified)
        self.assertIn(people['admin'].id, notified)

        fake.start()
        run_until_empty(Message, now + datetime.timedelta(hours=2))
        self.assert_one_per_record(fake, parties, contracts, terminals)
        for i, party in enumerate(parties):
            self.assertEqual(
                fake.counterparties[party.onec_external_id]['Name'],
                'ООО «Контрагент %s»' % (21 + i))
        removed = fake.terminals[terminals[0].onec_external_id]
        self.assertEqual(removed['RemovedOn'], '2026-12-01')
        self.assertEqual(Message.search([('state', '!=', 'sent')]), [])

    @with_transaction()
    def test_lock_conflict_every_third_call(self):
        "«Конфликт блокировок» on every third call: everything delivered"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        fake = self.start_fake()
        setup_exchange(fake, batch_size=2)
        fake.lock_every = 3
        parties, contracts, terminals = make_world(4, 2)
        run_until_empty(Message, NOW)
        self.assert_one_per_record(fake, parties, contracts, terminals)
        # Every third call was refused and sent again later
        refused = fake.requests - len(fake.calls)
        self.assertEqual(refused, fake.requests // 3)
        self.assertGreater(refused, 3)
        self.assertTrue(Message.search([('attempts', '>', 0)]))

    @with_transaction()
    def test_wrong_inn_error_activity_fix(self):
        "A wrong INN of an old record: «Ошибки обмена», activity 4.1, fixed"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Party = pool.get('party.party')
        Activity = pool.get('mrk.activity')
        fake = self.start_fake()
        _, people = setup_exchange(fake)
        party = make_party(name='ООО «Старый»')
        Message.send_queue(now=NOW)
        # An INN that the checks of today refuse, kept from the old days
        table = Party.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.inn], ['7707083890'],
                where=table.id == party.id))
        Party.write([party], {'name': 'ООО «Старый-2»'})
        Message.send_queue(now=NOW + MIN)

        message, = Message.search([('state', '=', 'error')])
        self.assertIn('Некорректный ИНН', message.last_error)
        party = Party(party.id)
        self.assertEqual(party.onec_state, 'error')
        self.assertIn('Некорректный ИНН', party.onec_error)
        activity, = Activity.open_for([party], [codes.REQUISITES_1C])
        self.assertEqual(activity.owner, people['office'])
        self.assertIn('Некорректный ИНН', activity.note)
        # Not retried as is
        Message.send_queue(now=NOW + 10 * MIN)
        self.assertEqual(Message(message.id).state, 'error')

        # The office administrator corrects the INN: queued and delivered
        with as_user(people['office']):
            Party.write([Party(party.id)], {'inn': '7707083893'})
        self.assertEqual(Message(message.id).state, 'waiting')
        Message.send_queue(now=NOW + 20 * MIN)
        self.assertEqual(Message(message.id).state, 'sent')
        self.assertEqual(Activity.open_for([party], [codes.REQUISITES_1C]), [])
        self.assertEqual(
            fake.counterparties[party.onec_external_id]['INN'], '7707083893')

    @with_transaction()
    def test_hang_gives_up_at_timeout(self):
        "A hung 1C: the sender gives up at the time-out, retries later"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        fake = self.start_fake()
        setup_exchange(fake, timeout=1)
        party = make_party()
        fake.hang = 3
        start = time.monotonic()
        self.assertEqual(Message.send_queue(now=NOW), 0)
        self.assertLess(time.monotonic() - start, 2.5)
        message, = Message.search([('record', '=', str(party))])
        self.assertEqual(message.state, 'waiting')
        self.assertEqual(message.attempts, 1)
        self.assertEqual(message.next_try, NOW + MIN)
        self.assertIn('timeout', message.last_error)
        # Not due yet
        fake.hang = 0
        self.assertEqual(Message.send_queue(now=NOW + MIN / 2), 0)
        self.assertEqual(Message.send_queue(now=NOW + MIN), 1)

    @with_transaction()
    def test_unknown_reference_sends_parent_first(self):
        "1C lost the counterparty: it is sent again, then the contract"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Contract = pool.get('mrk.contract')
        fake = self.start_fake(login='Обмен', password='Пароль1')
        setup_exchange(fake, soap_version='1.1')
        party = make_party()
        contract = make_contract(party)
        Message.send_queue(now=NOW)
        self.assertEqual(set(fake.versions), {'1.1'})
        fake.counterparties.clear()
        Contract.terminate([contract])
        Message.send_queue(now=NOW + MIN)
        message, = Message.search([
                ('record', '=', str(contract)), ('state', '=', 'waiting')])
        self.assertIn('не найден', message.last_error)
        run_until_empty(Message, NOW + 2 * MIN)
        self.assertEqual(len(fake.counterparties), 1)
        stored = fake.contracts[contract.onec_external_id]
        self.assertEqual(stored['CounterpartyRef'],
            fake.counterparties[party.onec_external_id]['Ref'])

    @with_transaction()
    def test_scan_same_bytes(self):
        "A contract's scan arrives in 1C with the same bytes (4.4)"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Attachment = pool.get('ir.attachment')
        fake = self.start_fake()
        setup_exchange(fake)
        party = make_party()
        contract = make_contract(party)
        data = bytes(range(256)) * 4000 + b'%%EOF'
        Attachment.create([{
                    'name': 'Договор-скан.pdf',
                    'resource': str(contract),
                    'type': 'data',
                    'data': data,
                    }])
        run_until_empty(Message, NOW)
        stored, = fake.files
        self.assertEqual(stored['size'], len(data))
        self.assertEqual(stored['sha256'], hashlib.sha256(data).hexdigest())
        self.assertEqual(stored['OwnerRef'], contract.onec_ref)
        self.assertEqual(stored['MimeType'], 'application/pdf')
        self.assertEqual(stored['FileName'], 'Договор-скан.pdf')

    @with_transaction()
    def test_get_changes_twice_stores_once(self):
        "GetChanges twice: each payment stored once, on its contract"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Payment = pool.get('mrk.onec.payment')
        Configuration = pool.get('mrk.onec.configuration')
        fake = self.start_fake()
        setup_exchange(fake)
        contract = make_contract(make_party())
        Message.send_queue(now=NOW)
        contract = contract.__class__(contract.id)
        fake.add_payment(contract.onec_ref, 'ПП-000123', Decimal('5000'),
            date=datetime.datetime(2026, 12, 3, 11, 30))
        fake.add_payment('0' * 36, 'ПП-000124', Decimal('10'))
        first = Payment.fetch_changes()
        self.assertEqual(len(first), 2)
        self.assertIsNotNone(Configuration(1).changes_until)
        # Again, and again from the start: no payment twice
        Payment.fetch_changes()
        config = Configuration(1)
        config.changes_until = None
        config.save()
        Payment.fetch_changes()
        payment, = Payment.search([('contract', '=', contract.id)])
        self.assertEqual(Payment.search_count([]), 2)
        self.assertEqual(payment.amount, Decimal('5000.00'))
        self.assertEqual(payment.document_ref, 'ПП-000123')
        self.assertEqual(contract.__class__(contract.id).onec_payments,
            (payment,))

    @with_transaction()
    def test_access(self):
        """Settings: the administrator only; queue and errors: the office
        administrator; the exchange state on forms: everyone"""
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        Configuration = pool.get('mrk.onec.configuration')
        Party = pool.get('party.party')
        fake = self.start_fake()
        _, people = setup_exchange(fake)
        party = make_party()
        message, = Message.search([])
        for role in ['office', 'manager', 'head', 'accountant']:
            with as_user(people[role]):
                with self.assertRaises(AccessError):
                    Configuration.read([1], ['password'])
                self.assertEqual(
                    Party.read([party.id], ['onec_state'])[0]['onec_state'],
                    'waiting')
        with as_user(people['admin']):
            config, = Configuration.read([1], ['password', 'login'])
            self.assertEqual(config['password'], 'Пароль1')
        with as_user(people['manager']):
            with self.assertRaises(AccessError):
                Message.read([message.id], ['state'])
        with as_user(people['office']):
            with self.assertRaises(AccessError):
                Party.write([party], {'onec_ref': 'x' * 36})
        with as_user(people['office']):
            Message.send_now([Message(message.id)])
            self.assertEqual(Message(message.id).state, 'sent')
            with self.assertRaises(AccessError):
                Message.write([Message(message.id)], {'state': 'waiting'})

    @with_transaction()
    def test_send_now_takes_the_parent_along(self):
        "«Отправить сейчас» on a terminal sends its counterparty and contract"
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        fake = self.start_fake()
        _, people = setup_exchange(fake)
        parties, contracts, terminals = make_world(2)
        message, = Message.search([('record', '=', str(terminals[1]))])
        with as_user(people['office']):
            Message.send_now([message])
        self.assertEqual([c[0] for c in fake.calls], [
                'UpsertCounterparty', 'UpsertContract', 'UpsertTerminal'])
        self.assertEqual(Message(message.id).state, 'sent')
        # The other records still wait for the cron
        self.assertEqual(Message.search_count([('state', '=', 'waiting')]), 3)
