from trytond.pool import Pool, PoolMeta
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
