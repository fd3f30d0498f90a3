"""Printed documents of a rent contract (seed 3.1): the contract, the price
agreement protocol and the supplementary agreements on extension and on
termination, rendered to PDF through LibreOffice; and the Russian amounts
and dates they print.

The PDF tests need LibreOffice (soffice) and pdftotext (poppler-utils):
without LibreOffice Tryton silently returns the ODT, and the tests fail on
the 'pdf' extension.
"""
import datetime
import io
import re
import shutil
import unittest
import zipfile
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company
from trytond.modules.mrk_base.tests.tools import pdf_text
from trytond.modules.mrk_contracts.amount import (
    amount_in_words, count_with_words, format_amount, format_date,
    format_date_long, plural)
from trytond.modules.mrk_contracts.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

D = datetime.date
NBSP = '\u00a0'

PARTY_NAME = 'ООО «Ромашка»'
PARTY_FULL_NAME = 'Общество с ограниченной ответственностью «Ромашка»'
FIVE_THOUSAND = 'Пять тысяч рублей 00 копеек'


class AmountTestCase(unittest.TestCase):
    "Amounts and dates as Russian documents write them"

    def test_amount_in_words(self):
        for amount, words in [
                (Decimal('5000'), 'Пять тысяч рублей 00 копеек'),
                (Decimal('5000.00'), 'Пять тысяч рублей 00 копеек'),
                (Decimal('1'), 'Один рубль 00 копеек'),
                (Decimal('2.5'), 'Два рубля 50 копеек'),
                (Decimal('21.01'), 'Двадцать один рубль 01 копейка'),
                (Decimal('1000000'), 'Один миллион рублей 00 копеек'),
                (Decimal('11.11'), 'Одиннадцать рублей 11 копеек'),
                (Decimal('0.99'), 'Ноль рублей 99 копеек'),
                (Decimal('0.02'), 'Ноль рублей 02 копейки'),
                (Decimal('112.22'), 'Сто двенадцать рублей 22 копейки'),
                (Decimal('2000'), 'Две тысячи рублей 00 копеек'),
                (Decimal('104'), 'Сто четыре рубля 00 копеек'),
                ]:
            with self.subTest(amount=amount):
                self.assertEqual(amount_in_words(amount), words)

    def test_amount_in_words_rounds_half_up(self):
        "Kopecks are rounded half up: 1234.565 gives 57 kopecks"
        self.assertEqual(amount_in_words(Decimal('1234.565')),
            'Одна тысяча двести тридцать четыре рубля 57 копеек')
        self.assertEqual(amount_in_words(Decimal('1234.564')),
            'Одна тысяча двести тридцать четыре рубля 56 копеек')
        self.assertEqual(amount_in_words(Decimal('0.995')),
            'Один рубль 00 копеек')

    def test_amount_in_words_negative(self):
        with self.assertRaises(ValueError):
            amount_in_words(Decimal('-0.01'))

    def test_plural(self):
        forms = ('рубль', 'рубля', 'рублей')
        for number, form in [(0, 'рублей'), (1, 'рубль'), (2, 'рубля'),
                (4, 'рубля'), (5, 'рублей'), (11, 'рублей'), (12, 'рублей'),
                (14, 'рублей'), (21, 'рубль'), (22, 'рубля'), (111, 'рублей'),
                (101, 'рубль')]:
            with self.subTest(number=number):
                self.assertEqual(plural(number, *forms), form)
        self.assertEqual(
            count_with_words(30, 'день', 'дня', 'дней'), '30 (тридцать) дней')

    def test_format_amount(self):
        self.assertEqual(format_amount(Decimal('5000')), '5' + NBSP + '000,00')
        self.assertEqual(format_amount(Decimal('1234567.891')),
            '1' + NBSP + '234' + NBSP + '567,89')
        self.assertEqual(format_amount(Decimal('999.5')), '999,50')
        self.assertEqual(format_amount(Decimal('0')), '0,00')

    def test_format_dates(self):
        self.assertEqual(format_date_long(D(2026, 3, 1)), '«01» марта 2026 г.')
        self.assertEqual(
            format_date_long(D(2025, 12, 31)), '«31» декабря 2025 г.')
        self.assertEqual(format_date(D(2026, 3, 1)), '01.03.2026')
        self.assertEqual(format_date(None), '')


def set_full_name(party, full_name):
    "Write the full name of the registration documents, which they print"
    Party = Pool().get('party.party')
    Party.write([party], {'legal_name': full_name})


