"""Benchmark of the monitoring journal (mrk_monitoring, 7.1 and 7.3): the
feed of the monitoring system and the escalation cron.

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \
        .venv/bin/python bench/monitoring.py [--terminals 10000]
        [--downtimes 100000]

Prints seconds for:
- the feed of 10 000 silent terminals in one call (10 000 downtimes
  opened), the same call repeated (nothing changes), 10 000 terminals seen
  again in one call (all closed), and 100 calls of 100 statuses;
- the escalation cron over 100 000 downtimes (90 % closed, the rest open
  and already escalated but for 100 new ones over 24 h), against one SQL
  statement doing the same selection; and the cron again with nothing new.
Targets: feed of 10 000 statuses ≤ 2 s; cron ≤ 1 s and ≤ 3× the SQL.
"""
import argparse
import datetime
import os
import sys
import time
import uuid

os.environ.setdefault('TRYTOND_DATABASE_URI', 'sqlite://')
if os.environ['TRYTOND_DATABASE_URI'].startswith('sqlite'):
    os.environ['DB_NAME'] = ':memory:'
else:
    os.environ['DB_NAME'] = 'mrk_bench_' + uuid.uuid4().hex[:8]

from sql import Null  # noqa: E402

from trytond.tests.test_tryton import (  # noqa: E402
    activate_module, drop_db)
from trytond.pool import Pool  # noqa: E402
from trytond.transaction import (  # noqa: E402
    Transaction, TransactionError)

DB_NAME = os.environ['DB_NAME']
NOW = datetime.datetime(2026, 3, 11, 12, 0)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def setup(terminals):
    "A company, a monitoring user, terminals placed at 100 points"
    from trytond.modules.company.tests import create_company
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Party = pool.get('party.party')
    Point = pool.get('mrk.point')
    Model = pool.get('mrk.terminal.model')
    Terminal = pool.get('mrk.terminal')
    Placement = pool.get('mrk.terminal.placement')
    Configuration = pool.get('mrk.configuration')
    company = create_company()
    users = {}
    for role in ['monitoring', 'head', 'senior', 'manager']:
        users[role], = User.create([{
                    'login': 'bench_%s' % role, 'name': role,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'groups': [('add', [ModelData.get_id(
                                    'mrk_base', 'group_mrk_%s' % role)])],
                    }])
    config = Configuration(1)
    config.head = users['head']
    config.save()
    parties = Party.create([{
                'name': 'Контрагент %d' % i,
                'mrk_manager': users['manager'].id,
                } for i in range(100)])
    points = Point.create([{
                'name': 'Точка %d' % i, 'party': p.id,
                'address': 'ул. Мира, %d' % i,
                } for i, p in enumerate(parties)])
    model, = Model.create([{'name': 'PAX S920'}])
    created = Terminal.create([{
                'serial_number': 'SN-%06d' % i, 'model': model.id,
                } for i in range(terminals)])
    placement = Placement.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*placement.insert(
            [placement.terminal, placement.point, placement.installed_on,
                placement.create_uid, placement.create_date],
            [[t.id, points[i % len(points)].id, datetime.date(2026, 1, 1),
                    0, datetime.datetime.now()]
                for i, t in enumerate(created)]))
    return company, users, [t.serial_number for t in created]


def bench_feed(users, serials):
    Downtime = Pool().get('mrk.monitoring.downtime')
    silent = [(s, None, datetime.datetime(2026, 3, 10, 6, 0))
        for s in serials]
    seen = [(s, datetime.datetime(2026, 3, 10, 9, 0), None)
        for s in serials]
    results = {}
    with Transaction().set_user(users['monitoring'].id), \
            Transaction().set_context(_check_access=True):
        results['one call, 10 000 opened'], answer = timed(
            Downtime.feed, silent)
        assert answer['opened'] == len(serials), answer
        results['same call repeated'], answer = timed(Downtime.feed, silent)
        assert answer['opened'] == 0, answer
        results['one call, 10 000 closed'], answer = timed(
            Downtime.feed, seen)
        assert answer['closed'] == len(serials), answer
        start = time.perf_counter()
        for i in range(0, min(len(serials), 10000), 100):
            Downtime.feed([(s, None, datetime.datetime(2026, 3, 11, 6, 0))
                    for s in serials[i:i + 100]])
        results['100 calls of 100, opened'] = time.perf_counter() - start
    return results


