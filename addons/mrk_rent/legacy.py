"""The legacy rent table (5.1–5.4): import of the Excel table kept before
MRK, and export of the rent table laid out the same way.

The legacy table has one row per terminal: the counterparty and its INN and
KPP, the contract (number, date, end), the address of the point, the
terminal (serial number, installation and removal dates) and the rent
(amount per month, basis, payment form, the date it applies from), the
cash route and a note. Its headers are configured by the administrator
(``mrk.rent.import.column``, Configuration menu); by default they are
those of ``DEFAULT_HEADERS``.

Reading is tolerant of real files: the header row may stand below title
rows; amounts such as «5 000,00», «5000» or «5 000 руб.»; dates as
dd.mm.yyyy or dd.mm.yy text or as Excel dates; a contract over several rows
(one per terminal) whose contract cells are blank on the following rows or
merged vertically; blank rows and total rows («Итого», «Всего»).

The import creates or updates counterparties (by INN and KPP, else INN,
else created with their name), contracts (by number and counterparty, else
created and activated), points (by counterparty and address), terminals (by
serial number), placements and rent terms (a different amount, basis or
payment form from a date is a change from that date, as the wizard "change
rent from date" does), and the stops of cash routes. It is all or nothing:
it runs inside a savepoint, each contract and each row inside a savepoint
of its own so that every error is found, and everything is rolled back
when an error was found or for a dry run; so a dry run reports exactly what
the import does.
"""
import datetime
import io
import itertools
import re
import uuid
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from sql import Null
from sql.conditionals import Coalesce

from trytond import backend
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.mrk_base.xlsx import XLSXReport, write_table
from trytond.modules.mrk_contracts import requisites
from trytond.modules.mrk_contracts.amount import format_date
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import LegacyImportError
from .rent import _in, _in_max

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
KEY_STRINGS = [
    ('party', "Counterparty"),
    ('inn', "INN"),
    ('kpp', "KPP"),
    ('number', "Contract Number"),
    ('date', "Contract Date"),
    ('end_date', "Contract End"),
    ('address', "Point Address"),
    ('serial', "Terminal Serial Number"),
    ('installed_on', "Installed On"),
    ('removed_on', "Removed On"),
    ('amount', "Rent per Month"),
    ('basis', "Basis"),
    ('payment_form', "Payment Form"),
    ('valid_from', "Rent Valid From"),
    ('route', "Cash Route"),
    ('notes', "Notes"),
    ]
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
# Width and kind (mrk_base.xlsx.FORMATS) of the exported columns
EXPORT_FORMATS = {
    'party': (30, 'wrap'),
    'inn': (13, 'center'),
    'kpp': (11, 'center'),
    'number': (13, 'center'),
    'date': (12, 'date'),
    'end_date': (12, 'date'),
    'address': (36, 'wrap'),
    'serial': (18, 'center'),
    'installed_on': (12, 'date'),
    'removed_on': (12, 'date'),
    'amount': (14, 'money'),
    'basis': (12, 'center'),
    'payment_form': (12, 'center'),
    'valid_from': (12, 'date'),
    'route': (16, 'wrap'),
    'notes': (30, 'wrap'),
    }
DUE_HEADER = "Начислено за месяц"
SHEET_NAME = "Аренда"
HEADER_SEARCH_ROWS = 30
ENTITIES = ['party', 'contract', 'point', 'terminal', 'placement', 'term',
    'route']
STATUSES = ['created', 'updated', 'unchanged']
_RANK = {s: i for i, s in enumerate(reversed(STATUSES))}
KOPECK = Decimal('0.01')


# -- Reading the file (no database) -----------------------------------------

class ParseError(ValueError):
    "A cell cannot be read: message_id of mrk_rent or mrk_contracts, params"

    def __init__(self, message_id, **params):
        super().__init__(message_id, params)
        self.message_id = message_id
        self.params = params


_SPACES = re.compile(r'[\s\u00a0\u202f\u2007\u2009]+')


def normalize(value):
    """A text compared case-insensitively: ё as е, without spaces (extra
    ones or none)."""
    if value is None:
        return ''
    return _SPACES.sub('', str(value)).casefold().replace('ё', 'е')


def _words(value):
    "Lower case words of a cell, ё as е, punctuation as spaces"
    text = str(value).casefold().replace('ё', 'е')
    text = re.sub(r'[.,;:!()«»"\-]+', ' ', text)
    return _SPACES.sub(' ', text).strip()


def text(value):
    "The text of a cell: spaces collapsed, an integral number without .0"
    if value is None:
        return ''
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return format_date(value)
    return _SPACES.sub(' ', str(value)).strip()


def parse_code(value, lengths=()):
    """INN or KPP: digits kept as text; a number lost its leading zeros,
    they are put back for the lengths expected."""
    if value is None or value == '':
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        code = str(value)
        for length in lengths:
            if len(code) == length - 1:
                return code.zfill(length)
        return code
    return requisites.clean(value).upper() or None


