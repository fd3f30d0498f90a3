"""Terminal downtime in the point work journal (7.1–7.4).

A downtime (простой терминала) is opened by the monitoring operator by hand
or by the monitoring system's feed (7.1), gives the client manager of the
counterparty a call to find the cause once it is older than the threshold
of the settings (7.2), is escalated to the owner of 7.3 in the matrix and to
the head once it is older than a day (7.3), and may order a field job of the
technical service (7.4). It closes when the terminal is seen again (and,
when a repair was ordered, the job is done) or by the operator.
"""
import datetime

from sql import Literal, Null
from sql.aggregate import Count

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, check_write_rule, rec_name_domain)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access
from trytond.modules.mrk_base import codes

from .exceptions import MonitoringError
from .repair import check_call_technician

STATES = [
    ('open', "Open"),
    ('cause_found', "Cause Found"),
    ('repair_ordered', "Repair Ordered"),
    ('closed', "Closed"),
    ]
OPEN_STATES = ['open', 'cause_found', 'repair_ordered']


def format_timestamp(value):
    return value.strftime('%d.%m.%Y %H:%M') if value else ''


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    downtime_call_hours = fields.Integer(
        "Downtime Call After (hours)", required=True,
        domain=[('downtime_call_hours', '>=', 0)],
        help="An open downtime older than this gives the client manager "
        "of the counterparty a call to find the cause (7.2).")
    downtime_escalation_hours = fields.Integer(
        "Downtime Escalation After (hours)", required=True,
        domain=[('downtime_escalation_hours', '>=', 1)],
        help="An open downtime older than this is reported to the owner "
        "of 7.3 in the matrix and to the head, once (7.3).")
    registry_downtime_days = fields.Integer(
        "Registry Flag After Downtime Days", required=True,
        domain=[('registry_downtime_days', '>=', 0)],
        help="The monitoring check of the non-cash registry flags the "
        "lines whose terminals stood more days than this in the month "
        "(9.1).")
    complaint_sequence = fields.Many2One(
        'ir.sequence.strict', "Complaint Journal Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('mrk_monitoring', 'sequence_type_complaint')),
            ],
        help="Gives the numbers of the counterparties' complaints without "
        "gaps (7.5).")
    complaint_days = fields.Integer(
        "Complaint Deadline (working days)", required=True,
        domain=[('complaint_days', '>=', 1)],
        help="The deadline of a complaint whose topic has none (7.5).")

    @classmethod
    def default_downtime_call_hours(cls):
        return 2

    @classmethod
    def default_downtime_escalation_hours(cls):
        return 24

    @classmethod
    def default_registry_downtime_days(cls):
        return 3

    @classmethod
    def default_complaint_days(cls):
        return 3

    @classmethod
    def default_complaint_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('mrk_monitoring', 'sequence_complaint')
        except KeyError:
            return None