def bench_escalation(company, users, serials, size):
    "size downtimes by bulk SQL: 90 % closed, the rest open, 100 new"
    pool = Pool()
    Downtime = pool.get('mrk.monitoring.downtime')
    Terminal = pool.get('mrk.terminal')
    table = Downtime.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*table.delete())
    terminals = Terminal.search([], order=[('id', 'ASC')])
    old = datetime.datetime(2026, 3, 1)
    rows = []
    open_count = size // 10
    for i in range(size):
        terminal = terminals[i % len(terminals)].id
        since = old - datetime.timedelta(hours=i % 500)
        if i < size - open_count:
            rows.append([company.id, terminal, since,
                    since + datetime.timedelta(hours=5), 'feed', 'closed',
                    since, since, 0, NOW])
        elif i < size - 100:
            rows.append([company.id, terminal, since, None, 'feed', 'open',
                    since, since, 0, NOW])
        else:
            rows.append([company.id, terminal,
                    NOW - datetime.timedelta(hours=30), None, 'feed', 'open',
                    None, None, 0, NOW])
    columns = [table.company, table.terminal, table.since, table.until,
        table.source, table.state, table.call_scheduled_at,
        table.escalated_at, table.create_uid, table.create_date]
    for i in range(0, len(rows), 5000):
        cursor.execute(*table.insert(columns, rows[i:i + 5000]))
    limit = NOW - datetime.timedelta(hours=24)

    def sql():
        cursor.execute(*table.select(table.id,
                where=table.state.in_(['open', 'cause_found',
                        'repair_ordered'])
                & (table.since <= limit) & (table.escalated_at == Null)))
        return cursor.fetchall()
    reference, expected = timed(sql)
    cron, activities = timed(Downtime.escalate, NOW)
    assert len({a.origin for a in activities}) == len(expected), (
        len(activities), len(expected))
    reference_empty, _ = timed(sql)
    cron_empty, nothing = timed(Downtime.escalate, NOW)
    assert nothing == []
    return {
        'SQL selection (100 new)': reference,
        'escalation cron (100 new)': cron,
        'SQL selection (none new)': reference_empty,
        'escalation cron (none new)': cron_empty,
        }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--terminals', type=int, default=10000)
    parser.add_argument('--downtimes', type=int, default=100000)
    options = parser.parse_args()
    activate_module('mrk_monitoring')
    try:
        # The singletons and the feed lock their tables: as trytond's
        # dispatcher does, the transaction is started again holding them
        extras = {}
        while True:
            try:
                with Transaction().start(DB_NAME, 0, context={},
                        **extras) as transaction:
                    company, users, serials = setup(options.terminals)
                    with transaction.set_context(company=company.id):
                        feed = bench_feed(users, serials)
                        escalation = bench_escalation(
                            company, users, serials, options.downtimes)
                    transaction.rollback()
                break
            except TransactionError as exception:
                exception.fix(extras)
    finally:
        if DB_NAME != ':memory:':
            drop_db()
    print('backend: %s' % os.environ['TRYTOND_DATABASE_URI'].split(':')[0])
    print('feed of %d terminals' % options.terminals)
    for name, seconds in feed.items():
        print('  %-32s %7.2f s' % (name, seconds))
    print('escalation over %d downtimes' % options.downtimes)
    for name, seconds in escalation.items():
        print('  %-32s %7.3f s' % (name, seconds))
    for kind in ['100 new', 'none new']:
        cron = escalation['escalation cron (%s)' % kind]
        sql = escalation['SQL selection (%s)' % kind]
        print('  cron / SQL (%s): %.1f×' % (kind, cron / sql if sql else 0))
    worst = max(feed['one call, 10 000 opened'],
        feed['one call, 10 000 closed'])
    print('feed ≤ 2 s: %s (%.2f s)' % ('PASS' if worst <= 2 else 'MISS',
            worst))


if __name__ == '__main__':
    sys.exit(main())
