"""Rent terms on contracts (5.1–5.4): effective dates, no overlap, changes
from a date (the wizard and the price-change amendment), the due of a
month from the database, and the rent table's figures."""
from trytond.exceptions import UserError
from trytond.modules.mrk_base import codes
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    D, Decimal, install, make_contract, make_party, make_point,
    make_terminals, make_term, setup_rent)


class MrkRentTestCase(ModuleTestCase):
    "Test mrk_rent module"
    module = 'mrk_rent'

    @with_transaction()
    def test_first_term_on_activation(self):
        "An activated contract with its rent gets its first term (5.1)"
        company, people = setup_rent()
        party = make_party(manager=people['manager'])
        contract = make_contract(party, amount=Decimal('5000.00'))
        term, = contract.rent_terms
        self.assertEqual((term.amount, term.basis, term.payment_form,
                term.valid_from, term.valid_to),
            (Decimal('5000.00'), 'contract', 'transfer', D(2026, 1, 1),
                None))
        self.assertEqual(contract.rent_payment_form, 'transfer')

    @with_transaction()
    def test_overlap_refused(self):
        "Two terms of one contract at once are refused by dates"
        company, people = setup_rent()
        contract = make_contract(make_party())
        make_term(contract, '3000.00')
        with self.assertRaises(UserError) as cm:
            make_term(contract, '4000.00', D(2026, 6, 1))
        message = str(cm.exception)
        self.assertIn('01.06.2026', message)
        self.assertIn('01.01.2026', message)
        self.assertIn(contract.number, message)

    @with_transaction()
    def test_point_terms_side_by_side(self):
        "Terms of two points of one contract may run side by side"
        company, people = setup_rent()
        party = make_party()
        contract = make_contract(party)
        north = make_point(party, name='Север')
        south = make_point(party, name='Юг')
        make_term(contract, '1000.00', point=north)
        make_term(contract, '2000.00', point=south)
        with self.assertRaises(UserError):
            make_term(contract, '500.00', D(2026, 3, 1))

    @with_transaction()
    def test_term_before_contract(self):
        "A term cannot start before its contract"
        company, people = setup_rent()
        contract = make_contract(make_party(), start=D(2026, 2, 1))
        with self.assertRaises(UserError) as cm:
            make_term(contract, '1000.00', D(2026, 1, 1))
        self.assertIn('01.02.2026', str(cm.exception))

    @with_transaction()
    def test_term_not_overwritten(self):
        "The amount of a saved term cannot be edited: a new term is made"
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        company, people = setup_rent()
        contract = make_contract(make_party())
        term = make_term(contract, '3000.00')
        with self.assertRaises(UserError) as cm:
            RentTerm.write([term], {'amount': Decimal('3500.00')})
        self.assertIn('from a date', str(cm.exception))
        RentTerm.write([term], {'reason': 'Письмо от 12.01.2026'})

    @with_transaction()
    def test_change_from_date(self):
        "Change rent from 15 April: the old term ends on the 14th (5.4)"
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        company, people = setup_rent()
        contract = make_contract(make_party())
        old = make_term(contract, '3000.00')
        new, = RentTerm.change_from(contract, D(2026, 4, 15),
            amount=Decimal('4500.00'), payment_form='transfer',
            reason='Письмо')
        self.assertEqual(old.valid_to, D(2026, 4, 14))
        self.assertEqual((new.amount, new.payment_form, new.valid_from,
                new.valid_to, new.previous),
            (Decimal('4500.00'), 'transfer', D(2026, 4, 15), None, old))
        due, = [d for d in RentTerm.get_dues(D(2026, 4, 1))
            if d.payment_form == 'cash']
        self.assertEqual(due.amount, Decimal('1400.00'))
        due, = [d for d in RentTerm.get_dues(D(2026, 4, 1))
            if d.payment_form == 'transfer']
        self.assertEqual(due.amount, Decimal('2400.00'))
        with self.assertRaises(UserError):
            RentTerm.change_from(contract, D(2026, 4, 15),
                amount=Decimal('1.00'))
        with self.assertRaises(UserError):
            RentTerm.change_from(contract, D(2026, 3, 1),
                amount=Decimal('1.00'))

    @with_transaction()
    def test_change_wizard(self):
        "The wizard 'change rent from date' makes the new term"
        pool = Pool()
        ChangeRent = pool.get('mrk.rent.change', type='wizard')
        company, people = setup_rent()
        contract = make_contract(make_party(), amount=Decimal('5000.00'))
        with Transaction().set_context(
                active_model='mrk.contract', active_id=contract.id,
                active_ids=[contract.id]):
            session_id, _, _ = ChangeRent.create()
            wizard = ChangeRent(session_id)
            values = wizard.default_start(None)
            self.assertEqual(values['amount'], Decimal('5000.00'))
            wizard.start.contract = contract
            wizard.start.term = values['term']
            wizard.start.date = D(2026, 7, 1)
            wizard.start.amount = Decimal('6000.00')
            wizard.start.basis = 'contract'
            wizard.start.payment_form = 'cash'
            wizard.start.reason = 'Дополнительное соглашение'
            wizard.transition_change()
        first, second = contract.rent_terms
        self.assertEqual(first.valid_to, D(2026, 6, 30))
        self.assertEqual((second.amount, second.payment_form),
            (Decimal('6000.00'), 'cash'))

    @with_transaction()
    def test_price_change_amendment(self):
        "A confirmed price change is a new term from its effective date"
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        Date = pool.get('ir.date')
        company, people = setup_rent()
        contract = make_contract(make_party(), amount=Decimal('5000.00'))
        amendment, = Amendment.create([{
                    'contract': contract.id,
                    'kind': 'price_change',
                    'date': D(2026, 5, 20),
                    'effective_date': D(2026, 6, 1),
                    'new_amount': Decimal('5500.00'),
                    }])
        Amendment.confirm([amendment])
        first, second = contract.rent_terms
        self.assertEqual(first.valid_to, D(2026, 5, 31))
        self.assertEqual((second.amount, second.valid_from,
                second.amendment, second.payment_form),
            (Decimal('5500.00'), D(2026, 6, 1), amendment, 'transfer'))
        with Transaction().set_context(rent_month=D(2026, 6, 1)):
            contract = contract.__class__(contract.id)
            self.assertEqual(contract.rent_due, Decimal('5500.00'))

    @with_transaction()
    def test_dues_from_placements(self):
        """Per-terminal dues come from the placements; draft contracts
        are not charged; a terminated contract pays up to its end"""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Contract = pool.get('mrk.contract')
        company, people = setup_rent()
        party = make_party()
        contract = make_contract(party, end=D(2026, 3, 20))
        point = make_point(party, contract=contract)
        make_term(contract, '1000.00', basis='terminal')
        t1, t2 = make_terminals('SN-1', 'SN-2')
        install([t1], point, D(2026, 1, 10))
        install([t2], point, D(2026, 3, 10), removed_on=D(2026, 3, 10))
        draft = make_contract(make_party(name='ИП Иванов'), state='draft')
        make_term(draft, '7000.00')
        dues = RentTerm.get_dues(D(2026, 3, 1))
        self.assertEqual([(d.contract, d.point, d.amount) for d in dues],
            [(contract.id, point.id, Decimal('645.16'))])
        dues = RentTerm.get_dues(D(2026, 1, 1), contracts=[contract])
        self.assertEqual(dues[0].amount, Decimal('709.68'))
        Contract.terminate([contract])
        self.assertEqual(
            RentTerm.get_dues(D(2026, 3, 1))[0].amount, Decimal('645.16'))
        self.assertEqual(RentTerm.get_dues(D(2026, 4, 1)), [])

    @with_transaction()
    def test_rent_table_fields(self):
        "The rent table shows the current term, terminals and due"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Date = pool.get('ir.date')
        company, people = setup_rent()
        party = make_party()
        today = Date.today()
        contract = make_contract(party, start=today.replace(day=1),
            end=today.replace(year=today.year + 1))
        point = make_point(party, contract=contract)
        make_term(contract, '800.00', basis='terminal',
            payment_form='invoice')
        install(make_terminals('SN-1', 'SN-2'), point,
            today.replace(day=1))
        contract = Contract(contract.id)
        self.assertEqual(contract.rent_payment_form, 'invoice')
        self.assertEqual(contract.rent_basis, 'terminal')
        self.assertEqual(contract.rent_terminal_count, 2)
        self.assertEqual(contract.rent_due, Decimal('1600.00'))
        self.assertEqual(Contract.search(
                [('rent_payment_form', '=', 'invoice')]), [contract])
        self.assertEqual(Contract.search(
                [('rent_payment_form', '=', 'cash')]), [])

    @with_transaction()
    def test_prepare_next_month(self):
        """From the configured day the cron prepares next month's registry
        (9.2) and cash runs (8.2), once, and asks for the cash request
        (8.3)"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Registry = pool.get('mrk.rent.registry')
        CashRun = pool.get('mrk.rent.cash_run')
        Route = pool.get('mrk.rent.route')
        Activity = pool.get('mrk.activity')
        company, people = setup_rent()
        party = make_party()
        contract = make_contract(party)
        point = make_point(party, contract=contract)
        make_term(contract, '3000.00', payment_form='cash')
        other = make_contract(make_party(name='ООО «Вектор»'))
        make_term(other, '7000.00', payment_form='transfer')
        Route.create([{
                    'name': 'Север',
                    'courier': people['courier'].id,
                    'stops': [('create', [{'point': point.id}])],
                    }])
        with Transaction().set_context(company=company.id):
            Configuration.prepare_rent_month(D(2026, 4, 19))
            self.assertEqual(Registry.search([]), [])
            Configuration.prepare_rent_month(D(2026, 4, 20))
            Configuration.prepare_rent_month(D(2026, 4, 21))
        registry, = Registry.search([])
        self.assertEqual(registry.month, D(2026, 5, 1))
        self.assertEqual([l.amount for l in registry.lines],
            [Decimal('7000.00')])
        run, = CashRun.search([])
        self.assertEqual((run.month, [l.amount for l in run.lines]),
            (D(2026, 5, 1), [Decimal('3000.00')]))
        activity, = Activity.open_for([run], [codes.CASH_REQUEST])
        self.assertEqual(activity.owner, people['senior'])


del ModuleTestCase
