"""Reading the legacy rent table (5.1) on its own, without database: the
cells that used to be stored wrong are refused naming row and column, the
file-level errors are the module's own, a sheet with a cell at its last
row is read in streaming mode within the limits, and 240 malformed
spreadsheets made at random never crash the reader."""
import datetime
import io
import resource
import time
import unittest
from decimal import Decimal

import openpyxl

from trytond.modules.mrk_rent import legacy_parse as parse

from . import legacy_fuzz
from .legacy_fuzz import HEADER, save

D = datetime.date
HEADERS = {k: {parse.normalize(h)} for k, h in parse.DEFAULT_HEADERS.items()}
FILE_MESSAGES = {
    'mrk_rent.msg_legacy_not_xlsx', 'mrk_rent.msg_legacy_empty_file',
    'mrk_rent.msg_legacy_file_too_big', 'mrk_rent.msg_legacy_no_sheet',
    'mrk_rent.msg_legacy_encrypted_or_xls', 'mrk_rent.msg_legacy_no_header',
    'mrk_rent.msg_legacy_too_many_rows'}


def good(index=1, inn='7707083893', **cells):
    values = legacy_fuzz.row(index, inn, index)
    for key, value in cells.items():
        values[parse.KEYS.index(key)] = value
    return values


def read(*rows, limits=None):
    return parse.read_table(save([(1, HEADER)] + [
                (i + 2, r) for i, r in enumerate(rows)]), HEADERS, limits)


def errors(table):
    "(row, key, message id) of every error"
    return [(r, k, e.message_id) for r, k, e in table.all_errors()]