def parse_inn(value):
    "The INN, checked with its check digits"
    inn = parse_code(value, (10, 12))
    if inn:
        try:
            inn = requisites.validate_inn(inn)
        except requisites.RequisiteError as error:
            raise ParseError('mrk_contracts.' + error.message_id,
                **error.params) from error
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
    "Decimal roubles from 5000, 5000.0, «5 000,00», «5 000 руб.»"
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        raise ParseError('mrk_rent.msg_legacy_amount', value=value)
    if isinstance(value, (int, float, Decimal)):
        amount = Decimal(str(value))
    else:
        raw = str(value)
        cleaned = _SPACES.sub('', raw).casefold()
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
        if not re.fullmatch(r'\d+(\.\d{1,2})?', cleaned):
            raise ParseError('mrk_rent.msg_legacy_amount', value=raw)
        amount = Decimal(cleaned)
    if amount < 0:
        raise ParseError('mrk_rent.msg_legacy_amount', value=value)
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


_DMY = re.compile(r'(\d{1,2})[./\-](\d{1,2})[./\-](\d{4}|\d{2})')
_YMD = re.compile(r'(\d{4})-(\d{1,2})-(\d{1,2})')
_NO_END = {'бессрочно', 'бессрочный', 'бессрочен', 'безсрока',
    'дорасторжения', 'неопределен', 'неопределено', '-', '—', '–'}


def parse_date(value):
    "A date from an Excel date or number, dd.mm.yyyy or dd.mm.yy text"
    if value is None or value == '':
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel
            return from_excel(value).date()
        raise ParseError('mrk_rent.msg_legacy_date', value=value)
    raw = text(value)
    cleaned = re.sub(r'\s*(г\.?|года)\s*$', '', raw.casefold())
    match = (_DMY.fullmatch(cleaned.split(' ')[0])
        or _YMD.fullmatch(cleaned.split(' ')[0]))
    try:
        if match and match.re is _DMY:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return datetime.date(year, month, day)
        elif match:
            return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        pass
    raise ParseError('mrk_rent.msg_legacy_date', value=raw)


def parse_end_date(value):
    "The end of a contract: empty for «бессрочно» and the like"
    if isinstance(value, str) and normalize(value) in _NO_END:
        return None
    return parse_date(value)


_BASES = {
    'за договор': 'contract', 'договор': 'contract',
    'за месяц': 'contract', 'в месяц': 'contract', 'фикс': 'contract',
    'за терминал': 'terminal', 'терминал': 'terminal',
    'за каждый терминал': 'terminal', 'за аппарат': 'terminal',
    }


def parse_basis(value):
    "«за договор» (the default) or «за терминал»"
    if value is None or text(value) == '':
        return None
    words = _words(value)
    basis = _BASES.get(words)
    if basis is None:
        if re.search(r'термин|аппарат|\bшт\b|штук', words):
            basis = 'terminal'
        elif re.search(r'договор|фикс|месяц', words):
            basis = 'contract'
    if basis is None:
        raise ParseError('mrk_rent.msg_legacy_basis', value=text(value),
            choices=', '.join('«%s»' % w for w in BASIS_WORDS.values()))
    return basis


_PAYMENT_FORMS = {
    'наличные': 'cash', 'нал': 'cash', 'наличными': 'cash',
    'наличный': 'cash', 'наличка': 'cash', 'касса': 'cash',
    'безнал': 'transfer', 'безналичные': 'transfer',
    'безналичный': 'transfer', 'по договору': 'transfer',
    'безнал по договору': 'transfer', 'безналичные по договору': 'transfer',
    'б/н': 'transfer', 'перечисление': 'transfer',
    'по счету': 'invoice', 'по счетам': 'invoice', 'счет': 'invoice',
    'безнал по счету': 'invoice', 'безналичные по счету': 'invoice',
    }


def parse_payment_form(value):
    "«наличные», «безнал» (by contract) or «по счёту», with their variants"
    if value is None or text(value) == '':
        return None
    words = _words(value)
    form = _PAYMENT_FORMS.get(words)
    if form is None:
        if 'счет' in words:
            form = 'invoice'
        elif words.startswith('нал'):
            form = 'cash'
        elif re.search(r'безнал|б/н|перечисл|договор|р/с', words):
            form = 'transfer'
    if form is None:
        raise ParseError('mrk_rent.msg_legacy_payment_form',
            value=text(value), choices=', '.join(
                '«%s»' % w for w in PAYMENT_FORM_WORDS.values()))
    return form


def parse_number(value):
    "The contract number without a leading «№»"
    number = text(value)
    number = re.sub(r'^(№|n[o°]?\.?)\s*', '', number, flags=re.I)
    return number.strip() or None


