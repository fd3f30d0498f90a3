"""Behaviour of mrk_base: the responsibility matrix, activities, absences,
escalation and access per role (seed problems 1–3, questions 1–3)."""
import datetime

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError, ValidationError
from trytond.modules.mrk_base import codes
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import as_user

D = datetime.date
ROLES = ['head', 'senior', 'manager', 'office', 'technician', 'courier',
    'accountant', 'monitoring', 'admin']


def make_user(login, role=None):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = []
    if role:
        groups = [ModelData.get_id('mrk_base', 'group_mrk_%s' % role)]
    user, = User.create([{
                'name': login.title(),
                'login': login,
                'groups': [('add', groups)],
                }])
    return user




class MrkBaseTestCase(ModuleTestCase):
    "Test mrk_base module"
    module = 'mrk_base'

    def setup_people(self):
        pool = Pool()
        Function = pool.get('mrk.function')
        Party = pool.get('party.party')
        people = {r: make_user('mrk' + r if r == 'admin' else r, r)
            for r in ROLES}
        people['manager2'] = make_user('manager2', 'manager')
        Function.write(Function.search([]), {
                'owner': people['senior'].id,
                })
        for code, role in [(codes.FIELD_JOB_SIGNATURE, 'head'),
                (codes.DOCUMENT_TEMPLATES, 'office'),
                (codes.DOWNTIME_RECORD, 'monitoring'),
                (codes.CASH_DELIVERY_REPORT, 'courier')]:
            Function.write([Function.get(code)], {'owner': people[role].id})
        Function.write([Function.get(codes.FIELD_JOB_AGREEMENT)], {
                'owner': people['manager'].id,
                'deputy': people['senior'].id,
                })
        party, = Party.create([{
                    'name': 'ООО «Ромашка»',
                    'mrk_manager': people['manager2'].id,
                    }])
        other, = Party.create([{'name': 'ИП Иванов'}])
        return people, party, other

    @with_transaction()
    def test_matrix_covers_every_seed_function(self):
        "The matrix holds every code 1.1 … 9.3 of the seed with a role, and 7.5.1"
        pool = Pool()
        Function = pool.get('mrk.function')
        matrix = {f.code for f in Function.search([])}
        expected = ({'1.%d' % i for i in range(1, 6)}
            | {'2.%d' % i for i in range(1, 12)}
            | {'3.1'} | {'4.%d' % i for i in range(1, 5)}
            | {'5.%d' % i for i in range(1, 5)}
            | {'6.%d' % i for i in range(1, 12)}
            | {'7.%d' % i for i in range(1, 6)}
            | {'8.%d' % i for i in range(1, 9)}
            | {'9.%d' % i for i in range(1, 4)}
            # 7.5's question to accounting, a step of its own owner
            | {codes.COMPLAINT_ACCOUNTING_QUESTION})
        self.assertEqual(matrix, expected)
        # The shipped split (DESIGN §6): contract control to the senior
        # manager, calls to the client manager, journals to the office
        # administrator, signing to the head.
        self.assertEqual(Function.get(codes.EXPIRING_CONTRACTS).group.name,
            'Senior Manager')
        self.assertEqual(Function.get(codes.PROLONGATION_CALL).group.name,
                'Client Manager')
        self.assertTrue(
            Function.get(codes.PROLONGATION_CALL).follows_portfolio)
        self.assertEqual(Function.get(codes.DELIVERY_REGISTRATION).group.name,
            'Office Administrator')
        self.assertEqual(Function.get(codes.FIELD_JOB_SIGNATURE).group.name,
            'Head of Commercial Service')
        self.assertFalse(
            Function.get(codes.PAYMENT_REGISTRY).follows_portfolio)

    @with_transaction()
    def test_codes_name_every_function(self):
        """Every function of the matrix has its name in codes.py, and every
        name there is a function of the matrix"""
        Function = Pool().get('mrk.function')
        names = {value for name, value in vars(codes).items()
            if name.isupper()}
        self.assertEqual(names, {f.code for f in Function.search([])})
        self.assertEqual(len(names), 53)

    @with_transaction()
    def test_unknown_function_is_named(self):
        "Scheduling an unknown function names the code"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        with self.assertRaisesRegex(UserError, '"10.1"'):
            Activity.schedule('10.1')

    @with_transaction()
    def test_owner_from_portfolio(self):
        "A portfolio function goes to the counterparty's client manager"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        people, party, other = self.setup_people()

        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        self.assertEqual(activity.owner, people['manager2'])
        self.assertEqual(activity.party, party)
        self.assertEqual(activity.origin, party)
        self.assertIn('ООО «Ромашка»', activity.name)
        self.assertEqual(activity.state, 'open')

        # Without a portfolio manager the function's owner takes it.
        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [other])
        self.assertEqual(activity.owner, people['manager'])

    @with_transaction()
    def test_owner_from_matrix_and_deputy(self):
        "A non-portfolio function goes to its owner, else to its deputy"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Function = pool.get('mrk.function')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()

        activity, = Activity.schedule(codes.DOCUMENT_TEMPLATES, [party])
        self.assertEqual(activity.owner, people['office'])
        self.assertEqual(activity.deadline,
            Date.today() + datetime.timedelta(
                days=Function.get(codes.DOCUMENT_TEMPLATES).delay))

        Function.write([Function.get(codes.DOCUMENT_TEMPLATES)], {
                'owner': None, 'deputy': people['senior'].id})
        activity, = Activity.schedule(codes.DOCUMENT_TEMPLATES, [party])
        self.assertEqual(activity.owner, people['senior'])

        # Nobody in the matrix: the activity waits unassigned for the head.
        Function.write([Function.get(codes.DOCUMENT_TEMPLATES)],
                {'deputy': None})
        activity, = Activity.schedule(codes.DOCUMENT_TEMPLATES,
                deadline=D(2026, 3, 2))
        self.assertIsNone(activity.owner)
        self.assertEqual(activity.deadline, D(2026, 3, 2))

    @with_transaction()
    def test_absence_redirects_new_activities(self):
        "While the owner is absent, new activities go to his deputy"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()
        today = Date.today()

        Absence.create([{
                    'user': people['manager2'].id,
                    'deputy': people['manager'].id,
                    'date_from': today - datetime.timedelta(days=1),
                    'date_to': today + datetime.timedelta(days=5),
                    }])
        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        self.assertEqual(activity.owner, people['manager'])
        self.assertEqual(activity.delegated_from, people['manager2'])

        # The deputy is away too: his own deputy takes it.
        Absence.create([{
                    'user': people['manager'].id,
                    'deputy': people['senior'].id,
                    'date_from': today,
                    'date_to': today,
                    }])
        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        self.assertEqual(activity.owner, people['senior'])
        self.assertEqual(activity.delegated_from, people['manager2'])

    @with_transaction()
    def test_absence_moves_and_returns_open_activities(self):
        "Open activities move to the deputy and come back on return"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()
        today = Date.today()

        first, second, third = Activity.schedule(
            codes.FIELD_JOB_AGREEMENT, [party, party, party])
        done = Activity.schedule(codes.PROLONGATION_CALL, [party])
        self.assertEqual({a.owner for a in [first, second, third]},
            {people['manager2']})

        absence, = Absence.create([{
                    'user': people['manager2'].id,
                    'deputy': people['manager'].id,
                    'date_from': today,
                    'date_to': today + datetime.timedelta(days=3),
                    }])
        self.assertEqual(absence.state, 'current')
        for activity in [first, second, third] + done:
            self.assertEqual(activity.owner, people['manager'])
            self.assertEqual(activity.delegated_from, people['manager2'])

        # The deputy completes one; another one is reassigned by the head.
        Activity.do(done)
        Activity.write([second], {'owner': people['senior'].id})

        Absence.process(today + datetime.timedelta(days=4))
        self.assertEqual(absence.state, 'ended')
        self.assertEqual(first.owner, people['manager2'])
        self.assertIsNone(first.delegated_from)
        # Open ones come back, whoever holds them now; done ones stay.
        self.assertEqual(second.owner, people['manager2'])
        self.assertEqual(third.owner, people['manager2'])
        self.assertEqual(done[0].owner, people['manager'])
        self.assertEqual(done[0].state, 'done')

    @with_transaction()
    def test_planned_absence_starts_on_its_date(self):
        "A planned absence moves nothing until its first day"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()
        today = Date.today()
        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        absence, = Absence.create([{
                    'user': people['manager2'].id,
                    'deputy': people['manager'].id,
                    'date_from': today + datetime.timedelta(days=10),
                    'date_to': today + datetime.timedelta(days=20),
                    }])
        self.assertEqual(absence.state, 'planned')
        self.assertEqual(activity.owner, people['manager2'])

        Absence.process(today + datetime.timedelta(days=10))
        self.assertEqual(absence.state, 'current')
        self.assertEqual(activity.owner, people['manager'])

    @with_transaction()
    def test_absence_validation(self):
        "Overlapping absences and self-deputies are refused by name"
        pool = Pool()
        Absence = pool.get('mrk.absence')
        people, _, _ = self.setup_people()
        Absence.create([{
                    'user': people['manager'].id,
                    'deputy': people['senior'].id,
                    'date_from': D(2030, 5, 1),
                    'date_to': D(2030, 5, 14),
                    }])
        with self.assertRaisesRegex(ValidationError, 'Manager.*overlaps'):
            Absence.create([{
                        'user': people['manager'].id,
                        'deputy': people['office'].id,
                        'date_from': D(2030, 5, 10),
                        'date_to': D(2030, 5, 20),
                        }])
        with self.assertRaises(ValidationError):
            Absence.create([{
                        'user': people['office'].id,
                        'deputy': people['office'].id,
                        'date_from': D(2030, 5, 10),
                        'date_to': D(2030, 5, 20),
                        }])
        with self.assertRaises(ValidationError):
            Absence.create([{
                        'user': people['office'].id,
                        'deputy': people['senior'].id,
                        'date_from': D(2030, 5, 20),
                        'date_to': D(2030, 5, 10),
                        }])

    @with_transaction()
    def test_escalation(self):
        "An overdue activity is escalated once to the head, with a notice"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        people, party, _ = self.setup_people()
        transaction = Transaction()

        late, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party],
                deadline=D(2026, 1, 28))
        on_time, = Activity.schedule(codes.PROLONGATION_CALL, [party],
                deadline=D(2026, 2, 1))

        escalations = Activity.escalate(date=D(2026, 1, 31))
        self.assertEqual(len(escalations), 1)
        escalation, = escalations
        self.assertEqual(escalation.owner, people['head'])
        self.assertEqual(escalation.kind, 'escalation')
        self.assertEqual(escalation.origin, late)
        self.assertEqual(late.escalation, escalation)
        self.assertIn('Manager2', escalation.note)
        self.assertIn(codes.FIELD_JOB_AGREEMENT, escalation.note)
        self.assertIn('3', escalation.note)  # days overdue

        notification, = [n for n in transaction.user_notifications
            if n.user == people['head']]
        self.assertIn('Manager2', notification.description)
        self.assertIn(codes.FIELD_JOB_AGREEMENT, notification.description)

        # Run again: nothing new; the escalation itself is not escalated.
        self.assertEqual(Activity.escalate(date=D(2026, 2, 10)), [on_time.escalation])
        self.assertEqual(on_time.escalation.owner, people['head'])
        self.assertEqual(
            Activity.escalate(date=D(2026, 3, 1)), [])

    @with_transaction()
    def test_owner_opens_escalated_activity(self):
        """The client manager and the office administrator open their own
        overdue, escalated activities: every field of the form, the names
        of its links included; the head's escalation they read, not change
        (2.4, 3.1)"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        people, party, _ = self.setup_people()
        late, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party],
                deadline=D(2026, 1, 28))
        office, = Activity.schedule(codes.DOCUMENT_TEMPLATES, [party],
                deadline=D(2026, 1, 28))
        self.assertEqual(late.owner, people['manager2'])
        self.assertEqual(office.owner, people['office'])
        Activity.escalate(date=D(2026, 1, 31))
        view = Activity.fields_view_get(view_type='form')
        names = list(view['fields'])
        for name, field in view['fields'].items():
            if field['type'] in {'many2one', 'reference'}:
                names.append(name + '.rec_name')
        self.assertIn('escalation.rec_name', names)
        self.assertIn('origin.rec_name', names)

        for role, activity in [('manager2', late), ('office', office)]:
            escalation = activity.escalation
            self.assertEqual(escalation.owner, people['head'])
            with self.subTest(role=role), as_user(people[role]):
                values, = Activity.read([activity.id], names)
                self.assertEqual(values['escalation'], escalation.id)
                self.assertEqual(values['escalation.']['rec_name'],
                    escalation.name)
                self.assertEqual(values['owner.']['rec_name'],
                    people[role].rec_name)
                # The link opens the head's escalation, read only
                values, = Activity.read([escalation.id], names)
                self.assertEqual(values['origin.']['rec_name'],
                    activity.rec_name)
                self.assertNotIn(escalation, Activity.search(
                        [('owner', '=', people[role].id)]))
                for button in [Activity.do, Activity.cancel]:
                    with self.assertRaises(AccessError):
                        button([escalation])
                with self.assertRaises(AccessError):
                    Activity.write([escalation], {'result': 'x'})
                # His own he still closes
                Activity.do([activity])
            with self.subTest(role=role, other='manager'), \
                    as_user(people['manager']):
                with self.assertRaises(AccessError):
                    Activity.read([escalation.id], ['name'])
        self.assertEqual(
            [a.state for a in Activity.search([('kind', '=', 'escalation')])],
            ['open', 'open'])
        self.assertEqual([late.state, office.state], ['done', 'done'])

    @with_transaction()
    def test_head_deputy_opens_escalation(self):
        """The head's deputy who is not a head nor a senior opens the
        escalations he gets while she is absent, and the overdue activity
        each is about (its origin)"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        people, party, _ = self.setup_people()
        late, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party],
                deadline=D(2026, 1, 28))
        Absence.create([{
                    'user': people['head'].id,
                    'deputy': people['office'].id,
                    'date_from': D(2026, 1, 30),
                    'date_to': D(2026, 2, 10),
                    }])
        escalation, = Activity.escalate(date=D(2026, 1, 31))
        self.assertEqual(escalation.owner, people['office'])
        with as_user(people['office']):
            view = Activity.fields_view_get(view_type='form')
            names = list(view['fields']) + [
                'owner.rec_name', 'function.rec_name', 'party.rec_name',
                'delegated_from.rec_name', 'origin', 'origin.rec_name']
            values, = Activity.read([escalation.id], names)
            self.assertEqual(values['origin.']['rec_name'], late.rec_name)
            Activity.read([late.id], names)
            # He reads it, it stays its owner's to change and to close
            with self.assertRaises(AccessError):
                Activity.write([late], {'result': 'x'})
            with self.assertRaises(AccessError):
                Activity.do([late])
            self.assertNotIn(late, Activity.search(
                    [('owner', '=', people['office'].id)]))
        with as_user(people['manager']):
            with self.assertRaises(AccessError):
                Activity.read([late.id], ['name'])

    @with_transaction()
    def test_escalation_delay_and_absent_head(self):
        "The configured delay holds escalation; an absent head's deputy gets it"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Configuration = pool.get('mrk.configuration')
        people, party, _ = self.setup_people()
        config = Configuration(1)
        config.escalation_delay = 2
        config.save()

        late, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party],
                deadline=D(2026, 1, 29))
        self.assertEqual(Activity.escalate(date=D(2026, 1, 31)), [])

        Absence.create([{
                    'user': people['head'].id,
                    'deputy': people['senior'].id,
                    'date_from': D(2026, 2, 1),
                    'date_to': D(2026, 2, 10),
                    }])
        escalation, = Activity.escalate(date=D(2026, 2, 1))
        self.assertEqual(escalation.owner, people['senior'])
        self.assertEqual(escalation.delegated_from, people['head'])

    @with_transaction()
    def test_due_tabs(self):
        "Overdue / Today / This week filters follow the deadline"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()
        today = Date.today()
        sunday = today + datetime.timedelta(days=6 - today.weekday())
        overdue, = Activity.schedule(
            codes.FIELD_JOB_AGREEMENT, [party],
            deadline=today - datetime.timedelta(days=1))
        due_today, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party],
                deadline=today)
        later, = Activity.schedule(
            codes.FIELD_JOB_AGREEMENT, [party],
            deadline=sunday + datetime.timedelta(days=1))
        closed, = Activity.schedule(
            codes.FIELD_JOB_AGREEMENT, [party],
            deadline=today - datetime.timedelta(days=5))
        Activity.do([closed])

        def search(domain):
            return set(Activity.search(domain))
        self.assertEqual(search([('due', '=', 'overdue')]), {overdue})
        self.assertEqual(search([('due', '=', 'today')]), {due_today})
        self.assertEqual(
            search([('due', 'in', ['today', 'week'])]), {due_today})
        self.assertEqual(search([('due', '=', 'later')]), {later})
        self.assertEqual(overdue.due, 'overdue')
        self.assertEqual(overdue.overdue_days, 1)
        self.assertIsNone(closed.due)
        self.assertEqual(
            search([('due', '!=', 'overdue')]), {due_today, later, closed})

    @with_transaction()
    def test_done_records_who_and_when(self):
        "Marking done keeps who did it and when; reopening clears it"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        people, party, _ = self.setup_people()
        activity, = Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        with Transaction().set_user(people['manager2'].id):
            Activity.do([activity])
        self.assertEqual(activity.state, 'done')
        self.assertEqual(activity.done_by, people['manager2'])
        self.assertIsNotNone(activity.done_at)
        Activity.reopen([activity])
        self.assertEqual(activity.state, 'open')
        self.assertIsNone(activity.done_by)

    @with_transaction()
    def test_workload(self):
        "Workload counts open and overdue activities per user and function"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        WorkloadUser = pool.get('mrk.activity.workload.user')
        WorkloadFunction = pool.get('mrk.activity.workload.function')
        Function = pool.get('mrk.function')
        Date = pool.get('ir.date')
        people, party, other = self.setup_people()
        yesterday = Date.today() - datetime.timedelta(days=1)
        Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party, party],
                deadline=yesterday)
        Activity.schedule(codes.FIELD_JOB_AGREEMENT, [party])
        Activity.schedule(codes.DOCUMENT_TEMPLATES, [party],
                deadline=yesterday)
        done, = Activity.schedule(codes.DOCUMENT_TEMPLATES, [party])
        Activity.do([done])

        load = {w.owner: (w.open, w.overdue) for w in WorkloadUser.search([])}
        self.assertEqual(load[people['manager2']], (3, 2))
        self.assertEqual(load[people['office']], (1, 1))
        self.assertEqual(WorkloadUser.search([])[0].owner, people['manager2'])

        load = {w.function: (w.open, w.overdue)
            for w in WorkloadFunction.search([])}
        self.assertEqual(load[Function.get(codes.FIELD_JOB_AGREEMENT)], (3, 2))
        self.assertEqual(load[Function.get(codes.DOCUMENT_TEMPLATES)], (1, 1))

    @with_transaction()
    def test_access_activities_by_role(self):
        "A user sees his activities; the head and senior manager see all"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        WorkloadUser = pool.get('mrk.activity.workload.user')
        people, party, _ = self.setup_people()
        mine, = Activity.schedule(codes.FIELD_JOB_AGREEMENT,
                [party])  # manager2's
        office, = Activity.schedule(codes.DOCUMENT_TEMPLATES,
                [party])  # office's

        for role in ['manager2', 'office', 'technician']:
            user = people[role]
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True):
                visible = set(Activity.search([]))
                expected = {a for a in [mine, office] if a.owner == user}
                self.assertEqual(visible, expected, role)
                with self.assertRaises(AccessError):
                    WorkloadUser.search([])
        for role in ['head', 'senior', 'admin']:
            with Transaction().set_user(people[role].id), \
                    Transaction().set_context(_check_access=True):
                self.assertEqual(
                    set(Activity.search([])), {mine, office}, role)
                self.assertTrue(WorkloadUser.search([]))

        # manager2 cannot close the office administrator's activity ...
        with Transaction().set_user(people['manager2'].id), \
                Transaction().set_context(_check_access=True):
            with self.assertRaises(AccessError):
                Activity.do([Activity(office.id)])
            Activity.do([Activity(mine.id)])
        self.assertEqual(mine.state, 'done')
        # ... nor delete his own.
        with Transaction().set_user(people['manager2'].id), \
                Transaction().set_context(_check_access=True):
            with self.assertRaises(AccessError):
                Activity.delete([Activity(mine.id)])

    @with_transaction()
    def test_access_matrix_by_role(self):
        "Only the head and the administrator change the matrix"
        pool = Pool()
        Function = pool.get('mrk.function')
        people, _, _ = self.setup_people()
        for role in ['senior', 'manager', 'office', 'technician']:
            with Transaction().set_user(people[role].id), \
                    Transaction().set_context(_check_access=True):
                function = Function.get(codes.EXPIRING_CONTRACTS)
                self.assertTrue(function.name)
                with self.assertRaises(AccessError):
                    Function.write([function], {'owner': people[role].id})
        for role in ['head', 'admin']:
            with Transaction().set_user(people[role].id), \
                    Transaction().set_context(_check_access=True):
                function = Function.get(codes.EXPIRING_CONTRACTS)
                Function.write([function], {'owner': people['office'].id})
            self.assertEqual(Function.get(codes.EXPIRING_CONTRACTS).owner,
                    people['office'])

    @with_transaction()
    def test_access_absences_by_role(self):
        "A user records his own absence; the senior manager anybody's"
        pool = Pool()
        Absence = pool.get('mrk.absence')
        people, _, _ = self.setup_people()
        with Transaction().set_user(people['manager'].id), \
                Transaction().set_context(_check_access=True):
            own, = Absence.create([{
                        'user': people['manager'].id,
                        'deputy': people['manager2'].id,
                        'date_from': D(2030, 1, 1),
                        'date_to': D(2030, 1, 5),
                        }])
            with self.assertRaises(AccessError):
                Absence.create([{
                            'user': people['office'].id,
                            'deputy': people['manager2'].id,
                            'date_from': D(2030, 1, 1),
                            'date_to': D(2030, 1, 5),
                            }])
        with Transaction().set_user(people['senior'].id), \
                Transaction().set_context(_check_access=True):
            Absence.create([{
                        'user': people['office'].id,
                        'deputy': people['manager2'].id,
                        'date_from': D(2030, 2, 1),
                        'date_to': D(2030, 2, 5),
                        }])
        with Transaction().set_user(people['technician'].id), \
                Transaction().set_context(_check_access=True):
            # Everyone sees who is away.
            self.assertEqual({a.user.login for a in Absence.search([])},
                {'manager', 'office'})
            with self.assertRaises(AccessError):
                Absence.write([Absence(own.id)], {'reason': 'x'})

    @with_transaction()
    def test_menus_by_role(self):
        "Each role sees its menus: counterparties for the office roles only"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        people, _, _ = self.setup_people()

        def visible(role):
            with Transaction().set_user(people[role].id), \
                    Transaction().set_context(_check_access=True):
                return {m.id for m in Menu.search([])}

        def menu(xml_id):
            module, name = xml_id.split('.')
            return ModelData.get_id(module, name)
        for role in ROLES:
            menus = visible(role)
            self.assertIn(menu('mrk_base.menu_activity_mine'), menus, role)
            self.assertIn(menu('mrk_base.menu_absence_form'), menus, role)
            manager = role in {'head', 'senior', 'admin'}
            self.assertEqual(
                menu('mrk_base.menu_activity_board') in menus, manager, role)
            self.assertEqual(
                menu('mrk_base.menu_workload') in menus, manager, role)
            office = role not in {'technician', 'courier', 'monitoring'}
            self.assertEqual(
                menu('mrk_base.menu_counterparty_form') in menus, office,
                role)
            self.assertEqual(
                menu('party.menu_party') in menus, role == 'admin', role)

    @with_transaction()
    def test_activity_entered_by_hand(self):
        "Choosing the function fills owner and deadline; absences apply"
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Function = pool.get('mrk.function')
        Date = pool.get('ir.date')
        people, party, _ = self.setup_people()
        today = Date.today()

        activity = Activity(name="Позвонить", party=party)
        activity.function = Function.get(codes.FIELD_JOB_AGREEMENT)
        activity.on_change_function()
        self.assertEqual(activity.owner, people['manager2'])
        self.assertEqual(activity.deadline,
            today + datetime.timedelta(
                days=Function.get(codes.FIELD_JOB_AGREEMENT).delay))
        activity.function = Function.get(codes.DOCUMENT_TEMPLATES)
        activity.on_change_function()
        self.assertEqual(activity.owner, people['office'])

        Absence.create([{
                    'user': people['office'].id,
                    'deputy': people['senior'].id,
                    'date_from': today,
                    'date_to': today,
                    }])
        activity.save()
        self.assertEqual(activity.owner, people['senior'])
        self.assertEqual(activity.delegated_from, people['office'])


del ModuleTestCase
