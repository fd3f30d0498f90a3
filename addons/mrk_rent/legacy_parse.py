"""Reading the legacy rent table (5.1): plain values in, rows with their
errors out, without database.

The legacy table has one row per terminal: the counterparty and its INN and
KPP, the contract (number, date, end), the address of the point, the
terminal (serial number, installation and removal dates) and the rent
(amount per month, basis, payment form, the date it applies from), the
cash route and a note. Its headers are given by the caller (configured in
``mrk.rent.import.column``); by default they are those of
``DEFAULT_HEADERS``.

Reading is tolerant of real files: the header row may stand below title
rows; amounts such as «5 000,00», «5000» or «5 000 руб.»; dates as
dd.mm.yyyy or dd.mm.yy text or as Excel dates; a contract over several rows
(one per terminal) whose contract cells are blank on the following rows or
merged vertically; blank rows and total rows («Итого», «Всего»).

It is strict on what would be stored wrong: a year is taken as written and
must lie in ``YEAR_MIN``–``YEAR_MAX`` (two digits only as dd.mm.yy, see
``TWO_DIGIT_PIVOT``); serial numbers, INN and contract numbers are text, a
number cell converted exactly or refused; amounts have at most two
decimals and are above zero; an ambiguous payment form or basis, a boolean
cell, a formula error, control characters, a cell longer than its column
allows or holding only invisible characters are refused. Every error is a
``ParseError`` (message id of mrk_rent or mrk_contracts and its
parameters) kept with its row and column.

The workbook is read in streaming mode (``openpyxl`` read-only), with
limits on the size of the file, of its unpacked sheets, on the rows and the
columns (``Limits``); empty rows are skipped as they come and never kept.
"""
import datetime
import io
import re
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from trytond.modules.mrk_contracts import requisites
from trytond.modules.mrk_contracts.amount import format_amount, format_date

# The columns of the legacy table, in its order: key, default header
COLUMNS = [
    ('party', "Контрагент"),
    ('inn', "ИНН"),
    ('kpp', "КПП"),
    ('number', "Договор №"),
    ('date', "Дата договора"),
    ('end_date', "Действует до"),
    ('address', "Адрес точки"),
    ('serial', "Серийный № терминала"),
    ('installed_on', "Дата установки"),
    ('removed_on', "Дата снятия"),
    ('amount', "Сумма аренды, руб./мес."),
    ('basis', "База"),
    ('payment_form', "Форма оплаты"),
    ('valid_from', "Действует с"),
    ('route', "Маршрут"),
    ('notes', "Примечание"),
    ]
KEYS = [k for k, _ in COLUMNS]
DEFAULT_HEADERS = dict(COLUMNS)
# A file without these columns is refused
REQUIRED = {'party', 'number', 'date', 'amount'}
# Cells of a contract: blank on its following rows, they are filled down
CONTRACT_KEYS = ['party', 'inn', 'kpp', 'number', 'date', 'end_date',
    'amount', 'basis', 'payment_form', 'valid_from', 'route']
FILL_KEYS = CONTRACT_KEYS + ['address']
PARTY_KEYS = ['party', 'inn', 'kpp']
DATE_KEYS = {'date', 'end_date', 'installed_on', 'removed_on', 'valid_from'}
# The words written in the exported table
BASIS_WORDS = {'contract': "за договор", 'terminal': "за терминал"}
PAYMENT_FORM_WORDS = {
    'cash': "наличные", 'transfer': "безнал", 'invoice': "по счёту"}
HEADER_SEARCH_ROWS = 30
# The longest text of each column (characters, after cleaning)
MAX_LENGTHS = {
    'party': 250,
    'number': 60,
    'address': 250,
    'serial': 60,
    'route': 100,
    'notes': 2000,
    }
# Any other cell (dates, amounts, words)
MAX_CELL = 100
# Years taken as written; two-digit years (dd.mm.yy only): 00–69 are
# 2000–2069, 70–99 are 1970–1999 (then refused below YEAR_MIN)
YEAR_MIN = 1990
YEAR_MAX = 2100
TWO_DIGIT_PIVOT = 70
# The rent of a month: above zero, at most this, two decimals
AMOUNT_MAX = Decimal('10000000.00')
# A float keeps every integer up to 2**53 exactly
FLOAT_EXACT = 2 ** 53
EXCEL_ERRORS = {'#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!',
    '#N/A', '#GETTING_DATA'}