PARSERS = {
    'party': lambda v: text(v) or None,
    'inn': parse_inn,
    'kpp': parse_kpp,
    'number': parse_number,
    'date': parse_date,
    'end_date': parse_end_date,
    'address': lambda v: text(v) or None,
    'serial': lambda v: text(v) or None,
    'installed_on': parse_date,
    'removed_on': parse_date,
    'amount': parse_amount,
    'basis': parse_basis,
    'payment_form': parse_payment_form,
    'valid_from': parse_date,
    'route': lambda v: text(v) or None,
    'notes': lambda v: text(v) or None,
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


def _sheet_values(sheet):
    "The values of a sheet, merged cells given the value of their range"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                line = values[row - 1]
                if col - 1 >= len(line):
                    line.extend([None] * (col - len(line)))
                line[col - 1] = value
    return values


def _find_header(values, headers):
    """The row (1-based) among the first ones holding most known headers,
    with the column of each key"""
    best = (0, None, {})
    for index, line in enumerate(values[:HEADER_SEARCH_ROWS], 1):
        columns = {}
        for col, value in enumerate(line):
            name = normalize(value)
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
    if re.match(r'(итого|всего)', normalize(cells.get('party'))):
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


def read_table(content, headers):
    """Read the legacy table from the bytes of an .xlsx workbook.

    headers maps each key to the normalized headers accepted for it (the
    configured header and its aliases). The first sheet with a header row
    is read; unknown columns are ignored."""
    import openpyxl
    table = Table()
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError,
            TypeError) as exception:
        table.errors.append((None, None, ParseError(
                    'mrk_rent.msg_legacy_not_xlsx', error=str(exception))))
        return table
    for sheet in workbook.worksheets:
        values = _sheet_values(sheet)
        header_row, columns = _find_header(values, headers)
        if header_row:
            break
    else:
        table.errors.append((None, None, ParseError(
                    'mrk_rent.msg_legacy_no_header',
                    rows=HEADER_SEARCH_ROWS)))
        return table
    table.sheet = sheet.title
    table.header_row = header_row
    table.columns = columns
    missing = [k for k in KEYS if k in REQUIRED and k not in columns]
    for key in missing:
        table.errors.append((header_row, key, ParseError(
                    'mrk_rent.msg_legacy_missing_column')))
    if missing:
        return table

    previous = None
    for index, line in enumerate(values[header_row:], header_row + 1):
        cells = {k: line[c] if c < len(line) else None
            for k, c in columns.items()}
        filled = [k for k, v in cells.items()
            if k != 'notes' and text(v) != '']
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


