"""Demo data of mrk_1c: the exchange settings (off: the demo has no 1C)
and the queue as it looks after some days of work.

Every counterparty, contract and terminal made by the other modules' demo
was queued when it was made. Here the older half was delivered (their 1C
Refs are on the forms, with payments that came back from 1C this month),
one counterparty was refused by 1C for its INN (in «Ошибки обмена», with
the activity of 4.1 for the matrix's owner), one contract waits after
lock conflicts in 1C, and the rest waits for the next send.
"""
import datetime
import uuid
from decimal import Decimal

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.modules.mrk_base import codes


def setup(context):
    pool = Pool()
    Configuration = pool.get('mrk.onec.configuration')
    Message = pool.get('mrk.onec.message')
    Payment = pool.get('mrk.onec.payment')
    Activity = pool.get('mrk.activity')
    Date = pool.get('ir.date')
    today = Date.today()
    now = datetime.datetime.combine(today, datetime.time(9, 0))

    config = Configuration(1)
    config.enabled = False
    config.url = 'http://srv-1c.local/base/ws/RentExchange.1cws'
    config.login = 'Обмен'
    config.password = 'Пароль1'
    config.soap_version = '1.2'
    config.save()

    with Transaction().set_context(_check_access=False):
        messages = Message.search([], order=[('id', 'ASC')])
        if not messages:
            return
        by_kind = {}
        for message in messages:
            by_kind.setdefault(message.kind, []).append(message)

        # The older half delivered, a counterparty before its contracts
        sent = []
        for kind in ['counterparty', 'contract', 'terminal', 'file']:
            these = by_kind.get(kind, [])
            sent += these[:len(these) // 2]
        sent_parties = {m.record.id for m in sent if m.kind == 'counterparty'}
        sent = [m for m in sent if m.kind == 'counterparty'
            or (m.party and m.party.id in sent_parties)]
        refs = {}
        for i, message in enumerate(sent):
            ref = str(uuid.UUID(int=0x1C0000000000 + message.id))
            refs[message.id] = ref
            message.state = 'sent'
            message.ref = ref
            message.sent_at = now - datetime.timedelta(
                days=3, minutes=len(sent) - i)
        Message.save(sent)
        for kind in ['counterparty', 'contract', 'terminal']:
            records = [m.record for m in sent if m.kind == kind]
            for record in records:
                record.onec_ref = refs[
                    [m for m in sent if m.record == record][0].id]
            if records:
                records[0].__class__.save(records)

        waiting = [m for m in messages if m.state == 'waiting']
        # One counterparty refused by 1C for its INN
        refused = [m for m in waiting if m.kind == 'counterparty'][:1]
        for message in refused:
            message.state = 'error'
            message.attempts = 1
            message.first_failure = now - datetime.timedelta(hours=2)
            message.last_error = (
                'Некорректный ИНН %s: не сходится контрольное число'
                % (message.record.inn or ''))
            message.save()
            Activity.schedule(codes.REQUISITES_1C, [message.record],
                note=gettext('mrk_1c.msg_exchange_error_note',
                    record=message.record.rec_name,
                    error=message.last_error))
        # One contract retried after lock conflicts in 1C
        retried = [m for m in waiting if m.kind == 'contract'][:1]
        for message in retried:
            message.attempts = 3
            message.first_failure = now - datetime.timedelta(minutes=7)
            message.next_try = now + datetime.timedelta(minutes=4)
            message.last_error = (
                'Конфликт блокировок при выполнении транзакции')
            message.save()

        # Payments that came back from 1C on the delivered contracts
        payments = []
        month = today.replace(day=1)
        contracts = [m.record for m in sent if m.kind == 'contract']
        for i, contract in enumerate(contracts[:12]):
            amount = contract.current_rent_amount or contract.rent_amount
            if not amount:
                continue
            payments.append(Payment(
                    contract=contract,
                    contract_ref=contract.onec_ref,
                    document_ref='ПП-%06d' % (1000 + i),
                    date=datetime.datetime.combine(
                        month + datetime.timedelta(days=i % 5),
                        datetime.time(11, 0)),
                    amount=Decimal(amount).quantize(Decimal('0.01')),
                    status='Оплачен',
                    received_at=now - datetime.timedelta(days=1)))
        Payment.save(payments)
        config.changes_until = now - datetime.timedelta(minutes=10)
        config.save()