@dataclass
class Limits:
    "The limits of a file read, configurable ([mrk_rent] legacy_*)"
    max_bytes: int = 10 * 1024 * 1024  # the .xlsx as uploaded
    max_unpacked: int = 200 * 1024 * 1024  # its parts once unzipped
    max_rows: int = 50000  # the last row with data, as numbered by Excel
    max_columns: int = 100  # the columns read


class ParseError(ValueError):
    "A cell cannot be read: message_id of mrk_rent or mrk_contracts, params"

    def __init__(self, message_id, **params):
        super().__init__(message_id, params)
        self.message_id = message_id
        self.params = params


_SPACES = re.compile(r'[\s\u00a0\u202f\u2007\u2009]+')


# Zero-width and format characters (Unicode category Cf: soft hyphen,
# ZWSP, ZWJ, LRM/RLM, bidi controls, BOM…) and control characters other
# than tab and line breaks; Excel writes a control character as _xHHHH_
_RANGES_CF = [(0xad, 0xad), (0x600, 0x605), (0x61c, 0x61c), (0x6dd, 0x6dd),
    (0x70f, 0x70f), (0x890, 0x891), (0x8e2, 0x8e2), (0x180e, 0x180e),
    (0x200b, 0x200f), (0x202a, 0x202e), (0x2060, 0x2064), (0x2066, 0x206f),
    (0xfeff, 0xfeff), (0xfff9, 0xfffb), (0x110bd, 0x110bd),
    (0x110cd, 0x110cd), (0x13430, 0x13438), (0x1bca0, 0x1bca3),
    (0x1d173, 0x1d17a), (0xe0001, 0xe0001), (0xe0020, 0xe007f)]
_INVISIBLE = re.compile('[%s]' % ''.join(
        '%s-%s' % (re.escape(chr(a)), re.escape(chr(b)))
        for a, b in _RANGES_CF))
_CONTROL = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]'
    '|_x00(0[0-8BbCcEeFf]|1[0-9A-Fa-f]|7[Ff])_')


def clean(value):
    """The text of a string cell without zero-width characters, refused
    with control characters"""
    if _CONTROL.search(value):
        raise ParseError('mrk_rent.msg_legacy_control')
    return _INVISIBLE.sub('', value)


def normalize(value):
    """A text compared case-insensitively: ё as е, without spaces (extra
    ones or none) nor invisible characters."""
    if value is None:
        return ''
    value = _CONTROL.sub('', _INVISIBLE.sub('', str(value)))
    return _SPACES.sub('', value).casefold().replace('ё', 'е')


def _words(value):
    "Lower case words of a cell, ё as е, punctuation as spaces"
    text = str(value).casefold().replace('ё', 'е')
    text = re.sub(r'[.,;:!()«»"\-+&]+', ' ', text)
    return _SPACES.sub(' ', text).strip()


def text(value):
    "The text of a cell: spaces collapsed, an integral number without .0"
    if value is None:
        return ''
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() \
            and abs(value) < FLOAT_EXACT:
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return format_date(value)
    if isinstance(value, datetime.time):
        return value.isoformat()
    return _SPACES.sub(' ', str(value)).strip()


def _check_cell(value, length=MAX_CELL):
    """The cell cleaned of invisible characters; refused as a boolean, a
    formula error, with control characters or too long"""
    if isinstance(value, bool):
        raise ParseError('mrk_rent.msg_legacy_boolean', value=value)
    if isinstance(value, str):
        if value.strip() in EXCEL_ERRORS:
            raise ParseError('mrk_rent.msg_legacy_formula_error',
                value=value.strip())
        raw = value
        value = clean(value)
        if raw.strip() and not _SPACES.sub('', value):
            raise ParseError('mrk_rent.msg_legacy_invisible')
        if len(_SPACES.sub(' ', value).strip()) > length:
            raise ParseError('mrk_rent.msg_legacy_too_long',
                length=len(value), max=length)
    elif isinstance(value, datetime.timedelta):
        raise ParseError('mrk_rent.msg_legacy_date', value=str(value))
    return value


