from trytond.pool import PoolMeta
from trytond.transaction import Transaction


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    # Tryton only exposes "user_id" to the rules of a few res models; MRK's
    # "own records" rules (activities, absences, later jobs and routes) need
    # it for every mrk.* model.
    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        if model_name.startswith('mrk.'):
            context['user_id'] = Transaction().user
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        if any(m.startswith('mrk.') for m in model_names):
            key = (*key, Transaction().user)
        return key


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('mrk.activity|escalate', "Escalate Overdue Activities"),
                ('mrk.absence|process', "Start and End Absences"),
                ])
