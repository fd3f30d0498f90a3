"""Company card (seed 1.5): the PDF of our company's requisites and its
e-mail to the counterparty through a real SMTP server on loopback.

Needs LibreOffice (soffice) to make the PDF and pdftotext (poppler-utils) to
read it back; aiosmtpd for the SMTP server.
"""
import datetime
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.mrk_base import codes
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import add_currency_rate
from trytond.modules.mrk_base.tests.tools import start_smtp_server
from trytond.modules.mrk_contracts.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

COMPANY_INN = '7736050003'
COMPANY_KPP = '772801001'
COMPANY_OGRN = '1027700070518'
BIK = '044525225'
ACCOUNT = '40702810938000000001'
CORRESPONDENT = '30101810400000000225'


def create_rub():
    pool = Pool()
    Currency = pool.get('currency.currency')
    rub, = Currency.create([{
                'name': 'Российский рубль',
                'code': 'RUB',
                'symbol': '₽',
                }])
    add_currency_rate(rub, 1)
    return rub


def create_mrk_company():
    "Our company, with complete requisites, a bank account and a director"
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    company = create_company('ООО «МРК»', currency=create_rub())
    party = company.party
    legal, = party.addresses
    Address.write([legal], {
            'postal_code': '119021',
            'city': 'г. Москва',
            'street': 'ул. Льва Толстого, д. 16, офис 3',
            })
    with Transaction().set_context(_skip_warnings=True):
        Party.write([party], {
                'legal_form': 'ooo',
                'legal_name': 'Общество с ограниченной ответственностью '
                '«МРК»',
                'inn': COMPANY_INN,
                'kpp': COMPANY_KPP,
                'ogrn': COMPANY_OGRN,
                'addresses': [('create', [{
                                'postal_code': '119034',
                                'city': 'г. Москва',
                                'street': 'а/я 15',
                                }])],
                'contact_mechanisms': [('create', [{
                                'type': 'phone',
                                'value': '+7 495 123-45-67',
                                }, {
                                'type': 'email',
                                'value': 'info@mrk.test',
                                }])],
                'bank_accounts': [('create', [{
                                'bank_name': 'ПАО Сбербанк',
                                'bik': BIK,
                                'account': ACCOUNT,
                                'correspondent_account': CORRESPONDENT,
                                }])],
                'mrk_contacts': [('create', [{
                                'role': 'signatory',
                                'name': 'Петров Пётр Петрович',
                                'position': 'Генеральный директор',
                                'basis': 'Устава',
                                }, {
                                'role': 'accounting',
                                'name': 'Сидорова Анна Ивановна',
                                'position': 'Главный бухгалтер',
                                }])],
                })
    return company


def create_counterparty(name, email=None, signatory_email=None):
    pool = Pool()
    Party = pool.get('party.party')
    values = {'name': name}
    if email:
        values['contact_mechanisms'] = [('create', [{
                        'type': 'email', 'value': email}])]
    values['mrk_contacts'] = [('create', [{
                    'role': 'signatory',
                    'name': 'Иванов Иван Иванович',
                    'position': 'Директор',
                    'basis': 'Устава',
                    'email': signatory_email,
                    }])]
    party, = Party.create([values])
    return party


def pdf_text(data):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, 'card.pdf')
        path.write_bytes(data)
        return subprocess.run(
            ['pdftotext', '-layout', str(path), '-'], check=True,
            capture_output=True, text=True).stdout


