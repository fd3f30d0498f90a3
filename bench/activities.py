"""Benchmark of activities: scheduling, the "My activities" tabs and the
daily escalation, at growing sizes, against one SQL statement that selects
the same overdue activities.

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \
        .venv/bin/python bench/activities.py [1000 10000]

Prints, for each size: seconds to schedule the activities, to count the
Overdue / Today / This week tabs of one user, to escalate, the SQL
reference time for the overdue selection and the ratio escalate / SQL.
"""
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

from trytond.tests.test_tryton import (  # noqa: E402
    activate_module, drop_db)
from trytond.modules.mrk_base import codes  # noqa: E402
from trytond.pool import Pool  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402

DB_NAME = os.environ['DB_NAME']


def bench(size):
    pool = Pool()
    Activity = pool.get('mrk.activity')
    Function = pool.get('mrk.function')
    Party = pool.get('party.party')
    User = pool.get('res.user')
    Date = pool.get('ir.date')
    today = Date.today()

    ModelData = pool.get('ir.model.data')
    group = ModelData.get_id('mrk_base', 'group_mrk_manager')
    managers = User.create([{
                'login': 'm%d_%d' % (size, i),
                'name': 'M%d' % i,
                'groups': [('add', [group])],
                } for i in range(20)])
    User.create([{
                'login': 'head%d' % size,
                'name': 'Head',
                'groups': [('add', [
                            ModelData.get_id('mrk_base', 'group_mrk_head')])],
                }])
    Function.write(Function.search([]), {'owner': managers[0].id})
    parties = Party.create([{
                'name': 'Контрагент %d' % i,
                'mrk_manager': managers[i % len(managers)].id,
                } for i in range(size // 10)])

    start = time.perf_counter()
    for offset in range(10):
        Activity.schedule(codes.FIELD_JOB_AGREEMENT, parties,
            deadline=today + datetime.timedelta(days=offset - 5))
    scheduled = time.perf_counter() - start

    start = time.perf_counter()
    with Transaction().set_user(managers[1].id), \
            Transaction().set_context(_check_access=True):
        for due in (['overdue'], ['today'], ['today', 'week']):
            Activity.search_count([
                    ('owner', '=', managers[1].id),
                    ('due', 'in', due),
                    ])
    tabs = time.perf_counter() - start

    activity = Activity.__table__()
    cursor = Transaction().connection.cursor()
    start = time.perf_counter()
    cursor.execute(*activity.select(activity.id,
            where=(activity.state == 'open') & (activity.kind == 'task')
            & (activity.deadline < today) & (activity.escalation == None)))
    expected = len(cursor.fetchall())
    reference = time.perf_counter() - start

    start = time.perf_counter()
    escalations = Activity.escalate(today)
    escalated = time.perf_counter() - start
    assert len(escalations) == expected, (len(escalations), expected)
    return scheduled, tabs, escalated, reference, expected


def main(sizes):
    activate_module('mrk_base')
    print('%8s %10s %8s %10s %9s %9s %7s' % (
            'size', 'schedule s', 'tabs s', 'escalate s', 'overdue',
            'SQL s', 'ratio'))
    try:
        for size in sizes:
            with Transaction().start(DB_NAME, 0, context={}) as transaction:
                scheduled, tabs, escalated, reference, overdue = bench(size)
                transaction.rollback()
            print('%8d %10.2f %8.3f %10.2f %9d %9.4f %7.0f' % (
                    size, scheduled, tabs, escalated, overdue, reference,
                    escalated / reference if reference else 0))
    finally:
        if not DB_NAME == ':memory:':
            drop_db()


if __name__ == '__main__':
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
