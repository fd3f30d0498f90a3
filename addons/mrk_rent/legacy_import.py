"""The import of the legacy rent table into the database (5.1).

It runs in two phases in the caller's transaction:

1. *checking*: the file is read (``legacy_parse``) and every record it
   names is looked up read-only, one query per kind of record for the
   whole file (counterparties by INN, contracts by number, points by
   counterparty, terminals by serial number, their placements, rent terms,
   routes and their stops). The plan of what is created, updated or left
   unchanged is made, and every error is collected by row and column,
   including those the models would raise on writing (a terminal at two
   points at once, a rent change before a later term, a point on two
   routes…). A dry run stops here: it writes nothing and reports exactly
   what the import does.
2. *writing*, only when the check found no error: the plan is written with
   one ``create`` per kind of record (``write`` for the few updates). An
   unexpected error raises and the request is rolled back as a whole.

The counterparties are found by INN and KPP, else INN, else created with
their name; contracts by number and counterparty, else created and
activated; points by counterparty and address; terminals by serial number;
placements and rent terms (a different amount, basis or payment form from
a date is a change from that date, as the wizard "change rent from date"
does), and the stops of cash routes.
"""
import datetime
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from trytond import config
from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.modules.mrk_contracts.amount import format_date
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import legacy_parse as parse
from .exceptions import LegacyImportError

ENTITIES = ['party', 'contract', 'point', 'terminal', 'placement', 'term',
    'route']
STATUSES = ['created', 'updated', 'unchanged']
_RANK = {s: i for i, s in enumerate(reversed(STATUSES))}
ONE_DAY = datetime.timedelta(days=1)
SLICE = 500
# Records created or written per call: trytond checks every id of the
# batch a record was browsed with, so a larger slice costs more per record
BATCH = 100


def limits():
    "The limits of a file read, from the [mrk_rent] section of the config"
    default = parse.Limits()
    return parse.Limits(
        max_bytes=config.getint('mrk_rent', 'legacy_max_bytes',
            default=default.max_bytes),
        max_unpacked=config.getint('mrk_rent', 'legacy_max_unpacked',
            default=default.max_unpacked),
        max_rows=config.getint('mrk_rent', 'legacy_max_rows',
            default=default.max_rows),
        max_columns=config.getint('mrk_rent', 'legacy_max_columns',
            default=default.max_columns))


# -- The result of an import -------------------------------------------------

@dataclass(frozen=True)
class RowError:
    "An error of the import, by row (1-based as in Excel) and column"
    row: int | None
    column: str | None
    message: str

    def format(self):
        if self.row and self.column:
            return gettext('mrk_rent.msg_legacy_error_row_column',
                row=self.row, column=self.column, message=self.message)
        elif self.row:
            return gettext('mrk_rent.msg_legacy_error_row',
                row=self.row, message=self.message)
        return self.message


@dataclass
class RowResult:
    "What the import did for a row: an entity's status by entity"
    row: int
    contract: str
    statuses: dict = field(default_factory=dict)


