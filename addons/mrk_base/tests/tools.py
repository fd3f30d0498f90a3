"""Test helpers shared by the MRK modules: a real SMTP server on loopback
for the e-mail the system sends, the text of the PDF documents it prints
(pdftotext and pdfinfo from poppler-utils), and acting as a user of the
web client."""
import email
import email.policy
import importlib
import pkgutil
import re
import socket
import subprocess
import threading
from contextlib import contextmanager
from unittest import TestCase

import trytond.config as config
from trytond.tests.test_tryton import activate_module, drop_db
from trytond.transaction import Transaction

from aiosmtpd.controller import Controller

__all__ = ['DatabaseTestCase', 'load_module_tests', 'free_port', 'Inbox',
    'start_smtp_server', 'pdf_text', 'pdf_pages', 'pdf_page_texts',
    'as_user', 'rolled_back']



class DatabaseTestCase(TestCase):
    """A test case with a fresh database where the modules are activated,
    without the generic module checks that ModuleTestCase runs once.

    ``modules`` lists the modules to activate (their dependencies come
    along); the activated database is kept in DB_CACHE and restored for
    the next class that activates the same modules."""
    modules = ['mrk_base']

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(cls.modules)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

def load_module_tests(package, loader, tests):
    """Add every test_*.py of the tests package named package to tests:
    the load_tests of each module's tests/__init__.py, so that
    ``python -m unittest trytond.modules.<module>.tests`` runs them all
    (pytest finds them by itself)."""
    path = importlib.import_module(package).__path__
    for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
        if info.name.startswith('test_'):
            module = importlib.import_module('%s.%s' % (package, info.name))
            tests.addTests(loader.loadTestsFromModule(module))
    return tests


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Inbox:
    "aiosmtpd handler keeping the messages it receives"

    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((
                envelope.mail_from, list(envelope.rcpt_tos),
                email.message_from_bytes(
                    envelope.original_content or envelope.content,
                    policy=email.policy.default)))
        self.received.set()
        return '250 Message accepted for delivery'


def start_smtp_server(test_case):
    """Start an SMTP server on loopback and send Tryton's e-mail to it until
    the end of the test; return its inbox.

    Tryton sends the e-mail of a transaction when it commits, strictly: the
    test transaction commits its data managers when it ends, even after its
    rollback, so a test that queues an e-mail needs a server to talk to."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname='127.0.0.1', port=port)
    controller.start()
    test_case.addCleanup(controller.stop)
    uri = config.get('email', 'uri')
    from_ = config.get('email', 'from')
    config.set('email', 'uri', 'smtp://127.0.0.1:%s' % port)
    config.set('email', 'from', 'mrk@mrk.test')
    test_case.addCleanup(config.set, 'email', 'uri', uri)
    test_case.addCleanup(config.set, 'email', 'from', from_)
    return inbox


def pdf_text(content):
    "The text of a PDF, whitespace collapsed"
    result = subprocess.run(['pdftotext', '-enc', 'UTF-8', '-', '-'],
        input=content, capture_output=True, check=True, timeout=60)
    return ' '.join(result.stdout.decode('utf-8').split())


def pdf_pages(content):
    "The number of pages of a PDF"
    result = subprocess.run(['pdfinfo', '-'],
        input=content, capture_output=True, check=True, timeout=60)
    return int(re.search(
            r'^Pages:\s+(\d+)', result.stdout.decode(), re.M).group(1))


def pdf_page_texts(content):
    "The text of each page of a PDF, whitespace collapsed"
    result = subprocess.run(['pdftotext', '-enc', 'UTF-8', '-', '-'],
        input=content, capture_output=True, check=True, timeout=60)
    pages = result.stdout.decode('utf-8').split('\f')
    if pages and not pages[-1].strip():
        pages.pop()
    return [' '.join(p.split()) for p in pages]


@contextmanager
def as_user(user):
    """Act as user the way trytond's JSON-RPC dispatcher does: access
    rights, record rules and the server's guards checked"""
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


@contextmanager
def rolled_back():
    """Undo what the block wrote, as a failed client call is undone: the
    changes after the savepoint are rolled back and the records read again
    """
    transaction = Transaction()
    cursor = transaction.connection.cursor()
    cursor.execute('SAVEPOINT mrk_rolled_back')
    try:
        yield
    finally:
        cursor.execute('ROLLBACK TO SAVEPOINT mrk_rolled_back')
        transaction.cache.clear()
        transaction.counter += 1
