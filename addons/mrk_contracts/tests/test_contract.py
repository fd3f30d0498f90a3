"""Rent contracts: requisites, lifecycle, amendments, change requests, the
control of expiring contracts and access per role (seed 1.1–1.4)."""
import datetime
from decimal import Decimal

from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import (
    AccessButtonError, AccessError, ValidationError)
from trytond.modules.mrk_base import codes
from trytond.modules.company.tests import create_company
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

D = datetime.date
ROLES = ['head', 'senior', 'manager', 'office', 'technician', 'courier',
    'accountant', 'monitoring', 'admin']


def make_user(login, role, company):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    user, = User.create([{
                'name': login.title(),
                'login': login,
                'companies': [('add', [company.id])],
                'company': company.id,
                'groups': [('add', [
                            ModelData.get_id('mrk_base', 'group_mrk_' + role)])],
                }])
    return user


def make_party(name='ООО «Ромашка»', manager=None, **values):
    pool = Pool()
    Party = pool.get('party.party')
    BankAccount = pool.get('mrk.party.bank_account')
    Contact = pool.get('mrk.party.contact')
    # Test counterparties share the same valid requisites.
    with Transaction().set_context(_skip_warnings=True):
        party = Party(name=name, mrk_manager=manager,
            legal_form='ooo', legal_name='Общество с ограниченной '
            'ответственностью «%s»' % name,
            inn='7707083893', kpp='773601001', ogrn='1027700132195')
        for key, value in values.items():
            setattr(party, key, value)
        party.bank_accounts = [BankAccount(bank_name='ПАО Сбербанк',
                bik='044525225', account='40702810938000000001',
                correspondent_account='30101810400000000225')]
        party.mrk_contacts = [Contact(role='signatory',
                name='Иванов Иван Иванович',
                position='Генеральный директор', basis='Устава')]
        party.save()
    return Party(party.id)


class ContractTestMixin:

    def setup_service(self):
        pool = Pool()
        Function = pool.get('mrk.function')
        company = create_company()
        people = {r: make_user('mrk' + r if r == 'admin' else r, r, company)
            for r in ROLES}
        people['manager2'] = make_user('manager2', 'manager', company)
        Function.write(Function.search([]), {'owner': people['senior'].id})
        return company, people

    def make_contract(self, party, **values):
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Company = pool.get('company.company')
        company, = Company.search([], limit=1)
        contract = Contract(company=company, currency=company.currency,
            party=party, date=D(2025, 12, 20),
            start_date=D(2026, 1, 1), end_date=D(2026, 12, 31),
            rent_amount=Decimal('5000.00'))
        contract.on_change_party()
        for key, value in values.items():
            setattr(contract, key, value)
        contract.save()
        return contract


