"""Terminals, their models and their placements at points (section 2).

A placement says that a terminal stood at a point from one date to another;
installing and removing a terminal (2.1–2.10, done field jobs) write
placements, and the terminal's state follows its placements. A terminal
stands in one place at a time: placements of one terminal never overlap.
"""
from sql import Literal, Null
from sql.conditionals import Coalesce
from sql.operators import Exists

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow,
    fields)
from trytond.model.fields import SQL_OPERATORS
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, rec_name_domain)
from trytond.modules.mrk_contracts.amount import format_date
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .exceptions import PlacementError, TerminalError


class TerminalModel(DeactivableMixin, ModelSQL, ModelView):
    "Model of terminal"
    __name__ = 'mrk.terminal.model'
    __string__ = "Terminal Model"

    name = fields.Char("Name", required=True)
    manufacturer = fields.Char("Manufacturer")
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('name', 'ASC'))


class Terminal(
        WorkflowGuardMixin, Workflow, DeactivableMixin, ModelSQL,
        ModelView):
    """Payment terminal, identified by its serial number.

    Its state is "installed" while it has an open placement; repairs and
    write-offs are recorded with buttons.
    """
    __name__ = 'mrk.terminal'
    __string__ = "Terminal"
    _rec_name = 'serial_number'
    _history = True

    serial_number = fields.Char("Serial Number", required=True, strip=True)
    inventory_number = fields.Char("Inventory Number", strip=True)
    model = fields.Many2One(
        'mrk.terminal.model', "Model", required=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('in_stock', "In Stock"),
            ('installed', "Installed"),
            ('repair', "In Repair"),
            ('written_off', "Written Off"),
            ], "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    placements = fields.One2Many(
        'mrk.terminal.placement', 'terminal', "Placements", readonly=True,
        order=[('installed_on', 'DESC'), ('id', 'DESC')])
    point = fields.Function(
        fields.Many2One('mrk.point', "Point"),
        'get_current', searcher='search_point')
    installed_on = fields.Function(
        fields.Date("Installed On"), 'get_current')
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('serial_number_unique', Unique(t, t.serial_number),
                'mrk_terminals.msg_terminal_serial_unique'),
            ]
        cls._sql_indexes.add(
            Index(t, (t.inventory_number, Index.Similarity())))
        cls._order = [('serial_number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('in_stock', 'repair'),
            ('repair', 'in_stock'),
            ('in_stock', 'written_off'),
            ('repair', 'written_off'),
            ('written_off', 'in_stock'),
            }
        # The state follows the placements and the buttons
        cls._workflow_fields.add('state')
        cls._buttons.update({
                'send_to_repair': {
                    'invisible': Eval('state') != 'in_stock',
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'back_from_repair': {
                    'invisible': Eval('state') != 'repair',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'write_off': {
                    'invisible': ~Eval('state').in_(['in_stock', 'repair']),
                    'icon': 'tryton-delete',
                    'depends': ['state'],
                    },
                'restore': {
                    'invisible': Eval('state') != 'written_off',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'in_stock'

    def get_rec_name(self, name):
        if self.model:
            return '%s %s' % (self.model.name, self.serial_number)
        return self.serial_number

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'serial_number',
                'inventory_number',
                'model.name',
                ])

    @classmethod
    def get_current(cls, terminals, names):
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        result = {n: {t.id: None for t in terminals} for n in names}
        for placement in Placement.search([
                    ('terminal', 'in', [t.id for t in terminals]),
                    ('removed_on', '=', None),
                    ]):
            if 'point' in result:
                result['point'][placement.terminal.id] = placement.point.id
            if 'installed_on' in result:
                result['installed_on'][placement.terminal.id] = (
                    placement.installed_on)
        return result

    @classmethod
    def search_point(cls, name, clause):
        field = 'point' + clause[0][len(name):]
        if field == 'point' and isinstance(clause[2], str):
            field = 'point.rec_name'
        return [('placements', 'where', [
                    ('removed_on', '=', None),
                    (field, *clause[1:]),
                    ])]

    @classmethod
    def copy(cls, terminals, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('placements')
        default.setdefault('state', 'in_stock')
        default.setdefault('serial_number',
            lambda data: data['serial_number'] + ' (copy)')
        return super().copy(terminals, default=default)

    @classmethod
    def check_available(cls, terminals):
        "Refuse terminals that cannot be installed"
        for terminal in terminals:
            if terminal.state in {'repair', 'written_off'}:
                raise TerminalError(gettext(
                        'mrk_terminals.msg_terminal_not_available',
                        terminal=terminal.rec_name,
                        state=terminal.state_string))

    @classmethod
    @ModelView.button
    @Workflow.transition('repair')
    def send_to_repair(cls, terminals):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('in_stock')
    def back_from_repair(cls, terminals):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('written_off')
    def write_off(cls, terminals):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('in_stock')
    def restore(cls, terminals):
        pass

    @classmethod
    def update_states(cls, terminals):
        """Set the state from the placements: installed while a placement is
        open, back in stock when the last one is closed."""
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        placement = Placement.__table__()
        cursor = Transaction().connection.cursor()
        terminals = cls.browse(sorted({t.id for t in terminals}))
        # One query per slice: the terminals with an open placement
        placed = set()
        for sub_ids in grouped_slice(
                [t.id for t in terminals], backend.MAX_QUERY_PARAMS):
            cursor.execute(*placement.select(placement.terminal,
                    where=SQL_OPERATORS['in'](
                        placement.terminal, list(sub_ids))
                    & (placement.removed_on == Null),
                    group_by=[placement.terminal]))
            placed.update(i for i, in cursor)
        installed, stocked = [], []
        for terminal in terminals:
            if terminal.id in placed and terminal.state != 'installed':
                if terminal.state in {'repair', 'written_off'}:
                    raise TerminalError(gettext(
                            'mrk_terminals.msg_terminal_not_available',
                            terminal=terminal.rec_name,
                            state=terminal.state_string))
                installed.append(terminal)
            elif terminal.id not in placed and terminal.state == 'installed':
                stocked.append(terminal)
        # The state is readonly for users and has no transition from
        # "installed": placements are the only way in and out.
        to_write = []
        if installed:
            to_write.extend([installed, {'state': 'installed'}])
        if stocked:
            to_write.extend([stocked, {'state': 'in_stock'}])
        if to_write:
            with without_check_access():
                cls.write(*to_write)


class Placement(ModelSQL, ModelView):
    """A terminal standing at a point from one date until another (empty
    while it is still there). One terminal stands in one place at a time."""
    __name__ = 'mrk.terminal.placement'
    __string__ = "Terminal Placement"
    _history = True

    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", required=True, ondelete='RESTRICT')
    point = fields.Many2One(
        'mrk.point', "Point", required=True, ondelete='RESTRICT')
    party = fields.Function(
        fields.Many2One('party.party', "Counterparty"), 'on_change_with_party',
        searcher='search_party')
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='RESTRICT',
        domain=[
            ('party', '=', Eval('party', -1)),
            ])
    charged_contract = fields.Function(
        fields.Many2One('mrk.contract', "Charged Contract",
            help="The contract the placement charges: its own, else the "
            "contract of its point."),
        'get_charged_contract', searcher='search_charged_contract')
    installed_on = fields.Date("Installed On", required=True)
    removed_on = fields.Date("Removed On",
        domain=['OR',
            ('removed_on', '=', None),
            ('removed_on', '>=', Eval('installed_on', None)),
            ])
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.terminal, Index.Equality()),
                    (t.installed_on, Index.Range())),
                Index(t, (t.point, Index.Equality())),
                Index(t, (t.terminal, Index.Equality()),
                    where=t.removed_on == Null),
                })
        cls._order = [('installed_on', 'DESC'), ('id', 'DESC')]

    @classmethod
    def default_installed_on(cls):
        return Pool().get('ir.date').today()

    @fields.depends('point', '_parent_point.party')
    def on_change_with_party(self, name=None):
        if self.point and self.point.party:
            return self.point.party

    @classmethod
    def search_party(cls, name, clause):
        return [('point.party' + clause[0][len(name):], *clause[1:])]

    @fields.depends('point', 'contract', '_parent_point.contract')
    def on_change_point(self):
        if self.point and self.point.contract and not self.contract:
            self.contract = self.point.contract

    def get_rec_name(self, name):
        return '%s @ %s' % (self.terminal.rec_name, self.point.rec_name)

    # -- The contract a placement charges ------------------------------------

    @classmethod
    def charged_contract_query(cls):
        """The placements joined to their point with the contract each one
        charges, its own, else its point's: the one rule that the rent
        (mrk_rent) and every query on placements use.

        Returns the join, the placement and point tables of it and the SQL
        expression of the charged contract."""
        Point = Pool().get('mrk.point')
        placement = cls.__table__()
        point = Point.__table__()
        join = placement.join(point, condition=placement.point == point.id)
        return join, placement, point, Coalesce(
            placement.contract, point.contract)

    def get_charged_contract(self, name):
        contract = self.contract or self.point.contract
        return contract.id if contract else None

    @classmethod
    def search_charged_contract(cls, name, clause):
        join, placement, _, charged = cls.charged_contract_query()
        _, operator, value = clause[:3]
        values = value if isinstance(value, (list, tuple)) else [value]
        if (operator not in {'=', '!=', 'in', 'not in'}
                or len(clause) > 3 or '.' in clause[0]
                or None in values):
            # Through the fields the rule is made of
            nested = clause[0][len(name):]
            return ['OR',
                [('contract', '!=', None),
                    ('contract' + nested,) + tuple(clause[1:])],
                [('contract', '=', None),
                    ('point.contract' + nested,) + tuple(clause[1:])],
                ]
        Operator = SQL_OPERATORS[operator]
        return [('id', 'in', join.select(placement.id,
                    where=Operator(charged, value)))]

    @classmethod
    def validate(cls, placements):
        super().validate(placements)
        cls.check_overlap(placements)

    @classmethod
    def check_overlap(cls, placements):
        """A terminal stands in one place at a time: a placement may start
        the day another ends (removed in the morning, installed elsewhere the
        same day) but never inside it.

        One query per slice of the placements finds those that overlap
        another one, stored or of the same batch; the first of them is
        then named with the other one it overlaps."""
        table = cls.__table__()
        stored = cls.__table__()
        cursor = Transaction().connection.cursor()
        overlapping = set()
        for sub_ids in grouped_slice(
                [p.id for p in placements], backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(table.id,
                    where=SQL_OPERATORS['in'](table.id, list(sub_ids))
                    & Exists(stored.select(Literal(1),
                            where=(stored.terminal == table.terminal)
                            & (stored.id != table.id)
                            & ((stored.removed_on == Null)
                                | (stored.removed_on > table.installed_on))
                            & ((table.removed_on == Null)
                                | (stored.installed_on
                                    < table.removed_on))))))
            overlapping.update(i for i, in cursor)
        for placement in placements:
            if placement.id not in overlapping:
                continue
            domain = [
                ('id', '!=', placement.id),
                ('terminal', '=', placement.terminal.id),
                ['OR',
                    ('removed_on', '=', None),
                    ('removed_on', '>', placement.installed_on),
                    ],
                ]
            if placement.removed_on:
                domain.append(('installed_on', '<', placement.removed_on))
            others = cls.search(
                domain, limit=1, order=[('installed_on', 'ASC')])
            if others:
                other, = others
                raise PlacementError(gettext(
                        'mrk_terminals.msg_placement_overlap',
                        terminal=placement.terminal.rec_name,
                        point=placement.point.rec_name,
                        installed_on=format_date(placement.installed_on),
                        other_point=other.point.rec_name,
                        other_from=format_date(other.installed_on),
                        other_to=(format_date(other.removed_on)
                            or gettext('mrk_terminals.msg_until_now'))))

    @classmethod
    def create(cls, vlist):
        placements = super().create(vlist)
        pool = Pool()
        Terminal = pool.get('mrk.terminal')
        Terminal.update_states([p.terminal for p in placements])
        return placements

    @classmethod
    def write(cls, *args):
        terminals = {p.terminal for p in sum(args[::2], [])}
        super().write(*args)
        terminals |= {p.terminal for p in sum(args[::2], [])}
        Pool().get('mrk.terminal').update_states(list(terminals))

    @classmethod
    def delete(cls, placements):
        terminals = [p.terminal for p in placements]
        super().delete(placements)
        Pool().get('mrk.terminal').update_states(terminals)

    # -- API of the field jobs -----------------------------------------------

    @classmethod
    def install(cls, terminals, point, date, contract=None, **values):
        """Place the terminals at the point from date; values are written on
        the new placements (such as the job that installed them)."""
        pool = Pool()
        Terminal = pool.get('mrk.terminal')
        Terminal.check_available(terminals)
        if contract is None:
            contract = point.contract
        placements = cls.create([{
                    'terminal': t.id,
                    'point': point.id,
                    'contract': contract.id if contract else None,
                    'installed_on': date,
                    **values,
                    } for t in terminals])
        return placements

    @classmethod
    def remove(cls, terminals, point, date, **values):
        """Close the open placements of the terminals at the point on date;
        a terminal that does not stand there is refused by name."""
        placements = cls.search([
                ('terminal', 'in', [t.id for t in terminals]),
                ('removed_on', '=', None),
                ])
        by_terminal = {p.terminal.id: p for p in placements}
        for terminal in terminals:
            placement = by_terminal.get(terminal.id)
            if not placement or placement.point != point:
                raise PlacementError(gettext(
                        'mrk_terminals.msg_placement_not_there',
                        terminal=terminal.rec_name,
                        point=point.rec_name))
            if placement.installed_on > date:
                raise PlacementError(gettext(
                        'mrk_terminals.msg_placement_remove_before_install',
                        terminal=terminal.rec_name,
                        date=format_date(date),
                        installed_on=format_date(placement.installed_on)))
        if placements:
            cls.write(placements, {'removed_on': date, **values})
        return placements
