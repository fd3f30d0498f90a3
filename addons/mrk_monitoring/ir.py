from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('mrk.monitoring.downtime|schedule_calls',
                    "Downtime: Calls to Counterparties"),
                ('mrk.monitoring.downtime|escalate',
                    "Downtime: Escalation after 24 Hours"),
                ])
