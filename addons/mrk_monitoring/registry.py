"""The non-cash registry's monitoring check from the point work journal
(9.1): per line, the days the contract's terminals stood in the month
before the month paid, and a flag over the number of days of the
settings, so that the monitoring operator confirms the journal's data
instead of typing it again."""
import datetime
import math
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice
from trytond.transaction import Transaction


class RegistryLine(metaclass=PoolMeta):
    __name__ = 'mrk.rent.registry.line'

    downtime_days = fields.Function(fields.Integer("Downtime Days",
            help="The most days one terminal of the contract stood in the "
            "month before the month paid, from the point work journal "
            "(9.1)."), 'get_downtime')
    downtime_over = fields.Function(fields.Boolean("Long Downtime",
            help="More downtime days than the settings allow (9.1)."),
        'get_downtime')

    @classmethod
    def get_downtime(cls, lines, names):
        """Read the downtimes of the lines' contracts overlapping the
        month with one query per slice of contracts"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Configuration = pool.get('mrk.configuration')
        limit = Configuration(1).registry_downtime_days
        table = Downtime.__table__()
        cursor = Transaction().connection.cursor()
        now = datetime.datetime.now()
        by_month = defaultdict(list)
        for line in lines:
            by_month[line.registry.month].append(line)
        days = {}
        for month, month_lines in by_month.items():
            end = datetime.datetime.combine(
                month.replace(day=1), datetime.time())
            start = end - relativedelta(months=1)
            contracts = list({l.contract.id for l in month_lines
                    if l.contract})
            hours = defaultdict(float)
            for sub_ids in grouped_slice(contracts, 1000):
                cursor.execute(*table.select(
                        table.contract, table.terminal, table.since,
                        table.until,
                        where=table.contract.in_(list(sub_ids))
                        & (table.since < end)
                        & ((table.until == None)  # noqa: E711
                            | (table.until > start))))
                for contract, terminal, since, until in cursor:
                    if isinstance(since, str):
                        since = datetime.datetime.fromisoformat(since)
                    if isinstance(until, str):
                        until = datetime.datetime.fromisoformat(until)
                    overlap = (min(until or now, end) - max(since, start))
                    hours[contract, terminal] += max(
                        overlap.total_seconds(), 0) / 3600
            per_contract = defaultdict(int)
            for (contract, _), value in hours.items():
                per_contract[contract] = max(
                    per_contract[contract], math.ceil(value / 24))
            for line in month_lines:
                days[line.id] = per_contract.get(
                    line.contract.id if line.contract else None, 0)
        result = {}
        if 'downtime_days' in names:
            result['downtime_days'] = days
        if 'downtime_over' in names:
            result['downtime_over'] = {
                i: d > limit for i, d in days.items()}
        return result
