"""Counterparty requisites at the server (1.4, 4.1): who reads and writes
bank accounts, contact persons and requisites, their export, the history of
bank accounts, and who reassigns a portfolio."""
import datetime
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.exceptions import PortfolioAccessError
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .test_contract import ContractTestMixin, make_party
from .tools import DatabaseTestCase

D = datetime.date
ACCOUNT = {
    'bank_name': 'ПАО Сбербанк',
    'bik': '044525225',
    'account': '40702810438000000077',
    'correspondent_account': '30101810400000000225',
    }




class PartyAccessTestCase(ContractTestMixin, DatabaseTestCase):
    "Counterparty requisites and portfolios by role"

    @with_transaction()
    def test_search_by_requisites(self):
        """A counterparty is found by INN, OGRN and KPP, in its list and in
        the contract's «Контрагент» field, and a contract by its number and
        its counterparty's INN (1.4, 4.1); a technician typing an INN learns
        nothing"""
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        company, people = self.setup_service()
        with Transaction().set_context(_skip_warnings=True):
            yandex = make_party('ООО «Яндекс»', manager=people['manager'],
                inn='7736207543', kpp='770401001', ogrn='1027700229193')
            other = make_party('ООО «Ромашка»', manager=people['manager'])
        contract = self.make_contract(yandex)
        other_contract = self.make_contract(other)

        for role in ['manager', 'senior', 'office', 'accountant', 'head']:
            with self.subTest(role=role), as_user(people[role]):
                for text in ['%7736207%', '7736207543', '%1027700229%',
                        '%7704010%', '%7736 207 543%']:
                    self.assertEqual(
                        Party.search([('rec_name', 'ilike', text)]),
                        [yandex], text)
                self.assertEqual(
                    Party.search([('rec_name', 'ilike', '%Яндекс%')]),
                    [yandex])
                found = Party.search(
                    [('rec_name', 'not ilike', '%7736207%')])
                self.assertIn(other, found)
                self.assertNotIn(yandex, found)
                # The «Контрагент» field of a contract: its autocompletion
                self.assertEqual(
                    [r['id'] for r in Party.autocomplete('7736207')],
                    [yandex.id])
                self.assertEqual(
                    Contract.search([('rec_name', 'ilike', contract.number)]),
                    [contract])
                self.assertEqual(
                    Contract.search([('rec_name', 'ilike', '%7736207%')]),
                    [contract])
                self.assertEqual(
                    Contract.search([('party.rec_name', 'ilike', '%7736207%')]),
                    [contract])
                self.assertEqual(
                    Contract.search([('rec_name', 'ilike', '%Ромашка%')]),
                    [other_contract])

        for role in ['technician', 'courier', 'monitoring']:
            with self.subTest(role=role), as_user(people[role]):
                for text in ['%7736207%', '%1027700229%', '%7704010%']:
                    self.assertEqual(
                        Party.search([('rec_name', 'ilike', text)]), [],
                        text)
                    self.assertEqual(Party.autocomplete(text.strip('%')), [])
                # By name he finds it: it is in his jobs and runs
                self.assertEqual(
                    Party.search([('rec_name', 'ilike', '%Яндекс%')]),
                    [yandex])

    @with_transaction()
    def test_bank_accounts_written_by_requisites_roles(self):
        """Bank accounts: written by the senior, the office, the head and the
        administrator (1.4, 4.1); read by managers and accounting; neither
        read nor written by technicians, couriers and monitoring"""
        pool = Pool()
        BankAccount = pool.get('mrk.party.bank_account')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        account, = party.bank_accounts

        for role in ['courier', 'technician', 'monitoring']:
            with self.subTest(role=role), as_user(people[role]):
                with self.assertRaises(AccessError):
                    BankAccount.write([account], {
                            'account': '40702810438000000077'})
                with self.assertRaises(AccessError):
                    BankAccount.create([dict(ACCOUNT, party=party.id)])
                with self.assertRaises(AccessError):
                    BankAccount.delete([account])
                with self.assertRaises(AccessError):
                    BankAccount.read([account.id], ['account'])
        for role in ['manager', 'accountant']:
            with self.subTest(role=role), as_user(people[role]):
                read, = BankAccount.read([account.id], ['account'])
                self.assertEqual(read['account'], '40702810938000000001')
                with self.assertRaises(AccessError):
                    BankAccount.write([account], {
                            'account': '40702810438000000077'})
                with self.assertRaises(AccessError):
                    BankAccount.delete([account])
        self.assertEqual(BankAccount(account.id).account,
            '40702810938000000001')
        for role in ['senior', 'office', 'head', 'admin']:
            with self.subTest(role=role), as_user(people[role]):
                new, = BankAccount.create([dict(ACCOUNT, party=party.id)])
                BankAccount.write([new], {'bank_name': 'Сбербанк'})
                BankAccount.delete([new])

    @with_transaction()
    def test_requisites_hidden_and_not_exported(self):
        """A courier or a technician reads the counterparty's name but not
        its INN, accounts or people, and cannot export them"""
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('mrk.party.contact')
        company, people = self.setup_service()
        party = make_party(manager=people['manager'])
        contact, = party.mrk_contacts

        for role in ['courier', 'technician', 'monitoring']:
            with self.subTest(role=role), as_user(people[role]):
                read, = Party.read([party.id], ['name'])
                self.assertEqual(read['name'], 'ООО «Ромашка»')
                for fields in [['inn'], ['kpp'], ['bank_accounts'],
                        ['mrk_contacts'], ['bank_account_history']]:
                    with self.assertRaises(AccessError):
                        Party.read([party.id], fields)
                for fields in [['name', 'inn'],
                        ['name', 'bank_accounts/account'],
                        ['name', 'bank_accounts/bik'],
                        ['mrk_contacts/phone']]:
                    with self.assertRaises(AccessError):
                        Party.export_data([party], fields)
                with self.assertRaises(AccessError):
                    Party.search([('inn', '=', '7707083893')])
                with self.assertRaises(AccessError):
                    Contact.write([contact], {'phone': '+7 900 000-00-00'})
                with self.assertRaises(AccessError):
                    Party.write([party], {'name': 'ООО «Лютик»'})
                self.assertEqual(
                    Party.export_data([party], ['name']), [['ООО «Ромашка»']])
        with as_user(people['accountant']):
            self.assertEqual(
                Party.export_data([party], ['inn', 'bank_accounts/bik']),
                [['7707083893', '044525225']])
        self.assertEqual(Contact(contact.id).phone, None)

    @with_transaction()
    def test_contacts_of_own_portfolio(self):
        "A client manager keeps the contact persons of his portfolio (2.4)"
        pool = Pool()
        Contact = pool.get('mrk.party.contact')
        company, people = self.setup_service()
        mine = make_party(manager=people['manager'])
        theirs = make_party('ООО «Лютик»', manager=people['manager2'])
        signatory, = theirs.mrk_contacts
        with as_user(people['manager']):
            Contact.write(list(mine.mrk_contacts), {'phone': '+7 900 1'})
            Contact.create([{'party': mine.id, 'role': 'on_site',
                        'name': 'Петров Пётр'}])
            with self.assertRaises(AccessError):
                Contact.write(list(theirs.mrk_contacts), {'phone': '+7 9'})
            with self.assertRaises(AccessError):
                Contact.create([{'party': theirs.id, 'role': 'on_site',
                            'name': 'Петров Пётр'}])
            # He reads the colleague's counterparty people all the same
            read, = Contact.read([signatory.id], ['name'])
            self.assertEqual(read['name'], 'Иванов Иван Иванович')

    @with_transaction()
    def test_bank_account_history(self):
        """Every change of a bank account is kept and shown on the
        counterparty: who, when, what"""
        pool = Pool()
        Party = pool.get('party.party')
        BankAccount = pool.get('mrk.party.bank_account')
        company, people = self.setup_service()
        party = make_party()
        account, = party.bank_accounts
        with as_user(people['office']):
            BankAccount.write([account], {'account': '40702810438000000077'})
            new, = BankAccount.create([dict(ACCOUNT, party=party.id,
                        bank_name='Второй банк')])
            BankAccount.delete([new])
        with as_user(people['senior']):
            party = Party(party.id)
            history = party.bank_account_history
            self.assertEqual([(h.change, h.account) for h in history], [
                    ('delete', None),
                    ('create', '40702810438000000077'),
                    ('write', '40702810438000000077'),
                    ('create', '40702810938000000001'),
                    ])
            self.assertEqual([h.user for h in history[:3]],
                [people['office']] * 3)
            self.assertEqual(history[1].bank_name, 'Второй банк')
            self.assertTrue(all(h.party == party for h in history))
        with as_user(people['courier']):
            with self.assertRaises(AccessError):
                Party.read([party.id], ['bank_account_history'])

    @with_transaction()
    def test_portfolio_reassigned_by_head(self):
        """Reassigning a portfolio is the head's act, her deputy's while she
        is absent, and the administrator's"""
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        company, people = self.setup_service()
        party = make_party('ООО «Лютик»', manager=people['manager2'])
        contract = self.make_contract(party)

        # A manager takes a colleague's counterparty: refused by field
        # access, and the contract stays out of his reach
        with as_user(people['manager']):
            with self.assertRaises(AccessError):
                Party.write([party], {'mrk_manager': people['manager'].id})
            with self.assertRaises(AccessError):
                Contract.write([Contract(contract.id)], {'notes': 'моё'})
            # nor does a new contract naming him the manager open it
            with self.assertRaises(AccessError):
                Contract.create([{
                            'company': company.id,
                            'currency': company.currency.id,
                            'party': party.id,
                            'manager': people['manager'].id,
                            'date': D(2026, 1, 10),
                            'start_date': D(2026, 2, 1),
                            'end_date': D(2026, 12, 31),
                            'rent_amount': Decimal('5000.00'),
                            }])
        for role in ['senior', 'office']:
            with self.subTest(role=role), as_user(people[role]):
                with self.assertRaisesRegex(
                        PortfolioAccessError, 'ООО «Лютик»'):
                    Party.write([party], {'mrk_manager': people[role].id})
                # Other fields of the counterparty stay theirs to write
                Party.write([party], {'legal_name': 'ООО «Лютик»'})
        self.assertEqual(Party(party.id).mrk_manager, people['manager2'])

        for role in ['head', 'admin']:
            with as_user(people[role]):
                Party.write([party], {'mrk_manager': people['manager'].id})
        self.assertEqual(Party(party.id).mrk_manager, people['manager'])

        # The head is absent: her deputy reassigns
        today = Date.today()
        Absence.create([{
                    'user': people['head'].id,
                    'deputy': people['senior'].id,
                    'date_from': today - datetime.timedelta(days=1),
                    'date_to': today + datetime.timedelta(days=1),
                    }])
        with as_user(people['senior']):
            Party.write([party], {'mrk_manager': people['manager2'].id})
        with as_user(people['office']):
            with self.assertRaises(PortfolioAccessError):
                Party.write([party], {'mrk_manager': people['manager'].id})
        self.assertEqual(Party(party.id).mrk_manager, people['manager2'])
