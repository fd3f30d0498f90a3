"""Scans of contracts in 1C (4.4): a file attached to a contract is sent
with AttachFile, owned by the contract's Ref."""
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode != 'create':
            return
        Message = Pool().get('mrk.onec.message')
        scans = [a for a in records
            if a.resource and a.resource.__name__ == 'mrk.contract'
            and a.type == 'data']
        if scans:
            with without_check_access():
                Message.queue('file', scans)
