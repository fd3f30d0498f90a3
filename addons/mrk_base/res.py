import datetime
import secrets

import trytond.config as config
from trytond.pool import PoolMeta

# How long failed logins count towards the lockout, when the configuration
# does not say ([session] max_attempt_window, in seconds).
MAX_ATTEMPT_WINDOW = 15 * 60


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    # A hash of a random password, verified when the login is unknown.
    _dummy_password_hash = None

    def get_status_bar(self, name):
        status = super().get_status_bar(name)
        # One company in roubles: its sign reads better than "[RUB]".
        if self.company and self.company.currency.symbol:
            code = ' [%s]' % self.company.currency.code
            if status.endswith(code):
                status = status[:-len(code)] + ' [%s]' % (
                    self.company.currency.symbol)
        return status

    @classmethod
    def _login_password(cls, login, parameters):
        """Verify the password against a hash even when the login is unknown
        (or inactive, or has no password).

        Tryton only verifies a hash for a known login: a wrong login was
        answered ten times faster than a wrong password, which told an
        attacker which logins exist. The answer now takes the time of one
        verification whatever the login."""
        user_id = super()._login_password(login, parameters)
        if not user_id and 'password' in parameters:
            _, password_hash, _ = cls._get_login(login)
            if not password_hash:
                cls.check_password(
                    parameters['password'] or '', cls._get_dummy_hash())
        return user_id

    @classmethod
    def _get_dummy_hash(cls):
        if User._dummy_password_hash is None:
            User._dummy_password_hash = cls.hash_password(
                secrets.token_urlsafe(16))
        return User._dummy_password_hash


class LoginAttempt(metaclass=PoolMeta):
    __name__ = 'res.user.login.attempt'

    @staticmethod
    def delay():
        """The start of the window over which failed logins are counted.

        Tryton counts them over the session timeout ([session] timeout):
        a long idle timeout made six wrong passwords lock an account for
        hours, so anyone could lock the head out for the day. The window is
        an option of its own, [session] max_attempt_window (seconds, 15
        minutes by default): once it has passed without a new failed
        attempt, the login is open again. The same window limits the
        attempts of one IP network ([session] max_attempt_ip_network)."""
        window = config.getint('session', 'max_attempt_window',
            default=MAX_ATTEMPT_WINDOW)
        return datetime.datetime.now() - datetime.timedelta(seconds=window)
