"""Benchmark of the exchange with 1C (issue 16): a full reconciliation
(«Полная сверка с 1С») of 10 000 counterparties, 10 000 contracts and
20 000 terminals sent to the fake 1C on loopback.

    .venv/bin/python bench/onec.py [--counterparties 10000]
        [--uri postgresql://postgres@127.0.0.1:5432/]
        [--name mrk_bench_onec] [--keep] [--batch 500]

Not a test: it prints figures and a verdict and runs outside CI.

A database ``mrk_bench_onec`` is created with mrk_1c activated; the records
are made through the ORM (each counterparty with a bank account, an
active contract, a point and two installed terminals). The fake 1C
(addons/mrk_1c/tests/onec_fake.py) runs in a process of its own. A fresh
process then, as the cron would: queues everything again (the wizard's
``resync``), sends the queue with the counterparties in batches of
``--batch`` (``send_queue(commit=True)``), queues everything again and
sends it with one call per record (batch size 1). It reports seconds and
records per second of each, per kind, and its peak RSS.

Target (issue 16): >= 2 000 records/s batched. Only counterparties have
a batch operation in 1C's WSDL (UpsertCounterparties): contracts,
terminals and files are one call each whatever the settings, so the
figure of the whole resync is bounded by the round trip of one SOAP call.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URI = 'postgresql://postgres@127.0.0.1:5432/'
DB_NAME = 'mrk_bench_onec'
TARGET_RATE = 2000.0
CHUNK = 500


def setup(name, url, count):
    "The database with mrk_1c, the settings and the records, committed"
    from trytond.modules.company.tests import create_company
    from trytond.pool import Pool
    from trytond.tests.test_tryton import activate_module
    from trytond.transaction import Transaction, TransactionError
    activate_module('mrk_1c')
    extras = {}
    while True:
        try:
            with Transaction().start(name, 0, **extras) as transaction:
                company_id = create_company().id
                Configuration = Pool().get('mrk.onec.configuration')
                config = Configuration(1)
                config.enabled = True
                config.url = url
                config.login = 'Обмен'
                config.password = 'Пароль1'
                config.timeout = 30
                config.save()
                transaction.commit()
            break
        except TransactionError as exception:
            exception.fix(extras)
    start = time.perf_counter()
    for offset in range(0, count, CHUNK):
        with Transaction().start(name, 0, context={
                    'company': company_id}) as transaction:
            make_records(offset, min(CHUNK, count - offset), company_id)
            transaction.commit()
    return time.perf_counter() - start


def make_records(offset, count, company_id):
    from trytond.pool import Pool
    pool = Pool()
    company = pool.get('company.company')(company_id)
    Party = pool.get('party.party')
    Contract = pool.get('mrk.contract')
    Point = pool.get('mrk.point')
    Model = pool.get('mrk.terminal.model')
    Terminal = pool.get('mrk.terminal')
    Placement = pool.get('mrk.terminal.placement')
    models = Model.search([], limit=1)
    if not models:
        models = Model.create([{'name': 'PAX S920', 'manufacturer': 'PAX'}])
    model, = models
    numbers = range(offset, offset + count)
    parties = Party.create([{
                'name': 'ООО «Контрагент %05d»' % i,
                'legal_form': 'ooo',
                'legal_name': 'Общество «Контрагент %05d»' % i,
                'inn': '7707083893', 'kpp': '773601001',
                'ogrn': '1027700132195',
                'bank_accounts': [('create', [{
                                'bank_name': 'ПАО Сбербанк',
                                'bik': '044525225',
                                'account': '40702810938000000001',
                                'correspondent_account':
                                '30101810400000000225',
                                }])],
                } for i in numbers])
    start = datetime.date(2026, 1, 1)
    contracts = Contract.create([{
                'company': company.id, 'currency': company.currency.id,
                'party': p.id, 'date': start, 'start_date': start,
                'end_date': datetime.date(2026, 12, 31),
                'rent_amount': 5000,
                } for p in parties])
    Contract.activate(contracts)
    points = Point.create([{
                'name': 'Точка %05d' % i, 'party': p.id, 'city': 'Москва',
                'address': 'ул. Мира, д. %d' % (i % 200 + 1),
                'contact_name': 'Петров', 'contact_phone': '+7 495 000-00-00',
                'opening_hours': '9–21',
                } for i, p in zip(numbers, parties)])
    terminals = Terminal.create([{
                'serial_number': 'SN%05d-%d' % (i, j),
                'model': model.id,
                } for i in numbers for j in range(2)])
    Placement.create([{
                'terminal': t.id, 'point': points[k // 2].id,
                'contract': contracts[k // 2].id,
                'installed_on': datetime.date(2026, 1, 10),
                } for k, t in enumerate(terminals)])


def child(name, batch):
    "In a fresh process: resync and send, batched then one per call"
    import resource

    from trytond.pool import Pool
    from trytond.transaction import Transaction

    Pool.start()
    pool = Pool(name)
    pool.init()
    figures = {}
    for label, size in [('batched', batch), ('one_per_call', 1)]:
        with Transaction().start(name, 0) as transaction:
            Configuration = pool.get('mrk.onec.configuration')
            Message = pool.get('mrk.onec.message')
            Resync = pool.get('mrk.onec.resync', type='wizard')
            config = Configuration(1)
            config.batch_size = size
            config.save()
            # Everything delivered before: the resync queues it all again
            table = Message.__table__()
            cursor = transaction.connection.cursor()
            cursor.execute(*table.update([table.state], ['sent'],
                    where=table.state != 'sent'))
            start = time.perf_counter()
            counts = Resync.resync()
            figures[label + '_queue_s'] = time.perf_counter() - start
            figures['records'] = sum(counts.values())
            figures['counts'] = counts
            transaction.commit()
        with Transaction().start(name, 0) as transaction:
            Message = pool.get('mrk.onec.message')
            start = time.perf_counter()
            cpu = time.process_time()
            delivered = Message.send_queue(commit=True)
            figures[label + '_send_s'] = time.perf_counter() - start
            figures[label + '_cpu_s'] = time.process_time() - cpu
            figures[label + '_delivered'] = delivered
        # Read in a transaction of its own: the batches committed in theirs
        with Transaction().start(name, 0):
            Message = pool.get('mrk.onec.message')
            figures[label + '_left'] = Message.search_count(
                [('state', '!=', 'sent')])
    figures['peak_rss_mb'] = resource.getrusage(
        resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--counterparties', type=int, default=10000,
        help="each with a contract and two terminals")
    parser.add_argument('--batch', type=int, default=500)
    parser.add_argument('--uri', default=os.environ.get(
            'TRYTOND_DATABASE_URI', DEFAULT_URI))
    parser.add_argument('--name', default=DB_NAME)
    parser.add_argument('--keep', action='store_true')
    parser.add_argument('--child', nargs='+', help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child[0], int(options.child[1]))

    env = dict(os.environ, TRYTOND_DATABASE_URI=options.uri,
        TRYTOND_DATABASE__URI=options.uri, DB_NAME=options.name)
    # DB_CACHE, when set, only spares the activation of the modules
    os.environ.update(TRYTOND_DATABASE_URI=options.uri,
        TRYTOND_DATABASE__URI=options.uri, DB_NAME=options.name)
    if options.uri.startswith('sqlite'):
        raise SystemExit('The target is stated for PostgreSQL: give a '
            'postgresql:// URI')
    from trytond.tests.test_tryton import drop_db

    fake = subprocess.Popen([sys.executable, '-m',
            'trytond.modules.mrk_1c.tests.onec_fake'],
        stdout=subprocess.PIPE, text=True)
    try:
        url = fake.stdout.readline().strip()
        drop_db()
        made = setup(options.name, url, options.counterparties)
        try:
            process = subprocess.run([sys.executable, __file__, '--child',
                    options.name, str(options.batch)],
                env=env, stdout=subprocess.PIPE, text=True)
            if process.returncode:
                raise SystemExit(process.returncode)
            figures = json.loads(process.stdout.strip().splitlines()[-1])
        finally:
            if not options.keep:
                drop_db()
    finally:
        fake.terminate()
        fake.wait()
    records = figures['records']
    print('records: %s (made through the ORM in %.0f s)' % (
            ', '.join('%s %s' % i for i in figures['counts'].items()),
            made))
    print('%-34s %9s %9s %9s' % ('step', 'seconds', 'records/s', 'CPU s'))
    for label in ['batched', 'one_per_call']:
        print('%-34s %9.2f %9.0f %9s' % (
                'queue everything (%s run)' % label.replace('_', ' '),
                figures[label + '_queue_s'],
                records / figures[label + '_queue_s'], ''))
        print('%-34s %9.2f %9.0f %9.1f' % (
                'send, %s' % label.replace('_', ' '),
                figures[label + '_send_s'],
                records / figures[label + '_send_s'],
                figures[label + '_cpu_s']))
        if figures[label + '_left']:
            print('  %d messages not sent!' % figures[label + '_left'])
    print('peak RSS of the sending process: %.0f MB'
        % figures['peak_rss_mb'])
    rate = records / figures['batched_send_s']
    verdict = 'PASS' if rate >= TARGET_RATE else 'MISS'
    print('%s: %.0f records/s batched (target >= %.0f)' % (
            verdict, rate, TARGET_RATE))
    return 0 if verdict == 'PASS' else 1


if __name__ == '__main__':
    sys.exit(main())
