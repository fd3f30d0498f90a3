"""Helpers of the production tests (see conftest.py)."""
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
VAR_DB = ROOT / 'var' / 'db'
MRK = ROOT / 'tools' / 'mrk.py'
START_TIMEOUT = 120


def postgresql_uri():
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if uri.startswith('postgresql'):
        return uri
    return 'postgresql://postgres@127.0.0.1:5432/'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def password(login):
    from trytond.modules.mrk_base.demo import password
    return password(login)


def drop_database(uri, name):
    import psycopg
    conninfo = urlparse(uri)._replace(path='/postgres').geturl()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)
    for stamp in VAR_DB.glob(name + '.*.stamp'):
        stamp.unlink(missing_ok=True)
    shutil.rmtree(VAR_DB / name, ignore_errors=True)


class RPCError(Exception):

    @property
    def name(self):
        return self.args[0][0] if isinstance(self.args[0], list) else None


class RPC:
    "JSON-RPC of one user through one server, as sao calls it"

    def __init__(self, url, database, login):
        self.url = '%s%s/rpc/' % (url, database)
        self.user_id, session = self.post('common.db.login',
            [login, {'password': password(login)}, 'ru'])[:2]
        self.authorization = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, self.user_id, session)).encode()).decode()
        self.context = self.post('model.res.user.get_preferences',
            [True, {}], self.authorization)

    def post(self, method, params, authorization=None):
        headers = {'Content-Type': 'application/json'}
        if authorization:
            headers['Authorization'] = authorization
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps(
                {'id': 0, 'method': method, 'params': params}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            result = json.load(response)
        if result.get('error'):
            raise RPCError(result['error'])
        return result['result']

    def __call__(self, method, *args, context=None):
        return self.post(method, [*args, {**self.context, **(context or {})}],
            self.authorization)


def get(url, timeout=10):
    "(status, body) of a GET"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Process:
    "A command of the production started in its own process group"

    def __init__(self, command, env=None, cwd=ROOT):
        self.log = tempfile.NamedTemporaryFile('w+', prefix='mrk-prod-',
            suffix='.log', delete=False)
        self.process = subprocess.Popen(command, env=env, cwd=cwd,
            stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def pid(self):
        return self.process.pid

    def output(self):
        self.log.flush()
        return Path(self.log.name).read_text(errors='replace')

    def wait_for(self, url, timeout=START_TIMEOUT):
        "Wait until url answers 200; its body"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail('%s stopped (exit code %s):\n%s' % (
                        self.process.args[:3], self.process.returncode,
                        self.output()[-4000:]))
            try:
                status, body = get(url, timeout=5)
                if status == 200:
                    return body
            except OSError:
                pass
            time.sleep(0.3)
        pytest.fail('%s did not answer within %s s:\n%s'
            % (url, timeout, self.output()[-4000:]))

    def stop(self, sig=signal.SIGTERM, timeout=45):
        "Stop with sig (to the process only); its exit code"
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def group_alive(self):
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def close(self):
        # serve stops the processes it started (their own groups) on
        # SIGTERM; SIGKILL is the last resort.
        if self.process.poll() is None:
            self.stop(signal.SIGTERM)
        if self.process.poll() is None or self.group_alive():
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)




def serve_command(uri, name, port, workers=2):
    return [sys.executable, str(MRK), 'serve', '--db', uri, '--name', name,
        '--port', str(port), '--host', '127.0.0.1',
        '--workers', str(workers), '--no-setup']
