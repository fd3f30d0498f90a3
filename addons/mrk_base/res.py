import datetime
import secrets

import trytond.config as config
from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta

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
    def _get_preferences(cls, user, context_only=False):
        preferences = super()._get_preferences(
            user, context_only=context_only)
        if 'actions' in preferences and not user.actions:
            # The user's own actions win; without them the screens of his
            # roles (res.group login_actions) open, each once.
            actions = preferences['actions']
            for group in sorted(user.groups, key=lambda g: g.id):
                for action in group.login_actions:
                    if action.id not in actions:
                        actions.append(action.id)
        return preferences

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


class Group(metaclass=PoolMeta):
    __name__ = 'res.group'

    # Each role lands on its working screen after login (issue 12, item 4).
    # Tryton runs the user's "actions" at login; a role's screens belong to
    # the role, not to each person: set on the group, they reach whoever is
    # given the role (and leave the role with it) without anyone editing
    # the user, and the administrator changes them for every member at once
    # in the group's form.
    login_actions = fields.Many2Many(
        'res.group-ir.action.login', 'group', 'action', "Actions at Login",
        # The screens open in the order they were given: the last one shows.
        order=[('id', 'ASC')],
        help="The screens opened for the members of the group when they "
        "log in, unless the user has actions of his own.")


class GroupLoginAction(ModelSQL):
    "Action run at login for the members of a group"
    __name__ = 'res.group-ir.action.login'
    group = fields.Many2One(
        'res.group', "Group", ondelete='CASCADE', required=True)
    action = fields.Many2One(
        'ir.action', "Action", ondelete='CASCADE', required=True)

    @classmethod
    def preprocess_values(cls, mode, values):
        # As res.user-ir.action: the XML names an act_window, the client
        # runs an ir.action.
        pool = Pool()
        Action = pool.get('ir.action')
        values = super().preprocess_values(mode, values)
        if values.get('action') is not None:
            values['action'] = Action.get_action_id(values['action'])
        return values