class LegacyParseTestCase(unittest.TestCase):
    "The legacy table read without database (5.1)"

    def assertRefused(self, key, value, message_id, **cells):
        table = read(good(**{key: value}, **cells))
        self.assertEqual(errors(table), [(2, key, message_id)],
            msg=repr(value))

    def test_years(self):
        "A four-digit year is taken as written, refused out of 1990–2100"
        for value in ['01.01.0001', '15.06.0099', '31.12.1899',
                '01.01.2101', datetime.datetime(1900, 1, 1), D(1, 1, 1),
                '01.01.1989']:
            self.assertRefused('installed_on', value,
                'mrk_rent.msg_legacy_year')
        # Two-digit years only as dd.mm.yy: 00–69 in 2000, 70–99 in 1900
        self.assertEqual(parse.parse_date('15.06.25'), D(2025, 6, 15))
        self.assertEqual(parse.parse_date('15.06.95'), D(1995, 6, 15))
        with self.assertRaises(parse.ParseError):
            parse.parse_date('15/06/25')
        self.assertEqual(parse.parse_date('15.06.2099'), D(2099, 6, 15))

    def test_identifiers(self):
        "Numbers and serials are text, exact or refused"
        self.assertRefused('number', '\u200b\u200d',
            'mrk_rent.msg_legacy_invisible')
        self.assertRefused('serial', '\ufeff\u200b',
            'mrk_rent.msg_legacy_invisible')
        self.assertRefused('serial', 12345678901234567890.0,
            'mrk_rent.msg_legacy_number_as_float')
        self.assertRefused('serial', 1.5,
            'mrk_rent.msg_legacy_number_as_float')
        self.assertRefused('serial', 'S' * 61, 'mrk_rent.msg_legacy_too_long')
        # Exact numbers are kept as their digits; zero-width ones dropped
        table = read(good(serial=123456789012345, number='\u200bА-1'))
        self.assertEqual(errors(table), [])
        self.assertEqual((table.rows[0]['serial'], table.rows[0]['number']),
            ('123456789012345', 'А-1'))
        # A 20-digit serial written as text stays as written
        self.assertEqual(read(good(serial='12345678901234567890')).rows[0][
                'serial'], '12345678901234567890')

    def test_texts(self):
        "Length limits per column, control characters, booleans"
        self.assertRefused('party', 'Я' * 32767,
            'mrk_rent.msg_legacy_too_long')
        self.assertRefused('address', 'a\x07b', 'mrk_rent.msg_legacy_control')
        self.assertRefused('notes', 'x' * 2001,
            'mrk_rent.msg_legacy_too_long')
        for key in ['number', 'amount', 'party', 'inn', 'date']:
            self.assertRefused(key, True, 'mrk_rent.msg_legacy_boolean')
        self.assertRefused('amount', '#DIV/0!',
            'mrk_rent.msg_legacy_formula_error')
        self.assertEqual(parse.parse_text('ООО\u200b «Альфа»', 'party'),
            'ООО «Альфа»')

    def test_inn(self):
        "The INN checked as the counterparty does, region 00 refused"
        self.assertRefused('inn', '0000000000',
            'mrk_rent.msg_legacy_inn_region')
        self.assertRefused('inn', '000000000000',
            'mrk_rent.msg_legacy_inn_region')
        self.assertRefused('inn', '7707083894',
            'mrk_contracts.msg_inn_checksum')
        self.assertEqual(parse.parse_inn(7707083893), '7707083893')

    def test_amounts(self):
        "At most two decimals, above zero, at most ten million"
        for value in ['0.001', 0.001, '5 000,005']:
            self.assertRefused('amount', value,
                'mrk_rent.msg_legacy_amount_decimals')
        for value in [0, '0,00', -5, '-100', '20 000 000']:
            self.assertRefused('amount', value,
                'mrk_rent.msg_legacy_amount_range')
        for value in ['nan', 'inf', '1e400', 'NaN']:
            self.assertRefused('amount', value, 'mrk_rent.msg_legacy_amount')
        self.assertEqual(parse.parse_amount(0.1), Decimal('0.10'))
        self.assertEqual(parse.parse_amount('5 000,5'), Decimal('5000.50'))

    def test_ambiguous_words(self):
        "A payment form or basis naming two choices is refused"
        for value in ['наличные/безнал', 'нал или безнал', 'касса, б/н']:
            self.assertRefused('payment_form', value,
                'mrk_rent.msg_legacy_payment_form')
        self.assertRefused('basis', 'за договор / за терминал',
            'mrk_rent.msg_legacy_basis')
        self.assertEqual(parse.parse_payment_form('безнал'), 'transfer')
        self.assertEqual(parse.parse_payment_form('Нал.'), 'cash')

    def test_duplicate_contract(self):
        "A contract number given with two INN names both rows"
        table = read(good(1), good(2, inn='7702070139', number='Ф-1'))
        self.assertEqual(errors(table), [])  # before grouping
        parse.group_rows(table.rows)
        self.assertEqual(errors(table),
            [(3, 'inn', 'mrk_rent.msg_legacy_number_other_party')])
        error = table.rows[1].errors['inn']
        self.assertEqual((error.params['other_row'], error.params['other'],
                error.params['value']), (2, '7707083893', '7702070139'))

    def test_file_errors(self):
        "Files that are no table: the module's own messages, no library text"
        output = io.BytesIO()
        book = openpyxl.Workbook()
        book.active['A1'] = 'Просто текст'
        book.save(output)
        for content, message_id in [
                (b'', 'mrk_rent.msg_legacy_empty_file'),
                (b'Hello, world', 'mrk_rent.msg_legacy_not_xlsx'),
                (b'PK\x03\x04broken', 'mrk_rent.msg_legacy_not_xlsx'),
                (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(600),
                    'mrk_rent.msg_legacy_encrypted_or_xls'),
                (output.getvalue(), 'mrk_rent.msg_legacy_no_header'),
                (save([]), 'mrk_rent.msg_legacy_no_header'),
                ]:
            table = parse.read_table(content, HEADERS)
            self.assertEqual(errors(table), [(None, None, message_id)],
                msg=content[:20])
        table = parse.read_table(b'x' * 2000, HEADERS,
            parse.Limits(max_bytes=1000))
        self.assertEqual(errors(table),
            [(None, None, 'mrk_rent.msg_legacy_file_too_big')])

    def test_last_row(self):
        """A 5 KB file with a cell in row 1 048 576 is read in streaming
        mode: refused by the row limit quickly and in little memory"""
        content = save([(1, HEADER), (2, good()), (1048576, ['x'])])
        self.assertLess(len(content), 10000)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        table = parse.read_table(content, HEADERS)
        seconds = time.perf_counter() - start
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        self.assertEqual(errors(table),
            [(None, None, 'mrk_rent.msg_legacy_too_many_rows')])
        self.assertEqual(table.errors[0][2].params['row'], 1048576)
        self.assertLess(seconds, 15)
        self.assertLess(grown, 100 * 1024)  # KB
        # Within a limit set higher the stray cell is one more row
        table = parse.read_table(content, HEADERS,
            parse.Limits(max_rows=2 ** 20))
        self.assertEqual([r.row for r in table.rows], [2])

    def test_merged(self):
        "Merged cells of a contract over two rows give both rows their value"
        content = save([(1, HEADER), (2, good(serial='S1')),
                (3, [None] * 7 + ['S2', None])],
            merges=['A2:A3', 'D2:D3', 'E2:E3', 'I2:I3'])
        table = parse.read_table(content, HEADERS)
        self.assertEqual(errors(table), [])
        second = table.rows[1]
        self.assertEqual((second['party'], second['number'],
                second['installed_on'], second['serial']),
            ('ООО «Фирма 1»', 'Ф-1', D(2025, 1, 15), 'S2'))

    def test_fuzz(self):
        """240 malformed spreadsheets: the reader answers each with its own
        errors (never an exception), each naming row and column unless the
        file as a whole is refused"""
        refused = 0
        for seed in range(240):
            kind, content = legacy_fuzz.malformed(seed)
            try:
                table = parse.read_table(content, HEADERS,
                    parse.Limits(max_rows=5000))
                parse.group_rows(table.rows)
            except Exception as exception:  # noqa: the test reports it
                self.fail('seed %s (%s): %r' % (seed, kind, exception))
            found = table.all_errors()
            refused += bool(found)
            for row, key, error in found:
                self.assertIsInstance(error, parse.ParseError)
                if row is None or key is None:
                    self.assertIn(error.message_id, FILE_MESSAGES,
                        msg='seed %s (%s)' % (seed, kind))
                    self.assertEqual(table.rows, [])
        self.assertGreater(refused, 150)
