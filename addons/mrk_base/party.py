from trytond.model import fields
from trytond.pool import PoolMeta


class Party(metaclass=PoolMeta):
    "Counterparty with its client manager: the portfolio"
    __name__ = 'party.party'

    mrk_manager = fields.Many2One(
        'res.user', "Client Manager", ondelete='RESTRICT',
        help="The client manager whose portfolio holds this counterparty: "
        "calls, agreements and field-job coordination go to him.")
