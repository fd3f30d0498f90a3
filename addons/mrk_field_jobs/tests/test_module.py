"""Field jobs from request to report (seed 2.1–2.11): the head's signature,
the gapless journal, the agreement and the services' notices, the control
call, issuing, the technician's report, problems on site, the end of the day,
re-agreement, placements and access per role."""
import datetime

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    D, T, agree_values, make_job, make_party, make_point, make_terminals,
    setup_service, start_smtp_server)




def open_activities(job, code=None):
    Activity = Pool().get('mrk.activity')
    return Activity.open_for([job], [code] if code else None)


class MrkFieldJobsTestCase(ModuleTestCase):
    "Test mrk_field_jobs module"
    module = 'mrk_field_jobs'

    def setUp(self):
        super().setUp()
        self.inbox = start_smtp_server(self)

    def prepare(self):
        company, people = setup_service()
        party = make_party(manager=people['manager'])
        point = make_point(party)
        return company, people, party, point

    def walk_to_issued(self, job, people, date=None):
        "Sign, register, agree, confirm and issue job as the right users"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        if job.state == 'draft':
            with as_user(people['head']):
                FieldJob.sign([job])
            with as_user(people['manager']):
                FieldJob.register([job])
        with as_user(people['manager']):
            FieldJob.write([job], agree_values(
                    date or Pool().get('ir.date').today(),
                    technician=people['technician']))
            FieldJob.agree([job])
            FieldJob.write([job], {'call_result': 'Ждут с 10:00'})
            FieldJob.confirm([job])
            FieldJob.issue([job])
        return FieldJob(job.id)

    @with_transaction()
    def test_install_job_every_step(self):
        "An installation goes from the request to the placement (2.1–2.10)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Terminal = pool.get('mrk.terminal')
        Visit = pool.get('mrk.field_job.visit')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        terminal, = make_terminals('SN-1001')
        today = Date.today()

        # 2.1 the client manager creates the request with an open date
        with as_user(people['manager']):
            job = make_job(point, terminals=[terminal])
        self.assertEqual(job.state, 'draft')
        self.assertEqual(job.party, party)
        self.assertEqual(job.manager, people['manager'])
        self.assertEqual(job.contact_phone, '+7 495 123-45-67')
        self.assertIsNone(job.planned_date)
        sign_activity, = open_activities(job, codes.FIELD_JOB_SIGNATURE)
        self.assertEqual(sign_activity.owner, people['head'])

        # 2.2 only the head signs
        for role in ['manager', 'senior', 'office', 'technician']:
            with self.subTest(role=role), as_user(people[role]):
                with self.assertRaises((AccessButtonError, AccessError)):
                    FieldJob.sign([job])
        with as_user(people['head']):
            FieldJob.sign([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'signed')
        self.assertEqual(job.signed_by, people['head'])
        self.assertFalse(open_activities(job, codes.FIELD_JOB_SIGNATURE))
        self.assertEqual(open_activities(job,
                codes.FIELD_JOB_REGISTRATION)[0].owner,
            people['manager'])

        # 2.3 registered with the journal number
        with as_user(people['manager']):
            FieldJob.register([job])
        job = FieldJob(job.id)
        self.assertEqual(job.number, 'Р-%s-0001' % today.year)
        self.assertEqual(job.registered_on, today)

        # 2.4 the agreement needs date, window, contact and phone
        with as_user(people['manager']):
            FieldJob.write([job], {'contact_phone': None})
            with self.assertRaisesRegex(UserError,
                    'Р-.*Planned Date.*From.*To.*Contact Phone'):
                FieldJob.agree([job])
            FieldJob.write([job], dict(agree_values(today),
                    contact_phone='+7 916 000-00-01'))
            FieldJob.agree([job])
        job = FieldJob(job.id)
        # 2.5 the services are notified at once
        self.assertEqual(job.state, 'notified')
        self.assertEqual(job.notice_count, 1)
        self.assertIsNotNone(job.notified_at)
        visit, = job.visits
        self.assertEqual((visit.planned_date, visit.time_from,
                visit.time_to, visit.result),
            (today, T(10, 0), T(12, 0), 'planned'))
        call, = open_activities(job, codes.CONTROL_CALL)
        self.assertEqual(call.deadline, today)
        self.assertIn('+7 916 000-00-01', call.note)

        # 2.8 the control call
        with as_user(people['manager']):
            with self.assertRaisesRegex(UserError, 'control call'):
                FieldJob.confirm([job])
            FieldJob.write([job], {'call_result': 'Подтвердили, ждут'})
            FieldJob.confirm([job])
            # 2.7 issued only to a technician
            with self.assertRaisesRegex(UserError, 'technician'):
                FieldJob.issue([job])
            FieldJob.write([job], {'technician': people['technician'].id})
            FieldJob.issue([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'issued')
        self.assertFalse(open_activities(job, codes.CONTROL_CALL))

        # 2.10 the technician reports it done: the placement is written
        with as_user(people['technician']):
            FieldJob.write([job], {'report': 'Установлен, проверен'})
            FieldJob.do([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'done')
        self.assertEqual(job.result, 'done')
        self.assertEqual(job.done_date, today)
        placement, = job.install_placements
        self.assertEqual((placement.terminal, placement.point,
                placement.installed_on, placement.removed_on),
            (terminal, point, today, None))
        terminal = Terminal(terminal.id)
        self.assertEqual(terminal.state, 'installed')
        self.assertEqual(terminal.point, point)
        visit, = Visit.search([('job', '=', job.id)])
        self.assertEqual(visit.result, 'done')
        self.assertEqual(visit.reason, 'Установлен, проверен')
        self.assertEqual(visit.reported_by, people['technician'])

    @with_transaction()
    def test_journal_numbers_gapless(self):
        "The journal numbers follow the requests without gaps (2.3)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        company, people, party, point = self.prepare()
        jobs = [make_job(point, kind='repair', date=D(2026, 3, d))
            for d in [5, 3, 4]]
        FieldJob.sign(jobs)
        FieldJob.cancel(jobs[1:2])
        FieldJob.register([jobs[0], jobs[2]])
        late = make_job(point, kind='painting')
        FieldJob.sign([late])
        FieldJob.register([late])
        numbers = [FieldJob(j.id).number for j in [jobs[2], jobs[0], late]]
        year = datetime.date.today().year
        self.assertEqual(numbers, ['Р-%s-%04d' % (year, i)
                for i in [1, 2, 3]])
        with self.assertRaisesRegex(UserError, 'cannot be deleted'):
            FieldJob.delete([late])

    @with_transaction()
    def test_failed_repair_reagreed_then_done(self):
        "A failed repair returns to re-agreement and keeps its history (2.11)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        terminal, = make_terminals('SN-1001')
        today = Date.today()
        job = make_job(point, kind='repair', terminals=[terminal])
        job = self.walk_to_issued(job, people, today)

        with as_user(people['technician']):
            with self.assertRaisesRegex(UserError, 'not done'):
                FieldJob.fail([job])
            FieldJob.write([job], {'report': 'Точка закрыта на учёт'})
            FieldJob.fail([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'failed')
        self.assertEqual(job.result, 'failed')
        reagree, = open_activities(job, codes.FIELD_JOB_REAGREEMENT)
        self.assertEqual(reagree.owner, people['manager'])
        self.assertEqual(reagree.note, 'Точка закрыта на учёт')

        tomorrow = today + datetime.timedelta(days=1)
        job = self.walk_to_issued(job, people, tomorrow)
        self.assertEqual(job.notice_count, 2)
        self.assertFalse(open_activities(job, codes.FIELD_JOB_REAGREEMENT))
        with as_user(people['technician']):
            FieldJob.do([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'done')
        self.assertEqual(
            [(v.planned_date, v.result, v.reason) for v in job.visits],
            [(tomorrow, 'done', None),
                (today, 'failed', 'Точка закрыта на учёт')])
        # A repair writes no placement
        self.assertFalse(job.install_placements)
        self.assertFalse(job.removal_placements)

    @with_transaction()
    def test_move_before_visit(self):
        "A planned visit moves: kept as moved, services told again (2.11)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        today = Date.today()
        job = make_job(point, kind='painting')
        FieldJob.sign([job])
        FieldJob.register([job])
        FieldJob.write([job], agree_values(today))
        FieldJob.agree([job])
        FieldJob.write([job], {'call_result': 'Просят перенести на неделю'})
        FieldJob.confirm([job])
        FieldJob.move([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'reagreement')
        self.assertEqual(job.visits[0].result, 'moved')
        self.assertEqual(job.visits[0].reason, 'Просят перенести на неделю')
        self.assertFalse(open_activities(job, codes.CONTROL_CALL))
        self.assertTrue(open_activities(job, codes.FIELD_JOB_REAGREEMENT))
        FieldJob.write([job], {
                'planned_date': today + datetime.timedelta(days=7)})
        FieldJob.agree([job])
        job = FieldJob(job.id)
        self.assertEqual(job.state, 'notified')
        self.assertEqual(job.notice_count, 2)
        self.assertIn('changed', job.notice_body())

        # Cancelled: the planned visit says so, nothing is left to do
        FieldJob.cancel([job])
        job = FieldJob(job.id)
        self.assertEqual([v.result for v in job.visits],
            ['cancelled', 'moved'])
        self.assertFalse(open_activities(job))
        self.assertEqual(job.number[:2], 'Р-')

    @with_transaction()
    def test_replacement_and_removal(self):
        "A replacement removes one terminal and installs another"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Placement = pool.get('mrk.terminal.placement')
        Terminal = pool.get('mrk.terminal')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        old, new, spare = make_terminals('SN-OLD', 'SN-NEW', 'SN-SPARE')
        today = Date.today()
        Placement.install([old, spare], point,
            today - datetime.timedelta(days=100))

        job = make_job(point, kind='replacement', terminals=[old])
        FieldJob.sign([job])
        FieldJob.register([job])
        FieldJob.write([job], agree_values(today))
        with self.assertRaisesRegex(UserError, 'new terminals'):
            FieldJob.agree([job])
        FieldJob.write([job], {'new_terminals': [('add', [new.id])]})
        job = self.walk_to_issued(job, people, today)
        with as_user(people['technician']):
            FieldJob.do([job])
        job = FieldJob(job.id)
        old, new = Terminal.browse([old.id, new.id])
        self.assertEqual((old.state, old.point), ('in_stock', None))
        self.assertEqual((new.state, new.point), ('installed', point))
        removed, = job.removal_placements
        self.assertEqual(removed.removed_on, today)
        installed, = job.install_placements
        self.assertEqual(installed.terminal, new)
        self.assertEqual(set(point.terminals), {new, spare})

        removal = make_job(point, kind='removal', terminals=[spare])
        removal = self.walk_to_issued(removal, people, today)
        FieldJob.do([removal])
        self.assertEqual(Terminal(spare.id).state, 'in_stock')
        self.assertEqual(FieldJob(removal.id).removal_placements[0].terminal,
            spare)

    @with_transaction()
    def test_install_of_installed_terminal_refused(self):
        "Done cannot place a terminal that stands elsewhere"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Placement = pool.get('mrk.terminal.placement')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        other = make_point(party, name='Кафе', address='ул. Ленина, д. 1')
        terminal, = make_terminals('SN-1001')
        today = Date.today()
        job = make_job(point, terminals=[terminal])
        job = self.walk_to_issued(job, people, today)
        # Meanwhile the terminal went elsewhere
        Placement.install([terminal], other, today)
        with self.assertRaisesRegex(UserError, 'SN-1001.*Кафе'):
            FieldJob.do([job])

    @with_transaction()
    def test_problem_on_site_reaches_head(self):
        "The technician's problem becomes the head's activity (2.9)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        company, people, party, point = self.prepare()
        job = make_job(point, kind='reinforcement')
        job = self.walk_to_issued(job, people)
        with as_user(people['technician']):
            with self.assertRaisesRegex(UserError, 'Problem on Site'):
                FieldJob.report_problem([job])
            FieldJob.write([job], {
                    'problem': 'Стойка не держит терминал, нужен кронштейн'})
            FieldJob.report_problem([job])
        job = FieldJob(job.id)
        self.assertEqual(job.problem_state, 'open')
        activity, = open_activities(job, codes.SITE_PROBLEM)
        self.assertEqual(activity.owner, people['head'])
        self.assertIn('кронштейн', activity.note)
        # Notifications are stored with the transaction's commit
        notifications = Transaction().user_notifications
        notification, = [n for n in notifications
            if n.user.id == people['head'].id]
        self.assertIn(job.number, notification.label)
        self.assertIn('кронштейн', notification.description)

        with as_user(people['manager']):
            with self.assertRaises(AccessButtonError):
                FieldJob.decide([job])
        with as_user(people['head']):
            FieldJob.write([job], {
                    'problem_decision': 'Поставить кронштейн из запаса'})
            FieldJob.decide([job])
        job = FieldJob(job.id)
        self.assertEqual(job.problem_state, 'decided')
        self.assertEqual(job.problem_decided_by, people['head'])
        self.assertFalse(open_activities(job, codes.SITE_PROBLEM))
        told = {n.user.id for n in notifications
            if n.label.startswith('The head decided')}
        self.assertEqual(told,
            {people['technician'].id, people['manager'].id})
        self.assertEqual(job.state, 'issued')

    @with_transaction()
    def test_end_of_day(self):
        "Unreported jobs become the client manager's activities (2.10)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        today = Date.today()
        done = self.walk_to_issued(make_job(point, kind='painting'), people)
        FieldJob.do([done])
        silent = self.walk_to_issued(make_job(point, kind='repair'), people)
        later = self.walk_to_issued(make_job(point, kind='repair'), people,
            today + datetime.timedelta(days=1))

        self.assertEqual(FieldJob.end_of_day(today, hour=17), [])
        activities = FieldJob.end_of_day(today, hour=18)
        self.assertEqual([a.origin for a in activities], [silent])
        activity, = activities
        self.assertEqual(activity.owner, people['manager'])
        self.assertEqual(activity.function.code, codes.END_OF_DAY)
        self.assertIn(silent.number, activity.note)
        # Once a day
        self.assertEqual(FieldJob.end_of_day(today, hour=19), [])
        # The report closes it; the journal shows the result
        FieldJob.write([silent], {'report': 'Не успел, перенос'})
        FieldJob.fail([silent])
        self.assertFalse(open_activities(silent, codes.END_OF_DAY))
        journal = FieldJob.search([('number', '!=', None)],
            order=[('number', 'ASC')])
        self.assertEqual([j.result for j in journal],
            ['done', 'failed', None])
        self.assertEqual(later.state, 'issued')

    @with_transaction()
    def test_end_of_day_cron_in_company_time(self):
        """The hourly cron reads the day and the hour in the company's time
        zone: at 21:30 UTC it is already 00:30 of the next day in Moscow,
        before the end of the day at 01:00; at 22:30 UTC it is 01:30 and
        the jobs of that Moscow day are late (2.10)"""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Configuration = pool.get('mrk.configuration')
        Company = pool.get('company.company')
        Date = pool.get('ir.date')
        company, people, party, point = self.prepare()
        Company.write([company], {'timezone': 'Europe/Moscow'})
        day = Date.today() + datetime.timedelta(days=10)
        next_day = day + datetime.timedelta(days=1)
        job = self.walk_to_issued(
            make_job(point, kind='repair'), people, date=day)
        next_job = self.walk_to_issued(
            make_job(point, kind='painting'), people, date=next_day)
        config = Configuration(1)
        config.end_of_day_hour = 1
        config.save()
        utc = datetime.timezone.utc

        def at(hour, minute):
            return datetime.datetime.combine(
                day, datetime.time(hour, minute), tzinfo=utc)

        with Transaction().set_context(company=company.id):
            self.assertEqual(FieldJob.end_of_day(now=at(21, 30)), [])
            activities = FieldJob.end_of_day(now=at(22, 30))
        self.assertEqual(sorted(a.origin.id for a in activities),
            sorted([job.id, next_job.id]))
        self.assertEqual(FieldJob(next_job.id).end_of_day_for, next_day)

    @with_transaction()
    def test_notice_needs_configured_addresses(self):
        "Without the services' addresses the agreement is refused (2.5)"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Configuration = pool.get('mrk.configuration')
        company, people, party, point = self.prepare()
        job = make_job(point, kind='painting')
        FieldJob.sign([job])
        FieldJob.register([job])
        FieldJob.write([job], agree_values())
        config = Configuration(1)
        config.cash_collection_email = None
        config.save()
        with self.assertRaisesRegex(UserError, 'Cash-Collection'):
            FieldJob.agree([job])
        config.cash_collection_email = 'касса'
        config.save()
        with self.assertRaisesRegex(UserError, 'касса'):
            FieldJob.agree([job])

    @with_transaction()
    def test_access_per_role(self):
        "A technician sees only his jobs and no contract; managers theirs"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Contract = pool.get('mrk.contract')
        company, people, party, point = self.prepare()
        other_party = make_party('ООО «Василёк»', manager=people['manager2'])
        other_point = make_point(other_party, name='Аптека')
        mine = self.walk_to_issued(make_job(point, kind='repair'), people)
        theirs = make_job(other_point, kind='repair')
        FieldJob.write([theirs], {'technician': people['technician2'].id})

        with as_user(people['technician']):
            self.assertEqual(FieldJob.search([]), [mine])
            with self.assertRaises(AccessError):
                FieldJob.read([theirs.id], ['number'])
            with self.assertRaises(AccessError):
                Contract.search([])
            with self.assertRaises(AccessError):
                Contract.read([], ['rent_amount'])
            with self.assertRaises(AccessError):
                FieldJob.create([{'point': point.id, 'kind': 'repair'}])
            with self.assertRaises(AccessButtonError):
                FieldJob.register([mine])
        with as_user(people['manager']):
            self.assertEqual(FieldJob.search([]), [mine])
        with as_user(people['manager2']):
            self.assertEqual(FieldJob.search([]), [theirs])
        for role in ['head', 'senior', 'office', 'monitoring']:
            with self.subTest(role=role), as_user(people[role]):
                self.assertEqual(len(FieldJob.search([])), 2)
        with as_user(people['courier']):
            with self.assertRaises(AccessError):
                FieldJob.search([])


del ModuleTestCase
