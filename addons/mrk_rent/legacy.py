"""The legacy rent table (5.1–5.4): the columns of the table, the wizard
importing the Excel table kept before MRK, and the export of the rent table
laid out the same way.

The file is read by ``legacy_parse`` (no database) and imported by
``legacy_import``: everything is checked first, then written in the same
transaction only when no error was found; a dry run is the check alone.
"""
import datetime
from decimal import Decimal

from sql import Null

from trytond.model import (
    ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.modules.mrk_base.xlsx import XLSXReport, write_table
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import legacy_import
from .legacy_parse import (
    BASIS_WORDS, COLUMNS, KEYS, PAYMENT_FORM_WORDS, REQUIRED)
from .rent import _in, _in_max

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
    def import_file(cls, content, dry_run=True, filename=None, today=None,
            limits=None):
        """Import the legacy table from the bytes of an .xlsx workbook and
        return its ``ImportResult``. Nothing is written for a dry run or
        when the result has errors."""
        return legacy_import.import_file(content, dry_run=dry_run,
            filename=filename, today=today, limits=limits)

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
        placements, placement, _, placement_contract = (
            Placement.charged_contract_query())
        placement_ids = {}
        for sub_ids in grouped_slice(contract_ids, _in_max()):
            cursor.execute(*placements.select(
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
            if term.is_in_force(date):
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
