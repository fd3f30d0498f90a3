"""tools/mrk.py serve: gunicorn with several workers, trytond-cron and
trytond-worker as processes of their own, health URL, access log, clean
stop (docs/admin.md «Промышленный запуск»)."""
import configparser
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psycopg

from prod_tools import MRK, ROOT, RPC, free_port, get, serve_command


def children(pid):
    "The command lines of the processes whose parent is pid"
    result = []
    for stat in Path('/proc').glob('[0-9]*/stat'):
        try:
            fields = stat.read_text().rsplit(')', 1)[1].split()
            if int(fields[1]) == pid:
                result.append((int(stat.parent.name),
                        stat.parent.joinpath('cmdline').read_bytes()
                        .replace(b'\0', b' ').decode()))
        except (OSError, IndexError, ValueError):
            continue
    return result


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serve_workers_cron_worker_health_and_stop(database, processes):
    uri, name = database
    port = free_port()
    server = processes(serve_command(uri, name, port, workers=3))
    url = 'http://127.0.0.1:%s/' % port
    body = json.loads(server.wait_for(url + 'health'))
    assert body['status'] == 'ok'
    assert body['databases'] == {name: 'ok'}
    assert body['version'] and body['trytond'].startswith('8.0')

    # The web client and JSON-RPC as sao uses them.
    status, page = get(url)
    assert status == 200 and b'<html' in page.lower()
    rpc = RPC(url, name, 'admin')
    assert rpc('model.mrk.contract.search_count', [])

    # gunicorn's master with 3 workers, trytond-cron, trytond-worker
    # ([queue] worker = True in config/trytond-production.conf), each a
    # process of its own, all without asserts (PYTHONOPTIMIZE).
    processes_ = dict(children(server.pid))
    commands = list(processes_.values())
    assert any('gunicorn' in c for c in commands), commands
    assert any('trytond-cron' in c for c in commands), commands
    assert any('trytond-worker' in c for c in commands), commands
    gunicorn = next(p for p, c in processes_.items() if 'gunicorn' in c)
    assert len(children(gunicorn)) == 3
    environ = Path('/proc/%s/environ' % gunicorn).read_bytes()
    assert b'PYTHONOPTIMIZE=1\0' in environ

    # The access log: one key=value line per request, with its duration.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and 'path="/health"' not in (
            server.output()):
        time.sleep(0.2)
    line = next(l for l in server.output().splitlines()
        if 'path="/health"' in l)
    assert 'status=200' in line and 'duration_ms=' in line

    # SIGTERM (as docker stop, systemd) stops every process of it.
    assert server.stop(signal.SIGTERM) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and server.group_alive():
        time.sleep(0.2)
    assert not server.group_alive()
    try:
        get(url + 'health', timeout=2)
        answered = True
    except OSError:
        answered = False
    assert not answered


def test_serve_killed_leaves_no_server_running(database, processes):
    "Even when serve is killed (SIGKILL), its servers do not run on"
    uri, name = database
    port = free_port()
    server = processes(serve_command(uri, name, port, workers=1))
    server.wait_for('http://127.0.0.1:%s/health' % port)
    started = [pid for pid, command in children(server.pid)
        if any(n in command for n in ['gunicorn', 'trytond-cron',
                'trytond-worker'])]
    assert len(started) == 3
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    # gunicorn's workers and the pools of the cron and the worker too:
    # every process of the groups of the three servers.
    def alive():
        return [pid for pid in started if group_alive(pid)]
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and alive():
        time.sleep(0.3)
    assert not alive()


def test_health_reports_an_unreachable_database(database, processes):
    """/health answers 503 when the database stops answering (the load
    balancer stops sending users there), 200 again once it is back"""
    uri, name = database
    port = free_port()
    env = dict(os.environ, TRYTOND_WEB__LISTEN='127.0.0.1:%s' % port,
        MRK_WORKERS='1')
    server = processes([sys.executable, str(MRK), 'app', '--db', uri,
            '--name', name], env=env)
    url = 'http://127.0.0.1:%s/health' % port
    server.wait_for(url)
    conninfo = urlparse(uri)._replace(path='/postgres').geturl()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        try:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS false' % name)
            conn.execute('SELECT pg_terminate_backend(pid) '
                'FROM pg_stat_activity WHERE datname = %s', (name,))
            status, body = get(url, timeout=120)
        finally:
            conn.execute('ALTER DATABASE "%s" ALLOW_CONNECTIONS true' % name)
    assert status == 503, body
    body = json.loads(body)
    assert body['status'] == 'error' and body['databases'][name] != 'ok'
    server.wait_for(url, timeout=60)
    assert server.stop(signal.SIGTERM) == 0


def test_production_config_agrees_with_development_config():
    "The options of config/trytond.conf are the same in production"
    development = configparser.RawConfigParser()
    development.read(ROOT / 'config' / 'trytond.conf')
    production = configparser.RawConfigParser()
    production.read(ROOT / 'config' / 'trytond-production.conf')
    for section in development.sections():
        for option, value in development.items(section):
            assert production.get(section, option, fallback=None) == value, (
                section, option)
    # Nothing secret, nothing that the environment must give.
    assert not production.has_option('database', 'uri')
    assert not production.has_option('email', 'uri')
    assert production.get('cache', 'clean_timeout') == '0'
    assert production.getboolean('queue', 'worker')


def test_serve_fails_when_a_server_ends(database):
    """A server that cannot start (no such database) ends serve with exit
    code 1, and stops the others: systemd or Docker start it again"""
    uri, name = database
    missing = name + '_missing'
    result = subprocess.run(serve_command(uri, missing, free_port(),
            workers=1), capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert 'MRK stopped:' in result.stderr and 'ended' in result.stderr
    assert not [pid for pid in Path('/proc').glob('[0-9]*')
        if missing.encode() in _cmdline(pid)]


def _cmdline(path):
    try:
        return (path / 'cmdline').read_bytes()
    except OSError:
        return b''