def parse_text(value, key):
    "A free text (name, address, route, note): None when empty"
    value = _check_cell(value, MAX_LENGTHS[key])
    if isinstance(value, float) and not (
            value.is_integer() and abs(value) < FLOAT_EXACT):
        # A number shown as text keeps its own digits
        return repr(value)
    return text(value) or None


def parse_identifier(value, key):
    """A serial or contract number: text; a number cell only when it holds
    an integer exactly (a float beyond 2**53 lost digits)"""
    value = _check_cell(value, MAX_LENGTHS[key])
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= FLOAT_EXACT:
            raise ParseError('mrk_rent.msg_legacy_number_as_float',
                value=repr(value))
        value = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise ParseError('mrk_rent.msg_legacy_number_as_float',
                value=str(value))
        value = int(value)
    elif isinstance(value, (datetime.date, datetime.time)):
        raise ParseError('mrk_rent.msg_legacy_not_text', value=text(value))
    return text(value) or None


def parse_code(value, lengths=()):
    """INN or KPP: digits kept as text; a number lost its leading zeros,
    they are put back for the lengths expected."""
    if value is None or value == '':
        return None
    value = _check_cell(value)
    if isinstance(value, float):
        if not value.is_integer() or abs(value) >= FLOAT_EXACT:
            raise ParseError('mrk_rent.msg_legacy_number_as_float',
                value=repr(value))
        value = int(value)
    if isinstance(value, (datetime.date, datetime.time)):
        raise ParseError('mrk_rent.msg_legacy_not_text', value=text(value))
    if isinstance(value, int):
        if value < 0:
            raise ParseError('mrk_contracts.msg_inn_not_digits',
                value=value)
        code = str(value)
        for length in lengths:
            if len(code) == length - 1:
                return code.zfill(length)
        return code
    return requisites.clean(value).upper() or None


def parse_inn(value):
    """The INN, checked with its check digits (python-stdnum, as the
    counterparty does) and for its region code (never 00)"""
    inn = parse_code(value, (10, 12))
    if inn:
        try:
            inn = requisites.validate_inn(inn)
        except requisites.RequisiteError as error:
            raise ParseError('mrk_contracts.' + error.message_id,
                **error.params) from error
        if inn.startswith('00'):
            raise ParseError('mrk_rent.msg_legacy_inn_region', value=inn)
    return inn


def parse_kpp(value):
    "The KPP, checked for its form"
    kpp = parse_code(value, (9,))
    if kpp:
        try:
            kpp = requisites.validate_kpp(kpp)
        except requisites.RequisiteError as error:
            raise ParseError('mrk_contracts.' + error.message_id,
                **error.params) from error
    return kpp


def parse_amount(value):
    """Decimal roubles from 5000, 5000.0, «5 000,00», «5 000 руб.»: above
    zero, at most two decimals, at most ``AMOUNT_MAX``"""
    if value is None or value == '':
        return None
    value = _check_cell(value)
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not (
                value == value and abs(value) != float('inf')):
            raise ParseError('mrk_rent.msg_legacy_amount', value=value)
        raw = value
        amount = Decimal(str(value))
    elif isinstance(value, str):
        raw = value
        cleaned = _SPACES.sub('', value).casefold()
        if not cleaned:
            return None
        for suffix in [r'(/|в)?мес(яц)?\.?', r'(рублей|рубля|рубль|руб|р)\.?',
                r'(rub|₽)']:
            cleaned = re.sub(suffix + '$', '', cleaned)
        cleaned = cleaned.replace("'", '').replace('’', '').rstrip('.')
        if ',' in cleaned and '.' in cleaned:
            if cleaned.rfind(',') > cleaned.rfind('.'):
                cleaned = cleaned.replace('.', '').replace(',', '.')
            else:
                cleaned = cleaned.replace(',', '')
        else:
            cleaned = cleaned.replace(',', '.')
        if re.fullmatch(r'-?\d+(\.\d+)?', cleaned) and len(cleaned) < 30:
            amount = Decimal(cleaned)
        else:
            raise ParseError('mrk_rent.msg_legacy_amount', value=raw)
    else:
        raise ParseError('mrk_rent.msg_legacy_amount', value=text(value))
    try:
        exponent = amount.normalize().as_tuple().exponent
    except InvalidOperation:
        raise ParseError('mrk_rent.msg_legacy_amount', value=raw)
    if not isinstance(exponent, int):
        raise ParseError('mrk_rent.msg_legacy_amount', value=raw)
    if exponent < -2:
        raise ParseError('mrk_rent.msg_legacy_amount_decimals', value=raw)
    if amount <= 0 or amount > AMOUNT_MAX:
        raise ParseError('mrk_rent.msg_legacy_amount_range', value=raw,
            max=format_amount(AMOUNT_MAX))
    return amount.quantize(Decimal('0.01'))