class ImportResult:
    "The report of an import or of its dry run"

    def __init__(self, filename=None, dry_run=True):
        self.filename = filename or ''
        self.dry_run = dry_run
        self.rows = []
        self.errors = []
        self._errors = set()
        self._marks = []  # (row result, entity, key, status)

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        "Whether the import stays in the database"
        return self.ok and not self.dry_run

    def add_error(self, row, column, message):
        error = RowError(row, column, message)
        if error not in self._errors:
            self._errors.add(error)
            self.errors.append(error)

    def row(self, legacy_row, number):
        result = RowResult(legacy_row.row, number)
        self.rows.append(result)
        return result

    def mark(self, row_result, entity, key, status):
        "The row did status to the record of entity known by key"
        row_result.statuses[entity] = status
        self._marks.append((row_result, entity, key, status))

    def counts(self):
        "The number of distinct records of each entity by status"
        statuses = {}
        for _, entity, key, status in self._marks:
            previous = statuses.get((entity, key))
            if previous is None or _RANK[status] > _RANK[previous]:
                statuses[(entity, key)] = status
        counts = {e: dict.fromkeys(STATUSES, 0) for e in ENTITIES}
        for (entity, _), status in statuses.items():
            counts[entity][status] += 1
        return counts

    def summary(self):
        "(row, contract, statuses by entity) of each row"
        return [(r.row, r.contract, dict(r.statuses)) for r in self.rows]

    def header(self):
        if self.errors:
            return gettext('mrk_rent.msg_legacy_report_failed',
                file=self.filename, count=len(self.errors))
        elif self.dry_run:
            return gettext('mrk_rent.msg_legacy_report_dry_run',
                file=self.filename)
        return gettext('mrk_rent.msg_legacy_report_done',
            file=self.filename)

    def format_errors(self):
        return '\n'.join(e.format() for e in self.errors)

    def format_report(self):
        "The header, the counts by entity and what was done on each row"
        lines = [self.header(), '']
        if not self.errors:
            counts = self.counts()
            for entity in ENTITIES:
                count = counts[entity]
                if any(count.values()):
                    lines.append(gettext(
                            'mrk_rent.msg_legacy_report_summary',
                            entity=gettext(
                                'mrk_rent.msg_legacy_entity_%s' % entity),
                            **count))
            lines.append('')
            messages = {}
            for row in self.rows:
                if not row.statuses:
                    continue
                actions = []
                for entity in ENTITIES:
                    if entity not in row.statuses:
                        continue
                    key = 'mrk_rent.msg_legacy_%s_%s' % (
                        entity, row.statuses[entity])
                    if key not in messages:
                        messages[key] = gettext(key)
                    actions.append(messages[key])
                lines.append(gettext('mrk_rent.msg_legacy_report_row',
                        row=row.row, contract=row.contract,
                        actions='; '.join(actions)))
        return '\n'.join(lines).strip()

    def format(self):
        "The whole report as text: errors first"
        parts = []
        if self.errors:
            parts.append(self.format_errors())
        parts.append(self.format_report())
        return '\n\n'.join(parts)


# -- The plan -----------------------------------------------------------------

class Planned:
    "A record as the import finds or makes it: id None until created"

    def __init__(self, id=None, **values):
        self.id = id
        self.values = values
        self.changes = {}

    @property
    def new(self):
        return self.id is None

    def __getitem__(self, name):
        if name in self.changes:
            return self.changes[name]
        return self.values.get(name)

    def key(self):
        return self.id if self.id is not None else ('new', id(self))

    def ref(self):
        "The id once written"
        assert self.id is not None
        return self.id


@dataclass
class ContractPlan:
    group: object
    party: Planned
    record: Planned
    status: str
    activate: bool
    # [(date, (amount, basis, payment_form), row, result, kind)]: kind is
    # 'create' (first term of a contract without any), 'change' (from a
    # date), None (unchanged)
    terms: list = field(default_factory=list)


