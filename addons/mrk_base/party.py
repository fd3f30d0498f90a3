from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

from .exceptions import PortfolioAccessError


class Party(metaclass=PoolMeta):
    "Counterparty with its client manager: the portfolio"
    __name__ = 'party.party'

    mrk_manager = fields.Many2One(
        'res.user', "Client Manager", ondelete='RESTRICT',
        help="The client manager whose portfolio holds this counterparty: "
        "calls, agreements and field-job coordination go to him.")

    @classmethod
    def write(cls, *args):
        actions = iter(args)
        if Transaction().check_access and Transaction().user:
            for parties, values in zip(actions, actions):
                if 'mrk_manager' in values:
                    changed = [p for p in parties
                        if (p.mrk_manager.id if p.mrk_manager else None)
                        != values['mrk_manager']]
                    if changed:
                        cls.check_portfolio_reassign(changed)
        super().write(*args)

    @classmethod
    def check_portfolio_reassign(cls, parties):
        """Reassigning a portfolio is the act of the head (or of her deputy
        while she is absent) and of the administrator (1.2, DESIGN §6)."""
        pool = Pool()
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        user_id = Transaction().user
        groups = set(User.get_groups())
        allowed = {ModelData.get_id('mrk_base', 'group_mrk_head'),
            ModelData.get_id('mrk_base', 'group_mrk_admin'),
            ModelData.get_id('res', 'group_admin')}
        if groups & allowed:
            return
        deputies = Absence.deputies(Date.today())
        with without_check_access():
            heads = User.search([
                    ('groups', '=',
                        ModelData.get_id('mrk_base', 'group_mrk_head')),
                    ])
        for head in heads:
            if (head.id in deputies
                    and Absence.resolve(head.id, deputies) == user_id):
                return
        party = parties[0]
        raise PortfolioAccessError(gettext(
                'mrk_base.msg_party_manager_reassign',
                party=party.rec_name,
                user=User(user_id).rec_name))


class PartyIdentifier(metaclass=PoolMeta):
    """Identifiers are requisites: their access is their own, not the
    counterparty's (a technician reads the counterparty's name, not its
    tax numbers)."""
    __name__ = 'party.identifier'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.discard('party')