_DMY = re.compile(r'(\d{1,2})([./\-])(\d{1,2})\2(\d{4}|\d{2})')
_YMD = re.compile(r'(\d{4})-(\d{1,2})-(\d{1,2})')
_NO_END = {'бессрочно', 'бессрочный', 'бессрочен', 'безсрока',
    'дорасторжения', 'неопределен', 'неопределено', '-', '—', '–'}


def _in_range(date, raw):
    if not YEAR_MIN <= date.year <= YEAR_MAX:
        raise ParseError('mrk_rent.msg_legacy_year', value=raw,
            min=YEAR_MIN, max=YEAR_MAX)
    return date


def parse_date(value):
    """A date from an Excel date or number, dd.mm.yyyy (the year as
    written) or dd.mm.yy text, in ``YEAR_MIN``–``YEAR_MAX``"""
    if value is None or value == '':
        return None
    value = _check_cell(value)
    if isinstance(value, datetime.datetime):
        return _in_range(value.date(), format_date(value.date()))
    if isinstance(value, datetime.date):
        return _in_range(value, format_date(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            value = int(value) if value == value and abs(value) < 1e7 \
                else -1
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel
            date = from_excel(int(value)).date()
            return _in_range(date, format_date(date))
        raise ParseError('mrk_rent.msg_legacy_date', value=text(value))
    if not isinstance(value, str):
        raise ParseError('mrk_rent.msg_legacy_date', value=text(value))
    raw = text(value)
    cleaned = re.sub(r'\s*(г\.?|года)\s*$', '', raw.casefold())
    first = cleaned.split(' ')[0]
    match = _DMY.fullmatch(first)
    date = None
    if match:
        day, sep, month, year = match.groups()
        if len(year) == 2:
            if sep != '.':
                raise ParseError('mrk_rent.msg_legacy_date', value=raw)
            year = int(year)
            year += 2000 if year < TWO_DIGIT_PIVOT else 1900
        values = (int(year), int(month), int(day))
    else:
        match = _YMD.fullmatch(first)
        values = tuple(int(g) for g in match.groups()) if match else None
    if values:
        try:
            date = datetime.date(*values)
        except ValueError:
            pass
        if date is None and 1 <= values[1] <= 12 and 1 <= values[2] <= 31 \
                and not YEAR_MIN <= values[0] <= YEAR_MAX:
            raise ParseError('mrk_rent.msg_legacy_year', value=raw,
                min=YEAR_MIN, max=YEAR_MAX)
    if date is not None:
        return _in_range(date, raw)
    raise ParseError('mrk_rent.msg_legacy_date', value=raw)


def parse_end_date(value):
    "The end of a contract: empty for «бессрочно» and the like"
    if isinstance(value, str) and normalize(value) in _NO_END:
        return None
    return parse_date(value)


def _choices(words):
    return ', '.join('«%s»' % w for w in words.values())


def _word_cell(value):
    "The words of a cell for a selection: None when empty"
    if value is None:
        return None
    value = _check_cell(value)
    if not isinstance(value, str):
        return False
    if not text(value):
        return None
    return _words(value)


def parse_basis(value):
    "«за договор» or «за терминал», refused if both or neither"
    words = _word_cell(value)
    if words is None:
        return None
    found = set()
    if words:
        if re.search(r'термин|аппарат|\bшт\b|штук', words):
            found.add('terminal')
        if re.search(r'договор|фикс|месяц', words):
            found.add('contract')
    if len(found) != 1:
        raise ParseError('mrk_rent.msg_legacy_basis', value=text(value),
            choices=_choices(BASIS_WORDS))
    return found.pop()


def parse_payment_form(value):
    """«наличные», «безнал» (by contract) or «по счёту», with their
    variants; refused if it names two forms («наличные/безнал»)"""
    words = _word_cell(value)
    if words is None:
        return None
    found = set()
    if words:
        tokens = re.split(r'[\s/\\|]+', words)
        if 'счет' in words:
            found.add('invoice')
        elif re.search(r'безнал|б/н|перечисл|договор|р/с|банк', words):
            found.add('transfer')
        if any(t.startswith('нал') or t.startswith('касс') for t in tokens):
            found.add('cash')
    if len(found) != 1:
        raise ParseError('mrk_rent.msg_legacy_payment_form',
            value=text(value), choices=_choices(PAYMENT_FORM_WORDS))
    return found.pop()


def parse_number(value):
    "The contract number without a leading «№»"
    number = parse_identifier(value, 'number')
    if number is None:
        return None
    number = re.sub(r'^(№|n[o°]?\.?)\s*', '', number, flags=re.I)
    return number.strip() or None


PARSERS = {
    'party': lambda v: parse_text(v, 'party'),
    'inn': parse_inn,
    'kpp': parse_kpp,
    'number': parse_number,
    'date': parse_date,
    'end_date': parse_end_date,
    'address': lambda v: parse_text(v, 'address'),
    'serial': lambda v: parse_identifier(v, 'serial'),
    'installed_on': parse_date,
    'removed_on': parse_date,
    'amount': parse_amount,
    'basis': parse_basis,
    'payment_form': parse_payment_form,
    'valid_from': parse_date,
    'route': lambda v: parse_text(v, 'route'),
    'notes': lambda v: parse_text(v, 'notes'),
    }


@dataclass
class LegacyRow:
    "A row of the table with its values read, and the errors of its cells"
    row: int
    values: dict
    errors: dict = field(default_factory=dict)  # key: ParseError
    inherited: set = field(default_factory=set)  # keys filled from above
    bad: set = field(default_factory=set)  # keys not to be used

    def __getitem__(self, key):
        return self.values.get(key)

    def error(self, key, message_id, **params):
        self.errors.setdefault(key, ParseError(message_id, **params))
        self.bad.add(key)


@dataclass
class Table:
    "A legacy table read from a workbook"
    sheet: str | None = None
    header_row: int | None = None
    columns: dict = field(default_factory=dict)  # key: column index
    rows: list = field(default_factory=list)
    # Errors of the file and its header: (row, key, ParseError)
    errors: list = field(default_factory=list)

    def all_errors(self):
        "(row, key, ParseError) of the file and of every row"
        errors = list(self.errors)
        for row in self.rows:
            errors.extend((row.row, k, e) for k, e in row.errors.items())
        return errors


_CELL_REF = re.compile(r'([A-Z]{1,3})(\d+)')


def _ref(coordinate):
    "(row, column) of «B12», 1-based"
    match = _CELL_REF.fullmatch(coordinate)
    letters, row = match.groups()
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return int(row), col


_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3}\d+):([A-Z]{1,3}\d+)"')


