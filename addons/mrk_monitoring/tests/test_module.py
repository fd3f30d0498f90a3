"""Terminal downtime (7.1–7.4): the point work journal entered by hand and
by the monitoring feed, calls, escalation, repair and access per role."""
import datetime
import io

from openpyxl import Workbook, load_workbook

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction

from trytond.modules.mrk_rent.tests.tools import make_contract, make_term
from trytond.modules.mrk_base import codes

from .tools import D, DT, T, setup_monitoring, start_smtp_server


def open_activities(record, code=None):
    Activity = Pool().get('mrk.activity')
    return Activity.open_for([record], [code] if code else None)


class MrkMonitoringTestCase(ModuleTestCase):
    "Test mrk_monitoring module"
    module = 'mrk_monitoring'

    def setUp(self):
        super().setUp()
        self.inbox = start_smtp_server(self)

    @with_transaction()
    def test_manual_entry_by_serial(self):
        """The monitoring operator enters a downtime by the terminal's
        serial: the point, the counterparty and the contract come from the
        placement (7.1); a second open downtime of the terminal is refused"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Terminal = pool.get('mrk.terminal')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            terminal, = Terminal.search([('rec_name', 'ilike', '%1002%')])
            downtime, = Downtime.create([{
                        'company': w['company'].id,
                        'terminal': terminal.id,
                        'since': DT(2026, 3, 10, 8, 0),
                        }])
            self.assertEqual(downtime.point, w['point'])
            self.assertEqual(downtime.party, w['party'])
            self.assertEqual(downtime.source, 'operator')
            self.assertEqual(downtime.state, 'open')
            with self.assertRaises(UserError) as cm:
                Downtime.create([{
                            'company': w['company'].id,
                            'terminal': terminal.id,
                            'since': DT(2026, 3, 10, 9, 0),
                            }])
            self.assertIn('SN-1002', cm.exception.message)
            # The source is the workflow's: a user does not forge "feed"
            with self.assertRaises(WorkflowAccessError):
                Downtime.create([{
                            'company': w['company'].id,
                            'terminal': w['terminals'][0].id,
                            'since': DT(2026, 3, 10, 9, 0),
                            'source': 'feed',
                            }])
            with self.assertRaises(WorkflowAccessError):
                Downtime.write([downtime], {'state': 'closed'})
            Downtime.close([downtime])
        self.assertEqual(downtime.state, 'closed')
        self.assertEqual(downtime.closed_by, people['monitoring'])
        self.assertIsNotNone(downtime.until)

    @with_transaction()
    def test_feed_is_idempotent(self):
        """The monitoring feed opens one downtime per silent terminal however
        often it repeats, reports the unknown serials, and closes the
        downtime when the terminal is seen again (7.1)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        w = setup_monitoring()
        silent = [('SN-1001', None, DT(2026, 3, 10, 6, 0)),
            ('SN-2001', None, DT(2026, 3, 10, 7, 0)),
            ('SN-9999', None, DT(2026, 3, 10, 7, 0)),
            ('SN-1002', DT(2026, 3, 10, 9, 0), None)]
        with as_user(w['people']['monitoring']):
            result = Downtime.feed(silent)
            self.assertEqual(result['opened'], 2)
            self.assertEqual(result['unknown'], ['SN-9999'])
            again = Downtime.feed(silent)
            self.assertEqual((again['opened'], again['closed']), (0, 0))
            downtimes = Downtime.search([])
            self.assertEqual(len(downtimes), 2)
            first, = Downtime.search([('terminal', '=', w['terminals'][0])])
            self.assertEqual(first.source, 'feed')
            self.assertEqual(first.point, w['point'])
            self.assertEqual(first.party, w['party'])
            seen = Downtime.feed([('SN-1001', DT(2026, 3, 10, 11, 30), None)])
            self.assertEqual(seen['closed'], 1)
        first = Downtime(first.id)
        self.assertEqual(first.state, 'closed')
        self.assertEqual(first.until, DT(2026, 3, 10, 11, 30))
        self.assertEqual(first.duration, 5.5)
        # A user who does not open downtimes cannot feed them
        with as_user(w['people']['manager']):
            with self.assertRaises(AccessError):
                Downtime.feed(silent)

    @with_transaction()
    def test_call_after_threshold_follows_portfolio(self):
        """An open downtime older than the threshold (2 h) gives one call
        activity (7.2) to the client manager of the counterparty; the call
        lines and the cause are recorded by him, not by a colleague"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Call = pool.get('mrk.monitoring.downtime.call')
        Cause = pool.get('mrk.monitoring.downtime.cause')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0)),
                    ('SN-2001', None, DT(2026, 3, 10, 7, 30))])
        downtime, = Downtime.search([('terminal', '=', w['terminals'][0])])
        other, = Downtime.search([('terminal', '=', w['other_terminal'])])
        self.assertEqual(Downtime.schedule_calls(DT(2026, 3, 10, 7, 59)), [])
        activities = Downtime.schedule_calls(DT(2026, 3, 10, 9, 0))
        self.assertEqual(len(activities), 1)
        activity, = open_activities(downtime, codes.DOWNTIME_CALL)
        self.assertEqual(activity.owner, people['manager'])
        self.assertIn('+7 495 123-45-67', activity.note)
        # Once only
        self.assertEqual(len(Downtime.schedule_calls(
                    DT(2026, 3, 10, 10, 0))), 1)
        self.assertEqual(len(open_activities(downtime, codes.DOWNTIME_CALL)), 1)
        fault, = Cause.search([('name', '=', 'Terminal fault')])
        with as_user(people['manager']):
            self.assertEqual(Downtime.search([]), [downtime])
            Call.create([{
                        'downtime': downtime.id,
                        'contact': 'Петров Пётр',
                        'result': 'Экран не включается',
                        'cause': fault.id,
                        }])
            with self.assertRaises(AccessError):
                Call.create([{'downtime': other.id, 'result': 'x'}])
            Downtime.find_cause([downtime])
        downtime = Downtime(downtime.id)
        self.assertEqual(downtime.state, 'cause_found')
        self.assertEqual(downtime.cause, fault)
        self.assertEqual(downtime.calls[0].called_by, people['manager'])
        self.assertEqual(open_activities(downtime, codes.DOWNTIME_CALL), [])

    @with_transaction()
    def test_escalation_once_to_matrix_and_head(self):
        """A downtime over 24 h is reported once to the owner of 7.3 in
        the matrix and to the head, with notifications; the query is
        set-based and a second run does nothing (7.3)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0)),
                    ('SN-2001', None, DT(2026, 3, 11, 5, 0))])
        downtime, = Downtime.search([('terminal', '=', w['terminals'][0])])
        self.assertEqual(Downtime.escalate(DT(2026, 3, 11, 5, 59)), [])
        activities = Downtime.escalate(DT(2026, 3, 11, 6, 0))
        self.assertEqual({a.owner for a in activities},
            {people['senior'], people['head']})
        self.assertEqual({a.origin for a in activities}, {downtime})
        self.assertEqual(Downtime.escalate(DT(2026, 3, 11, 7, 0)), [])
        with Transaction().set_context(mrk_now=DT(2026, 3, 11, 7, 0)):
            self.assertEqual(Downtime.search([
                        ('over_escalation', '=', True)]), [downtime])
        notified = {int(n.user) for n in Transaction().user_notifications}
        self.assertTrue(
            {people['senior'].id, people['head'].id} <= notified)

    @with_transaction()
    def test_repair_job_then_seen_closes(self):
        """«Вызвать техника» creates the repair job for the terminal and
        point through the 2.x flow (signer's activity), linked both ways;
        the downtime closes when the job is done and the terminal seen
        again (7.4)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        FieldJob = pool.get('mrk.field_job')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0))])
        downtime, = Downtime.search([])
        with as_user(people['manager']):
            job, = Downtime.start_repair([downtime], 'repair')
        self.assertEqual(job.kind, 'repair')
        self.assertEqual(job.point, w['point'])
        self.assertEqual(list(job.terminals), [w['terminals'][0]])
        self.assertEqual(list(job.downtimes), [downtime])
        self.assertEqual(Downtime(downtime.id).state, 'repair_ordered')
        self.assertEqual(len(open_activities(job, codes.FIELD_JOB_SIGNATURE)), 1)
        # Seen again before the job is done: it waits for the job
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1001', DT(2026, 3, 11, 9, 0), None)])
        self.assertEqual(Downtime(downtime.id).state, 'repair_ordered')
        with as_user(people['head']):
            FieldJob.sign([job])
        with as_user(people['manager']):
            FieldJob.register([job])
            FieldJob.write([job], {
                    'planned_date': pool.get('ir.date').today(),
                    'time_from': T(10, 0), 'time_to': T(12, 0),
                    'technician': people['technician'].id})
            FieldJob.agree([job])
            FieldJob.write([job], {'call_result': 'Ждут'})
            FieldJob.confirm([job])
            FieldJob.issue([job])
        with as_user(people['technician']):
            FieldJob.write([job], {'report': 'Заменён блок питания'})
            FieldJob.do([job])
        downtime = Downtime(downtime.id)
        self.assertEqual(downtime.state, 'closed')
        self.assertEqual(downtime.until, DT(2026, 3, 11, 9, 0))

    @with_transaction()
    def test_scenario_silent_terminal_to_closed(self):
        """A silent terminal from the feed to the closed downtime, each step
        by its role: the call after 2 h (7.2), the escalation after 24 h
        (7.3), the technician called (7.4), the job done, the terminal seen
        again by the monitoring system (7.1)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Call = pool.get('mrk.monitoring.downtime.call')
        Cause = pool.get('mrk.monitoring.downtime.cause')
        FieldJob = pool.get('mrk.field_job')
        Activity = pool.get('mrk.activity')
        w = setup_monitoring()
        people = w['people']
        since = DT(2026, 3, 10, 6, 0)
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1002', None, since)])
        downtime, = Downtime.search([])
        Downtime.schedule_calls(since + datetime.timedelta(hours=2))
        call, = open_activities(downtime, codes.DOWNTIME_CALL)
        self.assertEqual(call.owner, people['manager'])
        fault, = Cause.search([('name', '=', 'Terminal fault')])
        with as_user(people['manager']):
            Call.create([{'downtime': downtime.id, 'result': 'Не включается',
                        'cause': fault.id}])
            Downtime.find_cause([downtime])
        Downtime.escalate(since + datetime.timedelta(hours=24))
        self.assertEqual(
            {a.owner for a in Activity.open_for([downtime], [codes.DOWNTIME_LONG])},
            {people['senior'], people['head']})
        with as_user(people['manager']):
            job, = Downtime.start_repair([Downtime(downtime.id)], 'repair')
        with as_user(people['head']):
            FieldJob.sign([job])
        with as_user(people['manager']):
            FieldJob.register([job])
            FieldJob.write([job], {
                    'planned_date': pool.get('ir.date').today(),
                    'time_from': T(10, 0), 'time_to': T(12, 0),
                    'technician': people['technician'].id})
            FieldJob.agree([job])
            FieldJob.write([job], {'call_result': 'Ждут'})
            FieldJob.confirm([job])
            FieldJob.issue([job])
        with as_user(people['technician']):
            FieldJob.write([job], {'report': 'Заменён блок питания'})
            FieldJob.do([job])
        self.assertEqual(Downtime(downtime.id).state, 'repair_ordered')
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1002', DT(2026, 3, 12, 15, 0), None)])
        downtime = Downtime(downtime.id)
        self.assertEqual(downtime.state, 'closed')
        self.assertEqual(downtime.duration, 57.0)
        self.assertEqual(open_activities(downtime), [])

    @with_transaction()
    def test_journals_xlsx(self):
        """Both journals export to XLSX with what the user reads: the
        client manager's workbook holds his portfolio's downtime only"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Report = pool.get('mrk.monitoring.downtime.journal.xlsx',
            type='report')
        ComplaintReport = pool.get('mrk.monitoring.complaint.journal.xlsx',
            type='report')
        w = setup_monitoring()
        with as_user(w['people']['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0)),
                    ('SN-2001', None, DT(2026, 3, 10, 7, 0))])

        def cells(content):
            sheet = load_workbook(io.BytesIO(content)).active
            return [str(c) for row in sheet.iter_rows(values_only=True)
                for c in row if c is not None]
        with as_user(w['people']['monitoring']):
            extension, content, _, _ = Report.execute([], {})
        self.assertEqual(extension, 'xlsx')
        text = ' '.join(cells(content))
        self.assertIn('SN-1001', text)
        self.assertIn('SN-2001', text)
        self.assertIn('10.03.2026 06:00', text)
        with as_user(w['people']['manager']):
            _, content, _, _ = Report.execute([], {})
            text = ' '.join(cells(content))
            self.assertIn('SN-1001', text)
            self.assertNotIn('SN-2001', text)
            _, content, _, _ = ComplaintReport.execute([], {})
            self.assertIn('Суть обращения', ' '.join(cells(content)))

    @with_transaction()
    def test_access_per_role(self):
        """Monitoring creates and closes; a client manager reads and works
        on his portfolio only and cannot close; a technician sees no
        downtime; the head's list of causes grows"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Cause = pool.get('mrk.monitoring.downtime.cause')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0)),
                    ('SN-2001', None, DT(2026, 3, 10, 6, 0))])
        mine, = Downtime.search([('party', '=', w['party'])])
        theirs, = Downtime.search([('party', '=', w['other_party'])])
        with as_user(people['manager']):
            self.assertEqual(Downtime.search([]), [mine])
            Downtime.write([mine], {'cause_note': 'Нет света'})
            with self.assertRaises(AccessError):
                Downtime.write([theirs], {'cause_note': 'x'})
            with self.assertRaises(AccessError):
                Downtime.create([{'company': w['company'].id,
                            'terminal': w['terminals'][1].id,
                            'since': DT(2026, 3, 10, 6, 0)}])
            with self.assertRaises(AccessButtonError):
                Downtime.close([mine])
        with as_user(people['technician']):
            with self.assertRaises(AccessError):
                Downtime.search([])
        with as_user(people['head']):
            Cause.create([{'name': 'Вандализм'}])
        with as_user(people['manager']):
            with self.assertRaises(AccessError):
                Cause.create([{'name': 'x'}])

    @with_transaction()
    def test_registry_monitoring_check(self):
        """The non-cash registry's lines show the downtime days of the
        contract's terminals in the month before the month paid, from the
        point work journal, and flag those over the settings (9.1)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Registry = pool.get('mrk.rent.registry')
        Point = pool.get('mrk.point')
        w = setup_monitoring()
        contract = make_contract(w['party'])
        make_term(contract, '10000.00', payment_form='transfer')
        other_contract = make_contract(w['other_party'])
        make_term(other_contract, '5000.00', payment_form='transfer')
        Point.write([w['point']], {'contract': contract.id})
        Point.write([w['other_point']], {'contract': other_contract.id})
        with as_user(w['people']['monitoring']):
            Downtime.feed([('SN-1001', None, DT(2026, 3, 10, 6, 0)),
                    ('SN-1002', None, DT(2026, 3, 30, 6, 0)),
                    ('SN-2001', None, DT(2026, 3, 20, 6, 0))])
            Downtime.feed([('SN-1001', DT(2026, 3, 15, 7, 0), None),
                    ('SN-1002', DT(2026, 4, 3, 6, 0), None),
                    ('SN-2001', DT(2026, 3, 21, 6, 0), None)])
        registry = Registry.generate(D(2026, 4, 10))
        lines = {l.contract: l for l in registry.lines}
        # 5 days and an hour: 6 days begun; the other one day
        self.assertEqual(lines[contract].downtime_days, 6)
        self.assertTrue(lines[contract].downtime_over)
        self.assertEqual(lines[other_contract].downtime_days, 1)
        self.assertFalse(lines[other_contract].downtime_over)

    @with_transaction()
    def test_feed_from_file(self):
        """The monitoring system's XLSX or CSV export is loaded by the
        wizard like the HTTP feed; a bad row is named and nothing is
        written (7.1)"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        FeedImport = pool.get('mrk.monitoring.feed_import', type='wizard')
        w = setup_monitoring()
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(['serial', 'last_seen', 'online', 'since'])
        sheet.append(['SN-1001', None, 'false', DT(2026, 3, 10, 6, 0)])
        sheet.append(['SN-7777', None, 'false', DT(2026, 3, 10, 6, 0)])
        content = io.BytesIO()
        workbook.save(content)

        def load(data, filename):
            session_id, _, _ = FeedImport.create()
            wizard = FeedImport(session_id)
            wizard.start.file = data
            wizard.start.filename = filename
            wizard.transition_load()
            return wizard.default_result(None)

        with as_user(w['people']['monitoring']):
            result = load(content.getvalue(), 'monitoring.xlsx')
            self.assertEqual(result['opened'], 1)
            self.assertEqual(result['unknown'], 'SN-7777')
            csv_data = ('serial;last_seen;online;since\n'
                'SN-1002;;false;2026-03-10T06:00:00\n'
                'SN-2001;;false;вчера\n').encode('utf-8')
            with self.assertRaises(UserError) as cm:
                load(csv_data, 'monitoring.csv')
            self.assertIn('3', cm.exception.message)
            self.assertIn('вчера', cm.exception.message)
            self.assertEqual(Downtime.search_count([]), 1)
            load('serial;last_seen\nSN-1001;2026-03-10 09:00\n'.encode(),
                'monitoring.csv')
        self.assertEqual(Downtime.search([])[0].state, 'closed')


del ModuleTestCase
