"""Terminals in 1C (4.3): a placement installed or removed is sent as
UpsertTerminal with InstalledOn / RemovedOn and the contract's Ref."""
from trytond.pool import Pool, PoolMeta

from .exchange import ExchangeMixin


class Terminal(ExchangeMixin, metaclass=PoolMeta):
    __name__ = 'mrk.terminal'
    _onec_kind = 'terminal'
    _onec_fields = {'serial_number'}

    def onec_sendable(self):
        # 1C learns of a terminal when it is installed somewhere
        return self.onec_placement() is not None

    def onec_placement(self):
        "The latest placement of the terminal"
        placements = sorted(self.placements,
            key=lambda p: (p.installed_on, p.id))
        return placements[-1] if placements else None

    def onec_payload(self):
        "The Terminal of RentExchange"
        placement = self.onec_placement()
        payload = {
            'ExternalId': self.onec_external_id,
            'SerialNumber': self.serial_number,
            'PlacementAddress': placement.point.full_address,
            'InstalledOn': placement.installed_on,
            'RemovedOn': placement.removed_on,
            }
        if placement.contract:
            payload['ContractRef'] = placement.contract.onec_ref
        return payload


class Placement(metaclass=PoolMeta):
    __name__ = 'mrk.terminal.placement'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        "Installed or removed: 1C learns it (4.3)"
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'delete' or (mode == 'write' and not (field_names & {
                        'installed_on', 'removed_on', 'contract', 'point',
                        'terminal'})):
            return
        Terminal = Pool().get('mrk.terminal')
        Terminal.onec_queue(list({p.terminal for p in records}))