def _merged_ranges(sheet, limits):
    """The merged ranges of a read-only sheet ((min_row, min_col, max_row,
    max_col)), found in its XML by a scan of its bytes (they follow the
    rows), without parsing the rows"""
    get_source = getattr(sheet, '_get_source', None)
    if get_source is None:
        return []
    ranges = []
    tail = b''
    with get_source() as source:
        while True:
            chunk = source.read(1 << 20)
            if not chunk:
                break
            data = tail + chunk
            end = 0
            for match in _MERGE.finditer(data):
                first, last = (m.decode() for m in match.groups())
                min_row, min_col = _ref(first)
                max_row, max_col = _ref(last)
                if min_col <= limits.max_columns \
                        and min_row <= limits.max_rows:
                    ranges.append((min_row, min_col,
                            min(max_row, limits.max_rows),
                            min(max_col, limits.max_columns)))
                end = match.end()
            tail = data[max(end, len(data) - 200):]
    return ranges


def _rows(sheet, limits, merged):
    """(number, values) of the rows of a sheet holding a value, in order,
    merged cells given the value of their range; refused beyond the row
    limit"""
    # Merged ranges by their first row; their value fills the range
    starts = {}
    for merge in merged:
        starts.setdefault(merge[0], []).append(merge)
    active = []  # [max_row, min_col, max_col, value]
    # The dimension written in the file may lie: rows are read to the end
    sheet.reset_dimensions()
    for number, line in enumerate(sheet.iter_rows(
                max_col=limits.max_columns, values_only=True), 1):
        has_value = line.count(None) != len(line) and any(
            v is not None and v != '' for v in line)
        if not has_value and not active and number not in starts:
            continue
        if has_value and number > limits.max_rows:
            raise ParseError('mrk_rent.msg_legacy_too_many_rows',
                row=number, max=limits.max_rows)
        line = list(line)
        for merge in starts.pop(number, []):
            min_row, min_col, max_row, max_col = merge
            value = line[min_col - 1] if min_col - 1 < len(line) else None
            if max_row > min_row or max_col > min_col:
                active.append([max_row, min_col, max_col, value])
        for max_row, min_col, max_col, value in active:
            if len(line) < max_col:
                line.extend([None] * (max_col - len(line)))
            for col in range(min_col, max_col + 1):
                line[col - 1] = value
        active = [a for a in active if a[0] > number]
        if any(v is not None and v != '' for v in line):
            yield number, line


