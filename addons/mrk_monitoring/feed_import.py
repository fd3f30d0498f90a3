"""Loading the monitoring system's CSV/XLSX export (7.1): the same
statuses as the HTTP feed (serial, last_seen, online, since), applied by
Downtime.feed. An error names the row; nothing is written then."""
import csv
import io

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import FeedError
from .feed import parse_status

COLUMNS = ['serial', 'last_seen', 'online', 'since']


def read_rows(data, filename):
    """[(row number, {column: value})] of a CSV or XLSX file whose first
    row names the columns"""
    name = (filename or '').lower()
    try:
        if name.endswith('.xlsx') or data[:2] == b'PK':
            from openpyxl import load_workbook
            workbook = load_workbook(io.BytesIO(data), read_only=True,
                data_only=True)
            rows = [list(r) for r in workbook.active.iter_rows(
                    values_only=True)]
        elif name.endswith(('.csv', '.txt')) or not name:
            for encoding in ['utf-8-sig', 'cp1251']:
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=',;\t')
            rows = list(csv.reader(io.StringIO(text), dialect))
        else:
            raise FeedError(gettext('mrk_monitoring.msg_feed_file_format',
                    file=filename))
    except FeedError:
        raise
    except Exception as exception:
        raise FeedError(gettext('mrk_monitoring.msg_feed_file_unreadable',
                file=filename or '', reason=str(exception)))
    if not rows:
        raise FeedError(gettext('mrk_monitoring.msg_feed_file_columns',
                column='serial'))
    header = [str(c or '').strip().lower() for c in rows[0]]
    if 'serial' not in header:
        raise FeedError(gettext('mrk_monitoring.msg_feed_file_columns',
                column='serial'))
    result = []
    for number, row in enumerate(rows[1:], 2):
        if not any(c not in (None, '') for c in row):
            continue
        values = {}
        for column, value in zip(header, row):
            if column in COLUMNS:
                values[column] = value
        result.append((number, values))
    return result


class FeedImportStart(ModelView):
    "Load a file of the monitoring system"
    __name__ = 'mrk.monitoring.feed_import.start'
    __string__ = "Load Monitoring File"

    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")
    opened = fields.Integer("Downtimes Opened", readonly=True)
    closed = fields.Integer("Downtimes Closed", readonly=True)
    unknown = fields.Text("Unknown Serial Numbers", readonly=True)


class FeedImport(Wizard):
    """Apply the statuses of a CSV/XLSX export of the monitoring system to
    the point work journal (7.1)"""
    __name__ = 'mrk.monitoring.feed_import'
    __string__ = "Load Monitoring File"

    start = StateView('mrk.monitoring.feed_import.start',
        'mrk_monitoring.feed_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Load", 'load', 'tryton-ok', default=True),
            ])
    load = StateTransition()
    result = StateView('mrk.monitoring.feed_import.start',
        'mrk_monitoring.feed_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_load(self):
        Downtime = Pool().get('mrk.monitoring.downtime')
        statuses = [parse_status(values, gettext(
                    'mrk_monitoring.msg_feed_row', row=number))
            for number, values in read_rows(
                bytes(self.start.file), self.start.filename)]
        answer = Downtime.feed(statuses, source='feed')
        self.start.opened = answer['opened']
        self.start.closed = answer['closed']
        self.start.unknown = '\n'.join(answer['unknown'])
        return 'result'

    def default_result(self, fields):
        return {
            'opened': self.start.opened,
            'closed': self.start.closed,
            'unknown': self.start.unknown,
            }