class LegacyImport:
    """One import of a legacy table into the database (5.1).

    ``run(content)`` returns an ``ImportResult``; nothing is written if the
    result has errors or for a dry run."""

    def __init__(self, dry_run=True, filename=None, today=None,
            limits=None):
        pool = Pool()
        Column = pool.get('mrk.rent.import.column')
        self.dry_run = dry_run
        self.filename = filename
        self.today = today or pool.get('ir.date').today()
        self.headers = Column.get_headers()
        self.limits = limits
        self.result = ImportResult(filename, dry_run)
        try:
            self.Route = pool.get('mrk.rent.route')
            self.Stop = pool.get('mrk.rent.route.stop')
        except KeyError:
            self.Route = self.Stop = None

    def column(self, key):
        "The header of the column of key"
        return self.headers[key][0]

    def add_error(self, row, key, message_id, **params):
        self.result.add_error(row.row if row else None,
            self.column(key) if key else None, gettext(message_id, **params))

    def add_parse_error(self, row_number, key, error):
        self.result.add_error(row_number, self.column(key) if key else None,
            gettext(error.message_id, **error.params))

    def run(self, content):
        try:
            with Transaction().set_context(
                    _skip_warnings=True, active_test=True):
                self._run(content)
        finally:
            order = {self.column(k): i for i, k in enumerate(parse.KEYS)}
            self.result.errors.sort(key=lambda e: (
                    e.row or 0, order.get(e.column, -1)))
        return self.result

    def _run(self, content):
        table = parse.read_table(content, {
                k: {parse.normalize(h) for h in v}
                for k, v in self.headers.items()},
            self.limits or limits())
        for row_number, key, error in table.errors:
            self.add_parse_error(row_number, key, error)
        if table.errors:
            return
        groups = parse.group_rows(table.rows)
        for row in table.rows:
            for key, error in row.errors.items():
                self.add_parse_error(row.row, key, error)
        company = Transaction().context.get('company')
        if company is None or company < 0:
            self.result.add_error(None, None,
                gettext('mrk_rent.msg_legacy_no_company'))
            return
        plans = self.check(groups)
        if self.result.errors or self.dry_run:
            return
        # Translated beforehand: a failed statement leaves the transaction
        # unusable until it is rolled back
        failed = gettext('mrk_rent.msg_legacy_write_failed', error='')
        try:
            self.write(plans)
        except UserError as exception:
            # The check missed a rule of a model (or another import ran at
            # the same time): the request is rolled back as a whole
            raise LegacyImportError(
                failed + exception.message) from exception

    # -- Checking: look up, plan, collect errors --------------------------

    def check(self, groups):
        "The plan of each contract, errors added to the result"
        groups = [g for g in groups if not (
                {'party', 'inn', 'kpp', 'number', 'date', 'end_date'}
                & g.head.bad)]
        self.load(groups)
        plans = []
        for group in groups:
            head = group.head
            results = [self.result.row(r, head['number'])
                for r in group.rows]
            party, status = self.plan_party(head)
            if party is None:
                continue
            self.result.mark(results[0], 'party', party.key(), status)
            plan = self.plan_contract(group, party)
            if plan is None:
                continue
            self.result.mark(results[0], 'contract', plan.record.key(),
                plan.status)
            for result in results[1:]:
                self.result.mark(result, 'party', party.key(), 'unchanged')
                self.result.mark(result, 'contract', plan.record.key(),
                    'unchanged')
            self.plan_terms(plan, results)
            for row, result in zip(group.rows, results):
                self.plan_row(plan, row, result)
            plans.append(plan)
        return plans

    def load(self, groups):
        """Read every existing record the file may name, per kind: one
        query per slice of keys, plain values (``search_read``)"""
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        RentTerm = pool.get('mrk.rent.term')
        Point = pool.get('mrk.point')
        Terminal = pool.get('mrk.terminal')
        Placement = pool.get('mrk.terminal.placement')
        rows = [r for g in groups for r in g.rows]

        def read(Model, domain, names, slice_=SLICE, order=None, key=None):
            "Records of domain with key in values, by slices"
            field, values = key
            for sub in grouped_slice(sorted(values), slice_):
                yield from Model.search_read(
                    domain + [(field, 'in', list(sub))],
                    order=order or [('id', 'ASC')], fields_names=names)

        # Counterparties by INN, else by name
        inns = {g.head['inn'] for g in groups if g.head['inn']}
        names = {g.head['party'] for g in groups if not g.head['inn']}
        self.parties_by_inn = defaultdict(list)
        self.parties_by_name = {}
        for party in read(Party, [], ['id', 'name', 'inn', 'kpp'],
                key=('inn', inns)):
            self.parties_by_inn[party['inn']].append(Planned(
                    party['id'], name=party['name'], inn=party['inn'],
                    kpp=party['kpp']))
        for sub in grouped_slice(sorted(names), 100):
            domain = ['OR'] + [('name', 'ilike', _like(n)) for n in sub]
            for party in Party.search_read(domain, order=[('id', 'ASC')],
                    fields_names=['id', 'name', 'inn', 'kpp']):
                self.parties_by_name.setdefault(
                    party['name'].casefold(), Planned(party['id'],
                        name=party['name'], inn=party['inn'],
                        kpp=party['kpp']))
        party_ids = {p.id for v in self.parties_by_inn.values() for p in v}
        party_ids |= {p.id for p in self.parties_by_name.values()}

        # Contracts by number and counterparty, with their rent terms
        numbers = {g.head['number'] for g in groups}
        self.contracts = {}
        if party_ids:
            for contract in read(Contract, [
                        ('party', 'in', list(party_ids)),
                        ('state', '!=', 'cancelled'),
                        ], ['id', 'number', 'party', 'state', 'kind',
                        'start_date', 'end_date'], key=('number', numbers)):
                self.contracts.setdefault(
                    (contract['number'], contract['party']), Planned(
                        contract['id'], number=contract['number'],
                        state=contract['state'], kind=contract['kind'],
                        start_date=contract['start_date'],
                        end_date=contract['end_date']))
        self.terms = defaultdict(list)
        for term in read(RentTerm, [], ['id', 'contract', 'amount',
                    'basis', 'payment_form', 'valid_from', 'valid_to',
                    'point', 'terminal'],
                order=[('valid_from', 'ASC'), ('id', 'ASC')],
                key=('contract', [c.id for c in self.contracts.values()])):
            self.terms[term['contract']].append(Planned(
                    term['id'], amount=term['amount'], basis=term['basis'],
                    payment_form=term['payment_form'],
                    valid_from=term['valid_from'],
                    valid_to=term['valid_to'],
                    scoped=bool(term['point'] or term['terminal'])))

        # Points by counterparty
        self.points = defaultdict(list)
        for point in read(Point, [], ['id', 'party', 'name', 'address',
                    'city', 'contract'], key=('party', party_ids)):
            full_address = ', '.join(filter(None, [
                        (point['city'] or '').strip(),
                        (point['address'] or '').strip()]))
            self.points[point['party']].append(Planned(
                    point['id'], names={parse.normalize(point['address']),
                        parse.normalize(full_address)},
                    contract=point['contract'],
                    rec_name='%s (%s)' % (point['name'], full_address)))

        # Terminals by serial number, and their placements
        serials = {r['serial'] for r in rows if r['serial']}
        self.terminals = {}
        with Transaction().set_context(active_test=False):
            for terminal in read(Terminal, [], ['id', 'serial_number',
                        'state'], key=('serial_number', serials)):
                self.terminals[terminal['serial_number']] = Planned(
                    terminal['id'], state=terminal['state'],
                    rec_name=terminal['serial_number'])
        self.placements = defaultdict(list)
        for placement in read(Placement, [], ['id', 'terminal', 'point',
                    'installed_on', 'removed_on'],
                order=[('installed_on', 'ASC'), ('id', 'ASC')],
                key=('terminal', [t.id for t in self.terminals.values()])):
            self.placements[placement['terminal']].append(Planned(
                    placement['id'], point=placement['point'],
                    installed_on=placement['installed_on'],
                    removed_on=placement['removed_on']))

        # Routes by name, and the stops of their points
        self.routes = {}
        self.stops = defaultdict(list)  # point key: [(route, stop)]
        if self.Route:
            def planned_route(route):
                return self.routes.setdefault(route['name'], Planned(
                        route['id'], name=route['name'],
                        active=route['active'], rec_name=route['name'],
                        sequence=0))
            route_names = {r['route'] for r in rows if r['route']}
            route_fields = ['id', 'name', 'active']
            with Transaction().set_context(active_test=False):
                for route in read(self.Route, [], route_fields,
                        key=('name', route_names)):
                    planned_route(route)
                point_ids = [p.id for v in self.points.values() for p in v]
                for stop in read(self.Stop, [], ['id', 'point', 'route',
                            'route.name', 'route.active'],
                        key=('point', point_ids)):
                    route = planned_route({'id': stop['route'],
                            'name': stop['route.']['name'],
                            'active': stop['route.']['active']})
                    self.stops[stop['point']].append(
                        (route, Planned(stop['id'])))
                for stop in read(self.Stop, [], ['route', 'sequence'],
                        key=('route', [r.id for r in self.routes.values()])):
                    for route in self.routes.values():
                        if route.id == stop['route']:
                            route.values['sequence'] = max(
                                route['sequence'], stop['sequence'] or 0)
        self.new_parties = []

    def terminal_name(self, terminal):
        "The name of the terminal in a message"
        if terminal.new:
            return terminal['serial_number']
        return Pool().get('mrk.terminal')(terminal.id).rec_name

    def point_name(self, point):
        "The name of the point (a planned one or an id) in a message"
        if isinstance(point, Planned):
            return point['rec_name']
        return Pool().get('mrk.point')(point).rec_name

    def plan_party(self, row):
        """The counterparty by INN and KPP, else by INN (its missing KPP is
        filled in), else by name when the row has no INN; else created."""
        Party = Pool().get('party.party')
        inn, kpp, name = row['inn'], row['kpp'], row['party']
        if inn:
            parties = self.parties_by_inn.get(inn, [])
            party = None
            if kpp:
                party = next((p for p in parties if p['kpp'] == kpp), None)
            if party is None and parties:
                party = parties[0]
            if party is not None:
                if kpp and not party['kpp']:
                    party.changes['kpp'] = kpp
                    return party, 'updated'
                return party, 'unchanged'
        else:
            party = self.parties_by_name.get(name.casefold())
            if party is not None:
                return party, 'unchanged'
        values = {
            'name': name,
            'inn': inn,
            'kpp': kpp,
            'legal_form': _legal_form(name),
            }
        # The model's own check of the requisites against the legal form
        try:
            Party(ogrn=None, **values)._check_requisites()
        except UserError as exception:
            self.result.add_error(row.row, self.column('inn'),
                exception.message)
            return None, None
        party = Planned(**values)
        self.new_parties.append(party)
        if inn:
            self.parties_by_inn[inn].append(party)
        else:
            self.parties_by_name[name.casefold()] = party
        return party, 'created'

    def plan_contract(self, group, party):
        """The contract by number and counterparty, else a new one from
        «Дата договора» to «Действует до» (by default the end of its
        current year, see ``default_end``); a draft one is activated."""
        row = group.head
        contract = None
        if not party.new:
            contract = self.contracts.get((row['number'], party.id))
        if contract is not None:
            if contract['state'] == 'draft':
                if contract['kind'] != 'standard':
                    self.add_error(row, 'number',
                        'mrk_contracts.msg_contract_needs_approval',
                        contract=_contract_name(contract))
                    return None
                return ContractPlan(group, party, contract, 'updated', True)
            return ContractPlan(group, party, contract, 'unchanged', False)
        start = row['date']
        end = row['end_date'] or self.default_end(start)
        notes = '\n'.join(OrderedDict.fromkeys(
                r['notes'] for r in group.rows if r['notes'])) or None
        record = Planned(number=row['number'], date=start, start_date=start,
            end_date=end, rent_amount=row['amount'], notes=notes)
        return ContractPlan(group, party, record, 'created', True)

    def default_end(self, start):
        """Without «Действует до» a contract is taken as prolonged year
        after year: it ends on the last day of its year in course on the
        day of the import."""
        years = 1
        while start + relativedelta(years=years) <= self.today:
            years += 1
        return start + relativedelta(years=years) - ONE_DAY

    @property
    def default_payment_form(self):
        if not hasattr(self, '_default_payment_form'):
            Configuration = Pool().get('mrk.configuration')
            self._default_payment_form = Configuration(1).rent_payment_form
        return self._default_payment_form

    def plan_terms(self, plan, results):
        """The rent of each row from «Действует с» (by default the start of
        the contract): the first term of a contract without one, a change
        from that date when the term in force differs (5.4), nothing when
        it is the same."""
        contract = plan.record
        terms = OrderedDict()
        for row, result in zip(plan.group.rows, results):
            if {'amount', 'basis', 'payment_form', 'valid_from'} & row.bad:
                continue
            date = row['valid_from'] or contract['start_date']
            values = (row['amount'], row['basis'] or 'contract',
                row['payment_form'] or self.default_payment_form)
            if date in terms:
                other_values, other_row, _ = terms[date]
                if values != other_values:
                    key = ('amount' if values[0] != other_values[0]
                        else 'basis' if values[1] != other_values[1]
                        else 'payment_form')
                    self.add_error(row, key,
                        'mrk_rent.msg_legacy_term_conflict',
                        other_row=other_row.row, date=format_date(date))
                else:
                    self.result.mark(result, 'term',
                        (contract.key(), date), 'unchanged')
                continue
            terms[date] = (values, row, result)
        existing = [] if contract.new else self.terms[contract.id]
        # The contract-wide terms as they will be: (from, to, values)
        chain = [[t['valid_from'], t['valid_to'],
                (t['amount'], t['basis'], t['payment_form'])]
            for t in existing if not t['scoped']]
        for date in sorted(terms):
            values, row, result = terms[date]
            key = 'valid_from' if row['valid_from'] else 'amount'
            if date < contract['start_date']:
                self.add_error(row, key, 'mrk_rent.msg_legacy_valid_before',
                    date=format_date(date),
                    start=format_date(contract['start_date']))
                continue
            if date > contract['end_date']:
                self.add_error(row, key, 'mrk_rent.msg_legacy_valid_after',
                    date=format_date(date),
                    end=format_date(contract['end_date']))
                continue
            current = [t for t in chain if t[0] <= date
                and (t[1] is None or t[1] >= date)]
            if not existing and not chain:
                kind, status = 'create', 'created'
            elif current and current[0][2] == values:
                kind, status = None, 'unchanged'
            else:
                later = [t for t in chain if t[0] > date]
                if later:
                    self.add_error(row, key,
                        'mrk_rent.msg_term_change_later',
                        contract=_contract_name(contract),
                        date=format_date(date),
                        later=format_date(later[0][0]))
                    continue
                if current and current[0][0] == date:
                    self.add_error(row, key,
                        'mrk_rent.msg_term_change_same_day',
                        contract=_contract_name(contract),
                        date=format_date(date))
                    continue
                kind, status = 'change', 'updated'
            if kind:
                for term in current:
                    term[1] = date - ONE_DAY
                chain.append([date, None, values])
            plan.terms.append((date, values, row, result, kind))
            self.result.mark(result, 'term', (contract.key(), date), status)

    def plan_row(self, plan, row, result):
        "The point, the terminal and its placement, the stop of the route"
        if not row['address'] or 'address' in row.bad:
            return
        point, status = self.plan_point(plan, row)
        self.result.mark(result, 'point', point.key(), status)
        if row['serial'] and not {
                'serial', 'installed_on', 'removed_on'} & row.bad:
            terminal, status = self.plan_terminal(row)
            placement, status_ = self.plan_placement(
                plan, row, terminal, point)
            if placement is not None:
                self.result.mark(result, 'terminal', terminal.key(), status)
                self.result.mark(result, 'placement', placement.key(),
                    status_)
        if row['route'] and self.Route and 'route' not in row.bad:
            stop, status = self.plan_stop(row, point)
            if stop is not None:
                self.result.mark(result, 'route', stop.key(), status)

    def plan_point(self, plan, row):
        """The point of the counterparty at the address (or the full address
        with the city), else a new one named by its address; a point
        without contract gets the contract."""
        party = plan.party
        address = parse.normalize(row['address'])
        points = self.points[party.key()]
        for point in points:
            if address in point['names']:
                if not point['contract']:
                    point.changes['contract'] = plan.record
                    return point, 'updated'
                return point, 'unchanged'
        point = Planned(name=row['address'], address=row['address'],
            party=party, contract=plan.record, names={address},
            rec_name=row['address'])
        points.append(point)
        return point, 'created'

    def plan_terminal(self, row):
        "The terminal by serial number, else a new one of model not specified"
        terminal = self.terminals.get(row['serial'])
        if terminal is not None:
            return terminal, 'unchanged'
        terminal = self.terminals[row['serial']] = Planned(
            serial_number=row['serial'])
        return terminal, 'created'

    def plan_placement(self, plan, row, terminal, point):
        """The placement of the terminal at the point from «Дата установки»
        (by default the start of the contract) until «Дата снятия»: left
        alone if it is there, its removal date filled in if the database
        has none, else created; a placement of the terminal at that time
        elsewhere is an error, as is a terminal in repair or written off."""
        installed_on = row['installed_on'] or plan.record['start_date']
        removed_on = row['removed_on']
        placements = self.placements[terminal.key()]
        for placement in placements:
            if (_key(placement['point']) == point.key()
                    and placement['installed_on'] == installed_on):
                if placement['removed_on'] == removed_on:
                    return placement, 'unchanged'
                if placement['removed_on'] is None and not placement.new:
                    if self.overlaps(row, terminal, point, installed_on,
                            removed_on, placements, placement):
                        return None, None
                    placement.changes['removed_on'] = removed_on
                    return placement, 'updated'
                self.add_error(row, 'removed_on',
                    'mrk_rent.msg_legacy_removed_differs',
                    terminal=self.terminal_name(terminal),
                    point=point['rec_name'],
                    installed=format_date(installed_on),
                    removed=format_date(placement['removed_on']))
                return None, None
        if terminal['state'] in {'repair', 'written_off'}:
            record = Pool().get('mrk.terminal')(terminal.id)
            self.add_error(row, 'serial',
                'mrk_terminals.msg_terminal_not_available',
                terminal=record.rec_name, state=record.state_string)
            return None, None
        if self.overlaps(row, terminal, point, installed_on, removed_on,
                placements):
            return None, None
        placement = Planned(terminal=terminal, point=point,
            contract=plan.record, installed_on=installed_on,
            removed_on=removed_on)
        placements.append(placement)
        return placement, 'created'

    def overlaps(self, row, terminal, point, installed_on, removed_on,
            placements, itself=None):
        "Add an error if the terminal stands elsewhere at that time"
        for other in placements:
            if other is itself:
                continue
            other_removed = other['removed_on']
            if ((other_removed is None or other_removed > installed_on)
                    and (removed_on is None
                        or other['installed_on'] < removed_on)):
                self.add_error(row, 'serial',
                    'mrk_terminals.msg_placement_overlap',
                    terminal=self.terminal_name(terminal),
                    point=point['rec_name'],
                    installed_on=format_date(installed_on),
                    other_point=self.point_name(other['point']),
                    other_from=format_date(other['installed_on']),
                    other_to=(format_date(other_removed)
                        or gettext('mrk_terminals.msg_until_now')))
                return True
        return False

    def plan_stop(self, row, point):
        """The stop of the point on the cash route named in «Маршрут» (the
        route made without courier if missing); a new stop is the last. A
        point stops on one active route at most."""
        route = self.routes.get(row['route'])
        if route is None:
            route = self.routes[row['route']] = Planned(
                name=row['route'], active=True, rec_name=row['route'],
                sequence=0)
        stops = self.stops[point.key()]
        for other_route, stop in stops:
            if other_route is route:
                return stop, 'unchanged'
        if route['active']:
            for other_route, stop in stops:
                if other_route['active']:
                    self.add_error(row, 'route',
                        'mrk_rent.msg_route_point_other_route',
                        point=point['rec_name'], route=route['rec_name'],
                        other=other_route['rec_name'])
                    return None, None
        route.values['sequence'] = route['sequence'] + 10
        stop = Planned(route=route, point=point,
            sequence=route['sequence'])
        stops.append((route, stop))
        return stop, 'created'

    # -- Writing: one create per kind of record ---------------------------

    def write(self, plans):
        pool = Pool()
        Party = pool.get('party.party')
        Contract = pool.get('mrk.contract')
        Point = pool.get('mrk.point')
        Terminal = pool.get('mrk.terminal')
        Placement = pool.get('mrk.terminal.placement')

        # Counterparties
        _create(Party, self.new_parties, self.party_values)
        _write(Party, [p for v in self.parties_by_inn.values() for p in v
                if not p.new])

        # Contracts, their rent terms, then their activation
        new = [p.record for p in plans if p.record.new]
        for plan in plans:
            if plan.record.new:
                plan.record.values['party'] = plan.party.ref()
        _create(Contract, new, lambda c: {k: c[k] for k in [
                        'number', 'party', 'date', 'start_date', 'end_date',
                        'rent_amount', 'notes']})
        self.write_terms(plans)
        for sub in grouped_slice(
                [p.record.id for p in plans if p.activate], BATCH):
            contracts = Contract.browse(list(sub))
            Contract.activate(contracts)
            expired = [c for c in Contract.browse(contracts)
                if c.state == 'active' and c.end_date < self.today]
            if expired:
                Contract.expire(expired)

        # Points
        points = [p for v in self.points.values() for p in v]
        _create(Point, [p for p in points if p.new], lambda p: {
                'name': p['name'],
                'party': p['party'].ref(),
                'address': p['address'],
                'contract': p['contract'].ref(),
                })
        _write(Point, [p for p in points if not p.new],
            lambda c: {'contract': c['contract'].ref()})

        # Terminals and their placements
        terminals = [t for t in self.terminals.values() if t.new]
        if terminals:
            model = self.terminal_model()
            _create(Terminal, terminals, lambda t: {
                    'serial_number': t['serial_number'],
                    'model': model,
                    })
        placements = [p for v in self.placements.values() for p in v]
        _write(Placement, [p for p in placements if not p.new])
        _create(Placement, [p for p in placements if p.new], lambda p: {
                'terminal': p['terminal'].ref(),
                'point': p['point'].ref(),
                'contract': p['contract'].ref(),
                'installed_on': p['installed_on'],
                'removed_on': p['removed_on'],
                })

        # Cash routes and their stops
        if self.Route:
            company = Transaction().context.get('company')
            routes = [r for r in self.routes.values() if r.new]

            def route_values(route):
                values = {'name': route['name']}
                if 'company' in self.Route._fields:
                    values['company'] = company
                return values
            _create(self.Route, routes, route_values)
            stops = [s for v in self.stops.values() for _, s in v if s.new]
            _create(self.Stop, stops, lambda s: {
                    'route': s['route'].ref(),
                    'point': s['point'].ref(),
                    'sequence': s['sequence'],
                    })

    def party_values(self, party):
        return {
            'name': party['name'],
            'inn': party['inn'],
            'kpp': party['kpp'],
            'legal_form': party['legal_form'],
            }

    def write_terms(self, plans):
        """The terms of new contracts by waves (the first of each, then the
        second…), each closed the day before the next; the changes of
        existing contracts through ``RentTerm.change_from``"""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Contract = pool.get('mrk.contract')
        chains = []
        for plan in plans:
            terms = [t for t in plan.terms if t[4]]
            if not terms:
                continue
            if terms[0][4] == 'create':
                chains.append((plan, terms))
            else:
                contract = Contract(plan.record.id)
                for date, (amount, basis, form), row, _, _ in terms:
                    RentTerm.change_from(contract, date, amount=amount,
                        basis=basis, payment_form=form,
                        reason=self.reason(row))
        wave = 0
        previous = {}
        while True:
            vlist, keys = [], []
            for plan, terms in chains:
                if wave >= len(terms):
                    continue
                date, (amount, basis, form), row, _, _ = terms[wave]
                valid_to = (terms[wave + 1][0] - ONE_DAY
                    if wave + 1 < len(terms) else None)
                vlist.append({
                        'contract': plan.record.ref(),
                        'amount': amount,
                        'basis': basis,
                        'payment_form': form,
                        'valid_from': date,
                        'valid_to': valid_to,
                        'previous': previous.get(plan.record.id),
                        'reason': self.reason(row),
                        })
                keys.append(plan.record.id)
            if not vlist:
                break
            for sub in grouped_slice(list(zip(keys, vlist)), BATCH):
                sub = list(sub)
                terms_ = RentTerm.create([v for _, v in sub])
                for (key, _), term in zip(sub, terms_):
                    previous[key] = term.id
            wave += 1

    def terminal_model(self):
        "The model of new terminals: «Model not specified»"
        Model = Pool().get('mrk.terminal.model')
        name = gettext('mrk_rent.msg_legacy_terminal_model')
        with Transaction().set_context(active_test=False):
            models = Model.search([('name', '=', name)], limit=1)
        if models:
            return models[0].id
        model, = Model.create([{'name': name}])
        return model.id

    def reason(self, row):
        return gettext('mrk_rent.msg_legacy_reason', row=row.row,
            file=self.filename or '')


