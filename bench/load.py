"""Load of a running MRK server over HTTP/JSON-RPC, as the web client
calls it: login, the list of 80 contracts, a contract's form, a search by
INN, saving a task (its note).

    .venv/bin/python bench/load.py --server serve=http://127.0.0.1:8000/ \
        --server run=http://127.0.0.1:8001/ --db mrk \
        [--users 1,20,50] [--seconds 30] [--login admin]

For each server and each number of concurrent users (threads, each its own
session) the script runs for --seconds and prints per request: count,
median, p95, p99, max (ms) and errors, and PASS or MISS against the
targets of docs/admin.md: 20 users — the list median ≤ 50 ms and
p95 ≤ 300 ms; 50 users — no error and no request over 2 s. The password is
the demo's (trytond.modules.mrk_base.demo.password) unless --password.
"""
import argparse
import base64
import json
import statistics
import threading
import time
import urllib.request
from collections import defaultdict

LIST_FIELDS = ['number', 'rec_name', 'party', 'state', 'company']


class Client:

    def __init__(self, url, db, login, password):
        self.url = '%s%s/rpc/' % (url, db)
        started = time.monotonic()
        user_id, session = self.call('common.db.login',
            [login, {'password': password}, 'ru'], auth=False)[:2]
        self.login_ms = (time.monotonic() - started) * 1000
        self.authorization = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, user_id, session)).encode()).decode()
        self.context = self.call('model.res.user.get_preferences',
            [True, {}])

    def call(self, method, params, auth=True):
        headers = {'Content-Type': 'application/json'}
        if auth:
            headers['Authorization'] = self.authorization
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps({'id': 0, 'method': method,
                    'params': params}).encode())
        with urllib.request.urlopen(request, timeout=30) as response:
            result = json.load(response)
        if result.get('error'):
            raise RuntimeError(result['error'])
        return result['result']

    def model(self, model, method, *args):
        return self.call('model.%s.%s' % (model, method),
            [*args, self.context])


def user_loop(client, stop, timings, errors, inns, activity):
    index = 0
    while not stop.is_set():
        index += 1
        steps = [
            ('list', lambda: client.model('mrk.contract', 'search_read',
                    [], 0, 80, None, LIST_FIELDS)),
            ('form', lambda: client.model('mrk.contract', 'read',
                    client.model('mrk.contract', 'search', [], index % 50,
                        1, None), LIST_FIELDS)),
            ('search INN', lambda: client.model('mrk.contract', 'search',
                    [('rec_name', 'ilike', '%%%s%%' % inns[
                                index % len(inns)])], 0, 80, None)),
            ]
        if activity:
            steps.append(('save task', lambda: client.model('mrk.activity',
                        'write', [activity], {'note': 'load %s' % index})))
        for name, step in steps:
            started = time.monotonic()
            try:
                step()
                timings[name].append((time.monotonic() - started) * 1000)
            except Exception as exception:
                errors[name].append(str(exception)[:200])


def run(url, db, login, password, users, seconds):
    clients = [Client(url, db, login, password) for _ in range(users)]
    first = clients[0]
    inns = [p['code'] for p in first.model('party.identifier',
            'search_read', [('type', '=', 'ru_inn')], 0, 50, None, ['code'])
        ] or ['77']
    # Each user saves a task of its own: users saving the same record at
    # the same moment wait on its lock, which is not the load measured.
    activities = first.model('mrk.activity', 'search',
        [('state', '=', 'open')], 0, users, None)
    timings, errors = defaultdict(list), defaultdict(list)
    timings['login'] = [c.login_ms for c in clients]
    stop = threading.Event()
    threads = [threading.Thread(target=user_loop, args=(c, stop, timings,
                errors, inns, activities[i % len(activities)]
                if activities else None))
        for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return timings, errors


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--server', action='append', required=True,
        help="label=url of a running server (repeatable)")
    parser.add_argument('--db', default='mrk')
    parser.add_argument('--users', default='1,20,50')
    parser.add_argument('--seconds', type=float, default=30)
    parser.add_argument('--login', default='admin')
    parser.add_argument('--password')
    options = parser.parse_args()
    password = options.password
    if not password:
        from trytond.modules.mrk_base.demo import password as demo_password
        password = demo_password(options.login)
    print('%-8s %5s %-10s %6s %8s %8s %8s %8s %6s' % ('server', 'users',
            'request', 'count', 'median', 'p95', 'p99', 'max', 'errors'))
    verdicts = []
    for server in options.server:
        label, url = server.split('=', 1)
        url = url if url.endswith('/') else url + '/'
        for users in [int(u) for u in options.users.split(',')]:
            timings, errors = run(url, options.db, options.login, password,
                users, options.seconds)
            for name in ['login', 'list', 'form', 'search INN', 'save task']:
                values = timings.get(name) or [0]
                print('%-8s %5s %-10s %6s %8.0f %8.0f %8.0f %8.0f %6s' % (
                        label, users, name, len(timings.get(name, [])),
                        statistics.median(values), percentile(values, 95),
                        percentile(values, 99), max(values),
                        len(errors.get(name, []))))
            every = [v for n, vs in timings.items() for v in vs]
            if users == 20:
                ok = (statistics.median(timings['list']) <= 50
                    and percentile(timings['list'], 95) <= 300)
                verdicts.append('%s 20 users list median ≤ 50 ms, p95 ≤ 300 ms:'
                    ' %s' % (label, 'PASS' if ok else 'MISS'))
            if users == 50:
                ok = not any(errors.values()) and max(every) <= 2000
                verdicts.append('%s 50 users no error, none over 2 s: %s'
                    % (label, 'PASS' if ok else 'MISS'))
            for name, messages in errors.items():
                if messages:
                    print('   %s error: %s' % (name, messages[0]))
    print('\n'.join(verdicts))


if __name__ == '__main__':
    main()
