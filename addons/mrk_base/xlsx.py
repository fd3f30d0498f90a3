"""Excel exports of the MRK modules' lists and journals.

Tryton's reports render templates; a list exported for the office is a
plain table, so it is written with xlsxwriter: a header that stays on
screen, an autofilter, real dates and numbers, A4 landscape when printed.
A module describes its columns and rows; ``XLSXReport`` does the rest.
"""
import datetime
import io
from decimal import Decimal

import xlsxwriter

from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import without_check_access

__all__ = ['XLSXReport', 'write_table']

# The look of each kind of column
FORMATS = {
    'text': {'valign': 'top'},
    'wrap': {'valign': 'top', 'text_wrap': True},
    'center': {'valign': 'top', 'align': 'center'},
    'date': {'valign': 'top', 'align': 'center', 'num_format': 'dd.mm.yyyy'},
    'integer': {'valign': 'top', 'num_format': '0'},
    'money': {'valign': 'top', 'num_format': '#,##0.00'},
    }


def write_table(columns, rows, sheet_name, title=None, properties=None):
    """An XLSX workbook of one sheet, as bytes.

    columns: (header, width, kind) with kind one of FORMATS; rows: lists of
    values in the order of the columns (None for an empty cell); title: a
    bold line above the header, when given."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {'in_memory': True})
    workbook.set_properties(dict({
                'title': title or '',
                'created': datetime.datetime.now(),
                }, **(properties or {})))
    header_format = workbook.add_format({
            'bold': True,
            'text_wrap': True,
            'valign': 'vcenter',
            'align': 'center',
            'border': 1,
            'bg_color': '#D9E1F2',
            })
    formats = [workbook.add_format(dict(FORMATS[kind], border=1))
        for _, _, kind in columns]

    sheet = workbook.add_worksheet(sheet_name)
    last_col = len(columns) - 1
    header_row = 0
    if title:
        title_format = workbook.add_format({
                'bold': True, 'font_size': 14, 'valign': 'vcenter'})
        sheet.merge_range(0, 0, 0, last_col, title, title_format)
        sheet.set_row(0, 24)
        header_row = 1
    for col, (header, width, _) in enumerate(columns):
        sheet.set_column(col, col, width)
        sheet.write_string(header_row, col, header, header_format)
    sheet.set_row(header_row, 32)

    count = 0
    for row, values in enumerate(rows, header_row + 1):
        count += 1
        for col, value in enumerate(values):
            format_ = formats[col]
            if value is None or value == '':
                sheet.write_blank(row, col, None, format_)
            elif isinstance(value, (datetime.date, datetime.datetime)):
                sheet.write_datetime(row, col, value, format_)
            elif isinstance(value, bool):
                sheet.write_string(row, col, 'да' if value else 'нет',
                    format_)
            elif isinstance(value, (int, float, Decimal)):
                sheet.write_number(row, col, float(value), format_)
            else:
                sheet.write_string(row, col, str(value), format_)

    sheet.freeze_panes(header_row + 1, 0)
    sheet.autofilter(header_row, 0, header_row + max(count, 1), last_col)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)
    workbook.close()
    return output.getvalue()


class XLSXReport(Report):
    """A report that exports the selected records of a list as a table.

    Subclasses set ``model``, ``columns`` and ``sheet_name`` and define
    ``row(record)``; ``get_records(ids)`` may choose the records (and their
    order) when none or some are selected; ``get_title(action)`` gives the
    workbook's title, printed above the table when ``title_row`` is set.

    Who may print a list is said by its report action's groups and by the
    read access to its records (checked by mrk_base's ReportAccessMixin and
    ``check_access``; ``get_records`` searches with the user's record
    rules). Its columns are then written whatever the access to the other
    models they show: a client manager may print the rent table with the
    route of each point without reading the routes themselves."""
    model = None
    columns = []
    sheet_name = None
    title_row = False
    # With no record selected, get_records chooses them
    _records_required = False

    @classmethod
    def execute(cls, ids, data):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        Date = pool.get('ir.date')
        # The checks of mrk_base's ReportAccessMixin, as this method
        # replaces Report.execute
        ids, data = cls.check_report_access(ids, data)
        action_id = data.get('action_id')
        if action_id is None:
            action_report, = ActionReport.search([
                    ('report_name', '=', cls.__name__),
                    ], limit=1)
        else:
            action_report = ActionReport(action_id)
        ids = [int(i) for i in (ids or data.get('ids') or [])]
        cls.check_access(action_report, cls.model, ids)
        records = cls.get_records(ids)
        title = cls.get_title(action_report)
        with without_check_access():
            records = Pool().get(cls.model).browse([r.id for r in records])
            content = cls.render_xlsx(records, title=title)
        name = '%s %s' % (
            action_report.name, Date.today().strftime('%d.%m.%Y'))
        return ('xlsx', content, bool(action_report.direct_print), name)

    @classmethod
    def get_records(cls, ids):
        Model = Pool().get(cls.model)
        return Model.browse(ids)

    @classmethod
    def get_title(cls, action):
        return action.name

    @classmethod
    def row(cls, record):
        raise NotImplementedError

    @classmethod
    def render_xlsx(cls, records, title=None):
        return write_table(cls.columns, (cls.row(r) for r in records),
            cls.sheet_name or cls.model,
            title=title if cls.title_row else None,
            properties={'title': title or ''})
