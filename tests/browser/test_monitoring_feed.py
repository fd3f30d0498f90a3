"""The monitoring system's feed over real HTTP against the running server
(7.1, docs/monitoring.md): a key not validated by the administrator is
refused, a malformed body gets HTTP 400 with the reason, a repeated call
opens no second downtime, unknown serials come back in the answer and a
terminal seen again closes its downtime. No browser is needed."""
import json
import urllib.error
import urllib.request

import pytest


def post(server, key, body, content_type='application/json'):
    "POST body to the feed with key; return (status, decoded JSON answer)"
    request = urllib.request.Request(
        server.url + server.name + '/mrk_monitoring/feed',
        data=body if isinstance(body, bytes) else body.encode('utf-8'),
        method='POST', headers={'Content-Type': content_type})
    if key is not None:
        request.add_header('Authorization', 'Bearer ' + key)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b'null')
    except urllib.error.HTTPError as error:
        text = error.read()
        try:
            return error.code, json.loads(text)
        except ValueError:
            return error.code, text.decode('utf-8', 'replace')


@pytest.fixture(scope='module')
def key(rpc):
    """A key the administrator creates for the monitoring operator: only
    requested at first, then validated"""
    admin = rpc('admin')
    monitoring = rpc('monitoring')
    application_id, = admin('model.res.user.application.create', [{
                'user': monitoring.user_id,
                'application': 'mrk_monitoring',
                }])
    application, = admin('model.res.user.application.read',
        [application_id], ['key', 'state'])
    assert application['state'] == 'requested'
    return application_id, application['key']


def silent_terminal(rpc):
    "A serial of an installed terminal without any downtime"
    monitoring = rpc('monitoring')
    busy = {d['terminal'] for d in monitoring(
            'model.mrk.monitoring.downtime.search_read',
            [], 0, None, None, ['terminal'])}
    for terminal in monitoring('model.mrk.terminal.search_read',
            [('state', '=', 'installed')], 0, None, None,
            ['serial_number']):
        if terminal['id'] not in busy:
            return terminal['id'], terminal['serial_number']
    pytest.fail('the demo has no installed terminal without downtime')


def test_feed_over_http(server, rpc, key):
    admin = rpc('admin')
    monitoring = rpc('monitoring')
    application_id, secret = key
    terminal_id, serial = silent_terminal(rpc)
    body = json.dumps([
            {'serial': serial, 'online': False,
                'since': '2026-03-10T06:00:00+03:00'},
            {'serial': 'NO-SUCH-SERIAL', 'online': False,
                'since': '2026-03-10T06:00:00+03:00'},
            ])

    # No key, a wrong key, a key not validated yet: refused
    assert post(server, None, body)[0] == 401
    assert post(server, 'wrong-key', body)[0] == 401
    assert post(server, secret, body)[0] == 401
    admin('model.res.user.application.validate_', [application_id])

    # A malformed body: 400 with the reason, nothing written
    status, answer = post(server, secret, '[{"serial": "SN-1", ')
    assert status == 400, answer
    assert 'JSON' in answer['error'], answer
    status, answer = post(server, secret, json.dumps(
            [{'serial': serial, 'online': False, 'since': 'вчера'}]))
    assert status == 400, answer
    assert 'since' in answer['error'] and 'вчера' in answer['error']

    def downtimes(domain=()):
        return monitoring('model.mrk.monitoring.downtime.search_read',
            [('terminal', '=', terminal_id)] + list(domain), 0, None, None,
            ['state', 'source', 'since', 'until'])
    assert downtimes() == []

    # A silent terminal opens one downtime; the unknown serial comes back
    status, answer = post(server, secret, body)
    assert status == 200, answer
    assert answer['opened'] == 1, answer
    assert answer['unknown'] == ['NO-SUCH-SERIAL'], answer
    # The same call again: no duplicate
    status, answer = post(server, secret, body)
    assert (status, answer['opened']) == (200, 0), answer
    opened, = downtimes()
    assert (opened['state'], opened['source']) == ('open', 'feed')

    # Seen again: the downtime closes
    status, answer = post(server, secret, json.dumps(
            {'serial': serial, 'last_seen': '2026-03-10T10:30:00+03:00'}))
    assert (status, answer['closed']) == (200, 1), answer
    closed, = downtimes()
    assert closed['state'] == 'closed'
