import datetime
import logging

from sql import Null
from sql.aggregate import Count, Min
from sql.conditionals import Case

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .model import WorkflowGuardMixin, check_write_rule

logger = logging.getLogger(__name__)

DUE = [
    (None, ""),
    ('overdue', "Overdue"),
    ('today', "Today"),
    ('week', "Later This Week"),
    ('later', "Later"),
    ]


def week_end(date):
    "Return the Sunday of the week of date"
    return date + datetime.timedelta(days=6 - date.weekday())


# The service's models that are settings or journals of the system, not
# records a task is about
ORIGIN_EXCLUDED = {'mrk.configuration', 'mrk.function', 'mrk.absence',
    'mrk.rent.import.column'}


class Activity(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Activity: a to-do with a function, an owner and a deadline.

    Every module of the commercial service creates its work through
    schedule(), so that nothing lives in one person's head: each activity
    has an owner picked from the responsibility matrix, the portfolio and
    the absences, a deadline, and an escalation to the head when it is
    overdue (seed problems 1–2).
    """
    __name__ = 'mrk.activity'
    __string__ = "Activity"

    _states = {
        'readonly': Eval('state') != 'open',
        }

    name = fields.Char("Subject", required=True, states=_states)
    function = fields.Many2One(
        'mrk.function', "Function", ondelete='RESTRICT', states=_states)
    kind = fields.Selection([
            ('task', "Task"),
            ('escalation', "Escalation"),
            ], "Kind", required=True, readonly=True)
    owner = fields.Many2One(
        'res.user', "Owner", ondelete='RESTRICT', states=_states,
        help="Who must do it. Empty means unassigned: the head assigns it.")
    delegated_from = fields.Many2One(
        'res.user', "Delegated From", readonly=True, ondelete='SET NULL',
        help="The owner who is absent: the activity returns to him when "
        "he is back, if still open.")
    deadline = fields.Date("Deadline", required=True, states=_states)
    origin = fields.Reference(
        "Origin", selection='get_origin', states=_states,
        help="The record the activity is about.")
    party = fields.Many2One(
        'party.party', "Counterparty", ondelete='SET NULL', states=_states)
    note = fields.Text("Note", states=_states)
    result = fields.Text("Result",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    state = fields.Selection([
            ('open', "Open"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)
    done_by = fields.Many2One(
        'res.user', "Done By", readonly=True, ondelete='SET NULL')
    done_at = fields.Timestamp("Done At", readonly=True)
    escalation = fields.Many2One(
        'mrk.activity', "Escalation", readonly=True, ondelete='SET NULL',
        help="The head's activity created when this one was overdue.")
    due = fields.Function(
        fields.Selection(DUE, "Due"), 'get_due', searcher='search_due')
    overdue_days = fields.Function(
        fields.Integer("Days Overdue"), 'get_due')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.owner, Index.Equality()),
                    (t.deadline, Index.Range()),
                    where=t.state == 'open'),
                Index(t, (t.delegated_from, Index.Equality()),
                    where=t.state == 'open'),
                Index(t, (t.origin, Index.Similarity(begin=True))),
                })
        cls._order = [
            ('deadline', 'ASC'),
            ('id', 'ASC'),
            ]
        cls._transitions |= {
            ('open', 'done'),
            ('open', 'cancelled'),
            ('done', 'open'),
            ('cancelled', 'open'),
            }
        # Done says who did it and when; a closed activity is kept as done
        cls._workflow_fields |= {
            'state', 'kind', 'done_by', 'done_at', 'escalation'}
        closed = {'name', 'function', 'owner', 'deadline', 'origin',
            'party', 'note'}
        cls._frozen_fields.update({
                'done': closed,
                'cancelled': closed | {'result'},
                })
        # The absences delegate and give back (create, Absence.process)
        for state, _ in cls.state.selection:
            cls._frozen_fields.setdefault(state, set()).add('delegated_from')
        cls._buttons.update({
                'do': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') == 'open',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def default_kind(cls):
        return 'task'

    @classmethod
    def default_owner(cls):
        return Transaction().user or None

    @classmethod
    def default_deadline(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def _get_origin(cls):
        """The models a task may be about: the counterparties and the
        service's records that mean something to its users (issue 12, item
        11), not the 170 models of the system"""
        pool = Pool()
        names = ['party.party']
        for name, Model in pool.iterobject():
            if (name.startswith('mrk.')
                    and issubclass(Model, ModelSQL)
                    and issubclass(Model, ModelView)
                    and not Model._is_table_query()
                    and name not in ORIGIN_EXCLUDED
                    and not name.endswith('.history')):
                names.append(name)
        return names

    @classmethod
    def get_origin(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        models = set(cls._get_origin())
        return [(None, '')] + [(m, n)
            for m, n in IrModel.get_name_items((ModelSQL, ModelView))
            if m in models]

    @fields.depends('origin', 'party')
    def on_change_origin(self):
        party = self._origin_party(self.origin)
        if party:
            self.party = party

    @fields.depends('function', 'party', 'owner', 'deadline')
    def on_change_function(self):
        pool = Pool()
        Date = pool.get('ir.date')
        if self.function:
            owner = self.function.resolve_owner(self.party)
            if owner:
                self.owner = owner
            self.deadline = Date.today() + datetime.timedelta(
                days=self.function.delay)

    @fields.depends('function', 'party', 'owner')
    def on_change_party(self):
        if self.function and self.function.follows_portfolio:
            owner = self.function.resolve_owner(self.party)
            if owner:
                self.owner = owner

    @classmethod
    def create(cls, vlist):
        """Give the activities of absent owners to their deputies: the
        deputy of the absence, or the deputy of the activity's function in
        the responsibility matrix when the absence names none.

        Every activity passes here, scheduled or entered by hand; the date
        of the absence is the context's mrk_date (the cron's date) or today.
        """
        pool = Pool()
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        Function = pool.get('mrk.function')
        date = Transaction().context.get('mrk_date') or Date.today()
        deputies = Absence.deputies(date)
        if deputies:
            vlist = [v.copy() for v in vlist]
            for values in vlist:
                owner = values.get('owner')
                if owner in deputies and not values.get('delegated_from'):
                    function = values.get('function')
                    function = Function(function) if function else None
                    deputy = Absence.resolve(owner, deputies, function)
                    if deputy != owner:
                        values['owner'] = deputy
                        values['delegated_from'] = owner
        return super().create(vlist)

    @classmethod
    def _origin_party(cls, origin):
        "Return the counterparty an origin record is about"
        if not origin or not getattr(origin, 'id', None) or origin.id < 0:
            return None
        if origin.__name__ == 'party.party':
            return origin
        for name in ('party', 'counterparty'):
            party = getattr(origin, name, None)
            if party:
                return party
        return None

    @classmethod
    def get_due(cls, activities, names):
        today = Pool().get('ir.date').today()
        end = week_end(today)
        result = {n: {} for n in names}
        for activity in activities:
            due, days = None, None
            if activity.state == 'open' and activity.deadline:
                if activity.deadline < today:
                    due = 'overdue'
                    days = (today - activity.deadline).days
                elif activity.deadline == today:
                    due = 'today'
                elif activity.deadline <= end:
                    due = 'week'
                else:
                    due = 'later'
            if 'due' in result:
                result['due'][activity.id] = due
            if 'overdue_days' in result:
                result['overdue_days'][activity.id] = days
        return result

    @classmethod
    def search_due(cls, name, clause):
        _, operator, value = clause[:3]
        today = Pool().get('ir.date').today()
        end = week_end(today)
        ranges = {
            'overdue': [('deadline', '<', today)],
            'today': [('deadline', '=', today)],
            'week': [('deadline', '>', today), ('deadline', '<=', end)],
            'later': [('deadline', '>', end)],
            }
        if operator in {'=', '!='}:
            values = {value}
        elif operator in {'in', 'not in'}:
            values = set(value or [])
        else:
            return [('id', '=', -1)]
        if operator in {'!=', 'not in'}:
            values = {v for v, _ in DUE} - values
        domain = ['OR']
        for value in values:
            if value in ranges:
                domain.append([('state', '=', 'open')] + ranges[value])
            elif value is None:
                domain.append([('state', '!=', 'open')])
        if len(domain) == 1:
            return [('id', '=', -1)]
        return domain

    def get_rec_name(self, name):
        return self.name

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('name', *clause[1:])]

    # -- scheduling API ---------------------------------------------------

    @classmethod
    def schedule(cls, function_code, origins=None, deadline=None, note=None,
            name=None, party=None, owner=None, kind='task'):
        """Create one open activity per origin for the function's code.

        The owner is, in this order: the given owner (only the approver of
        an approval, from the settings); the client manager of the
        counterparty's portfolio when the function follows the portfolio;
        the function's owner in the responsibility matrix; its deputy.
        While that user is absent, the deputy of his absence takes the
        activity, or the function's deputy in the matrix when the absence
        names none. Without origins one activity is created. Returns the
        activities.

        deadline and note may be functions of the origin, so that a cron
        schedules all its activities in one call and one save: saving them
        one by one makes every next origin's display name be read again
        for the whole batch (quadratic over thousands of contracts).
        """
        pool = Pool()
        Function = pool.get('mrk.function')
        Date = pool.get('ir.date')

        function = Function.get(function_code)
        today = Date.today()
        if deadline is None:
            deadline = today + datetime.timedelta(days=function.delay)
        deadline_of = deadline if callable(deadline) else (
            lambda origin: deadline)
        note_of = note if callable(note) else (lambda origin: note)
        origins = list(origins) if origins else [None]

        activities = []
        for origin in origins:
            activity_party = party or cls._origin_party(origin)
            assignee = owner or function.resolve_owner(activity_party)
            subject = name or function.name
            if origin is not None and not name:
                # The record first: a board's narrow column shows what the
                # task is about, not the same function name many times over
                # (issue 12, item 6).
                subject = '%s — %s' % (
                    cls._origin_title(origin), function.name)
            activities.append(cls(
                    name=subject,
                    function=function,
                    kind=kind,
                    owner=assignee,
                    deadline=deadline_of(origin),
                    origin=origin,
                    party=activity_party,
                    note=note_of(origin),
                    ))
        cls.save(activities)
        return activities

    @staticmethod
    def _origin_title(origin):
        """The record a task is about, as its title names it: the record's
        activity_title when it gives one (counterparty, number, amount),
        else its name"""
        return getattr(origin, 'activity_title', None) or origin.rec_name

    @classmethod
    def open_for(cls, origins, codes=None):
        "The open activities about origins, of the functions' codes if given"
        domain = [
            ('origin', 'in', [str(o) for o in origins]),
            ('state', '=', 'open'),
            ]
        if codes is not None:
            domain.append(('function.code', 'in', list(codes)))
        return cls.search(domain)

    @classmethod
    def close(cls, origins, codes):
        """Mark done the open activities about origins of the functions'
        codes: the step they asked for is made."""
        activities = cls.open_for(origins, codes)
        if activities:
            cls.do(activities)

    # -- workflow -----------------------------------------------------------

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('done')
    def do(cls, activities):
        cls.write(activities, {
                'done_by': Transaction().user,
                'done_at': datetime.datetime.now(),
                })
        # The list is searched again: the activity leaves the open tabs and
        # their counts change at once.
        return 'reload'

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, activities):
        return 'reload'

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('open')
    def reopen(cls, activities):
        cls.write(activities, {
                'done_by': None,
                'done_at': None,
                })
        return 'reload'

    @classmethod
    def copy(cls, activities, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'open')
        default.setdefault('done_by')
        default.setdefault('done_at')
        default.setdefault('escalation')
        default.setdefault('delegated_from')
        default.setdefault('result')
        return super().copy(activities, default=default)

    # -- escalation (daily cron) --------------------------------------------

    @classmethod
    def escalate(cls, date=None):
        """Escalate overdue activities to the head (seed problem 2, 6.7, 7.3).

        An open task whose deadline is older than the configured delay gets
        one escalation: an activity for the head of the settings (or her
        deputy while she is absent: the deputy of her absence, else the
        function's deputy in the matrix) pointing at it, and a notification
        naming the owner and the function. Escalations are not escalated
        again.
        """
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')

        if date is None:
            date = Date.today()
        config = Configuration(1)
        limit = date - datetime.timedelta(days=config.escalation_delay or 0)
        overdue = cls.search([
                ('state', '=', 'open'),
                ('kind', '=', 'task'),
                ('deadline', '<', limit),
                ('escalation', '=', None),
                ], order=[('deadline', 'ASC'), ('id', 'ASC')])
        head = config.get_head()
        if overdue and not head:
            logger.warning("%d overdue activities are not escalated: "
                "no head of commercial service is set", len(overdue))
        if not overdue or not head:
            return []

        lang = Lang.get()
        vlist = []
        for activity in overdue:
            owner = (activity.owner.rec_name if activity.owner
                else gettext('mrk_base.msg_activity_unassigned'))
            if activity.delegated_from:
                owner = gettext('mrk_base.msg_activity_owner_deputy',
                    deputy=owner, owner=activity.delegated_from.rec_name)
            function = (activity.function.rec_name if activity.function
                else '-')
            vlist.append({
                    'name': gettext('mrk_base.msg_activity_escalation_name',
                        activity=activity.name),
                    'function': activity.function and activity.function.id,
                    'kind': 'escalation',
                    'owner': head.id,
                    'deadline': date,
                    'origin': str(activity),
                    'party': activity.party and activity.party.id,
                    'note': gettext('mrk_base.msg_activity_escalation_note',
                        activity=activity.name,
                        owner=owner,
                        function=function,
                        deadline=lang.strftime(activity.deadline),
                        days=(date - activity.deadline).days),
                    })
        # The absences of the cron's date decide who stands in for the head.
        with Transaction().set_context(mrk_date=date):
            escalations = cls.create(vlist)
        for activity, escalation in zip(overdue, escalations):
            activity.escalation = escalation
        cls.save(overdue)
        for escalation in escalations:
            cls.notify_user(
                [escalation], 'tryton-warning',
                gettext('mrk_base.msg_activity_escalation_label'),
                description=escalation.note,
                user=escalation.owner)
        return escalations


class WorkloadMixin:
    __slots__ = ()
    open = fields.Integer("Open")
    overdue = fields.Integer("Overdue")
    due_today = fields.Integer("Due Today")
    oldest_deadline = fields.Date("Oldest Deadline")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('overdue', 'DESC'), ('open', 'DESC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        activity = Activity.__table__()
        today = Date.today()
        key = getattr(activity, cls._workload_key)
        return activity.select(
            key.as_('id'),
            key.as_(cls._workload_key),
            Count(activity.id).as_('open'),
            # Count skips NULL: typed columns only, for PostgreSQL.
            Count(Case((activity.deadline < today, activity.id))
                ).as_('overdue'),
            Count(Case((activity.deadline == today, activity.id))
                ).as_('due_today'),
            Min(activity.deadline).as_('oldest_deadline'),
            where=(activity.state == 'open') & (key != Null),
            group_by=[key])


class WorkloadUser(WorkloadMixin, ModelSQL, ModelView):
    "Workload per user: open and overdue activities (seed problem 1)"
    __name__ = 'mrk.activity.workload.user'
    __string__ = "Workload by User"
    _workload_key = 'owner'
    owner = fields.Many2One('res.user', "User")


class WorkloadFunction(WorkloadMixin, ModelSQL, ModelView):
    "Workload per function: open and overdue activities (seed problem 1)"
    __name__ = 'mrk.activity.workload.function'
    __string__ = "Workload by Function"
    _workload_key = 'function'
    function = fields.Many2One('mrk.function', "Function")