class Cause(DeactivableMixin, ModelSQL, ModelView):
    """Cause of a downtime (7.2): a list the head extends."""
    __name__ = 'mrk.monitoring.downtime.cause'
    __string__ = "Downtime Cause"

    name = fields.Char("Name", required=True, translate=True)
    sequence = fields.Integer("Sequence")
    needs_technician = fields.Boolean("Needs a Technician",
        help="The cause is usually fixed by a field job (7.4).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class Downtime(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Terminal downtime in the point work journal (7.1–7.4)."""
    __name__ = 'mrk.monitoring.downtime'
    __string__ = "Terminal Downtime"

    _open = {'readonly': Eval('state') == 'closed'}

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'open'})
    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0},
        help="Search by serial or inventory number.")
    point = fields.Many2One(
        'mrk.point', "Point", ondelete='RESTRICT', states=_open,
        help="Where the terminal stands: taken from its placement.")
    party = fields.Many2One(
        'party.party', "Counterparty", ondelete='RESTRICT', states=_open)
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='SET NULL', states=_open,
        domain=[If(Eval('party'), ('party', '=', Eval('party', -1)), ())])
    since = fields.Timestamp("Silent Since", required=True, states=_open)
    until = fields.Timestamp("Working Again At", states=_open,
        domain=[If(Eval('until'), ('until', '>=', Eval('since')), ())])
    duration = fields.Function(
        fields.Float("Duration (hours)", digits=(16, 1)), 'get_duration')
    source = fields.Selection([
            ('operator', "Monitoring Operator"),
            ('feed', "Monitoring Feed"),
            ], "Source", required=True, readonly=True)
    cause = fields.Many2One(
        'mrk.monitoring.downtime.cause', "Cause", ondelete='RESTRICT',
        states=_open)
    cause_note = fields.Text("What Was Found", states=_open)
    calls = fields.One2Many(
        'mrk.monitoring.downtime.call', 'downtime', "Calls", states=_open)
    call_scheduled_at = fields.Timestamp("Call Scheduled At", readonly=True)
    escalated_at = fields.Timestamp("Escalated At", readonly=True)
    over_escalation = fields.Function(
        fields.Boolean("Over 24 h"), 'get_over_escalation',
        searcher='search_over_escalation')
    field_job = fields.Many2One(
        'mrk.field_job', "Field Job", readonly=True, ondelete='RESTRICT')
    field_job_state = fields.Function(
        fields.Selection('get_field_job_states', "Field Job State"),
        'get_field_job_state')
    seen_at = fields.Timestamp("Seen by Monitoring At", readonly=True,
        help="The feed saw the terminal again while its repair job was "
        "not done yet.")
    closed_by = fields.Many2One('res.user', "Closed By", readonly=True)
    month = fields.Function(fields.Char("Month"), 'get_month')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.terminal, Index.Equality()),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.since, Index.Range()),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.point, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.until, Index.Range())),
                })
        cls._order = [('since', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'cause_found'),
            ('open', 'repair_ordered'),
            ('cause_found', 'repair_ordered'),
            ('open', 'closed'),
            ('cause_found', 'closed'),
            ('repair_ordered', 'closed'),
            ('closed', 'open'),
            }
        cls._workflow_fields |= {
            'state', 'source', 'call_scheduled_at', 'escalated_at',
            'field_job', 'seen_at', 'closed_by'}
        names = {'company', 'terminal', 'point', 'party', 'contract',
            'since', 'until', 'cause', 'cause_note'}
        cls._frozen_fields.update({
                'cause_found': {'terminal', 'company'},
                'repair_ordered': {'terminal', 'company'},
                'closed': names,
                })
        cls._deletable_states = {'open'}
        cls._buttons.update({
                'find_cause': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'call_technician': {
                    'invisible': ~Eval('state').in_(['open', 'cause_found']),
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-close',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'closed',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_source(cls):
        return 'operator'

    @classmethod
    def default_since(cls):
        return datetime.datetime.now().replace(microsecond=0)

    @classmethod
    def get_field_job_states(cls):
        FieldJob = Pool().get('mrk.field_job')
        return [(None, '')] + FieldJob.fields_get(['state'])['state'][
            'selection']

    def get_field_job_state(self, name):
        return self.field_job.state if self.field_job else None

    @fields.depends('terminal', 'point', 'party', 'contract')
    def on_change_terminal(self):
        if self.terminal and self.terminal.point:
            self.point = self.terminal.point
            self.on_change_point()

    @fields.depends('point', 'party', 'contract')
    def on_change_point(self):
        if self.point:
            self.party = self.point.party
            self.contract = self.point.contract

    def get_duration(self, name):
        end = self.until or self._now()
        return round((end - self.since).total_seconds() / 3600, 1)

    def get_month(self, name):
        return self.since.strftime('%Y-%m') if self.since else None

    @staticmethod
    def _now():
        context = Transaction().context
        return context.get('mrk_now') or datetime.datetime.now()

    @classmethod
    def _threshold(cls, name):
        config = Pool().get('mrk.configuration')(1)
        return datetime.timedelta(hours=getattr(config, name))

    def get_over_escalation(self, name):
        limit = self._now() - self._threshold('downtime_escalation_hours')
        return self.state in OPEN_STATES and self.since <= limit

    @classmethod
    def search_over_escalation(cls, name, clause):
        _, operator, value = clause[:3]
        limit = cls._now() - cls._threshold('downtime_escalation_hours')
        domain = [('state', 'in', OPEN_STATES), ('since', '<=', limit)]
        if (operator == '=') == bool(value):
            return domain
        return ['OR', ('state', 'not in', OPEN_STATES), ('since', '>', limit)]

    def get_rec_name(self, name):
        terminal = self.terminal.serial_number if self.terminal else ''
        where = self.point.name if self.point else ''
        return '%s %s, %s' % (terminal, where,
            format_timestamp(self.since))

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'terminal.rec_name', 'point.rec_name', 'party.rec_name'])

    @classmethod
    def placement_values(cls, terminal_ids):
        """{terminal id: {point, party, contract}} from the current
        placements, one query per slice of terminals"""
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        join, placement, point, charged = Placement.charged_contract_query()
        cursor = Transaction().connection.cursor()
        result = {}
        for sub_ids in grouped_slice(terminal_ids, 1000):
            cursor.execute(*join.select(
                    placement.terminal, placement.point, point.party,
                    charged,
                    where=placement.terminal.in_(list(sub_ids))
                    & (placement.removed_on == Null),
                    order_by=[placement.installed_on.asc, placement.id.asc]))
            for terminal, point_id, party, contract in cursor:
                result[terminal] = {
                    'point': point_id, 'party': party, 'contract': contract}
        return result

    @classmethod
    def create(cls, vlist):
        """A downtime takes the point, the counterparty and the contract of
        its terminal's placement when they are not given (7.1); a terminal
        has at most one open downtime."""
        vlist = [v.copy() for v in vlist]
        terminals = [v['terminal'] for v in vlist if v.get('terminal')]
        placements = cls.placement_values(terminals)
        for values in vlist:
            for name, value in placements.get(
                    values.get('terminal'), {}).items():
                if not values.get(name):
                    values[name] = value
            if values.get('point') and not values.get('party'):
                point = Pool().get('mrk.point')(values['point'])
                values['party'] = point.party.id
                if not values.get('contract') and point.contract:
                    values['contract'] = point.contract.id
        downtimes = super().create(vlist)
        cls.check_single_open(downtimes)
        return downtimes

    @classmethod
    def check_single_open(cls, downtimes):
        "A terminal has one open downtime at a time (7.1)"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        terminals = list({d.terminal.id for d in downtimes
                if d.state in OPEN_STATES})
        for sub_ids in grouped_slice(terminals, 1000):
            cursor.execute(*table.select(table.terminal,
                    where=table.terminal.in_(list(sub_ids))
                    & table.state.in_(OPEN_STATES),
                    group_by=[table.terminal],
                    having=Literal(1) < Count(table.id)))
            row = cursor.fetchone()
            if row:
                terminal = Pool().get('mrk.terminal')(row[0])
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_downtime_already_open',
                        terminal=terminal.rec_name))

    @classmethod
    def copy(cls, downtimes, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('calls')
        default.setdefault('until')
        return super().copy(downtimes, default=default)

    # -- workflow -------------------------------------------------------------

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('cause_found')
    def find_cause(cls, downtimes):
        "The call found the cause of the downtime (7.2)"
        for downtime in downtimes:
            if not downtime.cause:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_downtime_no_cause',
                        downtime=downtime.rec_name))
        Pool().get('mrk.activity').close(downtimes, [codes.DOWNTIME_CALL])

    @classmethod
    @check_write_rule
    @ModelView.button_action('mrk_monitoring.wizard_call_technician')
    def call_technician(cls, downtimes):
        "Order a field job of the technical service (7.4)"
        pass

    @classmethod
    def start_repair(cls, downtimes, kind, description=None):
        """Create one field job of kind per downtime through the 2.x flow
        (it goes to its signer) and link them both ways (7.4)."""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        check_call_technician(cls, downtimes)
        for downtime in downtimes:
            if downtime.state not in {'open', 'cause_found'}:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_downtime_repair_state',
                        downtime=downtime.rec_name))
            if not downtime.point:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_downtime_no_point',
                        downtime=downtime.rec_name))
        jobs = FieldJob.create([{
                    'company': d.company.id,
                    'kind': kind,
                    'point': d.point.id,
                    'party': d.party.id if d.party else d.point.party.id,
                    'terminals': [('add', [d.terminal.id])],
                    'description': description or d.repair_description(),
                    } for d in downtimes])
        # The job and the state are the workflow's fields
        with without_check_access():
            for downtime, job in zip(downtimes, jobs):
                downtime.field_job = job
            cls.save(downtimes)
            cls._to_repair_ordered(downtimes)
        return jobs

    @classmethod
    @Workflow.transition('repair_ordered')
    def _to_repair_ordered(cls, downtimes):
        Pool().get('mrk.activity').close(downtimes, [codes.DOWNTIME_CALL])

    def repair_description(self):
        return gettext('mrk_monitoring.msg_downtime_job_description',
            terminal=self.terminal.rec_name,
            since=format_timestamp(self.since),
            cause=self.cause.rec_name if self.cause else '—',
            note=self.cause_note or '')

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, downtimes):
        "The terminal works again: the downtime leaves the journal's open tab"
        now = cls._now().replace(microsecond=0)
        for downtime in downtimes:
            if not downtime.until:
                downtime.until = max(downtime.seen_at or now, downtime.since)
            downtime.closed_by = Transaction().user
        cls.save(downtimes)
        Activity = Pool().get('mrk.activity')
        Activity.close(downtimes, [codes.DOWNTIME_RECORD, codes.DOWNTIME_CALL, codes.DOWNTIME_LONG, codes.REPAIR_INITIATION])

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, downtimes):
        cls.write(downtimes, {'until': None, 'closed_by': None})
        cls.check_single_open(downtimes)

    @classmethod
    def job_done(cls, jobs):
        """The field jobs are done (7.4): their downtimes close when the
        terminal was seen again, else they wait for the feed."""
        with without_check_access():
            downtimes = cls.search([
                    ('field_job', 'in', [j.id for j in jobs]),
                    ('state', '=', 'repair_ordered'),
                    ])
            seen = [d for d in downtimes if d.seen_at]
            for downtime in seen:
                downtime.until = max(downtime.seen_at, downtime.since)
            cls.save(seen)
            cls._close_seen(seen)

    # -- crons ----------------------------------------------------------------

    @classmethod
    def _due_ids(cls, stamp_column, hours_name, now):
        "Open downtimes older than the threshold not stamped yet: one query"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        limit = now - cls._threshold(hours_name)
        cursor.execute(*table.select(table.id,
                where=table.state.in_(OPEN_STATES)
                & (table.since <= limit)
                & (getattr(table, stamp_column) == Null),
                order_by=[table.since.asc, table.id.asc]))
        return [i for i, in cursor]

    @classmethod
    def schedule_calls(cls, now=None):
        """Open downtimes older than the call threshold give their
        counterparty's client manager a call (7.2), once."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        now = now or datetime.datetime.now()
        with Transaction().set_context(mrk_now=now):
            downtimes = cls.browse(cls._due_ids(
                    'call_scheduled_at', 'downtime_call_hours', now))
            downtimes = [d for d in downtimes if d.state == 'open']
            activities = []
            for downtime in downtimes:
                activities.extend(Activity.schedule(codes.DOWNTIME_CALL, [downtime],
                        note=gettext('mrk_monitoring.msg_downtime_call_note',
                            terminal=downtime.terminal.rec_name,
                            point=downtime.point.rec_name
                            if downtime.point else '—',
                            since=format_timestamp(downtime.since),
                            phone=(downtime.point.contact_phone or '')
                            if downtime.point else '')))
            if downtimes:
                cls.write(downtimes, {'call_scheduled_at': now})
        return activities

    @classmethod
    def escalate(cls, now=None):
        """Downtimes longer than the escalation threshold (24 h) are
        reported once to the owner of 7.3 in the matrix and to the head,
        as activities and notifications (7.3). The downtimes are selected
        by one query."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        now = now or datetime.datetime.now()
        ids = cls._due_ids('escalated_at', 'downtime_escalation_hours', now)
        if not ids:
            return []
        head = Configuration(1).get_head()
        activities = []
        with Transaction().set_context(mrk_now=now):
            downtimes = cls.browse(ids)
            heads = []
            for downtime in downtimes:
                note = gettext('mrk_monitoring.msg_downtime_escalation',
                    downtime=downtime.rec_name,
                    party=downtime.party.rec_name if downtime.party else '—',
                    hours='%.0f' % downtime.duration)
                owned = Activity.schedule(codes.DOWNTIME_LONG, [downtime], note=note)
                activities.extend(owned)
                owners = {a.owner for a in owned} - {None}
                # The head is informed as by the escalation of overdue
                # activities (mrk.activity.escalate): an escalation of hers
                if head and head not in owners:
                    heads.append({
                            'name': gettext(
                                'mrk_monitoring.msg_downtime_escalation_title',
                                downtime=downtime.rec_name),
                            'function': owned[0].function.id,
                            'kind': 'escalation',
                            'owner': head.id,
                            'deadline': now.date(),
                            'origin': str(downtime),
                            'party': downtime.party and downtime.party.id,
                            'note': note,
                            })
                for user in owners:
                    cls.notify_user([downtime], 'tryton-warning',
                        gettext('mrk_monitoring.msg_downtime_escalation_title',
                            downtime=downtime.rec_name),
                        description=note, user=user)
            escalations = Activity.create(heads)
            for escalation in escalations:
                cls.notify_user([escalation.origin], 'tryton-warning',
                    escalation.name, description=escalation.note,
                    user=escalation.owner)
            activities.extend(escalations)
            cls.write(downtimes, {'escalated_at': now})
        return activities

    # -- feed -----------------------------------------------------------------

    @classmethod
    def feed(cls, statuses, source='feed'):
        """Apply the statuses of the monitoring system (7.1).

        statuses is a list of (serial, seen, silent_since): a terminal
        seen (seen is its last time) closes its open downtime, a silent
        one (silent_since) opens one unless it has one already. Idempotent
        and set-based: the terminals and their open downtimes are read
        with one query per slice, the new downtimes created with one call
        and the closed ones written by groups. Returns a dict with the
        numbers opened, closed and unchanged and the unknown serials."""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        # The feed's user must be one who opens and closes downtimes; the
        # feed then writes what only the workflow writes (source, until)
        ModelAccess.check(cls.__name__, 'create')
        ModelAccess.check(cls.__name__, 'write')
        with without_check_access():
            return cls._feed(statuses, source=source)

    @classmethod
    def _feed(cls, statuses, source):
        pool = Pool()
        Terminal = pool.get('mrk.terminal')
        Company = pool.get('company.company')
        cursor = Transaction().connection.cursor()
        # Two feeds at once would open the same downtime twice
        cls.lock()
        terminal_table = Terminal.__table__()
        table = cls.__table__()
        serials = list({s for s, _, _ in statuses})
        terminals = {}
        for sub in grouped_slice(serials, 1000):
            cursor.execute(*terminal_table.select(
                    terminal_table.serial_number, terminal_table.id,
                    where=terminal_table.serial_number.in_(list(sub))))
            terminals.update(cursor)
        open_downtimes = {}
        ids = list(terminals.values())
        for sub_ids in grouped_slice(ids, 1000):
            cursor.execute(*table.select(
                    table.terminal, table.id, table.state, table.field_job,
                    where=table.terminal.in_(list(sub_ids))
                    & table.state.in_(OPEN_STATES)))
            for terminal, id_, state, job in cursor:
                open_downtimes[terminal] = (id_, state, job)
        unknown = sorted({s for s in serials if s not in terminals})
        company = Transaction().context.get('company')
        if not company:
            company = Company.search([], limit=1)[0].id
        to_create, to_close, to_see = [], {}, {}
        seen_terminals = set()
        for serial, seen, since in statuses:
            terminal = terminals.get(serial)
            if terminal is None or terminal in seen_terminals:
                continue
            seen_terminals.add(terminal)
            current = open_downtimes.get(terminal)
            if since is not None:
                if current is None:
                    to_create.append({
                            'company': company,
                            'terminal': terminal,
                            'since': since,
                            'source': source,
                            })
            elif current is not None:
                id_, state, job = current
                if state == 'repair_ordered':
                    to_see.setdefault(seen, []).append(id_)
                else:
                    to_close.setdefault(seen, []).append(id_)
        created = []
        if to_create:
            created = cls.create(to_create)
        closed = 0
        for seen, ids in to_close.items():
            downtimes = cls.browse(ids)
            for downtime in downtimes:
                downtime.until = max(seen, downtime.since)
            cls.save(downtimes)
            cls._close_seen(downtimes)
            closed += len(downtimes)
        for seen, ids in to_see.items():
            downtimes = cls.browse(ids)
            cls.write(downtimes, {'seen_at': seen})
            done = [d for d in downtimes
                if d.field_job and d.field_job.state == 'done']
            for downtime in done:
                downtime.until = max(seen, downtime.since)
            cls.save(done)
            cls._close_seen(done)
            closed += len(done)
        return {
            'opened': len(created),
            'closed': closed,
            'unchanged': len(seen_terminals) - len(created) - closed,
            'unknown': unknown,
            }

    @classmethod
    @Workflow.transition('closed')
    def _close_seen(cls, downtimes):
        "The monitoring system sees the terminals again"
        Pool().get('mrk.activity').close(downtimes, [codes.DOWNTIME_RECORD, codes.DOWNTIME_CALL, codes.DOWNTIME_LONG, codes.REPAIR_INITIATION])