def _create(Model, planned, values):
    """Create the planned records, their ids set: one call per slice of
    ``BATCH`` (a record browsed among n costs O(n) in trytond)"""
    for sub in grouped_slice(planned, BATCH):
        sub = list(sub)
        records = Model.create([values(p) for p in sub])
        for plan, record in zip(sub, records):
            plan.id = record.id


def _write(Model, planned, values=None):
    "Write the changes of the planned records, one call per slice"
    planned = [p for p in planned if p.changes]
    for sub in grouped_slice(planned, BATCH):
        args = []
        for plan in sub:
            changes = values(plan) if values else dict(plan.changes)
            args.extend([[Model(plan.id)], changes])
        Model.write(*args)


def _key(value):
    "The key of a planned record or an id"
    return value.key() if isinstance(value, Planned) else value


def _contract_name(contract):
    if contract.new:
        return contract['number']
    return Pool().get('mrk.contract')(contract.id).rec_name


def _like(value):
    return value.replace('\\', '\\\\').replace('%', '\\%').replace('_', '\\_')


def _legal_form(name):
    "The legal form read from the name of a new counterparty"
    first = parse._words(name).split(' ')[0] if name else ''
    return {
        'ооо': 'ooo',
        'ао': 'ao', 'зао': 'ao', 'оао': 'ao', 'нао': 'ao',
        'пао': 'pao',
        'ип': 'ip',
        }.get(first)


def import_file(content, dry_run=True, filename=None, today=None,
        limits=None):
    """Import the legacy table from the bytes of an .xlsx workbook and
    return its ``ImportResult``; nothing is written for a dry run or when
    the result has errors."""
    return LegacyImport(dry_run=dry_run, filename=filename, today=today,
        limits=limits).run(content)