class CompanyCardTestCase(DatabaseTestCase):
    "Company card: PDF and e-mail to the counterparty"

    def start_smtp_server(self):
        "An SMTP server on loopback until the end of the test; its inbox"
        return start_smtp_server(self)

    @with_transaction()
    def test_card_pdf(self):
        "The card is a PDF with the company's requisites and bank account"
        pool = Pool()
        CompanyCard = pool.get('mrk.company_card', type='report')
        company = create_mrk_company()
        with set_company(company):
            ext, content, direct_print, name = CompanyCard.execute(
                [company.id], {})
            file_name, data = CompanyCard.render_company(company)

        self.assertEqual(ext, 'pdf')
        self.assertFalse(direct_print)
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        self.assertTrue(data.startswith(b'%PDF'))
        self.assertTrue(file_name.endswith('.pdf'))
        self.assertIn('МРК', file_name)
        self.assertNotIn('/', file_name)

        text = pdf_text(data)
        self.assertIn('КАРТОЧКА ПРЕДПРИЯТИЯ', text)
        for value in [COMPANY_INN, COMPANY_KPP, COMPANY_OGRN, ACCOUNT, BIK,
                CORRESPONDENT, 'ПАО Сбербанк', company.party.full_name,
                '119021, г. Москва, ул. Льва Толстого, д. 16, офис 3',
                '119034, г. Москва, а/я 15', 'info@mrk.test',
                'Генеральный директор Петров Пётр Петрович', 'Устава',
                'Сидорова Анна Ивановна', 'Петров П. П.']:
            self.assertIn(value, text)

    @with_transaction()
    def test_card_values_dash_for_missing(self):
        "A requisite the company lacks is printed as a dash, not None"
        pool = Pool()
        CompanyCard = pool.get('mrk.company_card', type='report')
        from trytond.modules.mrk_contracts.company_card import (
            company_card_values)
        company = create_company('ИП Сидоров', currency=create_rub())
        company.party.legal_form = 'ip'
        company.party.save()
        card = company_card_values(company)
        self.assertEqual(card.kpp, '—')
        self.assertEqual(card.bank_name, '—')
        self.assertEqual(card.director, '—')
        self.assertEqual(card.ogrn_label, 'ОГРНИП')
        self.assertEqual(card.short_name, 'ИП Сидоров')

        # Such a card is not sent: the message names the company and what
        # to fill in.
        party = create_counterparty('ООО «Ромашка»', email='a@romashka.test')
        with set_company(company):
            with self.assertRaises(UserError) as cm:
                CompanyCard.send([party])
        message = str(cm.exception)
        self.assertIn('ИП Сидоров', message)
        self.assertIn('INN', message)

    @with_transaction()
    def test_counterparty_without_email(self):
        "A counterparty without any e-mail gets an error naming it"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_mrk_company()
        party = create_counterparty('ООО «Без почты»')
        with set_company(company):
            with self.assertRaises(UserError) as cm:
                Party.send_company_card([party])
        self.assertIn('ООО «Без почты»', str(cm.exception))
        self.assertIn('e-mail', str(cm.exception))

        # Nothing was queued or logged
        Email = pool.get('ir.email')
        self.assertEqual(Email.search([('resource', '=', str(party))]), [])

    @with_transaction()
    def test_recipient(self):
        "The e-mail contact mechanism comes first, then the signatory's"
        pool = Pool()
        CompanyCard = pool.get('mrk.company_card', type='report')
        both = create_counterparty('ООО «Альфа»',
            email='office@alfa.test', signatory_email='boss@alfa.test')
        signatory = create_counterparty('ООО «Бета»',
            signatory_email='boss@beta.test')
        self.assertEqual(CompanyCard.recipient(both), 'office@alfa.test')
        self.assertEqual(CompanyCard.recipient(signatory), 'boss@beta.test')

    @with_transaction()
    def test_manager_sends_with_access_rights(self):
        """A client manager clicks the button with access rights checked:
        the e-mail is logged on the counterparty with the card attached"""
        pool = Pool()
        Party = pool.get('party.party')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Email = pool.get('ir.email')
        Activity = pool.get('mrk.activity')
        self.start_smtp_server()
        company = create_mrk_company()
        party = create_counterparty('ООО «Ромашка»',
            email='romashka@romashka.test')
        manager, = User.create([{
                    'name': 'Смирнова Ольга',
                    'login': 'smirnova',
                    'groups': [('add', [ModelData.get_id(
                                    'mrk_base', 'group_mrk_manager')])],
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    }])
        Party.write([party], {'mrk_manager': manager.id})
        activity, = Activity.schedule(codes.COMPANY_CARD, [party])
        self.assertEqual(activity.owner, manager)

        with Transaction().set_user(manager.id), \
                Transaction().set_context(
                    User.get_preferences(context_only=True),
                    _check_access=True):
            Party.send_company_card([Party(party.id)])
            logged, = Email.search([('resource', '=', str(party))])
            self.assertEqual(logged.recipients, 'romashka@romashka.test')
            self.assertEqual(Activity(activity.id).state, 'done')

    @with_transaction()
    def test_send_by_smtp(self):
        """The button e-mails the PDF card at commit, logs the e-mail on
        the record and closes the open 1.5 activities of the counterparty.

        Runs last of the class (alphabetical order): it commits."""
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        Activity = pool.get('mrk.activity')
        Email = pool.get('ir.email')
        Attachment = pool.get('ir.attachment')
        Notification = pool.get('res.notification')
        transaction = Transaction()

        inbox = self.start_smtp_server()

        company = create_mrk_company()
        party = create_counterparty('ООО «Ромашка»',
            email='romashka@romashka.test')
        activity, = Activity.schedule(codes.COMPANY_CARD, [party])
        other_activity, = Activity.schedule(codes.PROLONGATION_CALL, [party])

        with set_company(company):
            Party.send_company_card([party])
            # Nothing leaves before the commit
            self.assertEqual(inbox.messages, [])
            transaction.commit()
        self.assertTrue(inbox.received.wait(10))

        self.assertEqual(len(inbox.messages), 1)
        mail_from, rcpt_tos, message = inbox.messages[0]
        self.assertEqual(rcpt_tos, ['romashka@romashka.test'])
        self.assertEqual(message['To'], 'romashka@romashka.test')
        subject = gettext('mrk_contracts.msg_company_card_email_subject',
            company='ООО «МРК»')
        self.assertEqual(message['Subject'], subject)
        self.assertIn('ООО «МРК»', message['Subject'])
        self.assertIn('card', message['Subject'].lower())
        attachments = list(message.iter_attachments())
        self.assertEqual(len(attachments), 1)
        attachment, = attachments
        self.assertEqual(attachment.get_content_type(), 'application/pdf')
        self.assertTrue(attachment.get_filename().endswith('.pdf'))
        self.assertIn('МРК', attachment.get_filename())
        self.assertTrue(attachment.get_content().startswith(b'%PDF'))
        body = message.get_body(('plain', 'html')).get_content()
        self.assertIn('ООО «МРК»', body)

        emails = Email.search([('resource', '=', str(party))])
        self.assertEqual(len(emails), 1)
        logged, = emails
        self.assertEqual(logged.resource, party)
        self.assertEqual(logged.recipients, 'romashka@romashka.test')
        self.assertEqual(logged.subject, subject)
        self.assertEqual(
            [a.address for a in logged.addresses], ['romashka@romashka.test'])
        files = Attachment.search([('resource', '=', str(logged))])
        self.assertEqual(len(files), 1)
        self.assertTrue(bytes(files[0].data).startswith(b'%PDF'))

        self.assertEqual(Activity(activity.id).state, 'done')
        self.assertEqual(Activity(other_activity.id).state, 'open')

        notifications = Notification.search([
                ('user', '=', transaction.user),
                ('model', '=', 'party.party'),
                ])
        self.assertTrue(any('romashka@romashka.test' in n.label
                for n in notifications))

        # From the contract: the e-mail names the contract and is logged on
        # the contract; the activity on the contract is done as well.
        with set_company(company):
            contract, = Contract.create([{
                        'party': party.id,
                        'date': datetime.date(2026, 1, 15),
                        'start_date': datetime.date(2026, 2, 1),
                        'end_date': datetime.date(2027, 1, 31),
                        'rent_amount': Decimal('15000.00'),
                        }])
            activity, = Activity.schedule(codes.COMPANY_CARD, [contract])
            inbox.received.clear()
            Contract.send_company_card([contract])
            transaction.commit()
        self.assertTrue(inbox.received.wait(10))
        self.assertEqual(len(inbox.messages), 2)
        _, rcpt_tos, message = inbox.messages[1]
        self.assertEqual(rcpt_tos, ['romashka@romashka.test'])
        body = message.get_body(('plain', 'html')).get_content()
        self.assertIn(contract.number, body)
        self.assertIn('15.01.2026', body)
        self.assertEqual(
            len(Email.search([('resource', '=', str(contract))])), 1)
        self.assertEqual(Activity(activity.id).state, 'done')
