"""Logins and sessions (item 5 of the security review): the lockout after
wrong passwords lasts minutes, not the session timeout; an idle session
ends; an unknown login answers as slowly as a wrong password."""
import datetime
import statistics
import time

from sql import Table

import trytond.config as config
from trytond.exceptions import RateLimitException
from .tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .test_module import make_user

PASSWORD = 'Kp9-vesna-2026'


def set_config(test_case, section, option, value):
    "Set a configuration option until the end of the test"
    old = config.get(section, option)
    config.set(section, option, str(value))

    def restore():
        if old is None:
            config._config.remove_option(section, option)
            config._cache_clear()
        else:
            config.set(section, option, old)
    test_case.addCleanup(restore)


def move_back(table_name, seconds):
    "Move the create and write dates of table's rows seconds into the past"
    table = Table(table_name)
    cursor = Transaction().connection.cursor()
    delta = datetime.timedelta(seconds=seconds)
    cursor.execute(*table.select(
            table.id, table.create_date, table.write_date))
    for id_, create_date, write_date in cursor.fetchall():
        if isinstance(create_date, str):
            create_date = datetime.datetime.fromisoformat(create_date)
        if isinstance(write_date, str):
            write_date = datetime.datetime.fromisoformat(write_date)
        cursor.execute(*table.update(
                [table.create_date, table.write_date],
                [create_date - delta,
                    write_date - delta if write_date else None],
                where=table.id == id_))
    Pool().get('ir.session')._session_reset_cache.clear()


def skip_login_delay():
    """Drop the pause Tryton adds at the end of a failed login's
    transaction (up to 2 ** attempts seconds): the tests count attempts,
    they need not wait for them."""
    transaction = Transaction()
    transaction._atexit = [(f, a, k) for f, a, k in transaction._atexit
        if f is not time.sleep]


class LoginTestCase(DatabaseTestCase):
    "Login lockout, session timeouts and login timing"
    modules = ['mrk_base']

    def setUp(self):
        super().setUp()
        # The session timeout of config/trytond.conf, far longer than the
        # lockout window
        set_config(self, 'session', 'timeout', 14400)
        set_config(self, 'session', 'max_age', 43200)
        set_config(self, 'session', 'max_attempt', 5)
        set_config(self, 'session', 'max_attempt_window', 900)

    def make_head(self):
        User = Pool().get('res.user')
        head = make_user('head', 'head')
        User.write([head], {'password': PASSWORD})
        return head

    @with_transaction()
    def test_lockout_ends_after_its_window(self):
        "Six wrong passwords lock the login for 15 minutes, not 4 hours"
        User = Pool().get('res.user')
        self.make_head()

        for _ in range(6):
            self.assertIsNone(User.get_login('head', {'password': 'wrong'}))
        # Locked: even the right password is refused
        with self.assertRaises(RateLimitException):
            User.get_login('head', {'password': PASSWORD})

        # 14 minutes after the last attempt the lock holds
        move_back('res_user_login_attempt', 14 * 60)
        with self.assertRaises(RateLimitException):
            User.get_login('head', {'password': PASSWORD})

        # 15 minutes and a second after it (still well within the session
        # timeout of 4 hours) the head logs in
        move_back('res_user_login_attempt', 15 * 60 + 1)
        self.assertEqual(
            User.get_login('head', {'password': PASSWORD}),
            User.search([('login', '=', 'head')])[0].id)
        skip_login_delay()

    @with_transaction()
    def test_lockout_window_from_configuration(self):
        "The lockout window is [session] max_attempt_window"
        User = Pool().get('res.user')
        self.make_head()
        set_config(self, 'session', 'max_attempt_window', 120)
        for _ in range(6):
            User.get_login('head', {'password': 'wrong'})
        with self.assertRaises(RateLimitException):
            User.get_login('head', {'password': PASSWORD})
        move_back('res_user_login_attempt', 121)
        self.assertTrue(User.get_login('head', {'password': PASSWORD}))
        skip_login_delay()

    @with_transaction()
    def test_idle_session_expires(self):
        "A session idle for longer than [session] timeout ends"
        Session = Pool().get('ir.session')
        head = self.make_head()
        with Transaction().set_user(head.id):
            key = Session.new()
        self.assertTrue(Session.check(head.id, key))

        # Idle 3 h 59 min: still valid
        move_back('ir_session', 4 * 3600 - 60)
        self.assertTrue(Session.check(head.id, key))

        # Idle 4 h: ended, and gone
        move_back('ir_session', 60)
        self.assertFalse(Session.check(head.id, key))
        self.assertIsNone(Session.check(head.id, key))

    @with_transaction()
    def test_idle_for_29_days(self):
        "The session of the security review, idle 29 days, is refused"
        Session = Pool().get('ir.session')
        head = self.make_head()
        set_config(self, 'session', 'max_age', 30 * 24 * 3600)
        with Transaction().set_user(head.id):
            key = Session.new()
        move_back('ir_session', 29 * 24 * 3600)
        self.assertFalse(Session.check(head.id, key))

    @with_transaction()
    def test_active_session_ends_at_max_age(self):
        "A session used all along ends [session] max_age after the login"
        Session = Pool().get('ir.session')
        head = self.make_head()
        with Transaction().set_user(head.id):
            key = Session.new()
        session, = Session.search([('key', '=', key)])
        # Logged in 11 hours ago, used a minute ago
        move_back('ir_session', 11 * 3600)
        Session.write([session], {})
        self.assertTrue(Session.check(head.id, key))
        # Logged in 12 hours ago, used a minute ago
        table = Table('ir_session')
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update([table.create_date], [
                    datetime.datetime.now() - datetime.timedelta(hours=12)]))
        self.assertFalse(Session.check(head.id, key))

    @with_transaction()
    def test_unknown_login_as_slow_as_wrong_password(self):
        "An unknown login takes the time of a wrong password"
        User = Pool().get('res.user')
        self.make_head()
        known, unknown = [], []
        for i in range(3):
            for login, times in [('head', known), ('nobody%s' % i, unknown)]:
                start = time.perf_counter()
                self.assertIsNone(
                    User.get_login(login, {'password': 'wrong%s' % i}))
                times.append(time.perf_counter() - start)
        skip_login_delay()
        known, unknown = statistics.median(known), statistics.median(unknown)
        self.assertGreaterEqual(unknown, 0.5 * known,
            msg='unknown %.3f s, known %.3f s' % (unknown, known))
        self.assertLessEqual(unknown, 2 * known,
            msg='unknown %.3f s, known %.3f s' % (unknown, known))
