"""Field jobs at points: from the client manager's request to the
technician's report (2.1–2.11).

The job's states follow the seed's steps: a draft request with an open
date (2.1) is signed by the head (2.2), registered in the journal with a
gapless number (2.3), agreed with the counterparty (2.4), announced to the
cash-collection and technical services (2.5), confirmed by the control call
(2.8) and issued to a technician with the job sheet and the handover act
(2.6, 2.7). The technician reports it done or failed (2.10) or calls the
head through "problem on site" (2.9); a failed or moved job is re-agreed
(2.11). Every planned visit is kept as a line, so moves and failures stay
visible in the job and the journal.
"""
import datetime
import html
import re
from zoneinfo import ZoneInfo

from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.access import RelatedRuleMixin
from trytond.modules.mrk_base.configuration import approver_field
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, rec_name_domain)
from trytond.modules.mrk_contracts.amount import format_date
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.transaction import Transaction

from .exceptions import FieldJobError

KINDS = [
    ('install', "Installation"),
    ('removal', "Removal"),
    ('repair', "Repair"),
    ('reinforcement', "Reinforcement"),
    ('replacement', "Replacement"),
    ('painting', "Painting"),
    ('other', "Other"),
    ]
# The states in which the visit is planned and may still move
PLANNED = ['agreed', 'notified', 'confirmed', 'issued']
CALENDAR_COLORS = ['#1f77b4', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
    '#e377c2', '#17becf', '#bcbd22', '#ff7f0e']
EMAIL = re.compile(r'^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$')


def format_time(time):
    return time.strftime('%H:%M') if time else ''


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    field_job_sequence = fields.Many2One(
        'ir.sequence.strict', "Field Job Journal Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('mrk_field_jobs', 'sequence_type_field_job')),
            ],
        help="Gives the journal numbers of field jobs without gaps (2.3).")
    cash_collection_email = fields.Char("Cash-Collection Service E-mail",
        help="Where the notices of planned field jobs go (2.5). "
        "Several addresses are separated by commas.")
    technical_service_email = fields.Char("Technical Service E-mail",
        help="Where the notices of planned field jobs go (2.5). "
        "Several addresses are separated by commas.")
    end_of_day_hour = fields.Integer("End of Day (hour)", required=True,
        domain=[('end_of_day_hour', '>=', 0), ('end_of_day_hour', '<=', 23)],
        help="At this hour the jobs of the day without the technician's "
        "report become activities of their client managers (2.10).")
    field_job_approver = approver_field(
        "Field Job Signer",
        "Receives the new field jobs to sign (2.2).")
    problem_approver = approver_field(
        "Problem on Site Approver",
        "Receives the technicians' problems on site to decide (2.9).")

    @classmethod
    def default_field_job_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('mrk_field_jobs', 'sequence_field_job')
        except KeyError:
            return None

    @classmethod
    def default_end_of_day_hour(cls):
        return 18


