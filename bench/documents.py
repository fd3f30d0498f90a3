"""Benchmark of the document register (mrk_documents): the daily return
control (reminders, calls, escalation) and the monthly expected documents,
at 10k and 100k documents, against one SQL statement making the same
selection.

    TRYTOND_DATABASE_URI=postgresql://postgres@127.0.0.1:5432/ \
        .venv/bin/python bench/documents.py [10000 100000]

The documents are written by bulk SQL: a year of 350 counterparties is
about 12 000 documents, so N documents have N / 12 contracts (copies of one
contract made through the ORM). One in five documents is at the
counterparty with its deadline spread over 120 days around today (what the
daily run looks at), the others are returned, in accounting or archived.
Every contract pays by invoice and issues monthly acts: the monthly run
makes three documents per contract.

Prints, per size: the daily run (its selection alone, then the whole run
with its e-mails, reminders and activities), the SQL selection of the same
documents, the monthly run, its SQL selection, the ratios and PASS / MISS
against ≤ 1 s and ≤ 3 × SQL.
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

from sql import Literal, Null  # noqa: E402
from sql.conditionals import Coalesce  # noqa: E402

from trytond.tests.test_tryton import (  # noqa: E402
    activate_module, drop_db)
from trytond.pool import Pool  # noqa: E402
from trytond.transaction import Transaction  # noqa: E402

DB_NAME = os.environ['DB_NAME']
TARGET = 1.0
RATIO = 3.0


def make_contracts(count):
    "count active contracts paid by invoice, copies of one made by the ORM"
    from trytond.modules.company.tests import create_company
    from trytond.modules.mrk_contracts.tests.test_contract import make_party
    from trytond.modules.mrk_rent.tests.tools import make_contract, make_term
    pool = Pool()
    Contract = pool.get('mrk.contract')
    RentTerm = pool.get('mrk.rent.term')
    company = create_company()
    with Transaction().set_context(company=company.id):
        party = make_party()
        contract = make_contract(party, start=datetime.date(2020, 1, 1),
            end=datetime.date(2030, 12, 31), act_frequency='month')
        make_term(contract, '1000.00', payment_form='invoice')
    cursor = Transaction().connection.cursor()
    for Model, source, rename in [
            (Contract, contract.id, 'number'),
            ]:
        table = Model.__table__()
        cursor.execute('SELECT * FROM "%s" WHERE id = %s' % (
                Model._table, source))
        names = [d[0] for d in cursor.description]
        row = dict(zip(names, cursor.fetchone()))
        names = [n for n in names if n != 'id']
        rows = []
        for i in range(count - 1):
            values = dict(row)
            values[rename] = 'B-%06d' % i
            rows.append([values[n] for n in names])
        from sql import Column
        columns = [Column(table, n) for n in names]
        for i in range(0, len(rows), 1000):
            cursor.execute(*table.insert(columns, rows[i:i + 1000]))
    contract_ids = [c.id for c in Contract.search([])]
    # One rent term by invoice per contract
    term = RentTerm.__table__()
    cursor.execute('SELECT * FROM "%s" WHERE contract = %s' % (
            RentTerm._table, contract.id))
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone()))
    names = [n for n in names if n != 'id']
    from sql import Column
    rows = []
    for contract_id in contract_ids:
        if contract_id == contract.id:
            continue
        values = dict(row, contract=contract_id)
        rows.append([values[n] for n in names])
    for i in range(0, len(rows), 1000):
        cursor.execute(*term.insert(
                [Column(term, n) for n in names], rows[i:i + 1000]))
    return company, party, contract_ids


def make_documents(company, party, contract_ids, count, today):
    Document = Pool().get('mrk.document')
    table = Document.__table__()
    cursor = Transaction().connection.cursor()
    columns = [table.company, table.party, table.contract, table.kind,
        table.direction, table.state, table.copies, table.reminder_count,
        table.sent_on, table.return_deadline, table.next_reminder_on,
        table.escalated_on, table.create_uid, table.create_date]
    now = datetime.datetime.now()
    rows = []
    for i in range(count):
        contract = contract_ids[i % len(contract_ids)]
        if i % 5 == 0:
            deadline = today + datetime.timedelta(days=(i // 5) % 120 - 60)
            state = 'counterparty'
            sent = deadline - datetime.timedelta(days=14)
            following = max(sent, deadline - datetime.timedelta(days=3))
            if following < today:
                # reminded already: the next one is due within the week
                following = today + datetime.timedelta(days=(i // 5) % 7)
            escalated = (today if deadline < today
                - datetime.timedelta(days=7) and i % 2 else None)
        else:
            state = ('returned', 'accounting', 'archived')[i % 3]
            deadline = following = escalated = None
            sent = today - datetime.timedelta(days=30 + i % 300)
        rows.append([company.id, party.id, contract, 'amendment',
                'outgoing', state, 2, 0, sent, deadline, following,
                escalated, 0, now])
    for i in range(0, len(rows), 1000):
        cursor.execute(*table.insert(columns, rows[i:i + 1000]))


def sql_daily(today, grace):
    "One statement: the documents to remind or to escalate today"
    Document = Pool().get('mrk.document')
    table = Document.__table__()
    cursor = Transaction().connection.cursor()
    limit = today - datetime.timedelta(days=grace)
    cursor.execute(*table.select(table.id,
            where=(table.state == 'counterparty')
            & ((table.next_reminder_on <= today)
                | ((table.escalated_on == Null)
                    & (table.return_deadline < limit)))))
    return len(cursor.fetchall())


def sql_monthly(month):
    """One statement: the (contract, kind) expected in the month and not
    made yet (invoice of the month, acts of the month past)"""
    pool = Pool()
    Contract = pool.get('mrk.contract')
    Document = pool.get('mrk.document')
    contract = Contract.__table__()
    document = Document.__table__()
    cursor = Transaction().connection.cursor()
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    month_end = (month + datetime.timedelta(days=32)).replace(day=1) \
        - datetime.timedelta(days=1)
    made = document.select(document.contract,
        where=(document.period.in_([month, previous]))
        & document.kind.in_(['invoice', 'work_act', 'invoice_factura']))
    cursor.execute(*contract.select(contract.id,
            where=contract.state.in_(['active', 'terminated', 'expired'])
            & (contract.start_date <= month_end)
            & (Coalesce(contract.end_date, Literal(month_end)) >= previous)
            & ~contract.id.in_(made)))
    return len(cursor.fetchall())


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def bench(size):
    pool = Pool()
    Document = pool.get('mrk.document')
    Date = pool.get('ir.date')
    config = pool.get('mrk.configuration')(1)
    today = Date.today()
    contracts = max(size // 12, 1)
    company, party, contract_ids = make_contracts(contracts)
    make_documents(company, party, contract_ids, size, today)
    with Transaction().set_context(company=company.id):
        def selection():
            due = Document.search([
                    ('state', '=', 'counterparty'),
                    ('next_reminder_on', '<=', today),
                    ])
            limit = today - datetime.timedelta(
                days=config.document_return_grace)
            late = Document.search([
                    ('state', '=', 'counterparty'),
                    ('escalated_on', '=', None),
                    ('return_deadline', '<', limit),
                    ])
            return len(due), len(late)

        select_time, (due, late) = timed(selection)
        sql_time, sql_count = timed(sql_daily, today,
            config.document_return_grace)
        # The e-mails would go when the transaction commits: the bench
        # rolls back
        run_time, _ = timed(Document.remind_returns, today)

        month = today.replace(day=1)
        sql_month_time, candidates = timed(sql_monthly, month)
        month_time, made = timed(Document.generate_expected, today)
        again_time, again = timed(Document.generate_expected, today)
    return {
        'size': size, 'contracts': contracts,
        'due': due, 'late': late, 'sql_count': sql_count,
        'select': select_time, 'run': run_time, 'sql': sql_time,
        'candidates': candidates, 'made': made, 'again': again,
        'month': month_time, 'month_again': again_time,
        'sql_month': sql_month_time,
        }


def verdict(seconds, reference):
    ok = seconds <= TARGET and seconds <= RATIO * max(reference, 0.001)
    return 'PASS' if ok else 'MISS'


def main(sizes):
    results = []
    for size in sizes:
        drop_db()
        activate_module(['mrk_documents'])
        with Transaction().start(DB_NAME, 0, context={}) as transaction:
            results.append(bench(size))
            transaction.rollback()
    drop_db()
    print('| documents | contracts | daily: due / escalated | selection s '
        '| SQL s | ratio | whole run s | monthly: made | monthly s '
        '| again s | SQL s | ratio | verdict (selection; monthly) |')
    print('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for r in results:
        print('| %d | %d | %d / %d (SQL %d) | %.3f | %.3f | %.1f | %.3f '
            '| %d (SQL %d) | %.3f | %.3f | %.3f | %.1f | %s; %s |' % (
                r['size'], r['contracts'], r['due'], r['late'],
                r['sql_count'], r['select'], r['sql'],
                r['select'] / max(r['sql'], 0.001), r['run'],
                r['made'], r['candidates'], r['month'], r['month_again'],
                r['sql_month'], r['month'] / max(r['sql_month'], 0.001),
                verdict(r['select'], r['sql']),
                verdict(r['month'], r['sql_month'])))


if __name__ == '__main__':
    main([int(a) for a in sys.argv[1:]] or [10000, 100000])