class MrkContractsContractTestCase(ContractTestMixin, ModuleTestCase):
    "Test rent contracts"
    module = 'mrk_contracts'

    @with_transaction()
    def test_requisites_validated_with_names(self):
        "A wrong INN, KPP or OGRN is refused naming the counterparty and field"
        pool = Pool()
        Party = pool.get('party.party')

        def create(**values):
            return Party.create([dict(name='ООО «Ромашка»',
                        legal_form='ooo', **values)])

        with self.assertRaisesRegex(ValidationError,
                'ООО «Ромашка».*INN.*7707083894'):
            create(inn='7707083894')
        with self.assertRaisesRegex(ValidationError, '12.*10'):
            create(inn='500100732259')  # 12 digits for an organisation
        with self.assertRaisesRegex(ValidationError, 'KPP'):
            create(inn='7707083893', kpp='77360100')
        with self.assertRaisesRegex(ValidationError, 'OGRN'):
            create(inn='7707083893', kpp='773601001',
                ogrn='304500116000157')  # an OGRNIP for an organisation
        with Transaction().set_context(_skip_warnings=True):
            party, = create(inn='7707 0838 93', kpp='773601001',
                ogrn='1027700132195')
        self.assertEqual(party.inn, '7707 0838 93'.replace(' ', ''))

        with Transaction().set_context(_skip_warnings=True):
            ip, = Party.create([{'name': 'ИП Петров', 'legal_form': 'ip',
                        'inn': '500100732259', 'ogrn': '304500116000202'}])
        # remainder 12: the OGRNIP rule takes its last digit
        self.assertEqual(ip.ogrn, '304500116000202')

    @with_transaction()
    def test_bank_account_validated(self):
        "A settlement account not matching its BIK is refused"
        pool = Pool()
        Party = pool.get('party.party')
        BankAccount = pool.get('mrk.party.bank_account')
        party = Party(name='ООО «Ромашка»')
        party.save()
        account = BankAccount(party=party, bank_name='ПАО Сбербанк',
            bik='044525225', account='40702810938000000002')
        with self.assertRaisesRegex(ValidationError,
                '40702810938000000002.*044525225'):
            account.save()
        account.account = '40702810938000000001'
        account.correspondent_account = '30101810400000000226'
        with self.assertRaisesRegex(ValidationError, '30101810400000000226'):
            account.save()
        account.correspondent_account = '30101810400000000225'
        account.save()

    @with_transaction()
    def test_duplicate_inn_kpp_warns(self):
        "A second counterparty with the same INN and KPP gets a warning"
        pool = Pool()
        Party = pool.get('party.party')
        Party.create([{'name': 'Первый', 'inn': '7707083893',
                    'kpp': '773601001'}])
        with self.assertRaisesRegex(UserWarning, 'Первый'):
            Party.create([{'name': 'Второй', 'inn': '7707083893',
                        'kpp': '773601001'}])
        # Another KPP is another subdivision: no warning.
        Party.create([{'name': 'Филиал', 'inn': '7707083893',
                    'kpp': '773602001'}])

    @with_transaction()
    def test_duplicate_inn_kpp_warns_within_one_call(self):
        """The duplicate warning is checked for the whole call at once: two
        new counterparties of one call, or one of many against a stored
        one, are named (1.4)"""
        pool = Pool()
        Party = pool.get('party.party')
        Party.create([{'name': 'Первый', 'inn': '7707083893',
                    'kpp': '773601001'}])
        with self.assertRaisesRegex(UserWarning,
                'Второй.*7707083893.*773601001.*Первый'):
            Party.create([{'name': 'Филиал %s' % i, 'inn': '7707083893',
                        'kpp': '7736%02d001' % i} for i in range(2, 40)]
                + [{'name': 'Второй', 'inn': '7707083893',
                        'kpp': '773601001'}])
        with self.assertRaisesRegex(UserWarning,
                'Третий.*500100732259.*Четвёртый'):
            Party.create([{'name': 'Третий', 'inn': '500100732259'},
                    {'name': 'Четвёртый', 'inn': '500100732259'}])
        # Distinct requisites in one call: no warning, each its own code
        parties = Party.create([
                {'name': 'ИП %s' % i, 'inn': inn} for i, inn in enumerate(
                    ['7830002293', '7702070139', '7728168971'])])
        codes = [p.code for p in parties]
        self.assertEqual(len(set(codes)), 3)
        self.assertTrue(all(codes))
        self.assertEqual([p.code_alnum for p in parties],
            [''.join(c for c in code if c.isalnum()) for code in codes])

    @with_transaction()
    def test_contracts_of_one_call_get_their_managers(self):
        """Contracts created in one call each get the client manager of
        their counterparty's portfolio and their own number (1.1)"""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        company, people = self.setup_service()
        first = make_party(manager=people['manager'])
        second = make_party(name='ООО «Василёк»', manager=people['manager2'])
        orphan = make_party(name='ООО «Лютик»')
        with Transaction().set_user(people['head'].id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            contracts = Contract.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': party.id,
                        'date': D(2025, 12, 20),
                        'start_date': D(2026, 1, 1),
                        'end_date': D(2026, 12, 31),
                        } for party in [first, second, orphan, first]]
                + [{'company': company.id, 'currency': company.currency.id,
                        'party': second.id, 'manager': people['manager'].id,
                        'date': D(2025, 12, 20),
                        'start_date': D(2026, 1, 1),
                        'end_date': D(2026, 12, 31)}])
        self.assertEqual([c.manager for c in contracts], [
                people['manager'], people['manager2'], None,
                people['manager'], people['manager']])
        numbers = [c.number for c in contracts]
        self.assertEqual(len(set(numbers)), 5)
        self.assertTrue(all(n.startswith('А-') for n in numbers))

    @with_transaction()
    def test_standard_contract_goes_active(self):
        "A standard contract gets its number and goes straight to active"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        contract = self.make_contract(party)
        self.assertTrue(contract.number.startswith('А-'))
        self.assertEqual(contract.manager, people['manager'])
        self.assertEqual(contract.currency, company.currency)
        Contract.activate([contract])
        self.assertEqual(contract.state, 'active')
        with self.assertRaises(UserError):
            Contract.delete([contract])

    @with_transaction()
    def test_non_standard_needs_checklist_and_head(self):
        "A non-standard contract passes the checklist, then the head (1.4)"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Activity = pool.get('mrk.activity')
        Contact = pool.get('mrk.party.contact')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        contract = self.make_contract(party, kind='non_standard')

        with self.assertRaises(UserError):
            Contract.activate([contract])
        with self.assertRaisesRegex(UserError, 'Requisites Checked'):
            Contract.submit([contract])
        contract.requisites_checked = contract.terms_checked = True
        contract.save()
        Contact.write(list(party.mrk_contacts), {'active': False})
        with self.assertRaisesRegex(UserError, 'signatory'):
            Contract.submit([contract])
        Contact.write(Contact.search([('active', '=', False)]),
            {'active': True})

        Contract.submit([contract])
        self.assertEqual(contract.state, 'approval')
        approval, = Activity.search([('origin', '=', str(contract))])
        self.assertEqual(approval.owner, people['head'])

        # Only the head may approve: the button rule.
        with Transaction().set_user(people['manager'].id), \
                Transaction().set_context(_check_access=True):
            with self.assertRaises(AccessButtonError):
                Contract.approve([Contract(contract.id)])
        with Transaction().set_user(people['head'].id), \
                Transaction().set_context(_check_access=True):
            with self.assertRaisesRegex(UserError, 'Approval Comment'):
                Contract.reject([Contract(contract.id)])
            Contract.approve([Contract(contract.id)])
        self.assertEqual(contract.state, 'active')
        self.assertEqual(contract.approved_by, people['head'])
        approval = Activity(approval.id)
        self.assertEqual(approval.state, 'done')

    @with_transaction()
    def test_amendments_change_contract_with_history(self):
        "Extension moves the end, termination ends it; history keeps both"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Amendment = pool.get('mrk.contract.amendment')
        Date = pool.get('ir.date')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        contract = self.make_contract(party)
        Contract.activate([contract])

        other = self.make_contract(make_party(name='ООО «Лютик»'))
        Contract.activate([other])
        with self.assertRaisesRegex(ValidationError, '31.12.2026'):
            Amendment.create([{'contract': other.id, 'kind': 'extension',
                        'date': D(2026, 11, 1),
                        'effective_date': D(2027, 1, 1),
                        'new_end_date': D(2026, 6, 30)}])
        extension = Amendment(contract=contract, kind='extension',
            date=D(2026, 11, 1), effective_date=D(2027, 1, 1))
        extension.new_end_date = D(2027, 12, 31)
        extension.save()
        self.assertEqual(extension.number, 1)
        Amendment.confirm([extension])
        self.assertEqual(contract.end_date, D(2027, 12, 31))
        self.assertEqual(contract.state, 'active')

        price = Amendment(contract=contract, kind='price_change',
            date=D(2026, 2, 1), effective_date=D(2026, 3, 1),
            new_amount=Decimal('6500.00'))
        price.save()
        Amendment.confirm([price])
        self.assertEqual(price.number, 2)
        self.assertEqual(contract.rent_amount, Decimal('5000.00'))
        today = Date.today()
        self.assertEqual(contract.current_rent_amount,
            Decimal('6500.00') if today >= D(2026, 3, 1)
            else Decimal('5000.00'))

        termination = Amendment(contract=contract, kind='termination',
            date=today, effective_date=today)
        termination.save()
        Amendment.confirm([termination])
        self.assertEqual(contract.state, 'terminated')
        self.assertEqual(contract.end_date, today)
        with self.assertRaises(ValidationError):
            Amendment.delete([termination])

        # The former end dates stay readable in the history.
        history = Contract.__table_history__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*history.select(history.end_date,
                where=history.id == contract.id))
        ends = {r[0] for r in cursor}
        ends = {e if isinstance(e, datetime.date)
            else datetime.date.fromisoformat(e) for e in ends}
        self.assertTrue({D(2026, 12, 31), D(2027, 12, 31), today} <= ends)

    @with_transaction()
    def test_change_request_flow(self):
        "A change request goes to the head; the manager tells the decision"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Request = pool.get('mrk.contract.change_request')
        Activity = pool.get('mrk.activity')
        company, people = self.setup_service()
        party = make_party(manager=people['manager2'])
        contract = self.make_contract(party)
        Contract.activate([contract])

        request = Request(contract=contract, channel='phone',
            description="Снизить аренду до 4 000 руб. с марта")
        request.save()
        Request.submit([request])
        decision, = Activity.search([('origin', '=', str(request))])
        self.assertEqual(decision.owner, people['head'])
        self.assertEqual(decision.function.code, codes.CHANGE_REQUEST)

        with self.assertRaisesRegex(UserError, 'decision'):
            Request.reject([request])
        request.decision = "Отказать: аренда ниже рыночной"
        request.save()
        with Transaction().set_user(people['manager2'].id), \
                Transaction().set_context(_check_access=True):
            with self.assertRaises(AccessButtonError):
                Request.reject([Request(request.id)])
        with Transaction().set_user(people['head'].id), \
                Transaction().set_context(_check_access=True):
            Request.reject([Request(request.id)])
        self.assertEqual(request.state, 'rejected')
        self.assertEqual(request.decided_by, people['head'])
        self.assertEqual(Activity(decision.id).state, 'done')
        inform, = Activity.search([
                ('origin', '=', str(request)), ('state', '=', 'open')])
        self.assertEqual(inform.owner, people['manager2'])
        self.assertEqual(inform.note, request.decision)

    @with_transaction()
    def test_control_expiring(self):
        "The cron calls, prolongs, escalates and ends contracts on its dates"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Activity = pool.get('mrk.activity')
        Amendment = pool.get('mrk.contract.amendment')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        other = make_party(name='ИП Сидоров', manager=people['manager2'],
            legal_form='ip', inn='500100732259', kpp=None,
            ogrn='304500116000157')
        auto = self.make_contract(party, end_date=D(2026, 3, 31),
            auto_prolongation=True, prolongation_months=12)
        fixed = self.make_contract(other, end_date=D(2026, 3, 31),
            auto_prolongation=False)
        later = self.make_contract(party, end_date=D(2026, 12, 31))
        Contract.activate([auto, fixed, later])

        def calls(contract):
            return Activity.search([
                    ('origin', '=', str(contract)),
                    ('function.code', '=', codes.PROLONGATION_CALL)])

        # 60 days before: one call each, to the portfolio's manager.
        Contract.control_expiring(D(2026, 1, 29))
        self.assertEqual(calls(auto), [])
        Contract.control_expiring(D(2026, 1, 30))
        call, = calls(auto)
        self.assertEqual(call.owner, people['manager'])
        self.assertIn('31.03.2026', call.note)
        self.assertEqual(calls(fixed)[0].owner, people['manager2'])
        self.assertEqual(calls(later), [])
        Contract.control_expiring(D(2026, 2, 2))
        self.assertEqual(len(calls(auto)), 1)

        # On the end date: prolongation and escalation.
        Contract.control_expiring(D(2026, 3, 31))
        self.assertEqual(auto.end_date, D(2027, 3, 31))
        amendment, = auto.amendments
        self.assertEqual(
            (amendment.kind, amendment.state, amendment.auto),
            ('extension', 'confirmed', True))
        self.assertEqual(amendment.effective_date, D(2026, 4, 1))
        self.assertEqual(len(calls(auto)), 2)  # inform the counterparty
        escalation, = Activity.search([
                ('origin', '=', str(fixed)),
                ('function.code', '=', codes.EXPIRING_CONTRACTS)])
        self.assertEqual(escalation.owner, people['senior'])
        self.assertIn('Manager2', escalation.note)

        # The day after: the fixed one expires, the prolonged one goes on.
        Contract.control_expiring(D(2026, 4, 1))
        self.assertEqual(fixed.state, 'expired')
        self.assertEqual(auto.state, 'active')
        self.assertEqual(len(Activity.search([
                        ('origin', '=', str(fixed)),
                        ('function.code', '=', codes.EXPIRING_CONTRACTS)])), 1)

        # A late extension brings an expired contract back.
        extension = Amendment(contract=fixed, kind='extension',
            date=D(2026, 4, 2), effective_date=D(2026, 4, 1),
            new_end_date=D(2099, 3, 31))
        extension.save()
        Amendment.confirm([extension])
        self.assertEqual(fixed.state, 'active')

    @with_transaction()
    def test_future_termination_ends_on_its_date(self):
        "A termination from a future date ends the contract on that date"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Amendment = pool.get('mrk.contract.amendment')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        contract = self.make_contract(party, start_date=D(2026, 1, 1),
            end_date=D(2099, 12, 31), auto_prolongation=True)
        Contract.activate([contract])
        termination = Amendment(contract=contract, kind='termination',
            date=D(2026, 1, 10), effective_date=D(2098, 6, 30))
        termination.save()
        Amendment.confirm([termination])
        self.assertEqual(contract.state, 'active')
        self.assertEqual(contract.end_date, D(2098, 6, 30))
        Contract.control_expiring(D(2098, 6, 30))
        self.assertEqual(contract.state, 'active')
        self.assertEqual(len(contract.amendments), 1)  # not prolonged
        Contract.control_expiring(D(2098, 7, 1))
        self.assertEqual(contract.state, 'terminated')

    @with_transaction()
    def test_access_by_role(self):
        "Managers edit their portfolio; office reads; technicians see none"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        company, people = self.setup_service()
        mine = self.make_contract(make_party(manager=people['manager']))
        other = self.make_contract(make_party(name='ООО «Лютик»',
                manager=people['manager2']))

        def check(role):
            return (Transaction().set_user(people[role].id),
                Transaction().set_context(_check_access=True,
                    company=company.id))

        user, context = check('manager')
        with user, context:
            self.assertEqual(len(Contract.search([])), 2)
            Contract.write([Contract(mine.id)], {'notes': 'Звонил'})
            with self.assertRaises(AccessError):
                Contract.write([Contract(other.id)], {'notes': 'x'})
        for role in ['office', 'accountant', 'monitoring']:
            user, context = check(role)
            with user, context:
                self.assertEqual(len(Contract.search([])), 2, role)
                with self.assertRaises(AccessError):
                    Contract.write([Contract(mine.id)], {'notes': 'x'})
        for role in ['technician', 'courier']:
            user, context = check(role)
            with user, context:
                with self.assertRaises(AccessError):
                    Contract.search([])
        for role in ['head', 'senior']:
            user, context = check(role)
            with user, context:
                Contract.write([Contract(other.id)], {'notes': role})


del ModuleTestCase