def _same_party(row, cells, previous):
    return ((text(cells.get('party')) == ''
            or normalize(row['party']) == normalize(previous['party']))
        and (text(cells.get('inn')) == '' or row['inn'] == previous['inn']))


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
    if number is not None and (
            normalize(number) != normalize(previous['number'])):
        keys = PARTY_KEYS
        if any(text(cells.get(k)) != '' for k in keys):
            return
    for key in keys:
        if key in cells and text(cells[key]) == '' and key not in row.bad:
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
    disagree on its date, end or KPP are marked."""
    groups = OrderedDict()
    for row in rows:
        if {'party', 'number', 'inn'} & row.bad or not row['number'] \
                or not row['party']:
            continue
        key = (normalize(row['number']),
            row['inn'] or normalize(row['party']))
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key)
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


# -- The result of an import -------------------------------------------------

@dataclass(frozen=True)
class RowError:
    "An error of the import, by row (1-based as in Excel) and column"
    row: int | None
    column: str | None
    message: str

    def format(self):
        if self.row and self.column:
            return gettext('mrk_rent.msg_legacy_error_row_column',
                row=self.row, column=self.column, message=self.message)
        elif self.row:
            return gettext('mrk_rent.msg_legacy_error_row',
                row=self.row, message=self.message)
        return self.message


@dataclass
class RowResult:
    "What the import did for a row: an entity's status by entity"
    row: int
    contract: str
    statuses: dict = field(default_factory=dict)


class ImportResult:
    "The report of an import or of its dry run"

    def __init__(self, filename=None, dry_run=True):
        self.filename = filename or ''
        self.dry_run = dry_run
        self.rows = []
        self.errors = []
        self._marks = []  # (row result, entity, key, status)

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        "Whether the import stays in the database"
        return self.ok and not self.dry_run

    def add_error(self, row, column, message):
        error = RowError(row, column, message)
        if error not in self.errors:
            self.errors.append(error)

    def row(self, legacy_row, number):
        result = RowResult(legacy_row.row, number)
        self.rows.append(result)
        return result

    def mark(self, row_result, entity, key, status):
        "The row did status to the record of entity known by key"
        row_result.statuses[entity] = status
        self._marks.append((row_result, entity, key, status))

    @property
    def position(self):
        return len(self._marks)

    def undo(self, position):
        "Forget what was marked since position: it was rolled back"
        for row_result, entity, _, _ in self._marks[position:]:
            row_result.statuses.pop(entity, None)
        del self._marks[position:]

    def counts(self):
        "The number of distinct records of each entity by status"
        statuses = {}
        for _, entity, key, status in self._marks:
            previous = statuses.get((entity, key))
            if previous is None or _RANK[status] > _RANK[previous]:
                statuses[(entity, key)] = status
        counts = {e: dict.fromkeys(STATUSES, 0) for e in ENTITIES}
        for (entity, _), status in statuses.items():
            counts[entity][status] += 1
        return counts

    def summary(self):
        "(row, contract, statuses by entity) of each row"
        return [(r.row, r.contract, dict(r.statuses)) for r in self.rows]

    def header(self):
        if self.errors:
            return gettext('mrk_rent.msg_legacy_report_failed',
                file=self.filename, count=len(self.errors))
        elif self.dry_run:
            return gettext('mrk_rent.msg_legacy_report_dry_run',
                file=self.filename)
        return gettext('mrk_rent.msg_legacy_report_done',
            file=self.filename)

    def format_errors(self):
        return '\n'.join(e.format() for e in self.errors)

    def format_report(self):
        "The header, the counts by entity and what was done on each row"
        lines = [self.header(), '']
        counts = self.counts()
        for entity in ENTITIES:
            count = counts[entity]
            if any(count.values()):
                lines.append(gettext('mrk_rent.msg_legacy_report_summary',
                        entity=gettext(
                            'mrk_rent.msg_legacy_entity_%s' % entity),
                        **count))
        lines.append('')
        for row in self.rows:
            if not row.statuses:
                continue
            actions = '; '.join(
                gettext('mrk_rent.msg_legacy_%s_%s' % (e, row.statuses[e]))
                for e in ENTITIES if e in row.statuses)
            lines.append(gettext('mrk_rent.msg_legacy_report_row',
                    row=row.row, contract=row.contract, actions=actions))
        return '\n'.join(lines).strip()

    def format(self):
        "The whole report as text: errors first"
        parts = []
        if self.errors:
            parts.append(self.format_errors())
        parts.append(self.format_report())
        return '\n\n'.join(parts)


# -- Savepoints ---------------------------------------------------------------

class Savepoint:
    """A SAVEPOINT of the transaction with the transaction's own memory:
    rolling back to it also forgets the records created, logged or cached
    since, so the transaction goes on as if nothing happened."""
    _names = itertools.count()

    def __init__(self):
        self.name = 'mrk_rent_legacy_%s' % next(self._names)
        self.transaction = None
        self.closed = False

    def __enter__(self):
        transaction = self.transaction = Transaction()
        connection = transaction.connection
        cursor = connection.cursor()
        # In SQLite a savepoint out of a transaction starts one, which its
        # release would commit: begin as a write would.
        if backend.name == 'sqlite' and not connection.in_transaction:
            cursor.execute('BEGIN IMMEDIATE')
        cursor.execute('SAVEPOINT %s' % self.name)
        self.state = {
            'create_records': {
                k: list(v) for k, v in transaction.create_records.items()},
            'delete_records': {
                k: set(v) for k, v in transaction.delete_records.items()},
            'trigger_records': {
                k: set(v) for k, v in transaction.trigger_records.items()},
            'check_warnings': {
                k: set(v) for k, v in transaction.check_warnings.items()},
            'timestamp': dict(transaction.timestamp),
            'log_records': len(transaction.log_records),
            'user_notifications': len(transaction.user_notifications),
            'datamanagers': len(transaction._datamanagers),
            }
        return self

    def __exit__(self, type, value, traceback):
        if not self.closed:
            if type is None:
                self.release()
            else:
                self.rollback()

    def release(self):
        cursor = self.transaction.connection.cursor()
        cursor.execute('RELEASE SAVEPOINT %s' % self.name)
        self.closed = True

    def rollback(self):
        transaction = self.transaction
        cursor = transaction.connection.cursor()
        cursor.execute('ROLLBACK TO SAVEPOINT %s' % self.name)
        cursor.execute('RELEASE SAVEPOINT %s' % self.name)
        self.closed = True
        state = self.state
        for name in ['create_records', 'delete_records', 'trigger_records',
                'check_warnings']:
            records = getattr(transaction, name)
            records.clear()
            records.update(state[name])
        transaction.timestamp.clear()
        transaction.timestamp.update(state['timestamp'])
        del transaction.log_records[state['log_records']:]
        del transaction.user_notifications[state['user_notifications']:]
        del transaction._datamanagers[state['datamanagers']:]
        for cache in transaction.cache.values():
            cache.clear()
        transaction.counter += 1


class _Step:
    "The cell an error of the database is reported on"

    def __init__(self):
        self.row = None
        self.key = None

    def __call__(self, row, key):
        self.row = row
        self.key = key


# -- The import ---------------------------------------------------------------

class LegacyImport:
    """One import of a legacy table into the database (5.1).

    ``run(content)`` returns an ``ImportResult``; nothing stays written if
    the result has errors or for a dry run."""

    def __init__(self, dry_run=True, filename=None, today=None):
        pool = Pool()
        Column = pool.get('mrk.rent.import.column')
        self.dry_run = dry_run
        self.filename = filename
        self.today = today or pool.get('ir.date').today()
        self.headers = Column.get_headers()
        self.result = ImportResult(filename, dry_run)
        try:
            self.Route = pool.get('mrk.rent.route')
            self.Stop = pool.get('mrk.rent.route.stop')
        except KeyError:
            self.Route = self.Stop = None

    def column(self, key):
        "The header of the column of key"
        return self.headers[key][0]

    def add_error(self, row, key, message):
        self.result.add_error(row.row if row else None,
            self.column(key) if key else None, message)

    def add_parse_error(self, row_number, key, error):
        self.result.add_error(row_number, self.column(key) if key else None,
            gettext(error.message_id, **error.params))

    def run(self, content):
        try:
            self._run(content)
        finally:
            order = {self.column(k): i for i, k in enumerate(KEYS)}
            self.result.errors.sort(key=lambda e: (
                    e.row or 0, order.get(e.column, -1)))
        return self.result

    def _run(self, content):
        table = read_table(content, {
                k: {normalize(h) for h in v}
                for k, v in self.headers.items()})
        for row_number, key, error in table.errors:
            self.add_parse_error(row_number, key, error)
        if table.errors:
            return
        groups = group_rows(table.rows)
        for row in table.rows:
            for key, error in row.errors.items():
                self.add_parse_error(row.row, key, error)
        company = Transaction().context.get('company')
        if company is None or company < 0:
            self.result.add_error(None, None,
                gettext('mrk_rent.msg_legacy_no_company'))
            return
        with Savepoint() as savepoint, Transaction().set_context(
                _skip_warnings=True, active_test=True):
            for group in groups:
                self.import_group(group)
            if self.result.errors or self.dry_run:
                savepoint.rollback()

    def import_group(self, group):
        """Counterparty, contract and rent terms of a contract, then each of
        its rows; each part in a savepoint, so that an error leaves the
        database as it was and the next part still runs."""
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        head = group.head
        if {'party', 'inn', 'kpp', 'number', 'date', 'end_date'} & head.bad:
            return
        results = [self.result.row(r, head['number']) for r in group.rows]
        position = self.result.position
        step = _Step()
        with Savepoint() as savepoint:
            try:
                step(head, 'inn' if head['inn'] else 'party')
                party, status = self.get_party(head)
                self.result.mark(results[0], 'party', party.id, status)
                step(head, 'number')
                contract, status, new = self.get_contract(group, party)
                self.result.mark(results[0], 'contract', contract.id, status)
                for result in results[1:]:
                    self.result.mark(result, 'party', party.id, 'unchanged')
                    self.result.mark(
                        result, 'contract', contract.id, 'unchanged')
                self.import_terms(group, contract, results, step)
                if new:
                    step(head, 'number')
                    self.activate(contract)
            except UserError as exception:
                savepoint.rollback()
                self.result.undo(position)
                self.add_error(step.row, step.key, exception.message)
                return
        for row, result in zip(group.rows, results):
            position = self.result.position
            step = _Step()
            with Savepoint() as savepoint:
                try:
                    self.import_row(row, result, Party(party.id),
                        Contract(contract.id), step)
                except UserError as exception:
                    savepoint.rollback()
                    self.result.undo(position)
                    self.add_error(step.row, step.key, exception.message)

    # -- Counterparty, contract ------------------------------------------

    def get_party(self, row):
        """The counterparty by INN and KPP, else by INN (its missing KPP is
        filled in), else by name when the row has no INN; else created."""
        pool = Pool()
        Party = pool.get('party.party')
        inn, kpp, name = row['inn'], row['kpp'], row['party']
        if inn:
            parties = []
            if kpp:
                parties = Party.search([
                        ('inn', '=', inn), ('kpp', '=', kpp),
                        ], order=[('id', 'ASC')], limit=1)
            if not parties:
                parties = Party.search([('inn', '=', inn)],
                    order=[('id', 'ASC')], limit=1)
            if parties:
                party, = parties
                if kpp and not party.kpp:
                    Party.write([party], {'kpp': kpp})
                    return party, 'updated'
                return party, 'unchanged'
        else:
            parties = Party.search([('name', 'ilike', _like(name))],
                order=[('id', 'ASC')], limit=1)
            if parties:
                return parties[0], 'unchanged'
        values = {
            'name': name,
            'inn': inn,
            'kpp': kpp,
            'legal_form': _legal_form(name, inn),
            }
        if self.dry_run:
            # The party sequence is not consumed by a dry run.
            values['code'] = 'legacy-%s' % uuid.uuid4().hex
        party, = Party.create([values])
        return party, 'created'

    def get_contract(self, group, party):
        """The contract by number and counterparty, else a new one from
        «Дата договора» to «Действует до» (by default the end of its
        current year, see ``default_end``); a draft one is activated."""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        row = group.head
        contracts = Contract.search([
                ('number', '=', row['number']),
                ('party', '=', party.id),
                ('state', '!=', 'cancelled'),
                ], order=[('id', 'ASC')], limit=1)
        if contracts:
            contract, = contracts
            if contract.state == 'draft':
                return contract, 'updated', True
            return contract, 'unchanged', False
        start = row['date']
        notes = '\n'.join(OrderedDict.fromkeys(
                r['notes'] for r in group.rows if r['notes'])) or None
        contract, = Contract.create([{
                    'number': row['number'],
                    'party': party.id,
                    'date': start,
                    'start_date': start,
                    'end_date': row['end_date'] or self.default_end(start),
                    'rent_amount': row['amount'],
                    'notes': notes,
                    }])
        return contract, 'created', True

    def default_end(self, start):
        """Without «Действует до» a contract is taken as prolonged year
        after year: it ends on the last day of its year in course on the
        day of the import."""
        years = 1
        while start + relativedelta(years=years) <= self.today:
            years += 1
        return start + relativedelta(years=years) - datetime.timedelta(1)

    def activate(self, contract):
        "Activate the contract; it expires at once if it ended already"
        Contract = Pool().get('mrk.contract')
        contract = Contract(contract.id)
        if contract.state == 'draft':
            Contract.activate([contract])
        contract = Contract(contract.id)
        if contract.state == 'active' and contract.end_date < self.today:
            Contract.expire([contract])

    # -- Rent terms --------------------------------------------------------

    def import_terms(self, group, contract, results, step):
        """The rent of each row from «Действует с» (by default the start of
        the contract): the first term of a contract without one, a change
        from that date when the term in force differs (5.4), nothing when
        it is the same."""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        terms = OrderedDict()
        for row, result in zip(group.rows, results):
            if {'amount', 'basis', 'payment_form', 'valid_from'} & row.bad:
                continue
            date = row['valid_from'] or contract.start_date
            values = (row['amount'], row['basis'] or 'contract',
                row['payment_form'] or self.default_payment_form)
            if date in terms:
                other_values, other_row, _ = terms[date]
                if values != other_values:
                    key = ('amount' if values[0] != other_values[0]
                        else 'basis' if values[1] != other_values[1]
                        else 'payment_form')
                    self.add_error(row, key, gettext(
                            'mrk_rent.msg_legacy_term_conflict',
                            other_row=other_row.row,
                            date=format_date(date)))
                else:
                    self.result.mark(result, 'term',
                        (contract.id, date), 'unchanged')
                continue
            terms[date] = (values, row, result)
        for date in sorted(terms):
            (amount, basis, payment_form), row, result = terms[date]
            step(row, 'valid_from' if row['valid_from'] else 'amount')
            existing = RentTerm.search([
                    ('contract', '=', contract.id),
                    ], order=[('valid_from', 'ASC'), ('id', 'ASC')])
            current = [t for t in existing
                if not t.point and not t.terminal
                and t.valid_from <= date
                and (t.valid_to is None or t.valid_to >= date)]
            if not existing:
                RentTerm.create([{
                            'contract': contract.id,
                            'amount': amount,
                            'basis': basis,
                            'payment_form': payment_form,
                            'valid_from': date,
                            'reason': self.reason(row),
                            }])
                status = 'created'
            elif current and (current[0].amount, current[0].basis,
                    current[0].payment_form) == (
                    amount, basis, payment_form):
                status = 'unchanged'
            else:
                RentTerm.change_from(contract, date, amount=amount,
                    basis=basis, payment_form=payment_form,
                    reason=self.reason(row))
                status = 'updated'
            self.result.mark(result, 'term', (contract.id, date), status)

    @property
    def default_payment_form(self):
        Configuration = Pool().get('mrk.configuration')
        return Configuration(1).rent_payment_form

    def reason(self, row):
        return gettext('mrk_rent.msg_legacy_reason', row=row.row,
            file=self.filename or '')

    # -- Point, terminal, placement, route -----------------------------------

    def import_row(self, row, result, party, contract, step):
        "The point, the terminal and its placement, the stop of the route"
        if not row['address'] or 'address' in row.bad:
            return
        step(row, 'address')
        point, status = self.get_point(row, party, contract)
        self.result.mark(result, 'point', point.id, status)
        if row['serial'] and not {
                'serial', 'installed_on', 'removed_on'} & row.bad:
            step(row, 'serial')
            terminal, status = self.get_terminal(row)
            self.result.mark(result, 'terminal', terminal.id, status)
            placement, status = self.get_placement(
                row, terminal, point, contract, step)
            self.result.mark(result, 'placement', placement.id, status)
        if row['route'] and self.Route and 'route' not in row.bad:
            step(row, 'route')
            stop, status = self.get_stop(row, point)
            self.result.mark(result, 'route', stop.id, status)

    def get_point(self, row, party, contract):
        """The point of the counterparty at the address (or the full address
        with the city), else a new one named by its address; a point
        without contract gets the contract."""
        Point = Pool().get('mrk.point')
        address = normalize(row['address'])
        for point in Point.search([('party', '=', party.id)],
                order=[('id', 'ASC')]):
            if address in {normalize(point.address),
                    normalize(point.full_address)}:
                if not point.contract:
                    Point.write([point], {'contract': contract.id})
                    return point, 'updated'
                return point, 'unchanged'
        point, = Point.create([{
                    'name': row['address'],
                    'party': party.id,
                    'address': row['address'],
                    'contract': contract.id,
                    }])
        return point, 'created'

    def get_terminal(self, row):
        "The terminal by serial number, else a new one of model not specified"
        pool = Pool()
        Terminal = pool.get('mrk.terminal')
        Model = pool.get('mrk.terminal.model')
        terminals = Terminal.search([
                ('serial_number', '=', row['serial']),
                ], limit=1)
        if terminals:
            return terminals[0], 'unchanged'
        name = gettext('mrk_rent.msg_legacy_terminal_model')
        with Transaction().set_context(active_test=False):
            models = Model.search([('name', '=', name)], limit=1)
        if models:
            model, = models
        else:
            model, = Model.create([{'name': name}])
        terminal, = Terminal.create([{
                    'serial_number': row['serial'],
                    'model': model.id,
                    }])
        return terminal, 'created'

    def get_placement(self, row, terminal, point, contract, step):
        """The placement of the terminal at the point from «Дата установки»
        (by default the start of the contract) until «Дата снятия»: left
        alone if it is there, its removal date filled in if the database
        has none, else created (a placement of the terminal at that time
        elsewhere is an error)."""
        Placement = Pool().get('mrk.terminal.placement')
        installed_on = row['installed_on'] or contract.start_date
        removed_on = row['removed_on']
        placements = Placement.search([
                ('terminal', '=', terminal.id),
                ('point', '=', point.id),
                ('installed_on', '=', installed_on),
                ], limit=1)
        if placements:
            placement, = placements
            if placement.removed_on == removed_on:
                return placement, 'unchanged'
            if placement.removed_on is None:
                step(row, 'removed_on')
                Placement.write([placement], {'removed_on': removed_on})
                return placement, 'updated'
            step(row, 'removed_on')
            raise LegacyImportError(gettext(
                    'mrk_rent.msg_legacy_removed_differs',
                    terminal=terminal.rec_name, point=point.rec_name,
                    installed=format_date(installed_on),
                    removed=format_date(placement.removed_on)))
        placement, = Placement.create([{
                    'terminal': terminal.id,
                    'point': point.id,
                    'contract': contract.id,
                    'installed_on': installed_on,
                    'removed_on': removed_on,
                    }])
        return placement, 'created'

    def get_stop(self, row, point):
        """The stop of the point on the cash route named in «Маршрут» (the
        route made without courier if missing); a new stop is the last."""
        Route, Stop = self.Route, self.Stop
        with Transaction().set_context(active_test=False):
            routes = Route.search([('name', '=', row['route'])], limit=1)
        if routes:
            route, = routes
        else:
            values = {'name': row['route']}
            if 'company' in Route._fields:
                values['company'] = Transaction().context.get('company')
            route, = Route.create([values])
        stops = Stop.search([('route', '=', route.id)])
        for stop in stops:
            if stop.point == point:
                return stop, 'unchanged'
        sequence = max((s.sequence or 0 for s in stops), default=0) + 10
        stop, = Stop.create([{
                    'route': route.id,
                    'sequence': sequence,
                    'point': point.id,
                    }])
        return stop, 'created'


def _like(value):
    return value.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def _legal_form(name, inn):
    "The legal form read from the name of a new counterparty"
    first = _words(name).split(' ')[0] if name else ''
    return {
        'ооо': 'ooo',
        'ао': 'ao', 'зао': 'ao', 'оао': 'ao', 'нао': 'ao',
        'пао': 'pao',
        'ип': 'ip',
        }.get(first)


# -- Tryton models -----------------------------------------------------------

class ImportColumn(sequence_ordered(), ModelSQL, ModelView):
    """Column of the legacy rent table: the header read by the import and
    written by the Excel export (5.1)."""
    __name__ = 'mrk.rent.import.column'
    __string__ = "Legacy Table Column"

    key = fields.Selection(KEY_STRINGS, "Data", required=True, readonly=True)
    header = fields.Char("Header", required=True,
        help="The header of the column in the table, as written by the "
        "export; the import compares headers ignoring case, spaces and "
        "ё/е.")
    aliases = fields.Text("Other Headers",
        help="Other headers read as this column, one per line.")
    required = fields.Function(
        fields.Boolean("Required",
            help="A file without this column is refused."),
        'get_required')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('key_unique', Unique(t, t.key),
                'mrk_rent.msg_legacy_column_unique'),
            ]

    def get_required(self, name):
        return self.key in REQUIRED

    @classmethod
    def get_headers(cls):
        """The headers of each key: the configured one first, its aliases,
        the default one when no column is configured."""
        headers = {k: [h] for k, h in COLUMNS}
        for column in cls.search([]):
            names = [column.header] + [
                a.strip() for a in (column.aliases or '').splitlines()
                if a.strip()]
            headers[column.key] = names
        return headers

    @classmethod
    def get_export_keys(cls):
        "The keys in the order of the configured columns"
        keys = [c.key for c in cls.search([])]
        return keys + [k for k in KEYS if k not in keys]


class RentImportStart(ModelView):
    "Import Legacy Rent Table"
    __name__ = 'mrk.rent.import.start'

    file = fields.Binary("File", required=True, filename='filename',
        help="The rent table as an Excel workbook (.xlsx).")
    filename = fields.Char("File Name")
    dry_run = fields.Boolean("Dry Run",
        help="Check the file and show what the import would do, without "
        "writing anything.")

    @classmethod
    def default_dry_run(cls):
        return True


class RentImportResult(ModelView):
    "Import Legacy Rent Table"
    __name__ = 'mrk.rent.import.result'

    dry_run = fields.Boolean("Dry Run", readonly=True)
    can_import = fields.Boolean("Can Import", readonly=True)
    errors = fields.Text("Errors", readonly=True,
        states={
            'invisible': ~Eval('errors'),
            })
    report = fields.Text("Report", readonly=True)


class RentImport(Wizard):
    """Import of the legacy rent table (5.1): a dry run first shows what
    the import would do, then the import writes it all or nothing."""
    __name__ = 'mrk.rent.import'

    start = StateView('mrk.rent.import.start',
        'mrk_rent.legacy_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Run", 'run', 'tryton-ok', default=True),
            ])
    run = StateTransition()
    result = StateView('mrk.rent.import.result',
        'mrk_rent.legacy_import_result_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Import", 'import_', 'tryton-ok', default=True,
                states={
                    'invisible': ~Eval('can_import', False),
                    }),
            ])
    import_ = StateTransition()

    @classmethod
    def import_file(cls, content, dry_run=True, filename=None, today=None):
        """Import the legacy table from the bytes of an .xlsx workbook and
        return its ``ImportResult``. Nothing stays written for a dry run or
        when the result has errors."""
        return LegacyImport(
            dry_run=dry_run, filename=filename, today=today).run(content)

    def _run(self, dry_run):
        result = self.import_file(self.start.file, dry_run=dry_run,
            filename=self.start.filename)
        self.result.dry_run = dry_run
        self.result.can_import = dry_run and result.ok
        self.result.errors = result.format_errors() or None
        self.result.report = result.format_report()
        return 'result'

    def transition_run(self):
        return self._run(self.start.dry_run)

    def transition_import_(self):
        return self._run(False)

    def default_result(self, fields):
        return {
            'dry_run': self.result.dry_run,
            'can_import': self.result.can_import,
            'errors': self.result.errors,
            'report': self.result.report,
            }


class RentTableXLSX(XLSXReport):
    """The rent table in Excel laid out like the legacy table (5.1): the
    same headers in the same order, one row per terminal standing on the
    day (the rent table's month, else today) with the contract cells
    repeated, and «Начислено за месяц»: the due of the month on the first
    row of each contract. It reads back with the import unchanged."""
    __name__ = 'mrk.rent.table.xlsx'

    model = 'mrk.contract'
    sheet_name = SHEET_NAME

    @classmethod
    def get_records(cls, ids):
        "The selected contracts, else the rent table, by counterparty"
        Contract = Pool().get('mrk.contract')
        domain = [('state', 'in', ['active', 'terminated', 'expired'])]
        if ids:
            domain = [('id', 'in', ids)]
        return Contract.search(domain, order=[
                ('party.name', 'ASC'), ('number', 'ASC'), ('id', 'ASC')])

    @classmethod
    def get_date(cls):
        pool = Pool()
        date = Transaction().context.get('rent_month')
        if isinstance(date, str):
            date = datetime.date.fromisoformat(date)
        return date or pool.get('ir.date').today()

    @classmethod
    def render_xlsx(cls, records, title=None):
        Column = Pool().get('mrk.rent.import.column')
        headers = Column.get_headers()
        keys = Column.get_export_keys()
        columns = [(headers[k][0], *EXPORT_FORMATS[k]) for k in keys]
        columns.append((DUE_HEADER, 14, 'money'))
        rows = [[values.get(k) for k in keys] + [values.get('due')]
            for values in cls.table_rows(records, cls.get_date())]
        return write_table(columns, rows, cls.sheet_name,
            properties={'title': title or ''})

    @classmethod
    def table_rows(cls, contracts, date):
        """The rows of the contracts on date as dicts by key, and 'due' on
        the first row of each contract."""
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        Point = pool.get('mrk.point')
        RentTerm = pool.get('mrk.rent.term')
        cursor = Transaction().connection.cursor()
        contract_ids = [c.id for c in contracts]
        placement = Placement.__table__()
        point = Point.__table__()
        placement_contract = Coalesce(placement.contract, point.contract)
        placement_ids = {}
        for sub_ids in grouped_slice(contract_ids, _in_max()):
            cursor.execute(*placement.join(point,
                    condition=placement.point == point.id).select(
                    placement_contract, placement.id,
                    where=_in(placement_contract, list(sub_ids))
                    & (placement.installed_on <= date)
                    & ((placement.removed_on == Null)
                        | (placement.removed_on > date))))
            for contract_id, placement_id in cursor:
                placement_ids.setdefault(contract_id, []).append(
                    placement_id)
        placements = {k: Placement.browse(v)
            for k, v in placement_ids.items()}
        points = {}
        for record in Point.search([('contract', 'in', contract_ids)],
                order=[('id', 'ASC')]):
            points.setdefault(record.contract.id, record)
        dues = dict.fromkeys(contract_ids, Decimal('0.00'))
        for due in RentTerm.get_dues(date, contracts=contracts):
            dues[due.contract] += due.amount
        routes = cls.get_routes(
            [p.point for v in placements.values() for p in v]
            + list(points.values()))

        for contract in contracts:
            term = cls.get_term(contract, date)
            party = contract.party
            common = {
                'party': party.name,
                'inn': party.inn,
                'kpp': party.kpp,
                'number': contract.number,
                'date': contract.date,
                'end_date': contract.end_date,
                'amount': term.amount if term else None,
                'basis': BASIS_WORDS[term.basis] if term else None,
                'payment_form': (PAYMENT_FORM_WORDS[term.payment_form]
                    if term else None),
                'valid_from': term.valid_from if term else None,
                'notes': contract.notes,
                }
            lines = sorted(placements.get(contract.id, []), key=lambda p: (
                    p.point.full_address, p.installed_on,
                    p.terminal.serial_number))
            if not lines:
                lines = [None]
            for index, line in enumerate(lines):
                values = dict(common)
                point_ = line.point if line else points.get(contract.id)
                if point_:
                    values['address'] = point_.full_address
                    values['route'] = routes.get(point_.id)
                if line:
                    values.update({
                            'serial': line.terminal.serial_number,
                            'installed_on': line.installed_on,
                            'removed_on': line.removed_on,
                            })
                if index == 0:
                    values['due'] = dues[contract.id]
                yield values

    @classmethod
    def get_term(cls, contract, date):
        """The contract-wide term in force on date, else the last one before
        it, else the first one"""
        terms = [t for t in contract.rent_terms
            if not t.point and not t.terminal]
        for term in terms:
            if term.valid_from <= date and (
                    term.valid_to is None or term.valid_to >= date):
                return term
        before = [t for t in terms if t.valid_from <= date]
        if before:
            return before[-1]
        return terms[0] if terms else None

    @classmethod
    def get_routes(cls, points):
        "The name of the cash route of each point, when routes exist"
        try:
            Stop = Pool().get('mrk.rent.route.stop')
        except KeyError:
            return {}
        ids = list({p.id for p in points})
        routes = {}
        for stop in Stop.search([
                    ('point', 'in', ids),
                    ('route.active', '=', True),
                    ], order=[('id', 'ASC')]):
            routes.setdefault(stop.point.id, stop.route.name)
        return routes