def make_party(values, address, account, signatory):
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    BankAccount = pool.get('mrk.party.bank_account')
    Contact = pool.get('mrk.party.contact')
    values = values.copy()
    full_name = values.pop('full_name', None)
    party = Party(**values)
    party.addresses = [Address(**address)]
    party.bank_accounts = [BankAccount(**account)]
    party.mrk_contacts = [Contact(role='signatory', **signatory)]
    with Transaction().set_context(_skip_warnings=True):
        party.save()
    if full_name:
        set_full_name(party, full_name)
    return party


def setup_documents():
    """Our company ООО «МРК», the counterparty ООО «Ромашка» and an active
    contract with an extension and a termination agreement."""
    pool = Pool()
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Contract = pool.get('mrk.contract')
    Amendment = pool.get('mrk.contract.amendment')

    rub, = Currency.create([{
                'name': 'Российский рубль',
                'code': 'RUB',
                'symbol': '₽',
                'rounding': Decimal('0.01'),
                'digits': 2,
                }])
    company = create_company(name='ООО «МРК»', currency=rub)
    our = company.party
    set_full_name(our, 'Общество с ограниченной ответственностью «МРК»')
    Party.write([our], {
            'legal_form': 'ooo',
            'inn': '7728168971',
            'kpp': '772801001',
            'ogrn': '1027700067328',
            })
    Party.write([our], {
            'addresses': [('write', [a.id for a in our.addresses], {
                        'postal_code': '117418',
                        'city': 'Москва',
                        'street_unstructured': 'ул. Профсоюзная, д. 23, '
                        'офис 12',
                        })],
            'bank_accounts': [('create', [{
                            'bank_name': 'АО «Альфа-Банк»',
                            'bik': '044525593',
                            'account': '40702810701000000003',
                            'correspondent_account': '30101810200000000593',
                            }])],
            'mrk_contacts': [('create', [{
                            'role': 'signatory',
                            'name': 'Петров Пётр Петрович',
                            'position': 'Генеральный директор',
                            'basis': 'Устава',
                            }])],
            })

    party = make_party({
            'name': PARTY_NAME,
            'legal_form': 'ooo',
            'full_name': PARTY_FULL_NAME,
            'inn': '7707083893',
            'kpp': '773601001',
            'ogrn': '1027700132195',
            }, {
            'postal_code': '123456',
            'city': 'Москва',
            'street_unstructured': 'ул. Садовая, д. 1',
            }, {
            'bank_name': 'ПАО Сбербанк',
            'bik': '044525225',
            'account': '40702810938000000001',
            'correspondent_account': '30101810400000000225',
            }, {
            'name': 'Иванов Иван Иванович',
            'position': 'Генеральный директор',
            'basis': 'Устава',
            })

    contract = Contract(company=company, currency=rub, party=party,
        date=D(2026, 3, 1), start_date=D(2026, 3, 1),
        end_date=D(2027, 2, 28), rent_amount=Decimal('5000.00'),
        auto_prolongation=True, prolongation_months=12, notice_days=30)
    contract.save()
    Contract.activate([contract])

    extension, termination = Amendment.create([{
                'contract': contract.id,
                'date': D(2027, 1, 15),
                'effective_date': D(2027, 3, 1),
                'kind': 'extension',
                'new_end_date': D(2027, 12, 31),
                }, {
                'contract': contract.id,
                'date': D(2027, 5, 4),
                'effective_date': D(2027, 5, 31),
                'kind': 'termination',
                }])
    return company, party, contract, extension, termination


def odt_text(content):
    "The text of an ODT, whitespace collapsed"
    with zipfile.ZipFile(io.BytesIO(content)) as odt:
        xml = odt.read('content.xml').decode('utf-8')
    return ' '.join(re.sub(r'<[^>]+>', ' ', xml).split())


def action_id(fs_id):
    return Pool().get('ir.model.data').get_id('mrk_contracts', fs_id)