def _find_header(values, headers):
    """The row (1-based) among the first ones holding most known headers,
    with the column of each key"""
    best = (0, None, {})
    for index, line in values:
        columns = {}
        for col, value in enumerate(line):
            name = normalize(value) if isinstance(value, str) else ''
            if not name:
                continue
            for key, names in headers.items():
                if name in names and key not in columns:
                    columns[key] = col
                    break
        if len(columns) > best[0]:
            best = (len(columns), index, columns)
    if best[0] >= 2:
        return best[1], best[2]
    return None, {}


def _is_total(line, cells):
    "A row of totals: «Итого», «Всего» first, or as the counterparty"
    party = cells.get('party')
    if isinstance(party, str) and re.match(
            r'(итого|всего)', normalize(party)):
        return True
    for value in line:
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        return (isinstance(value, str)
            and re.match(r'(итого|всего)', normalize(value)) is not None)
    return False


def _is_numbering(line):
    "The row of column numbers (1, 2, 3…) under a header"
    numbers = [v for v in line if v not in (None, '')]
    return (len(numbers) >= 3
        and all(isinstance(v, (int, float)) and not isinstance(v, bool)
            for v in numbers)
        and numbers == list(range(1, len(numbers) + 1)))


def _file_error(table, message_id, **params):
    table.errors.append((None, None, ParseError(message_id, **params)))
    return table


