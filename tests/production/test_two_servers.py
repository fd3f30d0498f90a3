"""Two application servers (tools/mrk.py serve, each with its gunicorn,
trytond-cron and trytond-worker) on different ports against one
PostgreSQL database: how MRK grows past one machine (docs/admin.md
«Масштабирование»)."""
import json
import time
import uuid

from prod_tools import RPC, RPCError, free_port, serve_command

# [cache] clean_timeout = 0: the invalidation of a cache reaches the other
# processes by LISTEN/NOTIFY at commit, within milliseconds; one second is
# the most a user may see stale data.
AT_ONCE = 1.0


def test_two_servers_share_one_database(database, processes):
    uri, name = database
    ports = free_port(), free_port()
    servers = [processes(serve_command(uri, name, port, workers=1))
        for port in ports]
    urls = ['http://127.0.0.1:%s/' % port for port in ports]
    for server, url in zip(servers, urls):
        assert json.loads(server.wait_for(url + 'health'))['status'] == 'ok'
    a, b = (RPC(url, name, 'admin') for url in urls)
    head = RPC(urls[1], name, 'head')

    # A change through one server is read through the other at once, also
    # where the other keeps it in a cache (the user's preferences).
    before = head('model.res.user.get_preferences', False)['name']
    new_name = 'Руководитель %s' % uuid.uuid4().hex[:6]
    assert before != new_name
    a('model.res.user.write', [head.user_id], {'name': new_name})
    changed = time.monotonic()
    while head('model.res.user.get_preferences', False)['name'] != new_name:
        assert time.monotonic() - changed < AT_ONCE, (
            'the other server still reads %r' % before)
        time.sleep(0.05)
    party, = a('model.party.party.create', [{'name': 'ООО «Два сервера»'}])
    assert b('model.party.party.search',
        [('name', '=', 'ООО «Два сервера»')]) == [party]

    # A write conflict is refused with Tryton's concurrency error: the
    # second user saves a form read before the first one's change.
    read, = a('model.party.party.read', [party], ['name', '_timestamp'])
    b('model.party.party.write', [party], {'name': 'ООО «Первый»'})
    try:
        a('model.party.party.write', [party], {'name': 'ООО «Второй»'},
            context={'_timestamp': {
                    'party.party,%s' % party: read['_timestamp']}})
        refused = None
    except RPCError as error:
        refused = error
    assert refused is not None and refused.name == 'ConcurrencyException', (
        refused)
    assert a('model.party.party.read', [party], ['name'])[0]['name'] == (
        'ООО «Первый»')

    # A job of the scheduler runs once, not once per server: both crons
    # look for due jobs at the start of each minute and lock them.
    cron, = a('model.ir.cron.create', [{
                'method': 'ir.cron.log|clean',
                'interval_number': 1,
                'interval_type': 'days',
                }])
    a('model.ir.cron.write', [cron], {'next_call': None})
    deadline = time.monotonic() + 130
    logs = []
    while time.monotonic() < deadline and not logs:
        logs = a('model.ir.cron.log.search', [('cron', '=', cron)])
        time.sleep(1)
    assert logs, 'the job did not run: %s' % servers[0].output()[-2000:]
    # Both crons have looked (at the same minute) by now.
    time.sleep(15)
    assert len(a('model.ir.cron.log.search', [('cron', '=', cron)])) == 1
    # trytond-cron logs "<Cron id@database method> in … ms" when it ran.
    ran = [s for s in servers
        if '<Cron %s@%s ir.cron.log|clean> in ' % (cron, name) in s.output()]
    assert len(ran) == 1
    next_call = a('model.ir.cron.read', [cron], ['next_call'])[0][
        'next_call']
    assert next_call is not None
    for server in servers:
        assert server.stop() == 0
