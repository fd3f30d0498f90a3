from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import AbsenceError
from .model import WorkflowGuardMixin


class Absence(WorkflowGuardMixin, ModelSQL, ModelView):
    """Absence of a user and his deputy (seed problem 2).

    While a user is absent, his open activities and every new one go to
    the deputy of the absence or, when the absence names none, to the
    deputy of each activity's function in the responsibility matrix; when
    he is back, those still open return to him.

    Tryton's user_role module moves *groups* between users for a period;
    it does not move records, and the commercial service's work lives in
    records (activities, later jobs and deliveries), so absences are
    implemented here.
    """
    __name__ = 'mrk.absence'
    __string__ = "Absence"

    user = fields.Many2One(
        'res.user', "User", required=True, ondelete='CASCADE',
        states={'readonly': Eval('state') == 'ended'})
    deputy = fields.Many2One(
        'res.user', "Deputy", ondelete='RESTRICT',
        domain=[('id', '!=', Eval('user', -1))],
        states={'readonly': Eval('state') == 'ended'},
        help="Receives the user's activities while he is absent. "
        "When empty, the deputy of each activity's function in the "
        "responsibility matrix does.")
    date_from = fields.Date(
        "From", required=True,
        domain=[('date_from', '<=', Eval('date_to', None))],
        states={'readonly': Eval('state') != 'planned'})
    date_to = fields.Date(
        "To", required=True,
        domain=[('date_to', '>=', Eval('date_from', None))],
        states={'readonly': Eval('state') == 'ended'})
    reason = fields.Char("Reason")
    _covered_cache = Cache('mrk.absence.covered', context=False)
    state = fields.Selection([
            ('planned', "Planned"),
            ('current', "Current"),
            ('ended', "Ended"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.user, Index.Equality()),
                (t.date_from, Index.Range()), (t.date_to, Index.Range())))
        cls._order = [('date_from', 'DESC'), ('id', 'DESC')]
        # The state follows the dates (process)
        cls._workflow_fields.add('state')

    @classmethod
    def default_state(cls):
        return 'planned'

    @classmethod
    def default_user(cls):
        return Transaction().user or None

    @classmethod
    def default_date_from(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        return '%s: %s – %s' % (self.user.rec_name,
            lang.strftime(self.date_from), lang.strftime(self.date_to))

    @classmethod
    def validate_fields(cls, absences, field_names):
        super().validate_fields(absences, field_names)
        cls.check_overlap(absences, field_names)

    @classmethod
    def check_overlap(cls, absences, field_names=None):
        if field_names and not (
                field_names & {'user', 'deputy', 'date_from', 'date_to'}):
            return
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        for absence in absences:
            if absence.deputy == absence.user:
                raise AbsenceError(gettext(
                        'mrk_base.msg_absence_deputy_self',
                        absence=absence.rec_name))
            others = cls.search([
                    ('id', '!=', absence.id),
                    ('user', '=', absence.user.id),
                    ('date_from', '<=', absence.date_to),
                    ('date_to', '>=', absence.date_from),
                    ], limit=1)
            if others:
                other, = others
                raise AbsenceError(gettext(
                        'mrk_base.msg_absence_overlap',
                        user=absence.user.rec_name,
                        date_from=lang.strftime(absence.date_from),
                        date_to=lang.strftime(absence.date_to),
                        other=other.rec_name))

    @classmethod
    def create(cls, vlist):
        absences = super().create(vlist)
        cls._covered_cache.clear()
        cls.process()
        return absences

    @classmethod
    def write(cls, *args):
        super().write(*args)
        cls._covered_cache.clear()
        cls.process()

    @classmethod
    def delete(cls, absences):
        current = [a for a in absences if a.state == 'current']
        cls._return_activities(current, Pool().get('ir.date').today())
        super().delete(absences)
        cls._covered_cache.clear()

    @classmethod
    @without_check_access
    def deputies(cls, date):
        """Return {user id: deputy id} for the absences covering date; the
        deputy id is None when the absence names no deputy"""
        absences = cls.search([
                ('date_from', '<=', date),
                ('date_to', '>=', date),
                ], order=[])
        return {a.user.id: a.deputy.id if a.deputy else None
            for a in absences}

    @classmethod
    def covered(cls, user_id, date=None):
        """Return the ids of the users whose work user_id does on date: his
        own and those of every absent colleague whose absence names him
        deputy (or names a deputy who is himself away and covered by him).

        The record rules of the portfolios use it (as
        ``portfolio_user_ids``), so that a deputy reads and acts on the
        counterparties, contracts and field jobs of the colleague he
        stands in for (seed problem 2).
        """
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        key = (user_id, date)
        users = cls._covered_cache.get(key)
        if users is not None:
            return list(users)
        deputies = cls.deputies(date)
        users = {user_id}
        users.update(u for u in deputies
            if cls.resolve(u, deputies) == user_id)
        users = sorted(users)
        cls._covered_cache.set(key, users)
        return list(users)

    @classmethod
    def resolve(cls, user_id, deputies, function=None):
        """Return who stands in for user_id: follow the deputies of absent
        users; an absence without deputy gives the work to the deputy of
        the function in the responsibility matrix. Stop on a cycle, and
        keep the last user when nobody stands in."""
        seen = {user_id}
        while user_id in deputies:
            deputy = deputies[user_id]
            if deputy is None and function and function.deputy:
                deputy = function.deputy.id
            if deputy is None or deputy in seen:
                break
            user_id = deputy
            seen.add(user_id)
        return user_id

    @classmethod
    @without_check_access
    def process(cls, date=None):
        """Start and end absences as of date (daily cron and on save).

        Ending absences give the still open activities back to the users
        who are back; starting ones move the open activities of the absent
        users to their deputies.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()

        ending = cls.search([
                ('state', 'in', ['planned', 'current']),
                ('date_to', '<', date),
                ], order=[])
        cls._return_activities(
            [a for a in ending if a.state == 'current'], date)
        if ending:
            super().write(ending, {'state': 'ended'})

        starting = cls.search([
                ('state', '=', 'planned'),
                ('date_from', '<=', date),
                ('date_to', '>=', date),
                ], order=[])
        if starting:
            super().write(starting, {'state': 'current'})
            cls._delegate_activities(starting, date)

        future = cls.search([
                ('state', '=', 'current'),
                ('date_from', '>', date),
                ], order=[])
        if future:
            # Dates moved to the future: the user is back meanwhile.
            cls._return_activities(future, date)
            super().write(future, {'state': 'planned'})

    @classmethod
    def _delegate_activities(cls, absences, date):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        deputies = cls.deputies(date)
        users = [a.user.id for a in absences]
        activities = Activity.search([
                ('state', '=', 'open'),
                ('owner', 'in', users),
                ], order=[])
        changed = []
        for activity in activities:
            original = activity.owner
            deputy = cls.resolve(original.id, deputies, activity.function)
            if deputy == original.id:
                # Nobody stands in: the work waits for its owner
                continue
            activity.owner = deputy
            if not activity.delegated_from:
                activity.delegated_from = original
            changed.append(activity)
        Activity.save(changed)

    @classmethod
    @without_check_access
    def _return_activities(cls, absences, date):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        if not absences:
            return
        users = [a.user.id for a in absences]
        activities = Activity.search([
                ('state', '=', 'open'),
                ('delegated_from', 'in', users),
                ], order=[])
        # A user may already be away again: his work goes on to the deputy
        # of that absence.
        deputies = cls.deputies(date)
        for activity in activities:
            user = activity.delegated_from
            activity.owner = cls.resolve(
                user.id, deputies, activity.function)
            activity.delegated_from = (
                None if activity.owner.id == user.id else user)
        Activity.save(activities)