def _open(content, limits, table):
    "The read-only workbook of content, else None with the error in table"
    import openpyxl
    if not content:
        _file_error(table, 'mrk_rent.msg_legacy_empty_file')
        return None
    if len(content) > limits.max_bytes:
        _file_error(table, 'mrk_rent.msg_legacy_file_too_big',
            size=_megabytes(len(content)), max=_megabytes(limits.max_bytes))
        return None
    if content[:8] == b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1':
        # An OLE file: an encrypted workbook or the old .xls format
        _file_error(table, 'mrk_rent.msg_legacy_encrypted_or_xls')
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError,
            NotImplementedError):
        _file_error(table, 'mrk_rent.msg_legacy_not_xlsx')
        return None
    if any(i.flag_bits & 0x1 for i in infos):
        _file_error(table, 'mrk_rent.msg_legacy_encrypted_or_xls')
        return None
    if sum(i.file_size for i in infos) > limits.max_unpacked:
        _file_error(table, 'mrk_rent.msg_legacy_file_too_big',
            size=_megabytes(sum(i.file_size for i in infos)),
            max=_megabytes(limits.max_unpacked))
        return None
    if '[Content_Types].xml' not in {i.filename for i in infos}:
        _file_error(table, 'mrk_rent.msg_legacy_not_xlsx')
        return None
    try:
        return openpyxl.load_workbook(io.BytesIO(content), read_only=True,
            data_only=True, keep_links=False)
    except Exception:
        # openpyxl answers a broken workbook with any exception
        _file_error(table, 'mrk_rent.msg_legacy_not_xlsx')
        return None


def _megabytes(size):
    return ('%.1f' % (size / 1024 / 1024)).replace('.', ',')


def read_table(content, headers, limits=None):
    """Read the legacy table from the bytes of an .xlsx workbook.

    headers maps each key to the normalized headers accepted for it (the
    configured header and its aliases). The first sheet with a header row
    is read; unknown columns are ignored. The errors of the file are in
    ``Table.errors``, those of a cell in its row."""
    limits = limits or Limits()
    table = Table()
    workbook = _open(content, limits, table)
    if workbook is None:
        return table
    try:
        return _read_workbook(workbook, headers, limits, table)
    except ParseError as error:
        table.errors.append((None, None, error))
        return table
    except Exception:
        # A broken part of the workbook met while streaming its rows
        table.errors[:] = [(None, None,
                ParseError('mrk_rent.msg_legacy_not_xlsx'))]
        table.rows = []
        return table
    finally:
        workbook.close()


def _read_workbook(workbook, headers, limits, table):
    sheets = [s for s in workbook.worksheets
        if hasattr(s, 'iter_rows')]  # not chart sheets
    if not sheets:
        return _file_error(table, 'mrk_rent.msg_legacy_no_sheet')
    for sheet in sheets:
        merged = _merged_ranges(sheet, limits)
        rows = _rows(sheet, limits, merged)
        first = []
        for number, line in rows:
            first.append((number, line))
            if number >= HEADER_SEARCH_ROWS:
                break
        header_row, columns = _find_header(
            [(n, l) for n, l in first if n <= HEADER_SEARCH_ROWS], headers)
        if header_row:
            break
        rows.close()
    else:
        return _file_error(table, 'mrk_rent.msg_legacy_no_header',
            rows=HEADER_SEARCH_ROWS)
    table.sheet = sheet.title
    table.header_row = header_row
    table.columns = columns
    missing = [k for k in KEYS if k in REQUIRED and k not in columns]
    for key in missing:
        table.errors.append((header_row, key, ParseError(
                    'mrk_rent.msg_legacy_missing_column')))
    if missing:
        rows.close()
        return table

    def lines():
        yield from first
        yield from rows

    previous = None
    for index, line in lines():
        if index <= header_row:
            continue
        cells = {k: line[c] if c < len(line) else None
            for k, c in columns.items()}
        filled = [k for k, v in cells.items()
            if k != 'notes' and not _blank(v)]
        # Blank rows, and a title of a section or a signature: one cell
        # filled, unless it is the serial number of one more terminal
        if not filled or (len(filled) == 1 and filled != ['serial']):
            continue
        if _is_total(line, cells) or _is_numbering(line):
            continue
        row = LegacyRow(index, {})
        for key, value in cells.items():
            try:
                row.values[key] = PARSERS[key](value)
            except ParseError as error:
                row.values[key] = None
                row.error(key, error.message_id, **error.params)
        _fill_down(row, cells, previous)
        _check_row(row)
        table.rows.append(row)
        previous = row
    return table


def _blank(value):
    "An empty cell, or one of spaces and invisible characters only"
    if value is None:
        return True
    if isinstance(value, str):
        return not normalize(value)
    return False