class FieldJob(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Field job at a point (2.1–2.11): installation, removal, repair,
    reinforcement, replacement, painting or other work by a technician."""
    __name__ = 'mrk.field_job'
    __string__ = "Field Job"
    _history = True

    _draft = {'readonly': Eval('state') != 'draft'}
    _planning = {
        'readonly': ~Eval('state').in_(
            ['draft', 'signed', 'registered', 'failed', 'reagreement']),
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    number = fields.Char("Journal Number", readonly=True,
        help="Given when the job is registered in the journal (2.3).")
    date = fields.Date("Request Date", required=True, states=_draft)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_draft)
    kind_string = kind.translated('kind')
    point = fields.Many2One(
        'mrk.point', "Point", required=True, ondelete='RESTRICT',
        states=_draft)
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        states=_draft)
    address = fields.Function(fields.Char("Address"), 'get_address')
    manager = fields.Many2One(
        'res.user', "Client Manager", ondelete='RESTRICT',
        states={
            'readonly': Eval('state').in_(['done', 'cancelled']),
            })
    terminals = fields.Many2Many(
        'mrk.field_job-mrk.terminal', 'job', 'terminal', "Terminals",
        domain=[If(Eval('state').in_(
                    ['draft', 'signed', 'registered', 'failed',
                        'reagreement']),
                If(Eval('kind') == 'install',
                    [('state', '=', 'in_stock')],
                    If(Eval('kind').in_(['removal', 'replacement']),
                        [('point', '=', Eval('point', -1))],
                        [])),
                [])],
        states=_planning,
        help="For an installation, the terminals to install; for a "
        "removal or a replacement, the terminals to take away; otherwise "
        "the terminals to work on.")
    new_terminals = fields.Many2Many(
        'mrk.field_job-mrk.terminal.new', 'job', 'terminal', "New Terminals",
        states={
            'readonly': _planning['readonly'],
            'invisible': Eval('kind') != 'replacement',
            'required': (Eval('kind') == 'replacement')
            & Eval('state').in_(['done']),
            },
        domain=[If(Eval('state').in_(
                    ['draft', 'signed', 'registered', 'failed',
                        'reagreement']),
                [('state', '=', 'in_stock')],
                [])],
        help="The terminals a replacement installs.")
    description = fields.Text("Work to Do", states=_planning)

    planned_date = fields.Date("Planned Date", states=_planning,
        help="Agreed with the counterparty (2.4); empty while the date is "
        "open.")
    time_from = fields.Time("From", format='%H:%M', states=_planning)
    time_to = fields.Time("To", format='%H:%M', states=_planning,
        domain=[If(Bool(Eval('time_from')) & Bool(Eval('time_to')),
                ('time_to', '>', Eval('time_from')), ())])
    time_window = fields.Function(
        fields.Char("Time Window"), 'get_time_window')
    day = fields.Function(fields.Selection([
                (None, ""),
                ('past', "Earlier"),
                ('today', "Today"),
                ('coming', "Coming"),
                ], "Day"), 'get_day', searcher='search_day')
    terminals_text = fields.Function(
        fields.Text("Terminals"), 'get_terminals_text')
    calendar_color = fields.Function(
        fields.Char("Calendar Color"), 'get_calendar_color')
    calendar_text_color = fields.Function(
        fields.Char("Calendar Text Color"), 'get_calendar_color')
    contact_name = fields.Char("On-site Contact", states=_planning)
    contact_phone = fields.Char("Contact Phone", states=_planning)
    technician = fields.Many2One(
        'res.user', "Technician", ondelete='RESTRICT',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_technician'))],
        states={
            'readonly': ~Eval('state').in_(
                ['draft', 'signed', 'registered', 'agreed', 'notified',
                    'confirmed', 'failed', 'reagreement']),
            })

    signed_by = fields.Many2One('res.user', "Signed By", readonly=True)
    signed_on = fields.Date("Signed On", readonly=True)
    registered_on = fields.Date("Registered On", readonly=True)
    notified_at = fields.Timestamp("Services Notified At", readonly=True)
    notice_count = fields.Integer("Notices Sent", readonly=True)
    call_result = fields.Text("Control Call Result",
        states={
            'readonly': ~Eval('state').in_(['notified', 'confirmed']),
            },
        help="What the on-site contact said on the morning of the visit "
        "(2.8).")
    called_by = fields.Many2One('res.user', "Called By", readonly=True)
    issued_at = fields.Timestamp("Issued At", readonly=True)

    problem = fields.Text("Problem on Site",
        states={
            'readonly': Eval('state') != 'issued',
            },
        help="The technician describes what stops the work (2.9).")
    problem_state = fields.Selection([
            (None, ""),
            ('open', "Waiting for the Head"),
            ('decided', "Decided"),
            ], "Problem", readonly=True)
    problem_decision = fields.Text("Head's Decision",
        states={
            'readonly': Eval('problem_state') != 'open',
            'invisible': ~Eval('problem_state'),
            })
    problem_decided_by = fields.Many2One(
        'res.user', "Decided By", readonly=True)

    report = fields.Text("Technician's Report",
        states={
            'readonly': ~Eval('state').in_(PLANNED),
            },
        help="What was done, or why the job could not be done (2.10).")
    done_date = fields.Date("Done On", readonly=True,
        help="The real date of the work: placements take it.")
    result = fields.Function(fields.Selection([
                (None, ""),
                ('done', "Done"),
                ('failed', "Not Done"),
                ], "Result"), 'get_result')
    visits = fields.One2Many(
        'mrk.field_job.visit', 'job', "Visits", readonly=True,
        order=[('id', 'DESC')])
    install_placements = fields.One2Many(
        'mrk.terminal.placement', 'install_job', "Installed", readonly=True)
    removal_placements = fields.One2Many(
        'mrk.terminal.placement', 'removal_job', "Removed", readonly=True)
    end_of_day_for = fields.Date("End of Day Reported For", readonly=True)
    state = fields.Selection([
            ('draft', "To Sign"),
            ('signed', "Signed"),
            ('registered', "Registered"),
            ('agreed', "Agreed"),
            ('notified', "Services Notified"),
            ('confirmed', "Confirmed by Call"),
            ('issued', "Issued to Technician"),
            ('done', "Done"),
            ('failed', "Not Done"),
            ('reagreement', "Re-agreement"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    del _draft, _planning

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.technician, Index.Equality()),
                    (t.planned_date, Index.Range())),
                Index(t, (t.point, Index.Equality())),
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.state, Index.Equality()),
                    where=t.state.in_(['draft'] + PLANNED + [
                            'failed', 'reagreement'])),
                Index(t, (t.number, Index.Similarity())),
                })
        cls._order = [
            ('planned_date', 'DESC NULLS FIRST'),
            ('time_from', 'ASC NULLS LAST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'signed'),
            ('signed', 'registered'),
            ('registered', 'agreed'),
            ('failed', 'agreed'),
            ('reagreement', 'agreed'),
            ('agreed', 'notified'),
            ('notified', 'confirmed'),
            ('confirmed', 'issued'),
            ('issued', 'done'),
            ('issued', 'failed'),
            ('notified', 'failed'),
            ('confirmed', 'failed'),
            ('notified', 'reagreement'),
            ('confirmed', 'reagreement'),
            ('issued', 'reagreement'),
            ('draft', 'cancelled'),
            ('signed', 'cancelled'),
            ('registered', 'cancelled'),
            ('agreed', 'cancelled'),
            ('notified', 'cancelled'),
            ('confirmed', 'cancelled'),
            ('issued', 'cancelled'),
            ('failed', 'cancelled'),
            ('reagreement', 'cancelled'),
            }
        # The head signs the request (2.2): from then on its kind, point
        # and counterparty are those signed; the other fields follow the
        # states in which the form lets people fill them
        cls._workflow_fields |= {
            'state', 'number', 'signed_by', 'signed_on', 'registered_on',
            'notified_at', 'notice_count', 'called_by', 'issued_at',
            'problem_state', 'problem_decided_by', 'done_date',
            'end_of_day_for'}
        states = {s for s, _ in cls.state.selection}
        signed = states - {'draft'}
        planning = states - {
            'draft', 'signed', 'registered', 'failed', 'reagreement'}
        frozen = {s: set() for s in states}
        for names, in_states in [
                ({'company', 'date', 'kind', 'point', 'party'}, signed),
                ({'terminals', 'new_terminals', 'description',
                        'planned_date', 'time_from', 'time_to',
                        'contact_name', 'contact_phone'}, planning),
                ({'manager'}, {'done', 'cancelled'}),
                ({'technician'}, {'issued', 'done', 'cancelled'}),
                ({'call_result'}, states - {'notified', 'confirmed'}),
                ({'problem'}, states - {'issued'}),
                ({'report'}, states - set(PLANNED)),
                ]:
            for state in in_states:
                frozen[state] |= names
        for state, names in frozen.items():
            cls._frozen_fields.setdefault(state, set()).update(names)
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'register': {
                    'invisible': Eval('state') != 'signed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'agree': {
                    'invisible': ~Eval('state').in_(
                        ['registered', 'failed', 'reagreement']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'notify': {
                    'invisible': Eval('state') != 'agreed',
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'notified',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'issue': {
                    'invisible': Eval('state') != 'confirmed',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'issued',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'fail': {
                    'invisible': ~Eval('state').in_(
                        ['notified', 'confirmed', 'issued']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'report_problem': {
                    'invisible': ((Eval('state') != 'issued')
                        | (Eval('problem_state') == 'open')),
                    'icon': 'tryton-warning',
                    'depends': ['state', 'problem_state'],
                    },
                'decide': {
                    'invisible': Eval('problem_state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['problem_state'],
                    },
                'move': {
                    'invisible': ~Eval('state').in_(
                        ['notified', 'confirmed', 'issued']),
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state').in_(['done', 'cancelled']),
                    'icon': 'tryton-cancel',
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
    def default_kind(cls):
        return 'install'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_notice_count(cls):
        return 0

    @classmethod
    def default_manager(cls):
        return Transaction().user or None

    @fields.depends('point', 'party', 'manager', 'contact_name',
        'contact_phone', '_parent_point.party', '_parent_point.contact_name',
        '_parent_point.contact_phone')
    def on_change_point(self):
        if not self.point:
            return
        self.party = self.point.party
        if self.party and self.party.mrk_manager:
            self.manager = self.party.mrk_manager
        if not self.contact_name:
            self.contact_name = self.point.contact_name
        if not self.contact_phone:
            self.contact_phone = self.point.contact_phone

    def get_address(self, name):
        return self.point.full_address if self.point else None

    def get_time_window(self, name):
        if self.time_from or self.time_to:
            return '%s–%s' % (format_time(self.time_from),
                format_time(self.time_to))

    def get_day(self, name):
        "Where the planned date is from today, in the company's time zone"
        if self.planned_date:
            today = Pool().get('ir.date').today()
            if self.planned_date < today:
                return 'past'
            elif self.planned_date == today:
                return 'today'
            return 'coming'

    @classmethod
    def search_day(cls, name, clause):
        # Computed on the server: the web client's Date() may be a day off
        # for the company's time zone.
        _, operator, value = clause[:3]
        today = Pool().get('ir.date').today()
        ranges = {
            'past': [('planned_date', '<', today)],
            'today': [('planned_date', '=', today)],
            'coming': [('planned_date', '>', today)],
            None: [('planned_date', '=', None)],
            }
        if operator in {'=', '!='}:
            values = {value}
        elif operator in {'in', 'not in'}:
            values = set(value or [])
        else:
            return []
        if operator in {'!=', 'not in'}:
            values = set(ranges) - values
        domain = ['OR'] + [ranges[v] for v in values if v in ranges]
        if len(domain) == 1:
            domain = [('id', '=', None)]
        return domain

    def get_terminals_text(self, name):
        "The terminals to work on, one per line (new ones marked)"
        lines = [t.rec_name for t in self.terminals]
        if self.kind == 'replacement':
            lines.extend('→ %s' % t.rec_name for t in self.new_terminals)
        return '\n'.join(lines)

    def get_calendar_color(self, name):
        "One colour per technician on the technicians' calendar"
        if name == 'calendar_text_color':
            return '#ffffff'
        if self.technician:
            return CALENDAR_COLORS[self.technician.id % len(CALENDAR_COLORS)]
        return '#9e9e9e'

    @classmethod
    def get_result(cls, jobs, name):
        """Done, or not done when the job or its last visit failed; the
        last visits of a list of jobs are read with one query."""
        pool = Pool()
        Visit = pool.get('mrk.field_job.visit')
        result = {}
        others = []
        for job in jobs:
            if job.state == 'done':
                result[job.id] = 'done'
            elif job.state in {'failed', 'reagreement'}:
                result[job.id] = 'failed'
            else:
                result[job.id] = None
                others.append(job.id)
        last = {}
        if others:
            for visit in Visit.search([('job', 'in', others)],
                    order=[('id', 'DESC')]):
                last.setdefault(visit.job.id, visit.result)
        for job_id, visit_result in last.items():
            if visit_result == 'failed':
                result[job_id] = 'failed'
        return result

    def get_rec_name(self, name):
        number = self.number or '#%s' % self.id
        kind = self.kind_string if self.kind else ''
        if self.point:
            return '%s %s: %s' % (number, kind, self.point.name)
        return '%s %s' % (number, kind)

    @property
    def activity_title(self):
        """The job, its counterparty and point, as the titles of its tasks
        name it"""
        number = self.number or '#%s' % self.id
        kind = self.kind_string if self.kind else ''
        names = [n for n in [self.party and self.party.rec_name,
                self.point and self.point.name] if n]
        return '%s %s: %s' % (number, kind, ', '.join(names))

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'number',
                'point.rec_name',
                'party.rec_name',
                ])

    @classmethod
    def create(cls, vlist):
        """A new request goes to its signer of the settings (2.1, 2.2)."""
        pool = Pool()
        Point = pool.get('mrk.point')
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if values.get('point'):
                point = Point(values['point'])
                values.setdefault('party', point.party.id)
                if point.party.mrk_manager and not values.get('manager'):
                    values['manager'] = point.party.mrk_manager.id
                values.setdefault('contact_name', point.contact_name)
                values.setdefault('contact_phone', point.contact_phone)
        jobs = super().create(vlist)
        cls._schedule(jobs, codes.FIELD_JOB_SIGNATURE,
                owner=cls._approver('field_job_approver'))
        return jobs

    @classmethod
    def copy(cls, jobs, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'signed_by', 'signed_on', 'registered_on',
                'notified_at', 'call_result', 'called_by', 'issued_at',
                'problem', 'problem_state', 'problem_decision',
                'problem_decided_by', 'report', 'done_date', 'planned_date',
                'end_of_day_for']:
            default.setdefault(name)
        default.setdefault('notice_count', 0)
        default.setdefault('visits')
        default.setdefault('install_placements')
        default.setdefault('removal_placements')
        return super().copy(jobs, default=default)

    @classmethod
    def delete(cls, jobs):
        for job in jobs:
            if job.state != 'draft' or job.number:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_delete',
                        job=job.rec_name))
        super().delete(jobs)

    # -- activities -----------------------------------------------------------

    @classmethod
    def _approver(cls, name):
        "The approver of the setting name"
        return Pool().get('mrk.configuration')(1).get_approver(name)

    @classmethod
    def _schedule(cls, jobs, code, deadline=None, owner=None, note=None):
        """One activity per job for the function's code: to the given
        approver, otherwise to whom the responsibility matrix gives it (the
        client manager of the job's counterparty where the function follows
        the portfolio)."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        activities = []
        for job in jobs:
            activities.extend(Activity.schedule(code, [job],
                    deadline=deadline(job) if callable(deadline)
                    else deadline,
                    owner=owner,
                    note=note(job) if callable(note) else note))
        return activities

    # -- workflow -------------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('signed')
    def sign(cls, jobs):
        "The head signs the request (2.2)"
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(jobs, {
                'signed_by': Transaction().user,
                'signed_on': Date.today(),
                })
        Pool().get('mrk.activity').close(jobs, [codes.FIELD_JOB_SIGNATURE])
        cls._schedule(jobs, codes.FIELD_JOB_REGISTRATION)
        return 'reload'

    @classmethod
    @ModelView.button
    @Workflow.transition('registered')
    def register(cls, jobs):
        """Register the signed requests in the journal (2.3): the numbers
        come from a strict sequence, in the order of the requests."""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Date = pool.get('ir.date')
        sequence = Configuration(1).field_job_sequence
        today = Date.today()
        for job in sorted(jobs, key=lambda j: (j.date, j.id)):
            if not job.number:
                job.number = sequence.get()
            job.registered_on = today
        cls.save(jobs)
        Pool().get('mrk.activity').close(jobs, [codes.FIELD_JOB_REGISTRATION])
        cls._schedule(jobs, codes.FIELD_JOB_AGREEMENT)
        return 'reload'

    @classmethod
    @ModelView.button
    def agree(cls, jobs):
        """Record the date and time agreed with the counterparty (2.4,
        2.11) and announce them to the services (2.5)."""
        cls._agree(jobs)
        cls.notify([j for j in jobs if j.state == 'agreed'])
        return 'reload'

    @classmethod
    @Workflow.transition('agreed')
    def _agree(cls, jobs):
        pool = Pool()
        Visit = pool.get('mrk.field_job.visit')
        for job in jobs:
            job.check_agreement()
        Visit.save([Visit(
                    job=job,
                    planned_date=job.planned_date,
                    time_from=job.time_from,
                    time_to=job.time_to,
                    technician=job.technician,
                    result='planned') for job in jobs])
        cls.write(jobs, {
                'report': None,
                'call_result': None,
                'end_of_day_for': None,
                })
        Pool().get('mrk.activity').close(jobs, [codes.FIELD_JOB_AGREEMENT,
                codes.FIELD_JOB_REAGREEMENT])

    def check_agreement(self):
        missing = [self.__class__.fields_get([name])[name]['string']
            for name in ['planned_date', 'time_from', 'time_to',
                'contact_name', 'contact_phone']
            if not getattr(self, name)]
        if missing:
            raise FieldJobError(gettext(
                    'mrk_field_jobs.msg_field_job_agreement_missing',
                    job=self.rec_name, fields=', '.join(missing)))
        if not self.terminals and self.kind in {
                'install', 'removal', 'replacement'}:
            raise FieldJobError(gettext(
                    'mrk_field_jobs.msg_field_job_no_terminals',
                    job=self.rec_name))
        if self.kind == 'replacement' and not self.new_terminals:
            raise FieldJobError(gettext(
                    'mrk_field_jobs.msg_field_job_no_new_terminals',
                    job=self.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('notified')
    def notify(cls, jobs):
        """E-mail the planned work to the cash-collection service and the
        technical service (2.5); the mail leaves at the commit."""
        pool = Pool()
        Date = pool.get('ir.date')
        cls.send_notices(jobs)
        for job in jobs:
            job.notified_at = datetime.datetime.now()
            job.notice_count = (job.notice_count or 0) + 1
        cls.save(jobs)
        Pool().get('mrk.activity').close(jobs, [codes.SERVICES_NOTICE])
        today = Date.today()
        # The job sheet and the act go to the technician, and the on-site
        # contact is called on the morning of the visit (2.6–2.8).
        cls._schedule(jobs, codes.CONTROL_CALL,
            deadline=lambda j: max(j.planned_date, today),
            note=lambda j: gettext(
                'mrk_field_jobs.msg_field_job_call_note',
                contact=j.contact_name, phone=j.contact_phone,
                date=format_date(j.planned_date), window=j.time_window))
        return 'reload'

    @classmethod
    def notice_recipients(cls):
        "The addresses of the services, checked before anything is sent"
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        config = Configuration(1)
        recipients = []
        for name in ['cash_collection_email', 'technical_service_email']:
            value = getattr(config, name)
            addresses = [a.strip() for a in (value or '').split(',')
                if a.strip()]
            field = Configuration.fields_get([name])[name]['string']
            if not addresses:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_no_service_email',
                        field=field))
            for address in addresses:
                if not EMAIL.match(address):
                    raise FieldJobError(gettext(
                            'mrk_field_jobs.msg_field_job_bad_service_email',
                            field=field, email=address))
            recipients.append(', '.join(addresses))
        return recipients

    def notice_body(self):
        "The details of the planned work the services need (2.5)"
        lines = gettext('mrk_field_jobs.msg_field_job_notice_body',
            number=self.number or '',
            kind=self.kind_string,
            date=format_date(self.planned_date),
            window=self.time_window or '',
            party=self.party.rec_name,
            point=self.point.name,
            address=self.address or '',
            contact=self.contact_name or '',
            phone=self.contact_phone or '',
            terminals=', '.join(
                t.rec_name for t in self.terminals) or '—',
            technician=(self.technician.rec_name
                if self.technician else '—'),
            description=self.description or '').splitlines()
        if self.notice_count:
            lines.insert(0, gettext(
                    'mrk_field_jobs.msg_field_job_notice_moved'))
            lines.insert(1, '')
        return '<br/>'.join(html.escape(line) for line in lines)

    @classmethod
    def send_notices(cls, jobs):
        """One e-mail per job to the cash-collection service and the
        technical service (2.5), again each time the job moves."""
        pool = Pool()
        Email = pool.get('ir.email')
        cash_collection, technical_service = cls.notice_recipients()
        for job in jobs:
            key = ('mrk_field_jobs.msg_field_job_notice_subject_moved'
                if job.notice_count else
                'mrk_field_jobs.msg_field_job_notice_subject')
            subject = gettext(key, number=job.number or '',
                kind=job.kind_string, date=format_date(job.planned_date),
                address=job.address or '')
            body = job.notice_body()
            for to in [cash_collection, technical_service]:
                Email.send(to=to, subject=subject, body=body,
                    record=(cls.__name__, job.id))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, jobs):
        "The on-site contact confirmed the visit by the control call (2.8)"
        for job in jobs:
            if not job.call_result:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_call_result',
                        job=job.rec_name))
        cls.write(jobs, {'called_by': Transaction().user})
        Pool().get('mrk.activity').close(jobs, [codes.CONTROL_CALL])
        return 'reload'

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def issue(cls, jobs):
        """Issue the job to its technician with the job sheet and the
        handover act as PDF attachments (2.6, 2.7)."""
        pool = Pool()
        Sheet = pool.get('mrk.field_job.sheet', type='report')
        for job in jobs:
            if not job.technician:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_no_technician',
                        job=job.rec_name))
        Sheet.attach(jobs)
        cls.write(jobs, {'issued_at': datetime.datetime.now()})
        for job in jobs:
            visit = job.visits[0] if job.visits else None
            if visit and visit.result == 'planned':
                visit.technician = job.technician
                visit.save()
            cls.notify_user([job], 'tryton-forward',
                gettext('mrk_field_jobs.msg_field_job_issued',
                    job=job.rec_name),
                description=gettext(
                    'mrk_field_jobs.msg_field_job_issued_description',
                    address=job.address or '',
                    date=format_date(job.planned_date),
                    window=job.time_window or '',
                    phone=job.contact_phone or ''),
                user=job.technician)
        Pool().get('mrk.activity').close(jobs, [codes.HANDOVER_ACT,
                codes.FIELD_JOB_ISSUE])
        return 'reload'

    @classmethod
    def _report_visits(cls, jobs, result, reason=None):
        pool = Pool()
        Visit = pool.get('mrk.field_job.visit')
        visits = []
        for job in jobs:
            if job.visits and job.visits[0].result == 'planned':
                visit = job.visits[0]
                visit.result = result
                visit.reason = reason(job) if callable(reason) else reason
                visit.reported_at = datetime.datetime.now()
                visit.reported_by = Transaction().user
                visits.append(visit)
        Visit.save(visits)

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, jobs):
        """The technician reports the job done (2.10). Installations,
        removals and replacements write the placements with the real
        date."""
        pool = Pool()
        Date = pool.get('ir.date')
        Placement = pool.get('mrk.terminal.placement')
        date = Transaction().context.get('mrk_date') or Date.today()
        for job in jobs:
            if job.kind in {'removal', 'replacement'}:
                Placement.remove(job.terminals, job.point, date,
                    removal_job=job.id)
            if job.kind == 'install':
                Placement.install(job.terminals, job.point, date,
                    contract=job.point.contract, install_job=job.id)
            elif job.kind == 'replacement':
                Placement.install(job.new_terminals, job.point, date,
                    contract=job.point.contract, install_job=job.id)
        cls.write(jobs, {'done_date': date})
        cls._report_visits(jobs, 'done', reason=lambda j: j.report)
        Pool().get('mrk.activity').close(jobs, [codes.SITE_PROBLEM,
                codes.END_OF_DAY])
        return 'reload'

    @classmethod
    @ModelView.button
    @Workflow.transition('failed')
    def fail(cls, jobs):
        """The job was not done: the reason is written in the report
        (2.10) and the client manager re-agrees the date (2.11)."""
        for job in jobs:
            if not job.report:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_fail_reason',
                        job=job.rec_name))
        cls._report_visits(jobs, 'failed', reason=lambda j: j.report)
        Pool().get('mrk.activity').close(jobs, [codes.CONTROL_CALL,
                codes.SITE_PROBLEM, codes.END_OF_DAY])
        cls._schedule(jobs, codes.FIELD_JOB_REAGREEMENT,
                note=lambda j: j.report)
        return 'reload'

    @classmethod
    @ModelView.button
    @Workflow.transition('reagreement')
    def move(cls, jobs):
        """The visit moves before it took place (the counterparty or the
        control call asked): the planned visit is kept as moved and the
        date is agreed again (2.11); the services get a new notice."""
        cls._report_visits(jobs, 'moved', reason=lambda j: (
                j.call_result if j.state == 'confirmed' else None))
        Pool().get('mrk.activity').close(jobs, [codes.CONTROL_CALL,
                codes.END_OF_DAY])
        cls._schedule(jobs, codes.FIELD_JOB_REAGREEMENT)
        return 'reload'

    @classmethod
    @ModelView.button
    def report_problem(cls, jobs):
        """The technician calls for a decision from the site (2.9): his note
        reaches the approver of the settings as an activity and a
        notification."""
        approver = cls._approver('problem_approver')
        for job in jobs:
            if not job.problem:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_problem_note',
                        job=job.rec_name))
        cls.write(jobs, {
                'problem_state': 'open',
                'problem_decision': None,
                'problem_decided_by': None,
                })
        activities = cls._schedule(jobs, codes.SITE_PROBLEM, owner=approver,
            deadline=Pool().get('ir.date').today(),
            note=lambda j: j.problem)
        for job, activity in zip(jobs, activities):
            cls.notify_user([job], 'tryton-warning',
                gettext('mrk_field_jobs.msg_field_job_problem',
                    job=job.rec_name,
                    technician=(job.technician.rec_name
                        if job.technician else '')),
                description=job.problem,
                user=activity.owner)
        return 'reload'

    @classmethod
    @ModelView.button
    def decide(cls, jobs):
        """The head's decision on the problem is recorded on the job and
        sent to the technician and the client manager (2.9)."""
        for job in jobs:
            if not job.problem_decision:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_decision',
                        job=job.rec_name))
        cls.write(jobs, {
                'problem_state': 'decided',
                'problem_decided_by': Transaction().user,
                })
        Pool().get('mrk.activity').close(jobs, [codes.SITE_PROBLEM])
        for job in jobs:
            for user in {job.technician, job.manager} - {None}:
                cls.notify_user([job], 'tryton-ok',
                    gettext('mrk_field_jobs.msg_field_job_decided',
                        job=job.rec_name),
                    description=job.problem_decision, user=user)
        return 'reload'

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, jobs):
        cls._report_visits(jobs, 'cancelled')
        Activity = Pool().get('mrk.activity')
        activities = Activity.open_for(jobs)
        if activities:
            Activity.cancel(activities)
        return 'reload'

    # -- end of day (cron) ----------------------------------------------------

    @classmethod
    def end_of_day(cls, date=None, hour=None, now=None):
        """End of the technicians' day (2.10), run every hour.

        From the configured hour, the jobs planned for the day or before
        that have no report yet (still notified, confirmed or issued) become
        activities of their client managers, once per job and day.

        The day and the hour are those of the company's time zone at now
        (an aware datetime, the current time by default) unless given.
        """
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Company = pool.get('company.company')
        config = Configuration(1)
        if date is None or hour is None:
            company_id = Transaction().context.get('company')
            if now is None:
                now = datetime.datetime.now(datetime.timezone.utc)
            if company_id and Company(company_id).timezone:
                now = now.astimezone(
                    ZoneInfo(Company(company_id).timezone))
            if date is None:
                date = now.date()
            if hour is None:
                hour = now.hour
        if hour < config.end_of_day_hour:
            return []
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=table.state.in_(['notified', 'confirmed', 'issued'])
                & (table.planned_date <= date)
                & ((table.end_of_day_for == Null)
                    | (table.end_of_day_for < date)),
                order_by=[table.planned_date, table.id]))
        jobs = cls.browse([i for i, in cursor])
        if not jobs:
            return []
        with Transaction().set_context(mrk_date=date):
            activities = cls._schedule(jobs, codes.END_OF_DAY, deadline=date,
                note=lambda j: gettext(
                    'mrk_field_jobs.msg_field_job_no_report',
                    job=j.rec_name,
                    technician=(j.technician.rec_name
                        if j.technician else ''),
                    date=format_date(j.planned_date)))
        cls.write(jobs, {'end_of_day_for': date})
        return activities