class DocumentsTestCase(DatabaseTestCase):
    "Printed documents of a rent contract"

    @with_transaction()
    def test_documents_pdf(self):
        "The four documents are PDFs with the parties, number and amount"
        pool = Pool()
        company, party, contract, extension, termination = (
            setup_documents())
        documents = [
            ('mrk.contract.document', contract, [
                    'ДОГОВОР АРЕНДЫ', 'г. Москва', '«01» марта 2026 г.',
                    'по «28» февраля 2027 г. включительно',
                    'продлённым на 12 (двенадцать) месяцев',
                    '30 (тридцать) календарных дней',
                    '5 000,00 руб. (Пять тысяч рублей 00 копеек)']),
            ('mrk.contract.price_protocol', contract, [
                    'ПРОТОКОЛ СОГЛАСОВАНИЯ ЦЕНЫ', 'с 01.03.2026']),
            ('mrk.contract.amendment.document', extension, [
                    'ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № 1',
                    'о продлении срока действия договора',
                    'по «31» декабря 2027 г. включительно']),
            ('mrk.contract.amendment.document', termination, [
                    'ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ № 2',
                    'о расторжении договора',
                    'расторгнуть Договор с «31» мая 2027 г.',
                    'не имеют друг к другу взаимных претензий']),
            ]
        for report_name, record, phrases in documents:
            with self.subTest(report=report_name, record=record.rec_name):
                Report = pool.get(report_name, type='report')
                oext, content, _, name = Report.execute([record.id], {})
                self.assertEqual(oext, 'pdf',
                    msg="LibreOffice did not convert the document to PDF")
                self.assertTrue(bytes(content).startswith(b'%PDF'))
                self.assertTrue(shutil.which('pdftotext'),
                    msg="pdftotext (Debian's poppler-utils) is missing")
                text = pdf_text(bytes(content))
                for phrase in [PARTY_NAME, party.full_name, contract.number,
                        FIVE_THOUSAND, 'ООО «МРК»', 'ИНН 7707083893',
                        'КПП 773601001', 'ОГРН 1027700132195',
                        'БИК 044525225', '40702810938000000001',
                        '30101810400000000225', 'Иванов И. И.',
                        'Петров П. П.', 'на основании Устава',
                        'Арендодатель', 'Арендатор'] + phrases:
                    self.assertIn(phrase.replace(NBSP, ' '), text)
                self.assertNotIn('relatorio', text)
                self.assertNotRegex(text, r'doc\.\w')

    @with_transaction()
    def test_documents_odt(self):
        "The ODT actions give the same text to edit, without LibreOffice"
        pool = Pool()
        company, party, contract, extension, termination = (
            setup_documents())
        for report_name, fs_id, record in [
                ('mrk.contract.document', 'report_contract_odt', contract),
                ('mrk.contract.price_protocol', 'report_price_protocol_odt',
                    contract),
                ('mrk.contract.amendment.document', 'report_amendment_odt',
                    extension),
                ('mrk.contract.amendment.document', 'report_amendment_odt',
                    termination),
                ]:
            with self.subTest(report=report_name, record=record.rec_name):
                Report = pool.get(report_name, type='report')
                oext, content, _, name = Report.execute(
                    [record.id], {'action_id': action_id(fs_id)})
                self.assertEqual(oext, 'odt')
                text = odt_text(bytes(content))
                self.assertIn(PARTY_NAME, text)
                self.assertIn(contract.number, text)
                self.assertIn(FIVE_THOUSAND, text)

    @with_transaction()
    def test_price_change_prints_protocol(self):
        "A price change agreement prints the protocol with its new rent"
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        Report = pool.get('mrk.contract.amendment.document', type='report')
        company, party, contract, extension, termination = (
            setup_documents())
        change, = Amendment.create([{
                    'contract': contract.id,
                    'date': D(2026, 8, 20),
                    'effective_date': D(2026, 9, 1),
                    'kind': 'price_change',
                    'new_amount': Decimal('6500.50'),
                    }])
        oext, content, _, _ = Report.execute(
            [change.id], {'action_id': action_id('report_amendment_odt')})
        text = odt_text(bytes(content))
        self.assertIn('ПРОТОКОЛ СОГЛАСОВАНИЯ ЦЕНЫ', text)
        self.assertIn('к дополнительному соглашению № 3 от «20» августа '
            '2026 г.', text)
        self.assertIn('6 500,50', text)  # NBSP collapsed
        self.assertIn('Шесть тысяч пятьсот рублей 50 копеек', text)
        self.assertIn('Начиная с «01» сентября 2026 г.', text)

    @with_transaction()
    def test_amendment_without_form(self):
        "An agreement of kind Other has no form: the error names it"
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        company, party, contract, extension, termination = (
            setup_documents())
        other, = Amendment.create([{
                    'contract': contract.id,
                    'date': D(2026, 6, 1),
                    'effective_date': D(2026, 6, 1),
                    'kind': 'other',
                    }])
        Report = pool.get('mrk.contract.amendment.document', type='report')
        with self.assertRaisesRegex(UserError, re.escape(other.rec_name)):
            Report.execute([other.id], {})

        Extension = pool.get(
            'mrk.contract.amendment.extension', type='report')
        with self.assertRaisesRegex(UserError,
                re.escape(termination.rec_name)):
            Extension.execute([termination.id], {'action_id': action_id(
                        'report_amendment_extension')})
