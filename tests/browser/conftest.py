"""Browser tests: a real MRK server and sao driven by Debian's Chromium.

The session starts its own server (tools/mrk.py run) on a free loopback
port with a fresh database named mrk_browser_<pid>_<random>: SQLite under
var/db by default, PostgreSQL when TRYTOND_DATABASE_URI starts with
postgresql (e.g. postgresql://postgres@127.0.0.1:5432/). The server, its
trytond-cron and the database are removed at the end.

Screenshots are written to var/screenshots/.
"""
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
VAR_DB = ROOT / 'var' / 'db'
SCREENSHOTS = ROOT / 'var' / 'screenshots'
# The tests import their shared locators (sao_pages.py) from this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic']
DESKTOP = {'width': 1280, 'height': 800}
PHONE = {'width': 390, 'height': 844}
# Database creation, module activation and demo data: about 20-40 s on
# SQLite, a minute or more on PostgreSQL.
SERVER_TIMEOUT = 240
# Longest wait for one element of the page.
TIMEOUT = 20_000


def password(login):
    from trytond.modules.mrk_base.demo import password
    return password(login)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class RPCError(Exception):
    pass


class RPC:
    "JSON-RPC of one user, authenticated like sao"

    def __init__(self, server, login):
        self.url = '%s%s/rpc/' % (server.url, server.name)
        self.login = login
        self.user_id, session = self._post('common.db.login',
            [login, {'password': password(login)}, 'ru'])[:2]
        self._context = None
        self.authorization = 'Session ' + base64.b64encode(
            ('%s:%s:%s' % (login, self.user_id, session)).encode()).decode()

    def _post(self, method, params, authorization=None):
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

    @property
    def context(self):
        "The user's context, as sao sends it (company, language …)"
        if self._context is None:
            self._context = self._post('model.res.user.get_preferences',
                [True, {}], self.authorization)
        return self._context

    def __call__(self, method, *args, context=None):
        "Call model method, e.g. rpc('model.mrk.activity.read', ids, names)"
        return self._post(method,
            [*args, {**self.context, **(context or {})}],
            self.authorization)


class Server:

    def __init__(self, uri, name, port):
        self.uri = uri
        self.name = name
        self.port = port
        self.url = 'http://127.0.0.1:%s/' % port
        self.process = None
        self.log = tempfile.NamedTemporaryFile(
            'w+', prefix='mrk-browser-', suffix='.log', delete=False)

    @property
    def sqlite(self):
        return urlparse(self.uri).scheme.startswith('sqlite')

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / 'tools' / 'mrk.py'), 'run',
                '--db', self.uri, '--name', self.name,
                '--port', str(self.port)],
            cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # Its own process group: trytond, trytond-cron and the cron's
            # workers are stopped together.
            start_new_session=True)
        deadline = time.monotonic() + SERVER_TIMEOUT
        error = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail('The server stopped (exit code %s):\n%s'
                    % (self.process.returncode, self.log_tail()))
            try:
                with urllib.request.urlopen(self.url, timeout=5) as response:
                    response.read()
                RPC(self, 'admin')
                return
            except (OSError, ValueError, RPCError) as exception:
                error = exception
            time.sleep(0.5)
        pytest.fail('The server did not answer on %s within %s s (%s):\n%s'
            % (self.url, SERVER_TIMEOUT, error, self.log_tail()))

    def log_tail(self, lines=40):
        self.log.flush()
        text = Path(self.log.name).read_text(errors='replace')
        return '\n'.join(text.splitlines()[-lines:])

    def stop(self):
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        if self.process:
            # The cron's workers may outlive their parent for a moment.
            for _ in range(50):
                try:
                    os.killpg(self.process.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.log.close()
        os.unlink(self.log.name)

    def drop(self):
        if self.sqlite:
            for suffix in ['', '-wal', '-shm', '-journal']:
                path = VAR_DB / (self.name + '.sqlite' + suffix)
                path.unlink(missing_ok=True)
        else:
            import psycopg
            conninfo = urlparse(self.uri)._replace(path='/postgres').geturl()
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(
                    'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.name)
        for stamp in VAR_DB.glob(self.name + '.*.stamp'):
            stamp.unlink(missing_ok=True)
        # The attachments of the database (the demo's PDFs)
        shutil.rmtree(VAR_DB / self.name, ignore_errors=True)


@pytest.fixture(scope='session')
def server():
    "A running MRK server with its own fresh database and the demo data"
    uri = os.environ.get('TRYTOND_DATABASE_URI', '')
    if not uri.startswith('postgresql'):
        uri = 'sqlite://'
    name = 'mrk_browser_%s_%s' % (os.getpid(), secrets.token_hex(3))
    server = Server(uri, name, free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()
        server.drop()


@pytest.fixture(scope='session')
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail('%s is missing: install Debian\'s chromium '
            '(apt-get install chromium) to run the browser tests.'
            % CHROMIUM, pytrace=False)
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=TIMEOUT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM,
            args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, 'report_' + report.when, report)
    return report


@pytest.fixture
def new_page(request, browser):
    "new_page(viewport) returns a page in a fresh browser context"
    contexts = []

    def new_page(viewport=DESKTOP):
        # An English browser: the Russian comes from MRK, not from the
        # browser's language.
        context = browser.new_context(viewport=viewport, locale='en-US',
            timezone_id='Europe/Moscow')
        context.set_default_timeout(TIMEOUT)
        contexts.append(context)
        return context.new_page()
    yield new_page
    report = getattr(request.node, 'report_call', None)
    for context in contexts:
        if report is not None and report.failed:
            # What the user saw when the test failed.
            for page in context.pages:
                viewport = page.viewport_size
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / ('failed-%s-%sx%s.png'
                                % (request.node.name, viewport['width'],
                                    viewport['height']))))
        context.close()