class FieldJobTerminal(ModelSQL):
    "Field job - Terminal"
    __name__ = 'mrk.field_job-mrk.terminal'
    __string__ = "Field Job Terminal"
    job = fields.Many2One(
        'mrk.field_job', "Job", required=True, ondelete='CASCADE')
    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", required=True, ondelete='RESTRICT')


class FieldJobNewTerminal(ModelSQL):
    "Field job - New terminal"
    __name__ = 'mrk.field_job-mrk.terminal.new'
    __string__ = "Field Job New Terminal"
    job = fields.Many2One(
        'mrk.field_job', "Job", required=True, ondelete='CASCADE')
    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", required=True, ondelete='RESTRICT')


class Visit(WorkflowGuardMixin, ModelSQL, ModelView):
    """A planned visit of a field job and what came of it: the job's
    history of agreements, moves and failures (2.10, 2.11)."""
    __name__ = 'mrk.field_job.visit'
    __string__ = "Field Job Visit"

    job = fields.Many2One(
        'mrk.field_job', "Job", required=True, ondelete='CASCADE')
    planned_date = fields.Date("Planned Date", readonly=True)
    time_from = fields.Time("From", format='%H:%M', readonly=True)
    time_to = fields.Time("To", format='%H:%M', readonly=True)
    technician = fields.Many2One('res.user', "Technician", readonly=True)
    result = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('failed', "Not Done"),
            ('moved', "Moved"),
            ('cancelled', "Cancelled"),
            ], "Result", required=True, readonly=True)
    reason = fields.Text("Report or Reason", readonly=True)
    reported_at = fields.Timestamp("Reported At", readonly=True)
    reported_by = fields.Many2One('res.user', "Reported By", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.job, Index.Equality())))
        cls._order = [('id', 'DESC')]
        # Visits are written by the transitions of their job only: they
        # are its history
        cls._workflow_fields |= {
            'job', 'planned_date', 'time_from', 'time_to', 'technician',
            'result', 'reason', 'reported_at', 'reported_by'}
        cls._guard_parent = 'job'
        cls._deletable_states = set()

    def get_rec_name(self, name):
        "The job and the day of the visit, as in the job's history"
        if self.planned_date:
            return '%s, %s' % (
                self.job.rec_name, format_date(self.planned_date))
        return self.job.rec_name


class Placement(RelatedRuleMixin, metaclass=PoolMeta):
    __name__ = 'mrk.terminal.placement'

    install_job = fields.Many2One(
        'mrk.field_job', "Installed by Job", ondelete='RESTRICT',
        readonly=True)
    removal_job = fields.Many2One(
        'mrk.field_job', "Removed by Job", ondelete='RESTRICT',
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # A search through the jobs finds only the jobs the user reads
        cls._related_rule_fields = cls._related_rule_fields | {
            'install_job', 'removal_job'}


class Point(RelatedRuleMixin, metaclass=PoolMeta):
    __name__ = 'mrk.point'

    field_jobs = fields.One2Many(
        'mrk.field_job', 'point', "Field Jobs", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._related_rule_fields = cls._related_rule_fields | {
            'field_jobs'}


class Terminal(RelatedRuleMixin, metaclass=PoolMeta):
    __name__ = 'mrk.terminal'

    field_jobs = fields.Many2Many(
        'mrk.field_job-mrk.terminal', 'terminal', 'job', "Field Jobs",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._related_rule_fields = cls._related_rule_fields | {
            'field_jobs'}
