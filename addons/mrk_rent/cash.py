"""Cash rent along routes (8.1–8.8).

A cash route (маршрут развозки) is the ordered list of points a development
manager (the courier) visits to pay the rent in cash (8.1). Every month a
cash run (развоз наличной аренды) is made per route from the one due
function of the rent table (``RentTerm.get_dues``): one line per stop and
contract with the amount and how it was computed (8.2). The senior manager
sends the preliminary cash request to accounting (8.3), the head approves
the payment permit of each route (8.4, 8.5), the cash is handed to the
courier and the senior checks the delivery by calling him (8.6). The courier
reports each stop from his phone: paid with the kind and number of the
receipt, or not paid with the reason (8.7). When every stop is reported the
office hands the inventory (опись) of the receipts to accounting (8.8), and
accounting closes the run.
"""
import datetime
from collections import defaultdict, namedtuple
from decimal import Decimal

from sql import Column, Literal
from sql.functions import CurrentTimestamp
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Exclude, Index, ModelSQL, ModelView, Unique, Workflow,
    fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval, Id, PYSONEncoder
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.access import RelatedRuleMixin
from trytond.modules.mrk_base.model import WorkflowGuardMixin
from trytond.modules.mrk_contracts.amount import format_amount

from .due import explain, without_gc
from .exceptions import CashRunError, RouteError
from .rent import _decimal, _in, _in_max

RUN_STATES = [
    ('draft', "Draft"),
    ('requested', "Cash Requested"),
    ('approved', "Permit Approved"),
    ('delivering', "Delivering"),
    ('reported', "Report Received"),
    ('handed', "Handed to Accounting"),
    ('closed', "Closed"),
    ('cancelled', "Cancelled"),
    ]
LINE_STATES = [
    ('pending', "To Report"),
    ('paid', "Paid"),
    ('not_paid', "Not Paid"),
    ]
RECEIPT_KINDS = [
    ('receipt_note', "Receipt Note"),
    ('cash_order', "Cash Receipt Order"),
    ('till_receipt', "Till Receipt"),
    ]
# The states in which the manager may still change the run
MANAGED = ['draft', 'requested', 'approved']

# A stop of a route as the generation reads it
Stop = namedtuple('Stop', [
        'route', 'sequence', 'id', 'point', 'party', 'contract', 'active'])


def first_day(date):
    "The first day of the month holding date (a date or an ISO string)"
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date)
    if isinstance(date, datetime.datetime):
        date = date.date()
    return date.replace(day=1) if date else date


def period_text(month):
    "03.2026"
    return '%02d.%04d' % (month.month, month.year) if month else ''


class Route(RelatedRuleMixin, DeactivableMixin, ModelSQL, ModelView):
    """Cash route (маршрут развозки, 8.1): the points with cash rent a
    development manager visits in order."""
    __name__ = 'mrk.rent.route'
    __string__ = "Cash Route"

    name = fields.Char("Name", required=True)
    courier = fields.Many2One(
        'res.user', "Development Manager", ondelete='RESTRICT',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_courier'))],
        help="The courier who carries the cash along the route.")
    stops = fields.One2Many(
        'mrk.rent.route.stop', 'route', "Stops",
        help="The points in the order of the round.")
    stop_count = fields.Function(
        fields.Integer("Number of Stops"), 'get_stop_count')
    notes = fields.Text("Notes")
    runs = fields.One2Many(
        'mrk.rent.cash_run', 'route', "Cash Runs", readonly=True,
        order=[('month', 'DESC'), ('id', 'DESC')])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_unique', Unique(t, t.name),
                'mrk_rent.msg_route_name_unique'),
            ]
        cls._order = [('name', 'ASC'), ('id', 'ASC')]
        # A courier searching routes through their runs finds only his own
        cls._related_rule_fields = cls._related_rule_fields | {'runs'}

    @classmethod
    def get_stop_count(cls, routes, name):
        pool = Pool()
        RouteStop = pool.get('mrk.rent.route.stop')
        stop = RouteStop.__table__()
        cursor = Transaction().connection.cursor()
        result = dict.fromkeys((r.id for r in routes), 0)
        for sub_ids in grouped_slice([r.id for r in routes], _in_max()):
            cursor.execute(*stop.select(stop.route, stop.id,
                    where=_in(stop.route, sub_ids)))
            for route_id, _ in cursor:
                result[route_id] += 1
        return result

    @classmethod
    def validate_fields(cls, routes, field_names):
        super().validate_fields(routes, field_names)
        if 'active' in field_names:
            RouteStop = Pool().get('mrk.rent.route.stop')
            RouteStop.check_points(
                [s for r in routes if r.active for s in r.stops])

    @classmethod
    def copy(cls, routes, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('runs', None)
        default.setdefault('stops', None)
        default.setdefault('name', lambda data: data['name'] + ' (2)')
        return super().copy(routes, default=default)


class RouteStop(sequence_ordered(), ModelSQL, ModelView):
    """Stop of a cash route (8.1): a point with cash rent, in the order of
    the round."""
    __name__ = 'mrk.rent.route.stop'
    __string__ = "Route Stop"

    route = fields.Many2One(
        'mrk.rent.route', "Route", required=True, ondelete='CASCADE')
    point = fields.Many2One(
        'mrk.point', "Point", required=True, ondelete='RESTRICT')
    party = fields.Function(
        fields.Many2One('party.party', "Counterparty"),
        'on_change_with_party')
    address = fields.Function(
        fields.Char("Address"), 'on_change_with_address')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.route, Index.Equality())),
                Index(t, (t.point, Index.Equality())),
                })

    @fields.depends('point', '_parent_point.party')
    def on_change_with_party(self, name=None):
        if self.point and self.point.party:
            return self.point.party

    @fields.depends('point', '_parent_point.city', '_parent_point.address')
    def on_change_with_address(self, name=None):
        if self.point:
            return self.point.full_address

    def get_rec_name(self, name):
        return '%s: %s' % (self.route.rec_name, self.point.rec_name)

    @classmethod
    def validate_fields(cls, stops, field_names):
        super().validate_fields(stops, field_names)
        if field_names & {'route', 'point'}:
            cls.check_points(stops)

    @classmethod
    def check_points(cls, stops):
        """A point is a stop of one active route at most, once (8.1): its
        cash would be counted twice."""
        pool = Pool()
        Route = pool.get('mrk.rent.route')
        Point = pool.get('mrk.point')
        stop = cls.__table__()
        route = Route.__table__()
        cursor = Transaction().connection.cursor()
        points = {s.point.id for s in stops if s.route.active}
        found = defaultdict(list)
        for sub_ids in grouped_slice(list(points), _in_max()):
            cursor.execute(*stop.join(route,
                    condition=stop.route == route.id).select(
                    stop.point, stop.route,
                    where=_in(stop.point, sub_ids)
                    & (route.active == Literal(True)),
                    order_by=[stop.point, stop.route, stop.id]))
            for point_id, route_id in cursor:
                found[point_id].append(route_id)
        for point_id, route_ids in found.items():
            if len(route_ids) < 2:
                continue
            point = Point(point_id)
            first, other = Route.browse(route_ids[:2])
            if first == other:
                raise RouteError(gettext(
                        'mrk_rent.msg_route_point_twice',
                        point=point.rec_name, route=first.rec_name))
            raise RouteError(gettext(
                    'mrk_rent.msg_route_point_other_route',
                    point=point.rec_name, route=first.rec_name,
                    other=other.rec_name))