class Sao:
    "What a user does in sao, with waits on sao's own DOM hooks"

    def __init__(self, server):
        self.server = server

    def open(self, page):
        "Open the login dialog of the test database"
        page.goto(self.server.url + '#' + self.server.name)
        dialog = page.locator('.login-dialog').filter(
            has=page.locator('#login:visible'))
        # The database is picked from the URL once the list is loaded.
        page.wait_for_function('''name => Array.from(
            document.querySelectorAll('.login-dialog #database')).some(
                e => e.offsetParent !== null && e.value === name)''',
            arg=self.server.name)
        return dialog

    def login(self, page, login):
        "Log in as login with its demo password and wait for the menu"
        from playwright.sync_api import TimeoutError
        dialog = self.open(page)
        password_entry = page.locator('.ask-dialog #ask-dialog-entry')
        for attempt in range(3):
            try:
                if not password_entry.is_visible():
                    dialog.locator('#login').fill(login, timeout=5_000)
                    dialog.locator('button[type=submit]').click(
                        timeout=5_000)
                password_entry.wait_for(state='visible', timeout=10_000)
                break
            except TimeoutError:
                if attempt == 2:
                    raise
        password_entry.fill(password(login))
        page.locator('.ask-dialog .modal-footer .btn-primary').click()
        # The menu is loaded; on a phone sao hides it once the role's
        # landing screen has opened in a tab.
        page.locator('#menu tbody tr').first.wait_for(state='attached')
        page.wait_for_function('''() => document.querySelector(
            '#menu tbody tr').offsetParent !== null
            || document.querySelectorAll('#tablist > li').length > 0''')
        # The role's landing screens open one after the other: wait until
        # no tab has been added for a second, so that a test's own screen is
        # not covered by a landing screen opening late.
        previous = -1
        for _ in range(30):
            count = page.locator('#tablist > li').count()
            if count == previous:
                break
            previous = count
            page.wait_for_timeout(1000)

    def menu_entry(self, page, labels):
        "The menu entry titled one of labels (Russian, English)"
        return page.locator(', '.join(
                '#menu tbody tr:has(.column-char[title="%s"])' % label
                for label in labels)).first

    def open_menu(self, page, *path):
        "Click through the menu; each step is a (Russian, English) pair"
        from playwright.sync_api import TimeoutError
        shown = False
        if page.locator('#menu.hidden').count():
            # On a phone the menu hides behind the open tabs.
            page.locator('[data-toggle="menu"]:visible').first.click()
            shown = True
        for labels in path:
            self.menu_entry(page, labels).click()
        if shown:
            # A new tab hides the menu again; a tab already open (the
            # role's landing screen) is only selected: hide the menu.
            try:
                page.wait_for_function("""() => !document.querySelector(
                    '#tabs').classList.contains('hidden-xs')""",
                    timeout=3_000)
            except TimeoutError:
                page.locator('[data-toggle="menu"]:visible').first.click()

    def screenshot(self, page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        viewport = page.viewport_size
        path = SCREENSHOTS / ('%s-%sx%s.png'
            % (name, viewport['width'], viewport['height']))
        page.screenshot(path=str(path))
        return path


@pytest.fixture(scope='session')
def sao(server):
    return Sao(server)


@pytest.fixture(scope='session')
def rpc(server):
    "rpc(login) returns the JSON-RPC of that demo user"
    cache = {}

    def rpc(login):
        if login not in cache:
            cache[login] = RPC(server, login)
        return cache[login]
    return rpc

