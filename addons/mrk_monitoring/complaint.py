"""Counterparties' complaints about payments (7.5), in the numbered
«Журнал обращений контрагентов».

A complaint is registered with a gapless number and a deadline by its topic
(working days); the client manager of the counterparty gets it as a 7.5
activity with that deadline, so an overdue complaint is escalated to the
head by the escalation of overdue activities (mrk.activity.escalate). A
question to accounting is an activity of 7.5.1 for the accountant of the
matrix; the answer is recorded on the complaint, and the counterparty is
informed by e-mail (the template of the settings) or by a call whose result
is recorded, before the complaint closes.
"""
import datetime

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, check_write_rule, rec_name_domain)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.modules.mrk_base import codes

from .exceptions import MonitoringError
from .repair import check_call_technician

STATES = [
    ('open', "Open"),
    ('accounting', "Question to Accounting"),
    ('answered', "Answered by Accounting"),
    ('closed', "Closed"),
    ]
OPEN_STATES = ['open', 'accounting', 'answered']


def add_working_days(date, days):
    "The date days working days (Monday to Friday) after date"
    while days > 0:
        date += datetime.timedelta(days=1)
        if date.weekday() < 5:
            days -= 1
    return date


class Topic(DeactivableMixin, ModelSQL, ModelView):
    """Topic of a counterparty's complaint (7.5) with its deadline"""
    __name__ = 'mrk.monitoring.complaint.topic'
    __string__ = "Complaint Topic"

    name = fields.Char("Name", required=True, translate=True)
    sequence = fields.Integer("Sequence")
    days = fields.Integer("Deadline (working days)",
        domain=['OR', ('days', '=', None), ('days', '>=', 1)],
        help="Empty: the deadline of the settings (3 working days).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('sequence', 'ASC NULLS LAST'), ('id', 'ASC')]


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    complaint_email_template = fields.Many2One(
        'ir.email.template', "Complaint Answer E-mail",
        domain=[('model.name', '=', 'mrk.monitoring.complaint')],
        help="The e-mail that informs the counterparty of the answer "
        "(7.5).")

    @classmethod
    def default_complaint_email_template(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id(
                'mrk_monitoring', 'email_template_complaint_answer')
        except KeyError:
            return None


class Complaint(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Counterparty's complaint about payments (7.5)"""
    __name__ = 'mrk.monitoring.complaint'
    __string__ = "Counterparty Complaint"

    _open = {'readonly': Eval('state') == 'closed'}

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    number = fields.Char("Number", readonly=True)
    date = fields.Date("Received On", required=True,
        states={'readonly': Eval('id', -1) >= 0})
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        states={'readonly': Eval('id', -1) >= 0})
    channel = fields.Selection([
            ('phone', "Phone"),
            ('email', "E-mail"),
            ('letter', "Letter"),
            ('visit', "Visit"),
            ('other', "Other"),
            ], "Channel", required=True, states=_open)
    topic = fields.Many2One(
        'mrk.monitoring.complaint.topic', "Topic", required=True,
        ondelete='RESTRICT', states={'readonly': Eval('id', -1) >= 0})
    text = fields.Text("What the Counterparty Says", required=True,
        states=_open)
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='RESTRICT', states=_open,
        domain=[('party', '=', Eval('party', -1))])
    registry_line = fields.Many2One(
        'mrk.rent.registry.line', "Registry Line", ondelete='RESTRICT',
        states=_open, domain=[('party', '=', Eval('party', -1))])
    cash_run_line = fields.Many2One(
        'mrk.rent.cash_run.line', "Cash Run Line", ondelete='RESTRICT',
        states=_open, domain=[('party', '=', Eval('party', -1))])
    downtime = fields.Many2One(
        'mrk.monitoring.downtime', "Downtime", ondelete='RESTRICT',
        states=_open, domain=[('party', '=', Eval('party', -1))])
    deadline = fields.Date("Deadline", readonly=True)
    overdue = fields.Function(fields.Boolean("Overdue"), 'get_overdue',
        searcher='search_overdue')
    accounting_question = fields.Text("Question to Accounting",
        states={'readonly': Eval('state') != 'open'})
    accounting_answer = fields.Text("Accounting's Answer",
        states={'readonly': Eval('state') != 'accounting'})
    answered_by = fields.Many2One('res.user', "Answered By", readonly=True)
    answered_on = fields.Date("Answered On", readonly=True)
    inform_email = fields.Char("Counterparty's E-mail", states=_open)
    inform_result = fields.Text("Call Result",
        states=_open,
        help="What the counterparty was told on the phone.")
    informed = fields.Selection([
            (None, ""),
            ('email', "By E-mail"),
            ('call', "By Call"),
            ], "Informed", readonly=True)
    informed_by = fields.Many2One('res.user', "Informed By", readonly=True)
    informed_at = fields.Timestamp("Informed At", readonly=True)
    field_job = fields.Many2One(
        'mrk.field_job', "Field Job", readonly=True, ondelete='RESTRICT')
    point = fields.Many2One(
        'mrk.point', "Point", ondelete='RESTRICT', states=_open,
        domain=[('party', '=', Eval('party', -1))],
        help="Where a technician is called to (7.4).")
    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", ondelete='RESTRICT', states=_open,
        domain=[If(Eval('point'), ('point', '=', Eval('point', -1)), ())])
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.deadline, Index.Range()),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.number, Index.Similarity())),
                })
        cls._order = [('date', 'DESC'), ('number', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'accounting'),
            ('accounting', 'answered'),
            ('open', 'closed'),
            ('answered', 'closed'),
            }
        cls._workflow_fields |= {
            'state', 'number', 'deadline', 'answered_by', 'answered_on',
            'informed', 'informed_by', 'informed_at', 'field_job'}
        closed = {'channel', 'text', 'contract', 'registry_line',
            'cash_run_line', 'downtime', 'accounting_question',
            'accounting_answer', 'inform_email', 'inform_result', 'point',
            'terminal'}
        cls._frozen_fields.update({
                'accounting': {'accounting_question'},
                'answered': {'accounting_question', 'accounting_answer'},
                'closed': closed,
                })
        for state, _ in STATES:
            cls._frozen_fields.setdefault(state, set()).update(
                {'company', 'date', 'party', 'topic'})
        cls._deletable_states = set()
        cls._buttons.update({
                'ask_accounting': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'answer': {
                    'invisible': Eval('state') != 'accounting',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'inform_by_email': {
                    'invisible': ~Eval('state').in_(['open', 'answered']),
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                'inform_by_call': {
                    'invisible': ~Eval('state').in_(['open', 'answered']),
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'call_technician': {
                    'invisible': Eval('state') == 'closed',
                    'icon': 'tryton-launch',
                    'depends': ['state'],
                    },
                'close': {
                    'invisible': ~Eval('state').in_(['open', 'answered']),
                    'icon': 'tryton-close',
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
    def default_channel(cls):
        return 'phone'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @fields.depends('party', 'inform_email')
    def on_change_party(self):
        if self.party and not self.inform_email:
            self.inform_email = self.party.email

    def get_rec_name(self, name):
        number = self.number or '#%s' % self.id
        return '%s %s' % (number, self.party.rec_name if self.party else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['number', 'party.rec_name'])

    @staticmethod
    def _today():
        return (Transaction().context.get('mrk_date')
            or Pool().get('ir.date').today())

    def get_overdue(self, name):
        return bool(self.state in OPEN_STATES and self.deadline
            and self.deadline < self._today())

    @classmethod
    def search_overdue(cls, name, clause):
        _, operator, value = clause[:3]
        today = cls._today()
        domain = [('state', 'in', OPEN_STATES), ('deadline', '<', today)]
        if (operator == '=') == bool(value):
            return domain
        return ['OR', ('state', 'not in', OPEN_STATES),
            ('deadline', '>=', today)]

    @classmethod
    def create(cls, vlist):
        """Register the complaints in the journal: gapless numbers, the
        deadline of the topic in working days, an activity of 7.5 for the
        client manager of the counterparty"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Party = pool.get('party.party')
        config = Configuration(1)
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not values.get('inform_email') and values.get('party'):
                values['inform_email'] = Party(values['party']).email
        complaints = super().create(vlist)
        # The number and the deadline are the journal's
        with without_check_access():
            for complaint in sorted(complaints, key=lambda c: (c.date, c.id)):
                complaint.number = config.complaint_sequence.get()
                days = complaint.topic.days or config.complaint_days
                complaint.deadline = add_working_days(complaint.date, days)
            cls.save(complaints)
        Activity = pool.get('mrk.activity')
        for complaint in complaints:
            Activity.schedule(codes.PAYMENT_COMPLAINT, [complaint], deadline=complaint.deadline,
                note=complaint.text)
        return complaints

    @classmethod
    def copy(cls, complaints, default=None):
        default = default.copy() if default is not None else {}
        for name in ['accounting_answer', 'inform_result', 'field_job']:
            default.setdefault(name)
        return super().copy(complaints, default=default)

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('accounting')
    def ask_accounting(cls, complaints):
        """Ask accounting: an activity of 7.5.1 for the accountant of the
        matrix, the question as its note (7.5)"""
        Activity = Pool().get('mrk.activity')
        for complaint in complaints:
            if not complaint.accounting_question:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_no_question',
                        complaint=complaint.rec_name))
        for complaint in complaints:
            Activity.schedule(codes.COMPLAINT_ACCOUNTING_QUESTION, [complaint],
                deadline=complaint.deadline,
                note=complaint.accounting_question)

    @classmethod
    @ModelView.button
    @Workflow.transition('answered')
    def answer(cls, complaints):
        """Accounting's answer is recorded; the client manager is notified
        (7.5)"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        for complaint in complaints:
            if not complaint.accounting_answer:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_no_answer',
                        complaint=complaint.rec_name))
        cls.write(complaints, {
                'answered_by': Transaction().user,
                'answered_on': cls._today(),
                })
        Activity.close(complaints, [codes.COMPLAINT_ACCOUNTING_QUESTION])
        # The client managers' open activities of the complaints, read once
        for activity in Activity.open_for(
                complaints, [codes.PAYMENT_COMPLAINT]):
            complaint = activity.origin
            if activity.owner:
                cls.notify_user([complaint], 'tryton-ok',
                    gettext('mrk_monitoring.msg_complaint_answered',
                        complaint=complaint.rec_name),
                    description=complaint.accounting_answer,
                    user=activity.owner)

    @classmethod
    @check_write_rule
    @ModelView.button
    def inform_by_email(cls, complaints):
        """E-mail the answer to the counterparty with the template of the
        settings (7.5); the mail leaves at the commit"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Email = pool.get('ir.email')
        template = Configuration(1).complaint_email_template
        for complaint in complaints:
            if not complaint.inform_email or '@' not in complaint.inform_email:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_no_email',
                        complaint=complaint.rec_name))
        if not template:
            raise MonitoringError(gettext(
                    'mrk_monitoring.msg_complaint_no_template'))
        for complaint in complaints:
            values = template.get(complaint)
            Email.send(to=complaint.inform_email,
                subject=values.get('subject', ''),
                body=values.get('body', ''),
                record=(cls.__name__, complaint.id))
        cls._informed(complaints, 'email')

    @classmethod
    @check_write_rule
    @ModelView.button
    def inform_by_call(cls, complaints):
        "The counterparty was told on the phone: the result is recorded"
        for complaint in complaints:
            if not complaint.inform_result:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_no_call_result',
                        complaint=complaint.rec_name))
        cls._informed(complaints, 'call')

    @classmethod
    def _informed(cls, complaints, how):
        cls.write(complaints, {
                'informed': how,
                'informed_by': Transaction().user,
                'informed_at': datetime.datetime.now().replace(microsecond=0),
                })

    @classmethod
    @check_write_rule
    @ModelView.button_action('mrk_monitoring.wizard_call_technician')
    def call_technician(cls, complaints):
        "Order a field job from the complaint (7.4)"
        pass

    @classmethod
    def start_repair(cls, complaints, kind, description=None):
        """A field job of kind at the complaint's point for its terminal,
        linked both ways (7.4)"""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        check_call_technician(cls, complaints)
        for complaint in complaints:
            if not complaint.point or complaint.field_job:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_no_point',
                        complaint=complaint.rec_name))
        jobs = FieldJob.create([{
                    'company': c.company.id,
                    'kind': kind,
                    'point': c.point.id,
                    'party': c.party.id,
                    'terminals': [('add', [c.terminal.id] if c.terminal
                            else [])],
                    'description': description or c.text,
                    } for c in complaints])
        # The job is the workflow's field
        with without_check_access():
            for complaint, job in zip(complaints, jobs):
                complaint.field_job = job
            cls.save(complaints)
        return jobs

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, complaints):
        "Close the complaints whose counterparty was informed (7.5)"
        for complaint in complaints:
            if not complaint.informed:
                raise MonitoringError(gettext(
                        'mrk_monitoring.msg_complaint_not_informed',
                        complaint=complaint.rec_name))
        Pool().get('mrk.activity').close(complaints, [codes.PAYMENT_COMPLAINT, codes.COMPLAINT_ACCOUNTING_QUESTION])


class FieldJob(metaclass=PoolMeta):
    __name__ = 'mrk.field_job'

    complaints = fields.One2Many(
        'mrk.monitoring.complaint', 'field_job', "Complaints", readonly=True)
