import datetime

import trytond.config as config
from trytond.model import ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    # Tryton only exposes "user_id" to the rules of a few res models; MRK's
    # "own records" rules (activities, absences, later jobs and routes) need
    # it for every mrk.* model.
    # "portfolio_user_ids" is the user and every colleague whose absence he
    # covers today as deputy: the portfolio rules use it, so a deputy does
    # the absent colleague's work (seed problem 2).
    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name.startswith('mrk.'):
            context['user_id'] = Transaction().user
            context['portfolio_user_ids'] = cls._portfolio_user_ids()
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if any(m.startswith('mrk.') for m in model_names):
            key = (*key, Transaction().user,
                tuple(cls._portfolio_user_ids()))
        return key

    @classmethod
    def _portfolio_user_ids(cls):
        pool = Pool()
        Absence = pool.get('mrk.absence')
        user_id = Transaction().user
        if not user_id:
            return []
        return Absence.covered(user_id)


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('mrk.activity|escalate', "Escalate Overdue Activities"),
                ('mrk.absence|process', "Start and End Absences"),
                ])


class Session(metaclass=PoolMeta):
    __name__ = 'ir.session'

    @classmethod
    def check(cls, user, key, domain=None):
        """Refuse a session left idle longer than [session] timeout.

        Tryton checks the age of a session on every call ([session]
        max_age) but its idle time only for the few calls that need a fresh
        session (changing the password): a session left open for 29 days
        was still valid. A session is kept alive by the calls the client
        makes (Tryton refreshes its time at most every tenth of the
        timeout); one idle for longer is deleted and the user logs in
        again."""
        find = super().check(user, key, domain=domain)
        if find:
            timeout = datetime.timedelta(
                seconds=config.getint('session', 'timeout'))
            now = datetime.datetime.now()
            sessions = cls.search([
                    ('create_uid', '=', user),
                    ('key', '=', key),
                    domain or [],
                    ], limit=1)
            idle = [s for s in sessions
                if abs(now - s.last_modified_at) >= timeout]
            if idle:
                cls.delete(idle)
                find = False
        return find


class ActionWindow(metaclass=PoolMeta):
    __name__ = 'ir.action.act_window'

    def get_domains(self, name):
        # A tab limited to groups is shown only to their members (as a menu
        # limited to groups is): a list opens on its first tab, and a tab
        # that is always empty for a role («Мой портфель» for whoever has
        # no portfolio) must not be the one it opens on (issue 12, item 5).
        User = Pool().get('res.user')
        groups = set(User.get_groups())
        return [(domain.name, domain.domain or '[]', domain.count)
            for domain in self.act_window_domains
            if not domain.groups
            or groups & {g.id for g in domain.groups}]


class ActionWindowDomain(metaclass=PoolMeta):
    __name__ = 'ir.action.act_window.domain'
    groups = fields.Many2Many(
        'ir.action.act_window.domain-res.group', 'act_window_domain',
        'group', "Groups",
        help="When set, only the members of these groups see the tab.")


class ActionWindowDomainGroup(ModelSQL):
    "Group that sees a tab of a list"
    __name__ = 'ir.action.act_window.domain-res.group'
    act_window_domain = fields.Many2One(
        'ir.action.act_window.domain', "Tab", ondelete='CASCADE',
        required=True)
    group = fields.Many2One(
        'res.group', "Group", ondelete='CASCADE', required=True)


class View(metaclass=PoolMeta):
    __name__ = 'ir.ui.view'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The head's approval board gathers one column per module
        # (contracts, field jobs, rent): each module extends the board with
        # its columns as it extends any view. Tryton applies an extension
        # to a board (view_get looks them up with model None), but requires
        # a model of every view except a board, and an extension has no
        # type: an extension may now go without a model.
        cls.model.states = cls.model.states.copy()
        cls.model.states['required'] = (
            (Eval('type') != 'board') & ~Bool(Eval('inherit')))
        cls.model.depends = set(cls.model.depends) | {'inherit'}
