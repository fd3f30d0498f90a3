"""Sane ranges at the server (security review, items 4 and 6): the rent of
10^15, the dates 0001-01-01 … 9999-12-31, the note of a million characters
and the NUL byte of the review are refused, over RPC as the roles that may
write the records, with an error naming the record and the field, and the
database keeps what it had (contracts 1.1, rent terms 5.1, points, cash
lines 8.2, registry lines 9.2, bank accounts 4.1)."""
import datetime

from trytond.modules.mrk_base.exceptions import InputLimitError
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import tools
from .test_cash import MARCH, as_user, setup_cash
from .test_registry import FEBRUARY, setup_registry
from .tools import D, Decimal, make_contract, make_party, make_term

HUGE = Decimal(10) ** 15
NOTE = 'я' * 1_000_000


def label(record):
    "How an error names a record: its model, then its name"
    return '%s %s' % (record.__names__()['model'], record.rec_name)


class MrkRentInputLimitsTestCase(tools.RentTestCase):
    "Input limits on the models of the MRK modules"

    def assertRefused(self, record_name, field, *parts):
        "The next call is refused naming record_name, the field and parts"
        test = self

        class Context:
            def __enter__(self):
                return self

            def __exit__(self, type_, value, traceback):
                test.assertIsNotNone(value, 'not refused')
                test.assertIsInstance(value, InputLimitError)
                message = value.message
                test.assertTrue(message.startswith(record_name + ': '),
                    msg=message)
                test.assertIn('"%s"' % field, message)
                for part in parts:
                    test.assertIn(part, message)
                return True
        return Context()

    @with_transaction()
    def test_contract(self):
        "Rent, dates, notes and codes of a contract"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        company, people = tools.setup_rent()
        party = make_party(manager=people['manager'])
        contract = make_contract(party, state='draft',
            amount=Decimal('15000.00'), notes='Ключи у охраны')
        name = label(contract)
        with as_user(people['manager']):
            with self.assertRefused(name, 'Monthly Rent',
                    '1 000 000 000 000,00'):
                Contract.write([contract], {'rent_amount': HUGE})
            with self.assertRefused(name, 'Monthly Rent',
                    '−1 000 000 000 000,00'):
                Contract.write([contract], {'rent_amount': -HUGE})
            with self.assertRefused(name, 'Start',
                    '01.01.1990', '31.12.2100'):
                Contract.write([contract], {
                        'start_date': D(1, 1, 1)})
            with self.assertRefused(name, 'End', '31.12.2100'):
                Contract.write([contract], {
                        'end_date': D(9999, 12, 31)})
            with self.assertRefused(name, 'Notes', '20 000'):
                Contract.write([contract], {'notes': NOTE})
            with self.assertRefused(name, 'Notes', '00'):
                Contract.write([contract], {'notes': 'Ключи\x00у охраны'})
            with self.assertRefused(name, 'Notes', '1B'):
                Contract.write([contract], {'notes': '\x1b[31mКлючи'})
            # Tabs and line breaks are text
            Contract.write([contract], {
                    'notes': 'Ключи:\tу охраны\r\nзвонить заранее'})

            new = 'Rent Contract (new record)'
            values = {
                'company': company.id, 'party': party.id,
                'date': D(2026, 1, 1), 'start_date': D(2026, 1, 1),
                'end_date': D(2026, 12, 31), 'manager': people['manager'].id,
                }
            with self.assertRefused(new, 'Monthly Rent'):
                Contract.create([dict(values, rent_amount=HUGE)])
            with self.assertRefused(new, 'Start'):
                Contract.create([dict(values,
                            start_date=D(1, 1, 1), end_date=D(9999, 12, 31))])
            with self.assertRefused(new, 'Notes'):
                Contract.create([dict(values, notes=NOTE)])
            with self.assertRefused(new, 'Number', '64'):
                Contract.create([dict(values, number='1' * 65)])

        contract = Contract(contract.id)
        self.assertEqual(contract.rent_amount, Decimal('15000.00'))
        self.assertEqual(contract.start_date, D(2026, 1, 1))
        self.assertEqual(contract.notes,
            'Ключи:\tу охраны\r\nзвонить заранее')
        self.assertEqual(Contract.search_count([]), 1)

    @with_transaction()
    def test_rent_terms_points_parties(self):
        "Rent terms, points, counterparties and their bank accounts"
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Point = pool.get('mrk.point')
        Party = pool.get('party.party')
        BankAccount = pool.get('mrk.party.bank_account')
        company, people = tools.setup_rent()
        party = make_party(manager=people['manager'])
        contract = make_contract(party)
        term = make_term(contract, '5000.00')
        point = tools.make_point(party, contract=contract)
        account, = party.bank_accounts
        with as_user(people['senior']):
            with self.assertRefused(label(term), 'Amount per Month',
                    '1 000 000 000 000,00'):
                RentTerm.write([term], {'amount': HUGE})
            with self.assertRefused(label(term), 'Valid From'):
                RentTerm.write([term], {'valid_from': D(1, 1, 1)})
            with self.assertRefused(
                    'Rent Term (new record)', 'Amount per Month'):
                RentTerm.create([{
                            'contract': contract.id, 'amount': HUGE,
                            'basis': 'contract', 'payment_form': 'cash',
                            'valid_from': D(2026, 1, 1)}])
            with self.assertRefused(label(point), 'Name', '00'):
                Point.write([point], {'name': 'Магазин\x00'})
            with self.assertRefused(label(point), 'Address', '1 000'):
                Point.write([point], {'address': NOTE})
            with self.assertRefused(label(party), 'Name', '1 000'):
                Party.write([party], {'name': NOTE})
        # The limits hold for whoever writes, the administrator included
        with self.assertRefused(label(account), 'Settlement Account', '00'):
            BankAccount.write([account], {
                    'account': '40702810938000000001\x00'})
        with self.assertRefused(label(account), 'Bank', '1 000'):
            BankAccount.write([account], {'bank_name': NOTE})
        self.assertEqual(RentTerm(term.id).amount, Decimal('5000.00'))
        self.assertEqual(Point(point.id).name, 'Магазин на Мира')
        self.assertEqual(BankAccount(account.id).account,
            '40702810938000000001')

    @with_transaction()
    def test_cash_lines(self):
        "The amount of a cash line (8.2)"
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        CashLine = pool.get('mrk.rent.cash_run.line')
        setup_cash()
        line = CashRun.generate(MARCH)[0].lines[0]
        amount = line.amount
        with self.assertRefused(label(line), 'Amount',
                '1 000 000 000 000,00'):
            CashLine.write([line], {'amount': HUGE})
        self.assertEqual(CashLine(line.id).amount, amount)

    @with_transaction()
    def test_registry_lines(self):
        "The amount, dates and notes of a registry line (9.2)"
        pool = Pool()
        Registry = pool.get('mrk.rent.registry')
        RegistryLine = pool.get('mrk.rent.registry.line')
        setup_registry()
        registry = Registry.generate(FEBRUARY)
        line = registry.lines[0]
        amount = line.amount
        with self.assertRefused(label(line), 'Monitoring Note', '20 000'):
            RegistryLine.write([line], {'monitoring_note': NOTE})
        with self.assertRefused(label(line), 'Amount',
                '−1 000 000 000 000,00'):
            RegistryLine.write([line], {'amount': -HUGE})
        with self.assertRefused(label(line), 'Invoice Date'):
            RegistryLine.write([line], {
                    'invoice_date': datetime.date(9999, 12, 31)})
        self.assertEqual(RegistryLine(line.id).amount, amount)