class Call(WorkflowGuardMixin, ModelSQL, ModelView):
    """A call to the counterparty about a downtime (7.2): who called, when
    and what was said."""
    __name__ = 'mrk.monitoring.downtime.call'
    __string__ = "Downtime Call"

    downtime = fields.Many2One(
        'mrk.monitoring.downtime', "Downtime", required=True,
        ondelete='CASCADE')
    called_at = fields.Timestamp("Called At", required=True)
    called_by = fields.Many2One(
        'res.user', "Called By", required=True, ondelete='RESTRICT')
    contact = fields.Char("Who Answered")
    result = fields.Text("What Was Said", required=True)
    cause = fields.Many2One(
        'mrk.monitoring.downtime.cause', "Cause", ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.downtime, Index.Equality())))
        cls._order = [('called_at', 'DESC'), ('id', 'DESC')]
        cls._guard_parent = 'downtime'
        cls._frozen_fields.update({
                'closed': {'downtime', 'called_at', 'called_by', 'contact',
                    'result', 'cause'},
                })
        cls._deletable_states = {'open', 'cause_found', 'repair_ordered'}

    @classmethod
    def default_called_at(cls):
        return datetime.datetime.now().replace(microsecond=0)

    @classmethod
    def default_called_by(cls):
        return Transaction().user or None

    @classmethod
    def create(cls, vlist):
        """A call line with a cause gives the cause to its downtime when it
        has none yet (7.2)"""
        calls = super().create(vlist)
        Downtime = Pool().get('mrk.monitoring.downtime')
        for call in calls:
            if call.downtime.state == 'closed':
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_downtime_closed_call',
                        downtime=call.downtime.rec_name))
        todo = {}
        for call in calls:
            if call.cause and not call.downtime.cause:
                todo[call.downtime] = call.cause
        for downtime, cause in todo.items():
            Downtime.write([downtime], {'cause': cause.id})
        return calls

    def get_rec_name(self, name):
        return '%s, %s' % (self.downtime.rec_name,
            format_timestamp(self.called_at))


class FieldJob(metaclass=PoolMeta):
    __name__ = 'mrk.field_job'

    downtimes = fields.One2Many(
        'mrk.monitoring.downtime', 'field_job', "Downtimes", readonly=True)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, jobs):
        "A done job closes the downtimes it repaired once seen again (7.4)"
        result = super().do(jobs)
        Pool().get('mrk.monitoring.downtime').job_done(jobs)
        return result