class CashRun(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Cash run (развоз наличной аренды, 8.2–8.8): the cash rent of one
    route for one month, from the cash request to accounting's closing."""
    __name__ = 'mrk.rent.cash_run'
    __string__ = "Cash Run"

    _draft = {'readonly': Eval('state') != 'draft'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    route = fields.Many2One(
        'mrk.rent.route', "Route", required=True, ondelete='RESTRICT',
        states=_draft, context={'active_test': False})
    month = fields.Date("Month", required=True, states=_draft,
        help="The month whose rent is paid (its first day).")
    period = fields.Function(fields.Char("Period"), 'get_period')
    courier = fields.Many2One(
        'res.user', "Development Manager", ondelete='RESTRICT',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_courier'))],
        states={
            'readonly': ~Eval('state').in_(MANAGED),
            },
        help="The courier who carries the cash this month; the route's "
        "one by default.")
    lines = fields.One2Many(
        'mrk.rent.cash_run.line', 'run', "Stops",
        states={
            'readonly': Eval('state').in_(['closed', 'cancelled']),
            })
    total_due = fields.Function(fields.Numeric(
            "Total Due", digits=(16, 2),
            help="The cash to take from accounting (8.2)."), 'get_totals')
    total_paid = fields.Function(fields.Numeric(
            "Total Paid", digits=(16, 2)), 'get_totals')
    total_not_paid = fields.Function(fields.Numeric(
            "Total Not Paid", digits=(16, 2),
            help="The cash to return to accounting."), 'get_totals')
    stop_count = fields.Function(
        fields.Integer("Number of Stops"), 'get_totals')
    reported_count = fields.Function(
        fields.Integer("Reported Stops"), 'get_totals')
    requested_on = fields.Date("Requested On", readonly=True)
    requested_by = fields.Many2One('res.user', "Requested By", readonly=True)
    approved_on = fields.Date("Approved On", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    delivered_on = fields.Date("Handed to Courier On", readonly=True)
    reported_on = fields.Date("Reported On", readonly=True)
    handed_on = fields.Date("Handed to Accounting On", readonly=True)
    handed_by = fields.Many2One('res.user', "Handed By", readonly=True)
    closed_on = fields.Date("Closed On", readonly=True)
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True)
    state = fields.Selection(
        RUN_STATES, "State", required=True, readonly=True, sort=False)

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('route_month_unique',
                Exclude(t, (t.route, Equal), (t.month, Equal),
                    where=t.state != 'cancelled'),
                'mrk_rent.msg_cash_run_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.month, Index.Range()),
                    (t.route, Index.Equality())),
                Index(t, (t.courier, Index.Equality()),
                    (t.state, Index.Equality())),
                })
        cls._order = [
            ('month', 'DESC'), ('route.name', 'ASC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'draft'),
            ('requested', 'approved'),
            ('approved', 'delivering'),
            ('delivering', 'reported'),
            ('reported', 'handed'),
            ('handed', 'closed'),
            ('draft', 'cancelled'),
            }
        # The head approves the payment permit (8.4) of the run's stops and
        # amounts: they are the run's lines, guarded by the lines
        cls._workflow_fields |= {
            'state', 'requested_on', 'requested_by', 'approved_on',
            'approved_by', 'delivered_on', 'reported_on', 'handed_on',
            'handed_by', 'closed_on', 'closed_by'}
        for state, _ in RUN_STATES:
            frozen = set()
            if state != 'draft':
                frozen |= {'company', 'route', 'month'}
            if state not in MANAGED:
                frozen.add('courier')
            cls._frozen_fields.setdefault(state, set()).update(frozen)
        cls._buttons.update({
                'recompute': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'deliver': {
                    'invisible': Eval('state') != 'approved',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close_reports': {
                    'invisible': Eval('state') != 'delivering',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'hand': {
                    'invisible': Eval('state') != 'reported',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') != 'handed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_month(cls):
        return Pool().get('ir.date').today().replace(day=1)

    @fields.depends('route', 'courier')
    def on_change_route(self):
        if self.route and self.route.courier and not self.courier:
            self.courier = self.route.courier

    def get_period(self, name):
        return period_text(self.month)

    def get_rec_name(self, name):
        return '%s %s' % (self.route.rec_name, period_text(self.month))

    @property
    def activity_title(self):
        "The run and its rent due, as the titles of its tasks name it"
        return '%s, %s' % (self.rec_name, format_amount(self.total_due or 0))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('route.rec_name',) + tuple(clause[1:])]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('month'):
            values['month'] = first_day(values['month'])
        return values

    @classmethod
    def get_totals(cls, runs, names):
        "The totals of the runs' lines, read in one query per batch (8.2)"
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        zero = Decimal('0.00')
        totals = {r.id: {'total_due': zero, 'total_paid': zero,
                'total_not_paid': zero, 'stop_count': 0,
                'reported_count': 0} for r in runs}
        for sub_ids in grouped_slice([r.id for r in runs], _in_max()):
            cursor.execute(*line.select(line.run, line.state, line.amount,
                    where=_in(line.run, sub_ids)))
            for run_id, state, amount in cursor:
                amount = _decimal(amount)
                total = totals[run_id]
                total['total_due'] += amount
                total['stop_count'] += 1
                if state != 'pending':
                    total['reported_count'] += 1
                if state == 'paid':
                    total['total_paid'] += amount
                elif state == 'not_paid':
                    total['total_not_paid'] += amount
        return {n: {i: t[n] for i, t in totals.items()} for n in names}

    @classmethod
    def copy(cls, runs, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('lines', None)
        default.setdefault('state', 'draft')
        for name in ['requested_on', 'requested_by', 'approved_on',
                'approved_by', 'delivered_on', 'reported_on', 'handed_on',
                'handed_by', 'closed_on', 'closed_by']:
            default.setdefault(name, None)
        return super().copy(runs, default=default)

    @classmethod
    def delete(cls, runs):
        for run in runs:
            if run.state not in {'draft', 'cancelled'}:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_run_delete', run=run.rec_name))
        super().delete(runs)

    # -- Generation (8.1, 8.2) --------------------------------------------

    @classmethod
    def _company(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if not company:
            companies = Company.search([], order=[('id', 'ASC')], limit=1)
            company = companies[0].id if companies else None
        return company

    @classmethod
    def _read_stops(cls, routes=()):
        """The stops of the active routes and of routes (Stop tuples), the
        active routes first, each route in the order of its round"""
        pool = Pool()
        Route = pool.get('mrk.rent.route')
        RouteStop = pool.get('mrk.rent.route.stop')
        Point = pool.get('mrk.point')
        stop = RouteStop.__table__()
        route = Route.__table__()
        point = Point.__table__()
        cursor = Transaction().connection.cursor()
        where = route.active == Literal(True)
        if routes:
            where |= _in(route.id, list(routes))
        cursor.execute(*stop.join(route,
                condition=stop.route == route.id).join(point,
                condition=stop.point == point.id).select(
                stop.route, stop.sequence, stop.id, stop.point, point.party,
                point.contract, route.active, where=where))
        stops = [Stop(*row[:6], bool(row[6])) for row in cursor]
        stops.sort(key=lambda s: (not s.active, s.route,
                s.sequence is not None, s.sequence or 0, s.id))
        return stops

    @classmethod
    def _taken(cls, month, exclude_runs=()):
        """The (contract, point) of the lines already in the month's runs:
        a due is paid once (8.2)"""
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        run = cls.__table__()
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        where = (run.month == month) & (run.state != 'cancelled')
        if exclude_runs:
            where &= ~_in(run.id, list(exclude_runs))
        cursor.execute(*line.join(run, condition=line.run == run.id).select(
                line.contract, line.point, where=where))
        return set(cursor)

    @classmethod
    def _dispatch(cls, month, routes=(), exclude_runs=()):
        """The cash dues of the month by stop of the routes (8.1, 8.2).

        One call of the due function for every contract. A due for a point
        goes to the stop of that point; a contract-wide due goes to the
        first stop whose point is under the contract, else the first stop
        of the same counterparty. Dues already in a run of the month are
        left out (the runs of exclude_runs aside).

        Returns the stops, the dues by stop id and the dues that reach no
        stop."""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Contract = pool.get('mrk.contract')
        cursor = Transaction().connection.cursor()
        stops = cls._read_stops(routes)
        dues = [d for d in RentTerm.get_dues(month, payment_forms=['cash'])
            if d.amount]
        by_point, by_contract, by_party = {}, {}, {}
        for stop in stops:
            by_point.setdefault(stop.point, stop)
            if stop.contract is not None:
                by_contract.setdefault(stop.contract, stop)
            by_party.setdefault(stop.party, stop)

        # The counterparties of the contract-wide dues
        parties = {}
        wide = list({d.contract for d in dues if d.point is None})
        contract = Contract.__table__()
        for sub_ids in grouped_slice(wide, _in_max()):
            cursor.execute(*contract.select(contract.id, contract.party,
                    where=_in(contract.id, sub_ids)))
            parties.update(cursor)

        taken = cls._taken(month, exclude_runs)
        assigned = defaultdict(list)
        unrouted = []
        for due in dues:
            if due.point is not None:
                stop = by_point.get(due.point)
            else:
                stop = (by_contract.get(due.contract)
                    or by_party.get(parties.get(due.contract)))
            if stop is None:
                unrouted.append(due)
            elif (due.contract, stop.point) not in taken:
                assigned[stop.id].append(due)
        return stops, assigned, unrouted

    @classmethod
    def _lines_by_route(cls, month, routes, exclude_runs=()):
        """The values of the lines of the routes' runs for the month, by
        route id (8.2): one line per stop and contract, in the order of
        the round, with the amount and its explanation."""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Terminal = pool.get('mrk.terminal')
        cursor = Transaction().connection.cursor()
        routes = set(routes)
        stops, assigned, _ = cls._dispatch(month, routes, exclude_runs)
        stops = [s for s in stops if s.route in routes]

        # The monthly amounts of the terms and the terminals' serials
        term_ids, terminal_ids = set(), set()
        for stop in stops:
            for due in assigned.get(stop.id, ()):
                for part in due.parts:
                    term_ids.add(part.term)
                    if part.terminal is not None:
                        terminal_ids.add(part.terminal)
        amounts, serials = {}, {}
        term = RentTerm.__table__()
        for sub_ids in grouped_slice(list(term_ids), _in_max()):
            cursor.execute(*term.select(term.id, term.amount,
                    where=_in(term.id, sub_ids)))
            amounts.update((i, _decimal(a)) for i, a in cursor)
        terminal = Terminal.__table__()
        for sub_ids in grouped_slice(list(terminal_ids), _in_max()):
            cursor.execute(*terminal.select(terminal.id,
                    terminal.serial_number,
                    where=_in(terminal.id, sub_ids)))
            serials.update(cursor)

        lines = defaultdict(list)
        positions = defaultdict(int)
        for stop in stops:
            positions[stop.route] += 1
            by_contract = {}
            for due in assigned.get(stop.id, ()):
                by_contract.setdefault(due.contract, []).append(due)
            for contract_id, dues in by_contract.items():
                parts = sorted((p for d in dues for p in d.parts),
                    key=lambda p: (p.terminal is not None, p.start,
                        serials.get(p.terminal) or '', p.term))
                lines[stop.route].append({
                        'sequence': positions[stop.route],
                        'point': stop.point,
                        'party': stop.party,
                        'contract': contract_id,
                        'amount': sum((d.amount for d in dues),
                            Decimal('0.00')),
                        'explanation': explain(
                            parts, amounts, serials),
                        })
        return lines

    @classmethod
    def generate(cls, month, routes=None):
        """Make the draft cash runs of the month (8.2): one per active route
        (or per route of routes) that has no run of that month yet, with a
        line per stop having cash rent due. Returns the new runs.

        Set-based: one call of the due function, one creation of the runs
        and one of the lines."""
        pool = Pool()
        Route = pool.get('mrk.rent.route')
        month = first_day(month)
        cursor = Transaction().connection.cursor()
        route = Route.__table__()
        run = cls.__table__()
        if routes is None:
            where = route.active == Literal(True)
        else:
            ids = [int(r) for r in routes]
            if not ids:
                return []
            where = _in(route.id, ids)
        cursor.execute(*route.select(route.id, route.courier,
                where=where, order_by=[route.name, route.id]))
        candidates = list(cursor)
        cursor.execute(*run.select(run.route,
                where=(run.month == month) & (run.state != 'cancelled')))
        done = {r for r, in cursor}
        targets = [(r, c) for r, c in candidates if r not in done]
        if not targets:
            return []
        with without_gc():
            lines = cls._lines_by_route(month, [r for r, _ in targets])
        company = cls._company()
        runs = cls.create([{
                    'company': company,
                    'route': route_id,
                    'month': month,
                    'courier': courier,
                    } for route_id, courier in targets])
        with without_gc():
            cls._insert_lines([dict(values, run=run.id)
                    for (route_id, _), run in zip(targets, runs)
                    for values in lines.get(route_id, [])])
        return runs

    @classmethod
    def _insert_lines(cls, vlist):
        """Write the generated lines (8.2) in one statement per batch.

        Their values come complete and checked from the due function and
        the routes, so the record-by-record validation of the ORM, slow
        for thousands of lines, is left out (as stock.period does for its
        caches)."""
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        line = Line.__table__()
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        names = ['run', 'sequence', 'point', 'party', 'contract', 'amount',
            'explanation', 'visited', 'state', 'create_uid']
        if not vlist:
            return
        # One statement prepared once, run for every line
        query, params = tuple(line.insert(
                [Column(line, n) for n in names] + [line.create_date],
                [[None] * len(names) + [CurrentTimestamp()]]))
        assert len(params) == len(names)
        cursor.executemany(query, [
                [v[n] for n in names[:-3]] + [
                    False, 'pending', transaction.user]
                for v in vlist])
        transaction.counter += 1

    @classmethod
    def unrouted_dues(cls, month):
        """The cash dues of the month that reach no stop of an active route
        (``due.Due``): the senior adds their points to a route (8.1)."""
        _, _, unrouted = cls._dispatch(first_day(month))
        return unrouted

    @classmethod
    def describe_dues(cls, dues):
        "One line of text per due: counterparty, contract, point, amount"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Point = pool.get('mrk.point')
        contracts = {c.id: c for c in Contract.browse(
                list({d.contract for d in dues}))}
        points = {p.id: p for p in Point.browse(
                list({d.point for d in dues if d.point is not None}))}
        texts = []
        for due in dues:
            contract = contracts[due.contract]
            if due.point is not None:
                texts.append(gettext('mrk_rent.msg_cash_unrouted_point',
                        party=contract.party.rec_name,
                        contract=contract.rec_name,
                        point=points[due.point].rec_name,
                        amount=format_amount(due.amount)))
            else:
                texts.append(gettext('mrk_rent.msg_cash_unrouted_contract',
                        party=contract.party.rec_name,
                        contract=contract.rec_name,
                        amount=format_amount(due.amount)))
        return texts

    @classmethod
    @ModelView.button
    def recompute(cls, runs):
        """Rebuild the lines of draft runs from the rent table and the
        routes as they are now (8.2)."""
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        for run in runs:
            if run.state != 'draft':
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_run_recompute',
                        run=run.rec_name))
        to_create = []
        by_month = defaultdict(list)
        for run in runs:
            by_month[run.month].append(run)
        Line.delete([l for r in runs for l in r.lines])
        for month, month_runs in by_month.items():
            lines = cls._lines_by_route(month,
                [r.route.id for r in month_runs],
                exclude_runs=[r.id for r in month_runs])
            for run in month_runs:
                to_create.extend(dict(values, run=run.id)
                    for values in lines.get(run.route.id, []))
        cls._insert_lines(to_create)
        to_write = [r for r in runs if not r.courier and r.route.courier]
        for run in to_write:
            cls.write([run], {'courier': run.route.courier.id})

    # -- Workflow (8.3–8.8) ------------------------------------------------

    @classmethod
    def _today(cls):
        return Pool().get('ir.date').today()

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, runs):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, runs):
        "Back to draft to change the stops: the head's approval is void"
        Activity = Pool().get('mrk.activity')
        cls.write(runs, {'requested_on': None, 'requested_by': None})
        activities = Activity.open_for(runs, [codes.PAYMENT_PERMIT])
        if activities:
            Activity.cancel(activities)

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, runs):
        """The preliminary cash request goes to accounting (8.3) and the
        payment permit to its approver of the settings (8.4)."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        for run in runs:
            if not run.lines:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_run_no_lines', run=run.rec_name))
        cls.write(runs, {
                'requested_on': cls._today(),
                'requested_by': Transaction().user,
                })
        Activity.close(runs, [codes.CASH_REQUEST])
        approver = Configuration(1).get_approver('payment_permit_approver')
        for run in runs:
            Activity.schedule(codes.PAYMENT_PERMIT, [run], owner=approver,
                note=gettext('mrk_rent.msg_cash_run_permit_note',
                    run=run.rec_name,
                    courier=run.courier.rec_name if run.courier else '',
                    count=run.stop_count,
                    total=format_amount(run.total_due)))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, runs):
        "The head approves the payment permit of the route (8.4, 8.5)"
        cls.write(runs, {
                'approved_on': cls._today(),
                'approved_by': Transaction().user,
                })
        Pool().get('mrk.activity').close(runs, [codes.PAYMENT_PERMIT])

    @classmethod
    @ModelView.button
    @Workflow.transition('delivering')
    def deliver(cls, runs):
        """The cash and the permit are handed to the courier; the senior
        follows the delivery (8.6) and the courier reports each stop
        (8.7)."""
        Activity = Pool().get('mrk.activity')
        for run in runs:
            if not run.courier:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_run_no_courier',
                        run=run.rec_name))
        cls.write(runs, {'delivered_on': cls._today()})
        for run in runs:
            Activity.schedule(codes.CASH_DELIVERY_CONTROL, [run],
                note=gettext('mrk_rent.msg_cash_run_delivery_note',
                    run=run.rec_name, courier=run.courier.rec_name,
                    count=run.stop_count,
                    total=format_amount(run.total_due)))
            cls.notify_user([run], 'tryton-forward',
                gettext('mrk_rent.msg_cash_run_to_courier',
                    run=run.rec_name),
                description=gettext(
                    'mrk_rent.msg_cash_run_to_courier_description',
                    count=run.stop_count,
                    total=format_amount(run.total_due)),
                user=run.courier)

    @classmethod
    @ModelView.button
    def close_reports(cls, runs):
        """The senior closes the delivery: the stops the courier did not
        report are marked not paid (8.6, 8.7)."""
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        for run in runs:
            if run.state != 'delivering':
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_run_not_delivering',
                        run=run.rec_name))
        pending = [l for r in runs for l in r.lines if l.state == 'pending']
        if pending:
            Line.write(pending, {
                    'state': 'not_paid',
                    'not_paid_reason': gettext(
                        'mrk_rent.msg_cash_line_not_reported'),
                    'reported_by': Transaction().user,
                    'reported_at': datetime.datetime.now(),
                    })
        cls.reported(runs)

    @classmethod
    def check_reported(cls, runs):
        "The runs being delivered whose stops are all reported (8.7)"
        pool = Pool()
        Line = pool.get('mrk.rent.cash_run.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        runs = [r for r in cls.browse(list({r.id for r in runs}))
            if r.state == 'delivering']
        if not runs:
            return
        pending = set()
        for sub_ids in grouped_slice([r.id for r in runs], _in_max()):
            cursor.execute(*line.select(line.run,
                    where=_in(line.run, sub_ids)
                    & (line.state == 'pending')))
            pending.update(r for r, in cursor)
        done = [r for r in runs if r.id not in pending]
        if done:
            cls.reported(done)

    @classmethod
    @Workflow.transition('reported')
    def reported(cls, runs):
        """Every stop is reported: the office hands the inventory of the
        receipts to accounting (8.8)."""
        Activity = Pool().get('mrk.activity')
        cls.write(runs, {'reported_on': cls._today()})
        Activity.close(runs, [codes.CASH_DELIVERY_CONTROL])
        for run in runs:
            Activity.schedule(codes.RECEIPTS_INVENTORY, [run],
                note=gettext('mrk_rent.msg_cash_run_inventory_note',
                    run=run.rec_name,
                    paid=format_amount(run.total_paid),
                    not_paid=format_amount(run.total_not_paid)))

    @classmethod
    @ModelView.button
    @Workflow.transition('handed')
    def hand(cls, runs):
        "The inventory of the receipts is handed to accounting (8.8)"
        cls.write(runs, {
                'handed_on': cls._today(),
                'handed_by': Transaction().user,
                })
        Pool().get('mrk.activity').close(runs, [codes.RECEIPTS_INVENTORY])

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, runs):
        "Accounting confirms the receipts and the cash returned (8.8)"
        cls.write(runs, {
                'closed_on': cls._today(),
                'closed_by': Transaction().user,
                })


class CashRunLine(WorkflowGuardMixin, ModelSQL, ModelView):
    """Stop of a cash run (8.2, 8.6, 8.7): the rent due at a point under a
    contract for the month, and what the courier reported."""
    __name__ = 'mrk.rent.cash_run.line'
    __string__ = "Cash Run Stop"

    _paid = {'invisible': Eval('state') != 'paid'}

    run = fields.Many2One(
        'mrk.rent.cash_run', "Cash Run", required=True, ondelete='CASCADE',
        readonly=True)
    sequence = fields.Integer("Order", readonly=True,
        help="The place of the stop in the round.")
    point = fields.Many2One(
        'mrk.point', "Point", required=True, ondelete='RESTRICT',
        readonly=True)
    party = fields.Many2One(
        'party.party', "Counterparty", ondelete='RESTRICT', readonly=True)
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='RESTRICT', readonly=True)
    address = fields.Function(fields.Char("Address"), 'get_address')
    amount = fields.Numeric(
        "Amount", digits=(16, 2), required=True, readonly=True,
        help="The rent due for the month, computed when the run was made.")
    explanation = fields.Text("Computation", readonly=True,
        help="Each part of the amount: the monthly rent, the days, the "
        "terminal.")
    visited = fields.Boolean("Visited",
        states={
            'readonly': ~Eval('run_state').in_(['delivering', 'reported']),
            },
        help="The senior manager checked by calling the courier that the "
        "stop was visited (8.6).")
    state = fields.Selection(
        LINE_STATES, "Status", required=True, readonly=True, sort=False)
    state_string = state.translated('state')
    receipt_kind = fields.Selection([(None, "")] + RECEIPT_KINDS,
        "Receipt Kind", readonly=True, sort=False, states=_paid)
    receipt_kind_string = receipt_kind.translated('receipt_kind')
    receipt_number = fields.Char("Receipt Number", readonly=True,
        states=_paid)
    paid_on = fields.Date("Paid On", readonly=True, states=_paid)
    not_paid_reason = fields.Text("Reason Not Paid", readonly=True,
        states={
            'invisible': Eval('state') != 'not_paid',
            })
    reported_by = fields.Many2One('res.user', "Reported By", readonly=True)
    reported_at = fields.Timestamp("Reported At", readonly=True)
    run_state = fields.Function(
        fields.Selection(RUN_STATES, "Run State"), 'get_run_state')
    period = fields.Function(fields.Char("Period"), 'get_run_state')

    del _paid

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.run, Index.Equality()),
                    (t.sequence, Index.Range())),
                Index(t, (t.point, Index.Equality())),
                Index(t, (t.contract, Index.Equality())),
                })
        cls._order = [
            ('run', 'ASC'), ('sequence', 'ASC NULLS FIRST'), ('id', 'ASC')]
        # The stops and their amounts come from the rent table (8.2) and
        # the reports from the courier's buttons (8.7); the senior only
        # ticks the visits he checked by calling the courier (8.6)
        cls._workflow_fields |= {
            'run', 'sequence', 'point', 'party', 'contract', 'amount',
            'explanation', 'state', 'receipt_kind', 'receipt_number',
            'paid_on', 'not_paid_reason', 'reported_by', 'reported_at'}
        cls._guard_parent = 'run'
        for state, _ in RUN_STATES:
            if state not in {'delivering', 'reported'}:
                cls._frozen_fields.setdefault(state, set()).add('visited')
        cls._buttons.update({
                'pay': {
                    'invisible': ((Eval('state') != 'pending')
                        | (Eval('run_state') != 'delivering')),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'run_state'],
                    },
                'not_pay': {
                    'invisible': ((Eval('state') != 'pending')
                        | (Eval('run_state') != 'delivering')),
                    'icon': 'tryton-cancel',
                    'depends': ['state', 'run_state'],
                    },
                'reset': {
                    'invisible': ((Eval('state') == 'pending')
                        | (Eval('run_state') != 'delivering')),
                    'icon': 'tryton-undo',
                    'depends': ['state', 'run_state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'pending'

    @classmethod
    def default_visited(cls):
        return False

    def get_address(self, name):
        return self.point.full_address if self.point else None

    @classmethod
    def get_run_state(cls, lines, names):
        result = {n: {} for n in names}
        for line in lines:
            if 'run_state' in result:
                result['run_state'][line.id] = line.run.state
            if 'period' in result:
                result['period'][line.id] = period_text(line.run.month)
        return result

    def get_rec_name(self, name):
        return '%s, %s' % (self.run.rec_name, self.point.rec_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR',
            ('point.rec_name',) + tuple(clause[1:]),
            ('party.rec_name',) + tuple(clause[1:]),
            ]

    @classmethod
    def delete(cls, lines):
        for line in lines:
            if line.run.state not in {'draft', 'cancelled'}:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_delete',
                        line=line.rec_name))
        super().delete(lines)

    @classmethod
    def _check_reportable(cls, lines):
        for line in lines:
            if line.run.state != 'delivering':
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_not_delivering',
                        line=line.rec_name, run=line.run.rec_name))
            if line.state != 'pending':
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_reported',
                        line=line.rec_name, state=line.state_string))

    @classmethod
    def report_paid(cls, lines, receipt_kind, receipt_number, paid_on=None):
        """The courier paid the stops and holds the counterparty's receipt:
        its kind (расписка, ПКО, кассовый чек) and number (8.7). The run is
        reported with its last stop."""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        cls._check_reportable(lines)
        receipt_number = (receipt_number or '').strip()
        kinds = {k for k, _ in RECEIPT_KINDS}
        for line in lines:
            if receipt_kind not in kinds:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_receipt_kind',
                        line=line.rec_name))
            if not receipt_number:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_receipt_number',
                        line=line.rec_name))
        if not lines:
            return
        # Couriers do not write stops: they report through here only
        with without_check_access():
            cls.write(list(lines), {
                    'state': 'paid',
                    'visited': True,
                    'receipt_kind': receipt_kind,
                    'receipt_number': receipt_number,
                    'paid_on': paid_on or CashRun._today(),
                    'not_paid_reason': None,
                    'reported_by': Transaction().user,
                    'reported_at': datetime.datetime.now(),
                    })
            CashRun.check_reported([l.run for l in lines])

    @classmethod
    def report_not_paid(cls, lines, reason):
        """The courier could not pay the stops, for the reason given (8.7).
        The run is reported with its last stop."""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        cls._check_reportable(lines)
        reason = (reason or '').strip()
        for line in lines:
            if not reason:
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_reason',
                        line=line.rec_name))
        if not lines:
            return
        # Couriers do not write stops: they report through here only
        with without_check_access():
            cls.write(list(lines), {
                    'state': 'not_paid',
                    'visited': True,
                    'receipt_kind': None,
                    'receipt_number': None,
                    'paid_on': None,
                    'not_paid_reason': reason,
                    'reported_by': Transaction().user,
                    'reported_at': datetime.datetime.now(),
                    })
            CashRun.check_reported([l.run for l in lines])

    @classmethod
    @ModelView.button_action('mrk_rent.wizard_cash_line_pay')
    def pay(cls, lines):
        "Paid: the courier enters the receipt (8.7)"
        cls._check_reportable(lines)

    @classmethod
    @ModelView.button_action('mrk_rent.wizard_cash_line_not_pay')
    def not_pay(cls, lines):
        "Not paid: the courier gives the reason (8.7)"
        cls._check_reportable(lines)

    @classmethod
    @ModelView.button
    def reset(cls, lines):
        "The senior cancels a report made by mistake while delivering"
        for line in lines:
            if line.run.state != 'delivering':
                raise CashRunError(gettext(
                        'mrk_rent.msg_cash_line_not_delivering',
                        line=line.rec_name, run=line.run.rec_name))
        cls.write(list(lines), {
                'state': 'pending',
                'receipt_kind': None,
                'receipt_number': None,
                'paid_on': None,
                'not_paid_reason': None,
                'reported_by': None,
                'reported_at': None,
                })


class CashLinePayStart(ModelView):
    "Cash Stop Paid"
    __name__ = 'mrk.rent.cash_run.line.pay.start'
    __string__ = "Cash Stop Paid"

    party = fields.Many2One('party.party', "Counterparty", readonly=True)
    address = fields.Char("Address", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    receipt_kind = fields.Selection(
        RECEIPT_KINDS, "Receipt Kind", required=True, sort=False)
    receipt_number = fields.Char("Receipt Number", required=True,
        help="The number written on the receipt note, the cash receipt "
        "order or the till receipt.")
    paid_on = fields.Date("Paid On", required=True)

    @classmethod
    def default_receipt_kind(cls):
        return 'receipt_note'

    @classmethod
    def default_paid_on(cls):
        return Pool().get('ir.date').today()


class CashLinePay(Wizard):
    "Cash stop paid: the receipt the courier got (8.7)"
    __name__ = 'mrk.rent.cash_run.line.pay'

    start = StateView('mrk.rent.cash_run.line.pay.start',
        'mrk_rent.cash_line_pay_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Paid", 'pay', 'tryton-ok', default=True),
            ])
    pay = StateTransition()

    def default_start(self, fields):
        values = {}
        if len(self.records) == 1:
            line, = self.records
            values.update({
                    'party': line.party.id if line.party else None,
                    'address': line.address,
                    'amount': line.amount,
                    })
        else:
            values['amount'] = sum(
                (l.amount for l in self.records), Decimal('0.00'))
        return values

    def transition_pay(self):
        Line = Pool().get('mrk.rent.cash_run.line')
        Line.report_paid(self.records, self.start.receipt_kind,
            self.start.receipt_number, self.start.paid_on)
        return 'end'

    def end(self):
        return 'reload'


class CashLineNotPayStart(ModelView):
    "Cash Stop Not Paid"
    __name__ = 'mrk.rent.cash_run.line.not_pay.start'
    __string__ = "Cash Stop Not Paid"

    party = fields.Many2One('party.party', "Counterparty", readonly=True)
    address = fields.Char("Address", readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), readonly=True)
    reason = fields.Text("Reason Not Paid", required=True,
        help="Why the rent was not paid: closed, nobody to sign, refused.")


class CashLineNotPay(Wizard):
    "Cash stop not paid: the reason (8.7)"
    __name__ = 'mrk.rent.cash_run.line.not_pay'

    start = StateView('mrk.rent.cash_run.line.not_pay.start',
        'mrk_rent.cash_line_not_pay_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Not Paid", 'not_pay', 'tryton-ok', default=True),
            ])
    not_pay = StateTransition()

    def default_start(self, fields):
        values = {}
        if len(self.records) == 1:
            line, = self.records
            values.update({
                    'party': line.party.id if line.party else None,
                    'address': line.address,
                    'amount': line.amount,
                    })
        return values

    def transition_not_pay(self):
        Line = Pool().get('mrk.rent.cash_run.line')
        Line.report_not_paid(self.records, self.start.reason)
        return 'end'

    def end(self):
        return 'reload'


class CashRunGenerateStart(ModelView):
    "Generate Cash Runs"
    __name__ = 'mrk.rent.cash_run.generate.start'
    __string__ = "Generate Cash Runs"

    month = fields.Date("Month", required=True,
        help="Any day of the month whose rent is paid.")
    routes = fields.Many2Many(
        'mrk.rent.route', None, None, "Routes",
        help="Leave empty for every active route.")
    runs = fields.Many2Many(
        'mrk.rent.cash_run', None, None, "New Cash Runs", readonly=True)
    unrouted = fields.Text("Cash Rent without Route", readonly=True,
        help="Cash dues of the month at no stop of an active route: add "
        "their points to a route and recompute the draft run.")

    @classmethod
    def default_month(cls):
        "The next month: runs are prepared before the month starts"
        today = Pool().get('ir.date').today()
        return (today.replace(day=28) + datetime.timedelta(days=4)).replace(
            day=1)


class CashRunGenerate(Wizard):
    """Generate the cash runs of a month (8.2) and list the cash rent that
    reaches no route (8.1)."""
    __name__ = 'mrk.rent.cash_run.generate'

    start = StateView('mrk.rent.cash_run.generate.start',
        'mrk_rent.cash_generate_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Generate", 'generate', 'tryton-ok', default=True),
            ])
    generate = StateTransition()
    result = StateView('mrk.rent.cash_run.generate.start',
        'mrk_rent.cash_generate_result_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Open Cash Runs", 'open_', 'tryton-forward',
                default=True),
            ])
    open_ = StateAction('mrk_rent.act_cash_run_form')

    def transition_generate(self):
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        month = first_day(self.start.month)
        routes = list(self.start.routes) or None
        runs = CashRun.generate(month, routes=routes)
        unrouted = CashRun.unrouted_dues(month)
        self.start.month = month
        self.start.runs = runs
        if unrouted:
            self.start.unrouted = '\n'.join(CashRun.describe_dues(unrouted))
        else:
            self.start.unrouted = gettext('mrk_rent.msg_cash_all_routed')
        return 'result'

    def default_result(self, fields):
        return {
            'month': self.start.month,
            'routes': [r.id for r in self.start.routes],
            'runs': [r.id for r in self.start.runs],
            'unrouted': self.start.unrouted,
            }

    def do_open_(self, action):
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        runs = CashRun.search([('month', '=', first_day(self.start.month))])
        action['pyson_domain'] = PYSONEncoder().encode(
            [('id', 'in', [r.id for r in runs])])
        action['name'] += ' %s' % period_text(first_day(self.start.month))
        return action, {}
