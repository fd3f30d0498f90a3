"""«Полная сверка с 1С»: every active counterparty, contract and installed
terminal is queued again (4.1-4.3). Safe because 1C's upserts are keyed by
our ExternalId: nothing is doubled in 1C."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.transaction import without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .contract import SENT_STATES


class ResyncStart(ModelView):
    "Full reconciliation with 1C"
    __name__ = 'mrk.onec.resync.start'
    __string__ = "Full Reconciliation with 1C"


class ResyncDone(ModelView):
    "Full reconciliation with 1C: queued"
    __name__ = 'mrk.onec.resync.done'
    __string__ = "Full Reconciliation with 1C: Queued"

    counterparties = fields.Integer("Counterparties", readonly=True)
    contracts = fields.Integer("Contracts", readonly=True)
    terminals = fields.Integer("Terminals", readonly=True)


class Resync(Wizard):
    "Full reconciliation with 1C"
    __name__ = 'mrk.onec.resync'

    start = StateView('mrk.onec.resync.start',
        'mrk_1c.resync_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Queue Everything", 'queue', 'tryton-ok', default=True),
            ])
    queue = StateTransition()
    done = StateView('mrk.onec.resync.done',
        'mrk_1c.resync_done_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_queue(self):
        counts = self.resync()
        self.done.counterparties = counts['counterparty']
        self.done.contracts = counts['contract']
        self.done.terminals = counts['terminal']
        return 'done'

    def default_done(self, fields):
        return {
            'counterparties': self.done.counterparties,
            'contracts': self.done.contracts,
            'terminals': self.done.terminals,
            }

    @classmethod
    def resync(cls):
        "Queue every active record; return the counts per kind"
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        Terminal = pool.get('mrk.terminal')
        Message = pool.get('mrk.onec.message')
        with without_check_access():
            contracts = Contract.search([
                    ('state', 'in', list(SENT_STATES)),
                    ])
            parties = Party.search([
                    ('inn', '!=', None),
                    ('inn', '!=', ''),
                    ])
            terminals = [t for t in Terminal.search([
                        ('placements', '!=', None),
                        ]) if t.onec_sendable()]
            Message.queue('counterparty', parties)
            Message.queue('contract', contracts)
            Message.queue('terminal', terminals)
        return {
            'counterparty': len(parties),
            'contract': len(contracts),
            'terminal': len(terminals),
            }
