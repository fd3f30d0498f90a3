"""Points: the premises of a counterparty where terminals stand (section 2).

The point carries what a technician needs on site (address, opening hours,
the contact person and his phone) and what the office needs (counterparty,
contract); its form shows which terminals stand there and stood there.
"""
from trytond.model import DeactivableMixin, Index, ModelSQL, ModelView, fields
from trytond.modules.mrk_base.model import rec_name_domain
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval


class Point(DeactivableMixin, ModelSQL, ModelView):
    "Point: premises where terminals stand"
    __name__ = 'mrk.point'
    __string__ = "Point"

    name = fields.Char("Name", required=True,
        help="How the office calls the point, such as «Пятёрочка на Мира».")
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        help="The owner of the premises.")
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='RESTRICT',
        domain=[
            ('party', '=', Eval('party', -1)),
            ],
        help="The rent contract under which terminals stand here.")
    manager = fields.Function(
        fields.Many2One('res.user', "Client Manager"),
        'get_manager', searcher='search_manager')
    city = fields.Char("City")
    address = fields.Char("Address", required=True,
        help="Street, house and premises, as the technician will look for "
        "it.")
    contact_name = fields.Char("On-site Contact",
        help="The person who lets the technician in.")
    contact_phone = fields.Char("Contact Phone")
    opening_hours = fields.Char("Opening Hours",
        help="Such as «пн–пт 9:00–21:00, сб 10:00–18:00».")
    notes = fields.Text("Notes",
        help="Entrance, parking, where the terminal stands.")
    placements = fields.One2Many(
        'mrk.terminal.placement', 'point', "Placements", readonly=True,
        order=[('installed_on', 'DESC'), ('id', 'DESC')])
    terminals = fields.Function(
        fields.Many2Many('mrk.terminal', None, None, "Terminals Here"),
        'get_terminals')
    terminal_count = fields.Function(
        fields.Integer("Terminals"), 'get_terminals')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.name, Index.Similarity())),
                Index(t, (t.address, Index.Similarity())),
                })
        cls._order = [('name', 'ASC'), ('id', 'ASC')]

    def get_manager(self, name):
        if self.party.mrk_manager:
            return self.party.mrk_manager.id

    @classmethod
    def search_manager(cls, name, clause):
        return [('party.mrk_manager' + clause[0][len(name):], *clause[1:])]

    @fields.depends('party', 'contract', '_parent_contract.party')
    def on_change_party(self):
        pool = Pool()
        Contract = pool.get('mrk.contract')
        if self.contract and self.contract.party != self.party:
            self.contract = None
        if self.party and not self.contract:
            contracts = Contract.search([
                    ('party', '=', self.party.id),
                    ('state', '=', 'active'),
                    ], limit=2)
            if len(contracts) == 1:
                self.contract, = contracts

    @property
    def full_address(self):
        "The address as one line, with the city first"
        return ', '.join(filter(None, [
                    (self.city or '').strip(), (self.address or '').strip()]))

    def get_rec_name(self, name):
        return '%s (%s)' % (self.name, self.full_address)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'name',
                'address',
                'city',
                'party.rec_name',
                ])

    @classmethod
    def get_terminals(cls, points, names):
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        terminals = {p.id: [] for p in points}
        for placement in Placement.search([
                    ('point', 'in', [p.id for p in points]),
                    ('removed_on', '=', None),
                    ], order=[('installed_on', 'ASC'), ('id', 'ASC')]):
            terminals[placement.point.id].append(placement.terminal.id)
        result = {}
        if 'terminals' in names:
            result['terminals'] = terminals
        if 'terminal_count' in names:
            result['terminal_count'] = {
                k: len(v) for k, v in terminals.items()}
        return result


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    mrk_points = fields.One2Many(
        'mrk.point', 'party', "Points", readonly=True)
