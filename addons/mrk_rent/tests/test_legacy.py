"""The legacy rent table (5.1): a messy Excel file imports with exact terms,
placements and dues; a second import changes nothing; a broken file lists
every error by row and column and leaves the database as it was; a dry run
writes nothing and reports what the import does; the wizard works as the
web client calls it; malformed files never write part of themselves; the
command line imports into a database file; the Excel export reads back
unchanged."""
import datetime
import io
import os
import sqlite3
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
from sql import Table
from sql.aggregate import Count

from trytond import backend
from trytond.model import ModelSQL
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.mrk_rent import legacy_parse as parse
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, with_transaction
from trytond.transaction import Transaction

from . import tools
from .tools import (
    install, make_contract, make_party, make_point, make_terminals,
    setup_rent)

D = datetime.date
ROOT = Path(__file__).resolve().parents[3]
TODAY = D(2025, 6, 15)
HEADER = ['Контрагент', 'ИНН', 'КПП', 'Договор №', 'Дата договора',
    'Действует до', 'Адрес точки', 'Серийный № терминала', 'Дата установки',
    'Дата снятия', 'Сумма аренды, руб./мес.', 'База', 'Форма оплаты',
    'Действует с', 'Маршрут', 'Примечание']
# Makes the company of a fresh database given by name (command line test)
COMPANY_SCRIPT = """
import sys
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.modules.company.tests import create_company
Pool.start()
Pool(sys.argv[1]).init()
with Transaction().start(sys.argv[1], 0) as transaction:
    create_company()
    transaction.commit()
"""

# Every model the import writes
MODELS = ['party.party', 'mrk.contract', 'mrk.point', 'mrk.terminal',
    'mrk.terminal.model', 'mrk.terminal.placement', 'mrk.rent.term',
    'mrk.rent.route', 'mrk.rent.route.stop']
ALL_CREATED = {e: 'created' for e in [
        'party', 'contract', 'point', 'terminal', 'placement', 'term']}


def workbook(rows, merges=()):
    "The bytes of a workbook: rows maps an Excel row number to its cells"
    book = openpyxl.Workbook()
    sheet = book.active
    for number, cells in rows.items():
        for col, value in enumerate(cells, 1):
            if value is not None:
                sheet.cell(number, col, value)
    for merge in merges:
        sheet.merge_cells(merge)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def messy_file():
    """Title rows, a header in odd case and spacing, a row of column
    numbers, amounts and dates as text and as Excel values, a contract over
    two rows with merged and blank cells, blank rows, a per-terminal
    contract, a cash one with its route, a contract whose amount changes
    from a later date on its second row, a total row."""
    return workbook({
            1: ['Таблица аренды терминалов'],
            3: ['по состоянию на', datetime.datetime(2025, 3, 1)],
            4: ['КОНТРАГЕНТ', 'инн', 'Кпп', 'Договор  №', 'ДАТА ДОГОВОРА',
                'Действует  до', 'адрес точки', 'Серийный № терминала',
                'Дата установки', 'Дата снятия', 'Сумма аренды, руб./мес.',
                'база', 'Форма оплаты', 'Действует С', 'Маршрут',
                'Примечание', 'Менеджер'],
            5: list(range(1, 18)),
            6: ['ООО «Альфа»', '7707083893', '773601001', 'А-1/2025',
                '01.01.2025', D(2025, 12, 31), 'ул. Мира, д. 1', 'SN-A1',
                D(2025, 1, 15), None, '5 000,00', 'за договор', 'безнал',
                None, None, 'Первая точка', 'Смирнова'],
            7: [None, None, None, None, None, None, None, 'SN-A2',
                '01.02.2025', '20.03.2025'],
            9: ['АО «Бета»', 7702070139, 784201001, 'Б-7',
                datetime.datetime(2025, 3, 1), '28.02.26', 'пр. Ленина, 5',
                'SN-B1', D(2025, 3, 1), None, 1500, 'за терминал',
                'по счету'],
            10: [None, None, None, None, None, None, None, 'SN-B2',
                '16.03.2025'],
            11: ['ИП Иванов Иван Иванович', '500100732259', None, 'В-3',
                '10.01.2025', None, 'ул. Гагарина, 10', 'SN-C1',
                '10.01.2025', None, '3\u00a0000 руб.', None, 'наличные',
                None, 'Север-1'],
            12: ['ООО «Гамма»', '7736207543', '773601001', 'Г-5',
                '01.01.2025', '31.12.2025', 'ул. Садовая, 3', 'SN-D1',
                '01.01.2025', None, 4000.0, 'за договор', 'нал'],
            13: [None, None, None, 'Г-5', None, None, None, 'SN-D2',
                '01.04.2025', None, '4 500,00', None, None, '01.04.2025',
                None, 'Новая цена с апреля'],
            15: ['Итого', None, None, None, None, None, None, None, None,
                None, '18 000,00'],
            }, merges=['A1:F1', 'A6:A7', 'D6:D7', 'F6:F7'])