def _same_party(row, cells, previous):
    return ((_blank(cells.get('party'))
            or normalize(row['party']) == normalize(previous['party']))
        and (_blank(cells.get('inn')) or row['inn'] == previous['inn']))


def _fill_down(row, cells, previous):
    """The following rows of a contract leave its cells blank: a row
    without a contract number, or with the number of the row above, and
    the same counterparty, continues the contract above. A row of another
    contract without counterparty is of the counterparty above."""
    if previous is None:
        return
    number = row['number']
    if not _same_party(row, cells, previous):
        return
    keys = FILL_KEYS
    if 'number' in row.bad:
        return
    if number is not None and (
            normalize(number) != normalize(previous['number'])):
        keys = PARTY_KEYS
        if any(not _blank(cells.get(k)) for k in keys):
            return
    for key in keys:
        if key in cells and _blank(cells[key]) and key not in row.bad:
            row.values[key] = previous[key]
            row.inherited.add(key)
            if key in previous.bad:
                row.bad.add(key)


def _check_row(row):
    "Cells that must be filled, and dates in their order"
    for key in ['party', 'number', 'date', 'amount']:
        if row[key] is None and key not in row.bad:
            row.error(key, 'mrk_rent.msg_legacy_required')
    if row['serial'] and not row['address'] and 'address' not in row.bad:
        row.error('address', 'mrk_rent.msg_legacy_no_point')
    if (row['end_date'] and row['date'] and row['end_date'] < row['date']
            and 'end_date' not in row.inherited):
        row.error('end_date', 'mrk_rent.msg_legacy_end_before',
            end=format_date(row['end_date']), start=format_date(row['date']))
    if (row['removed_on'] and row['installed_on']
            and row['removed_on'] < row['installed_on']):
        row.error('removed_on', 'mrk_rent.msg_legacy_removed_before',
            removed=format_date(row['removed_on']),
            installed=format_date(row['installed_on']))
    if (row['valid_from'] and row['date'] and row['valid_from'] < row['date']
            and 'valid_from' not in row.inherited):
        row.error('valid_from', 'mrk_rent.msg_legacy_valid_before',
            date=format_date(row['valid_from']),
            start=format_date(row['date']))
    if (row['valid_from'] and row['end_date']
            and row['valid_from'] > row['end_date']
            and 'valid_from' not in row.bad):
        row.error('valid_from', 'mrk_rent.msg_legacy_valid_after',
            date=format_date(row['valid_from']),
            end=format_date(row['end_date']))


@dataclass
class Group:
    "The rows of one contract"
    key: tuple
    rows: list = field(default_factory=list)

    @property
    def head(self):
        return self.rows[0]


def group_rows(rows):
    """The rows by contract (number and INN, or number and counterparty
    name), in the order of their first row; rows of one contract that
    disagree on its date, end or KPP are marked, and so is a contract
    number given with another INN (or counterparty) than in an earlier
    row."""
    groups = OrderedDict()
    numbers = {}  # normalized number: first group
    for row in rows:
        if {'party', 'number', 'inn'} & row.bad or not row['number'] \
                or not row['party']:
            continue
        number = normalize(row['number'])
        key = (number, row['inn'] or normalize(row['party']))
        group = groups.get(key)
        if group is None:
            first = numbers.get(number)
            if first is not None:
                head = first.head
                column = 'inn' if (row['inn'] or head['inn']) else 'party'
                row.error(column, 'mrk_rent.msg_legacy_number_other_party',
                    number=row['number'], other_row=head.row,
                    other=_show(head[column]), value=_show(row[column]))
                continue
            group = groups[key] = numbers[number] = Group(key)
        else:
            head = group.head
            for name in ['kpp', 'date', 'end_date']:
                if (name in row.bad or name in row.inherited
                        or row[name] == head[name]):
                    continue
                row.error(name, 'mrk_rent.msg_legacy_differs',
                    value=_show(row[name]), other=_show(head[name]),
                    other_row=head.row)
        group.rows.append(row)
    return list(groups.values())


def _show(value):
    if isinstance(value, datetime.date):
        return format_date(value)
    return '' if value is None else str(value)