def broken_file():
    """A valid contract (row 2), then a wrong INN, a bad date, a bad
    amount, an unknown payment form and a terminal placed at two points at
    once."""
    common = ['ООО «Дельта»', '7830002293', '783001001']
    return workbook({
            1: HEADER,
            2: common + ['Е-1', '01.02.2025', None, 'ул. Новая, 1', 'SN-E1',
                '01.02.2025', None, '2 000,00', None, 'безнал'],
            3: ['ООО «Эпсилон»', '7707083894', None, 'Э-1', '01.02.2025',
                None, 'ул. Новая, 9', None, None, None, 1000],
            4: common + ['Е-2', '01.02.2025', None, 'ул. Новая, 3', 'SN-E3',
                '32.01.2025', None, 1000],
            5: common + ['Е-3', '01.02.2025', None, 'ул. Новая, 4', None,
                None, None, 'пять тысяч'],
            6: common + ['Е-4', '01.02.2025', None, 'ул. Новая, 5', None,
                None, None, 1000, None, 'бартер'],
            7: common + ['Е-5', '01.02.2025', None, 'ул. Новая, 2', 'SN-E1',
                '01.03.2025', None, 1000],
            })


def read_xlsx(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [[c.value for c in row] for row in book.active.iter_rows()]


class LegacyTestCase(tools.RentTestCase):
    "Import and export of the legacy rent table"

    def run_import(self, content, dry_run=False, filename='аренда.xlsx'):
        Import = Pool().get('mrk.rent.import', type='wizard')
        return Import.import_file(content, dry_run=dry_run,
            filename=filename, today=TODAY)

    def counts(self):
        pool = Pool()
        return {m: pool.get(m).search([], count=True) for m in MODELS}

    def contract(self, number):
        Contract = Pool().get('mrk.contract')
        contract, = Contract.search([('number', '=', number)])
        return contract

    def terms(self, number):
        return [(t.amount, t.basis, t.payment_form, t.valid_from, t.valid_to)
            for t in self.contract(number).rent_terms]

    def placements(self, number):
        Placement = Pool().get('mrk.terminal.placement')
        return sorted((p.terminal.serial_number, p.point.address,
                p.installed_on, p.removed_on) for p in Placement.search([
                    ('contract', '=', self.contract(number).id)]))

    def dues(self, month):
        RentTerm = Pool().get('mrk.rent.term')
        result = {}
        for due in RentTerm.get_dues(month):
            number = Pool().get('mrk.contract')(due.contract).number
            result[number] = result.get(number, Decimal(0)) + due.amount
        return result

    def test_cell_values(self):
        "Amounts, dates and words as people type them"
        for value in ['5 000,00', '5\u00a0000 руб.', 5000, 5000.0, '5000',
                '5 000 р./мес.', '5.000,00', '5 000,00 ₽']:
            self.assertEqual(parse.parse_amount(value), Decimal('5000.00'),
                msg=repr(value))
        for value in ['01.02.2025', '1.2.25', '01/02/2025', '2025-02-01',
                '01.02.2025 г.', datetime.datetime(2025, 2, 1, 0, 0),
                D(2025, 2, 1), 45689]:
            self.assertEqual(parse.parse_date(value), D(2025, 2, 1),
                msg=repr(value))
        self.assertIsNone(parse.parse_end_date('бессрочно'))
        for value, form in [('наличные', 'cash'), ('Нал.', 'cash'),
                ('безнал', 'transfer'), ('Безналичные', 'transfer'),
                ('по договору', 'transfer'), ('по счёту', 'invoice'),
                ('по счету', 'invoice'), ('безнал по счёту', 'invoice')]:
            self.assertEqual(parse.parse_payment_form(value), form,
                msg=value)
        for value, basis in [('за договор', 'contract'),
                ('За терминал', 'terminal'), ('за каждый терминал',
                    'terminal'), (None, None)]:
            self.assertEqual(parse.parse_basis(value), basis, msg=value)
        # A section title, a terminal given by its serial number only, the
        # next contract of the same counterparty, a total, a signature
        table = parse.read_table(workbook({
                    1: HEADER,
                    2: ['Москва'],
                    3: ['ООО «Альфа»', 7707083893, None, '1', '01.01.2025',
                        None, 'ул. Мира, 1', 'SN-1', None, None, 1000],
                    4: [None] * 7 + ['SN-2'],
                    5: [None, None, None, '2', '01.02.2025', None,
                        'ул. Мира, 2', None, None, None, 2000],
                    6: ['Всего по Москве'] + [None] * 9 + [3000],
                    8: ['Ответственный: Смирнова О.'],
                    }), {k: {parse.normalize(h)}
                for k, h in parse.DEFAULT_HEADERS.items()})
        self.assertEqual([(r.row, r['party'], r['inn'], r['number'],
                    r['address'], r['serial'], r['amount'], r.errors)
                for r in table.rows], [
                (3, 'ООО «Альфа»', '7707083893', '1', 'ул. Мира, 1', 'SN-1',
                    Decimal('1000.00'), {}),
                (4, 'ООО «Альфа»', '7707083893', '1', 'ул. Мира, 1', 'SN-2',
                    Decimal('1000.00'), {}),
                (5, 'ООО «Альфа»', '7707083893', '2', 'ул. Мира, 2', None,
                    Decimal('2000.00'), {}),
                ])
        # A number lost the leading zero of the INN of Bashkortostan
        self.assertEqual(parse.parse_inn(274062111), '0274062111')
        for parser, value in [(parse.parse_amount, '5,000,00'),
                (parse.parse_amount, '-100'),
                (parse.parse_date, '31.02.2025'),
                (parse.parse_payment_form, 'бартер'),
                (parse.parse_inn, '7707083894'), (parse.parse_kpp, '7736')]:
            with self.assertRaises(parse.ParseError, msg=repr(value)):
                parser(value)

    @with_transaction()
    def test_access(self):
        "Head, senior, office and admin import; admin and head set headers"
        pool = Pool()
        Import = pool.get('mrk.rent.import', type='wizard')
        Report = pool.get('mrk.rent.table.xlsx', type='report')
        Column = pool.get('mrk.rent.import.column')
        company, people = setup_rent()
        column, = Column.search([('key', '=', 'notes')])
        importers = {'head', 'senior', 'office', 'admin'}
        readers = importers | {'manager', 'accountant', 'monitoring'}
        for role in ['head', 'senior', 'manager', 'office', 'technician',
                'courier', 'accountant', 'monitoring', 'admin']:
            with Transaction().set_user(people[role].id), \
                    Transaction().set_context(company=company.id):
                if role in importers:
                    Import.delete(Import.create()[0])
                else:
                    with self.assertRaises(AccessError, msg=role):
                        Import.create()
                if role in readers:
                    Report.execute([], {})
                else:
                    with self.assertRaises(AccessError, msg=role):
                        Report.execute([], {})
                with Transaction().set_context(_check_access=True):
                    if role in {'head', 'admin'}:
                        Column.write([column], {'header': 'Комментарий'})
                    else:
                        with self.assertRaises(AccessError, msg=role):
                            Column.write([column], {'header': 'Прим.'})

    @with_transaction()
    def test_messy_file(self):
        "A messy file imports with exact terms, placements and dues"
        pool = Pool()
        Party = pool.get('party.party')
        Terminal = pool.get('mrk.terminal')
        Route = pool.get('mrk.rent.route')
        company = create_company()
        with set_company(company):
            result = self.run_import(messy_file())
        self.assertEqual(result.errors, [])
        self.assertTrue(result.written)

        self.assertEqual(result.summary(), [
                (6, 'А-1/2025', ALL_CREATED),
                (7, 'А-1/2025', {'party': 'unchanged',
                        'contract': 'unchanged', 'point': 'unchanged',
                        'terminal': 'created', 'placement': 'created',
                        'term': 'unchanged'}),
                (9, 'Б-7', ALL_CREATED),
                (10, 'Б-7', {'party': 'unchanged', 'contract': 'unchanged',
                        'point': 'unchanged', 'terminal': 'created',
                        'placement': 'created', 'term': 'unchanged'}),
                (11, 'В-3', dict(ALL_CREATED, route='created')),
                (12, 'Г-5', ALL_CREATED),
                (13, 'Г-5', {'party': 'unchanged', 'contract': 'unchanged',
                        'point': 'unchanged', 'terminal': 'created',
                        'placement': 'created', 'term': 'updated'}),
                ])
        counts = result.counts()
        self.assertEqual(counts['party'],
            {'created': 4, 'updated': 0, 'unchanged': 0})
        self.assertEqual(counts['placement']['created'], 7)
        self.assertEqual(counts['term'],
            {'created': 4, 'updated': 1, 'unchanged': 0})
        report = result.format()
        self.assertIn('аренда.xlsx', report)
        self.assertIn('Row 13, contract Г-5', report)

        # Counterparties by their requisites, the legal form from the name
        beta, = Party.search([('inn', '=', '7702070139')])
        self.assertEqual((beta.name, beta.kpp, beta.legal_form),
            ('АО «Бета»', '784201001', 'ao'))
        ivanov, = Party.search([('inn', '=', '500100732259')])
        self.assertEqual((ivanov.kpp, ivanov.legal_form), (None, 'ip'))

        alfa = self.contract('А-1/2025')
        self.assertEqual((alfa.party.name, alfa.date, alfa.start_date,
                alfa.end_date, alfa.state, alfa.notes),
            ('ООО «Альфа»', D(2025, 1, 1), D(2025, 1, 1), D(2025, 12, 31),
                'active', 'Первая точка'))
        # Without «Действует до»: the end of its year in course
        self.assertEqual(self.contract('В-3').end_date, D(2026, 1, 9))
        self.assertEqual(self.contract('Б-7').end_date, D(2026, 2, 28))

        self.assertEqual(self.terms('А-1/2025'), [
                (Decimal('5000.00'), 'contract', 'transfer', D(2025, 1, 1),
                    None)])
        self.assertEqual(self.terms('Б-7'), [
                (Decimal('1500.00'), 'terminal', 'invoice', D(2025, 3, 1),
                    None)])
        self.assertEqual(self.terms('В-3'), [
                (Decimal('3000.00'), 'contract', 'cash', D(2025, 1, 10),
                    None)])
        self.assertEqual(self.terms('Г-5'), [
                (Decimal('4000.00'), 'contract', 'cash', D(2025, 1, 1),
                    D(2025, 3, 31)),
                (Decimal('4500.00'), 'contract', 'cash', D(2025, 4, 1),
                    None)])

        self.assertEqual(self.placements('А-1/2025'), [
                ('SN-A1', 'ул. Мира, д. 1', D(2025, 1, 15), None),
                ('SN-A2', 'ул. Мира, д. 1', D(2025, 2, 1), D(2025, 3, 20))])
        self.assertEqual(self.placements('Б-7'), [
                ('SN-B1', 'пр. Ленина, 5', D(2025, 3, 1), None),
                ('SN-B2', 'пр. Ленина, 5', D(2025, 3, 16), None)])
        self.assertEqual(self.placements('Г-5'), [
                ('SN-D1', 'ул. Садовая, 3', D(2025, 1, 1), None),
                ('SN-D2', 'ул. Садовая, 3', D(2025, 4, 1), None)])
        sn_a2, = Terminal.search([('serial_number', '=', 'SN-A2')])
        self.assertEqual(sn_a2.state, 'in_stock')
        self.assertEqual(sn_a2.model.name, 'Model not specified')

        route, = Route.search([('name', '=', 'Север-1')])
        self.assertEqual([s.point.address for s in route.stops],
            ['ул. Гагарина, 10'])

        self.assertEqual(self.dues(D(2025, 1, 1)), {
                'А-1/2025': Decimal('5000.00'),
                'В-3': Decimal('2129.03'),  # 22 days of 31
                'Г-5': Decimal('4000.00')})
        self.assertEqual(self.dues(D(2025, 3, 1)), {
                'А-1/2025': Decimal('5000.00'),
                'Б-7': Decimal('2274.19'),  # 1 500 + 16/31 of 1 500
                'В-3': Decimal('3000.00'),
                'Г-5': Decimal('4000.00')})
        self.assertEqual(self.dues(D(2025, 4, 1)), {
                'А-1/2025': Decimal('5000.00'),
                'Б-7': Decimal('3000.00'),
                'В-3': Decimal('3000.00'),
                'Г-5': Decimal('4500.00')})

        # A second import finds everything as it is
        before = self.counts()
        with set_company(company):
            again = self.run_import(messy_file())
        self.assertEqual(again.errors, [])
        self.assertEqual(self.counts(), before)
        for row, number, statuses in again.summary():
            self.assertEqual(set(statuses.values()), {'unchanged'},
                msg='row %s' % row)
        self.assertEqual(again.counts()['term'],
            {'created': 0, 'updated': 0, 'unchanged': 5})

    @with_transaction()
    def test_existing_records(self):
        "Records already in the database are found and completed"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            romashka = make_party()  # INN and KPP of «Альфа»
            gamma, = Party.create([{
                        'name': 'Гамма', 'inn': '7736207543'}])
            contract = make_contract(romashka, start=D(2025, 1, 1),
                end=D(2025, 12, 31), amount=Decimal('5000.00'),
                number='А-1/2025')
            point = make_point(romashka, address='ул. Мира, д. 1')
            install(make_terminals('SN-A1'), point, D(2025, 1, 15),
                contract=contract)
            result = self.run_import(messy_file())
        self.assertEqual(result.errors, [])
        self.assertEqual(result.summary()[0], (6, 'А-1/2025', {
                    'party': 'unchanged', 'contract': 'unchanged',
                    'point': 'updated', 'terminal': 'unchanged',
                    'placement': 'unchanged', 'term': 'unchanged'}))
        self.assertEqual(result.summary()[5][2]['party'], 'updated')
        self.assertEqual((gamma.name, gamma.kpp), ('Гамма', '773601001'))
        self.assertEqual(romashka.name, 'ООО «Ромашка»')
        self.assertEqual(point.contract, contract)
        self.assertEqual(self.placements('А-1/2025'), [
                ('SN-A1', 'ул. Мира, д. 1', D(2025, 1, 15), None),
                ('SN-A2', 'ул. Мира, д. 1', D(2025, 2, 1), D(2025, 3, 20))])
        self.assertEqual(len(contract.rent_terms), 1)

    @with_transaction()
    def test_dry_run(self):
        "A dry run writes nothing and reports what the import does"
        company = create_company()
        before = self.counts()
        with set_company(company):
            dry = self.run_import(messy_file(), dry_run=True)
        self.assertEqual(self.counts(), before)
        self.assertFalse(dry.written)
        self.assertIn('Dry run of аренда.xlsx: nothing was written.',
            dry.format())
        with set_company(company):
            done = self.run_import(messy_file())
        self.assertNotEqual(self.counts(), before)
        self.assertEqual(dry.summary(), done.summary())
        self.assertEqual(dry.counts(), done.counts())
        self.assertEqual(dry.errors, done.errors)

    @with_transaction()
    def test_broken_file(self):
        "A broken file lists every error by row and column, writes nothing"
        company = create_company()
        with set_company(company):
            self.run_import(messy_file())
        before = self.counts()
        for dry_run in [True, False]:
            with set_company(company):
                result = self.run_import(broken_file(), dry_run=dry_run)
            self.assertEqual(self.counts(), before)
            self.assertFalse(result.written)
            self.assertEqual([(e.row, e.column) for e in result.errors], [
                    (3, 'ИНН'),
                    (4, 'Дата установки'),
                    (5, 'Сумма аренды, руб./мес.'),
                    (6, 'Форма оплаты'),
                    (7, 'Серийный № терминала'),
                    ])
        errors = result.format_errors().splitlines()
        self.assertTrue(errors[0].startswith('Row 3, column "ИНН": '))
        self.assertIn('7707083894', errors[0])
        self.assertIn('"32.01.2025" is not a date', errors[1])
        self.assertIn('"пять тысяч" is not an amount', errors[2])
        self.assertIn('"бартер" is not a payment form', errors[3])
        self.assertIn('SN-E1', errors[4])
        self.assertIn('errors found: 5. Nothing was written.',
            result.format())

    @with_transaction()
    def test_missing_column(self):
        "A file without a required column is refused naming the column"
        company = create_company()
        content = workbook({
                2: ['Контрагент', 'ИНН', 'Дата договора',
                    'Сумма аренды, руб./мес.'],
                3: ['ООО «Альфа»', '7707083893', '01.01.2025', 1000],
                })
        with set_company(company):
            result = self.run_import(content)
        self.assertEqual([(e.row, e.column) for e in result.errors],
            [(2, 'Договор №')])
        self.assertIn('Row 2, column "Договор №": the column is missing',
            result.format_errors())

    @with_transaction()
    def test_configured_header(self):
        "The administrator's header is read and exported"
        pool = Pool()
        Column = pool.get('mrk.rent.import.column')
        company = create_company()
        column, = Column.search([('key', '=', 'amount')])
        Column.write([column], {'header': 'Аренда в мес.'})
        content = workbook({
                1: ['Контрагент', 'ИНН', 'Договор №', 'Дата договора',
                    'АРЕНДА В МЕС.'],
                2: ['ООО «Альфа»', '7707083893', '1', '01.01.2025', 1000],
                })
        with set_company(company):
            result = self.run_import(content)
        self.assertEqual(result.errors, [])
        self.assertEqual(self.terms('1')[0][0], Decimal('1000.00'))

    @with_transaction()
    def test_wizard(self):
        "The wizard checks the file first, then imports it"
        pool = Pool()
        Import = pool.get('mrk.rent.import', type='wizard')
        company = create_company()
        before = self.counts()
        with set_company(company):
            session_id, _, _ = Import.create()
            result = Import.execute(session_id, {
                    'start': {
                        'file': messy_file(),
                        'filename': 'аренда.xlsx',
                        'dry_run': True,
                        },
                    }, 'run')
            values = result['view']['defaults']
            self.assertEqual(result['view']['state'], 'result')
            self.assertTrue(values['can_import'])
            self.assertIn('Row 6, contract А-1/2025: counterparty created',
                values['report'])
            self.assertEqual(self.counts(), before)
            result = Import.execute(session_id, {}, 'import_')
            values = result['view']['defaults']
            self.assertFalse(values['can_import'])
            self.assertIn('Import of аренда.xlsx done.', values['report'])
            Import.delete(session_id)
        self.assertEqual(len(self.contract('Г-5').rent_terms), 2)

    @with_transaction()
    def test_export_round_trip(self):
        "The Excel export is laid out like the legacy table and reads back"
        pool = Pool()
        Report = pool.get('mrk.rent.table.xlsx', type='report')
        Contract = pool.get('mrk.contract')
        company = create_company()
        with set_company(company):
            self.run_import(messy_file())
        contracts = Contract.search([])
        month = D(2025, 3, 1)
        with set_company(company), Transaction().set_context(
                rent_month=month):
            ext, content, _, _ = Report.execute(
                [c.id for c in contracts], {})
            due = sum(c.rent_due for c in Contract.browse(contracts))
        self.assertEqual(ext, 'xlsx')
        rows = read_xlsx(content)
        self.assertEqual(rows[0], HEADER + ['Начислено за месяц'])
        # One row per terminal standing on 01.03.2025, by counterparty
        self.assertEqual([(r[3], r[7]) for r in rows[1:]], [
                ('Б-7', 'SN-B1'),
                ('В-3', 'SN-C1'),
                ('А-1/2025', 'SN-A1'),
                ('А-1/2025', 'SN-A2'),
                ('Г-5', 'SN-D1'),
                ])
        a1, a2 = rows[3], rows[4]
        self.assertEqual(a1[:7], a2[:7])
        self.assertEqual(a1[10:14], [5000, 'за договор', 'безнал',
                datetime.datetime(2025, 1, 1)])
        self.assertEqual(a2[9], datetime.datetime(2025, 3, 20))
        self.assertEqual((a1[16], a2[16]), (5000, None))
        self.assertEqual(rows[2][14], 'Север-1')
        self.assertEqual(rows[5][10:14], [4000, 'за договор', 'наличные',
                datetime.datetime(2025, 1, 1)])
        total = sum(Decimal(str(r[16])) for r in rows[1:] if r[16])
        self.assertEqual(total, Decimal('14274.19'))
        self.assertEqual(total, due)

        before = self.counts()
        with set_company(company):
            result = self.run_import(content, dry_run=True)
        self.assertEqual(result.errors, [])
        self.assertEqual(self.counts(), before)
        for row, number, statuses in result.summary():
            self.assertEqual(set(statuses.values()), {'unchanged'},
                msg='row %s' % row)

    def test_command_line(self):
        "The command line imports into a database file"
        with tempfile.TemporaryDirectory() as folder:
            name = 'legacy'
            database = os.path.join(folder, name + '.sqlite')
            env = dict(os.environ, TRYTOND_DATABASE__URI='sqlite://',
                TRYTOND_DATABASE__PATH=folder)
            if backend.name == 'sqlite':
                # A copy of the test database, the company added
                with Transaction().start(DB_NAME, 0) as transaction:
                    target = sqlite3.connect(database)
                    transaction.connection.backup(target)
                    target.close()
            else:
                # The tests run on another backend: a SQLite file with the
                # module activated by trytond-admin
                Path(database).touch()
                Path(folder, 'pass').write_text('admin\n')
                subprocess.run([
                        str(Path(sys.executable).with_name('trytond-admin')),
                        '-d', name, '-u', 'mrk_rent',
                        '--activate-dependencies',
                        '--email', 'admin@example.com'],
                    env=dict(env, TRYTONPASSFILE=os.path.join(folder,
                            'pass')),
                    check=True, capture_output=True)
            subprocess.run([sys.executable, '-c', COMPANY_SCRIPT, name],
                env=env, check=True, capture_output=True)
            broken = os.path.join(folder, 'broken.xlsx')
            good = os.path.join(folder, 'good.xlsx')
            Path(broken).write_bytes(broken_file())
            Path(good).write_bytes(messy_file())
            command = [sys.executable,
                str(ROOT / 'tools' / 'import_rent.py'), '--db', database]
            failed = subprocess.run(command + [broken],
                capture_output=True, text=True, env=env)
            self.assertEqual(failed.returncode, 1, failed.stderr[-3000:])
            self.assertIn('ИНН', failed.stdout, failed.stderr[-3000:])
            self.assertIn('7707083894', failed.stdout)
            connection = sqlite3.connect(database)
            count = 'SELECT COUNT(*) FROM mrk_contract'
            self.assertEqual(connection.execute(count).fetchone(), (0,))
            done = subprocess.run(command + [good],
                capture_output=True, text=True, env=env)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn('good.xlsx', done.stdout)
            self.assertIn('Г-5', done.stdout)
            self.assertEqual(connection.execute(count).fetchone(), (4,))
            connection.close()

    def rpc(self, Import, method, *args):
        """Call the wizard as trytond's JSON-RPC dispatcher does: the
        arguments converted by its RPC, _check_access in the context when
        the RPC asks for it, the transaction's timestamp from the client
        (none here)"""
        rpc = Import.__rpc__[method]
        args, kwargs, context, timestamp = rpc.convert(
            Import, *args, dict(Transaction().context))
        transaction = Transaction()
        with transaction.set_context(context):
            transaction.timestamp = timestamp
            return getattr(Import, method)(*args, **kwargs)

    @with_transaction()
    def test_wizard_over_rpc(self):
        """The office administrator imports through the web client (5.1):
        the wizard runs as the RPC runs it, a dry run first, then the
        import"""
        pool = Pool()
        Import = pool.get('mrk.rent.import', type='wizard')
        company, people = setup_rent()
        before = self.counts()
        with Transaction().set_user(people['office'].id), \
                Transaction().set_context(company=company.id,
                    language='en'):
            session_id, _, _ = self.rpc(Import, 'create')
            data = {'start': {'file': messy_file(),
                    'filename': 'аренда.xlsx', 'dry_run': True}}
            result = self.rpc(Import, 'execute', session_id, data, 'run')
            values = result['view']['defaults']
            self.assertTrue(values['can_import'])
            self.assertIsNone(values['errors'])
            self.assertEqual(self.counts(), before)
            result = self.rpc(Import, 'execute', session_id, {}, 'import_')
            values = result['view']['defaults']
            self.assertIn('Import of аренда.xlsx done.', values['report'])
            # A broken file: the errors, nothing written
            after = self.counts()
            session_id, _, _ = self.rpc(Import, 'create')
            data = {'start': {'file': broken_file(),
                    'filename': 'broken.xlsx', 'dry_run': False}}
            result = self.rpc(Import, 'execute', session_id, data, 'run')
            values = result['view']['defaults']
            self.assertFalse(values['can_import'])
            self.assertIn('Row 3, column "ИНН"', values['errors'])
            self.assertEqual(self.counts(), after)
        self.assertEqual(len(self.contract('Г-5').rent_terms), 2)
        self.assertNotEqual(after, before)

    @with_transaction()
    def test_number_with_two_inn(self):
        "A contract number given with two INN is refused naming both rows"
        company = create_company()
        before = self.counts()
        content = workbook({
                1: HEADER,
                2: ['ООО «Альфа»', '7707083893', None, 'К-1', '01.01.2025',
                    None, 'ул. Мира, 1', None, None, None, 1000],
                3: ['АО «Бета»', '7702070139', None, 'К-1', '01.01.2025',
                    None, 'ул. Мира, 2', None, None, None, 1000],
                })
        with set_company(company):
            result = self.run_import(content)
        self.assertEqual([(e.row, e.column) for e in result.errors],
            [(3, 'ИНН')])
        self.assertIn('row 2', result.errors[0].message)
        self.assertIn('7707083893', result.errors[0].message)
        self.assertEqual(self.counts(), before)

    @with_transaction()
    def test_fuzz(self):
        """Malformed spreadsheets through the whole import: never an error
        other than the module's own, no row added to any table of the mrk
        and party models for a refused file, every error of a cell named
        by row and column"""
        from trytond.modules.mrk_rent import legacy_parse as parse
        from trytond.modules.mrk_rent.exceptions import LegacyImportError

        from .legacy_fuzz import malformed
        pool = Pool()
        company = create_company()
        # Every table of the mrk and party models
        tables = sorted({Model._table for _, Model in pool.iterobject()
                if Model.__name__.split('.')[0] in {'mrk', 'party'}
                and issubclass(Model, ModelSQL)
                and not callable(getattr(Model, 'table_query', None))})
        cursor = Transaction().connection.cursor()

        def counts():
            result = {}
            for table in tables:
                sql_table = Table(table)
                cursor.execute(*sql_table.select(Count(sql_table.id)))
                result[table], = cursor.fetchone()
            return result
        before = counts()
        refused = 0
        for seed in range(1000, 1200):
            kind, content = malformed(seed)
            with set_company(company):
                try:
                    result = self.run_import(content,
                        filename='fuzz-%s.xlsx' % seed)
                except LegacyImportError:
                    Transaction().rollback()
                    result = None
            if result is None or result.errors:
                refused += 1
                self.assertEqual(counts(), before, msg='seed %s' % seed)
            else:
                before = counts()
            for error in (result.errors if result else []):
                if error.row is None:
                    self.assertEqual(len(result.errors), 1,
                        msg='seed %s' % seed)
                else:
                    self.assertIn(error.column,
                        parse.DEFAULT_HEADERS.values(),
                        msg='seed %s' % seed)
        self.assertGreater(refused, 150)
