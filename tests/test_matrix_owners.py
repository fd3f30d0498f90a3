"""The responsibility matrix decides who gets every activity the system
creates; approvals go to the approvers of the settings.

Every code for which a module schedules activities (found in the source by
test_every_scheduled_code_is_covered) is reassigned in the matrix to a user
of its own, triggered the way its users trigger it, and its new owner is
expected to get the task (seed problems 1–3). The approvals — non-standard
contract (1.4), change request (1.3), signing field jobs (2.2), problem on
site (2.9), payment permit (8.4), registry (9.2) — go to the approver set in
«Настройки», the head by default; while the approver is absent her deputy
takes it, or the function's deputy in the matrix when her absence names
none. An owner absent without a deputy on the absence gives his work to the
function's deputy in the matrix."""
import ast
import datetime
from contextlib import contextmanager
from pathlib import Path

from trytond.model.exceptions import DomainValidationError
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.tests.tools import start_smtp_server
from trytond.modules.mrk_field_jobs.tests.tools import (
    agree_values, make_job, make_party, make_point, make_terminals, make_user,
    setup_service)
from trytond.modules.mrk_rent.tests.tools import make_contract, make_term
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

ROOT = Path(__file__).resolve().parents[1]
MODULES = ['mrk_rent', 'mrk_field_jobs', 'mrk_monitoring', 'mrk_documents']
D = datetime.date
# The approvals and the setting that names their approver
APPROVALS = {
    codes.CHANGE_REQUEST: 'change_request_approver',
    codes.NON_STANDARD_CONTRACT: 'contract_approver',
    codes.FIELD_JOB_SIGNATURE: 'field_job_approver',
    codes.SITE_PROBLEM: 'problem_approver',
    codes.PAYMENT_PERMIT: 'payment_permit_approver',
    codes.PAYMENT_REGISTRY: 'registry_approver',
    }
# The codes this file triggers and checks
COVERED = {
    codes.EXPIRING_CONTRACTS, codes.PROLONGATION_CALL, codes.CHANGE_REQUEST,
    codes.NON_STANDARD_CONTRACT, codes.FIELD_JOB_SIGNATURE,
    codes.FIELD_JOB_REGISTRATION, codes.FIELD_JOB_AGREEMENT,
    codes.CONTROL_CALL, codes.SITE_PROBLEM, codes.END_OF_DAY,
    codes.FIELD_JOB_REAGREEMENT, codes.CASH_REQUEST, codes.PAYMENT_PERMIT,
    codes.CASH_DELIVERY_CONTROL, codes.RECEIPTS_INVENTORY,
    codes.MONITORING_RECONCILIATION, codes.PAYMENT_REGISTRY,
    codes.REGISTRY_RECONCILIATION, codes.DOWNTIME_CALL, codes.DOWNTIME_LONG,
    codes.PAYMENT_COMPLAINT, codes.COMPLAINT_ACCOUNTING_QUESTION,
    codes.DOCUMENT_RETURN_REMINDER, codes.DOCUMENT_RETURN_DELAY,
    }


@contextmanager
def as_user(user):
    "Act as user the way trytond's JSON-RPC dispatcher does"
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


def scheduling_calls():
    """Yield (path, code, owner expression or None) for every call of
    schedule() / _schedule() with a function code named in mrk_base's
    codes (codes.NAME) or written as a literal, in the modules (their demo
    data and tests left aside)"""
    for path in sorted((ROOT / 'addons').glob('*/*.py')):
        if path.name.startswith('demo'):
            continue
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {'schedule', '_schedule'}):
                continue
            found = [code_of(a) for a in node.args]
            found = [c for c in found if c]
            if not found:
                continue
            owner = next((ast.unparse(k.value) for k in node.keywords
                    if k.arg == 'owner'), None)
            yield path.relative_to(ROOT), found[0], owner


def code_of(node):
    "The function code an argument names, if it names one"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == 'codes'):
        return getattr(codes, node.attr)


class MatrixOwnersTestCase(DatabaseTestCase):
    "Who gets the activities: the matrix, the approvers, the absences"
    modules = MODULES

    def setUp(self):
        super().setUp()
        # The field jobs' notices (2.5) are sent at the commit
        self.inbox = start_smtp_server(self)

    # -- helpers --------------------------------------------------------------

    def setup(self):
        """The service of field jobs with two more users of the head group
        (head2, head3) who may receive approvals"""
        company, people = setup_service()
        people['head2'] = make_user('head2', 'head', company)
        people['head3'] = make_user('head3', 'head', company)
        self.company = company
        return people

    def reassign(self, people, code):
        """The head gives the function of code in the matrix to a new user
        of the function's role: its activities no longer follow the
        portfolio"""
        pool = Pool()
        Function = pool.get('mrk.function')
        User = pool.get('res.user')
        function = Function.get(code)
        user, = User.create([{
                    'name': 'Исполнитель %s' % code,
                    'login': 'owner-%s' % code,
                    'companies': [('add', [self.company.id])],
                    'company': self.company.id,
                    'groups': [('add', [function.group.id])],
                    }])
        with as_user(people['head']):
            Function.write([Function(function.id)], {
                    'owner': user.id,
                    'follows_portfolio': False,
                    })
        return user

    def set_approvers(self, people, **approvers):
        "The head names the approvers in «Настройки»"
        Configuration = Pool().get('mrk.configuration')
        with as_user(people['head']):
            Configuration.write([Configuration(1)], {
                    name: people[role].id if role else None
                    for name, role in approvers.items()})

    def assertOwner(self, records, code, user):
        "The open activities of code about records are all user's"
        Activity = Pool().get('mrk.activity')
        activities = Activity.open_for(records, [code])
        self.assertTrue(activities, 'no open activity %s' % code)
        self.assertEqual({a.owner for a in activities}, {user},
            'activity %s: %s instead of %s' % (code,
                ', '.join(a.owner.rec_name for a in activities),
                user.rec_name))

    # -- the source ----------------------------------------------------------

    def test_every_scheduled_code_is_covered(self):
        """Every code the modules schedule is triggered here, and only the
        approvals name their owner: the approver of the settings"""
        found = set()
        for path, code, owner in scheduling_calls():
            found.add(code)
            if owner is not None:
                self.assertIn(code, APPROVALS,
                    '%s: activity %s has the fixed owner %s'
                    % (path, code, owner))
                self.assertIn('approver', owner,
                    '%s: approval %s goes to %s, not to its approver'
                    % (path, code, owner))
        self.assertEqual(found - COVERED, set(),
            'codes scheduled but not tested here')
        self.assertEqual(COVERED - found, set(),
            'codes tested here but no longer scheduled')

    # -- contracts (1.1–1.4) --------------------------------------------------

    @with_transaction()
    def test_contract_codes(self):
        """1.1 and 1.2 of the expiring contracts' cron, 1.2 after a change
        request, 1.3 and 1.4 to their approvers and the check of a returned
        non-standard contract (1.4) to the matrix's owner"""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Request = pool.get('mrk.contract.change_request')
        Activity = pool.get('mrk.activity')
        people = self.setup()
        party = make_party(manager=people['manager'])
        date = D(2026, 6, 30)
        # Ends in a month: the call (1.2); ends today with auto-prolongation:
        # prolonged and told (1.2); ends today without: to the senior (1.1)
        calling = make_contract(party, end=D(2026, 7, 31))
        prolonged = make_contract(party, end=date, auto_prolongation=True,
            prolongation_months=12)
        ending = make_contract(party, end=date, auto_prolongation=False)

        owner_11 = self.reassign(people, codes.EXPIRING_CONTRACTS)
        owner_12 = self.reassign(people, codes.PROLONGATION_CALL)
        Contract.control_expiring(date)
        self.assertOwner([ending], codes.EXPIRING_CONTRACTS, owner_11)
        self.assertOwner([calling, prolonged, ending],
                codes.PROLONGATION_CALL, owner_12)

        # 1.3: the change request goes to its approver, the decision is
        # told by the matrix's owner of 1.2
        self.set_approvers(people, change_request_approver='head3')
        with as_user(people['manager']):
            request, = Request.create([{
                        'contract': calling.id,
                        'channel': 'phone',
                        'description': 'Снизить аренду с сентября',
                        }])
            Request.submit([request])
        self.assertOwner([request], codes.CHANGE_REQUEST, people['head3'])
        with as_user(people['head3']):
            Request.write([request], {'decision': 'Согласовать'})
            Request.approve([request])
        self.assertOwner([request], codes.PROLONGATION_CALL, owner_12)

        # 1.4: the approval to its approver, the check of a returned
        # contract to the matrix's owner
        self.set_approvers(people, contract_approver='head2')
        owner_14 = self.reassign(people, codes.NON_STANDARD_CONTRACT)
        contract = make_contract(party, state='draft', kind='non_standard',
            requisites_checked=True, terms_checked=True)
        with as_user(people['manager']):
            Contract.submit([contract])
        self.assertOwner([contract], codes.NON_STANDARD_CONTRACT,
                people['head2'])
        with as_user(people['head2']):
            Contract.write([contract], {
                    'approval_comment': 'Проверить банковские реквизиты'})
            Contract.reject([contract])
        self.assertOwner([contract], codes.NON_STANDARD_CONTRACT, owner_14)
        check, = Activity.open_for([contract], [codes.NON_STANDARD_CONTRACT])
        self.assertEqual(check.note, 'Проверить банковские реквизиты')
        # Submitted again: the check is done, the approver decides
        with as_user(owner_14):
            Contract.write([contract], {
                    'requisites_checked': True, 'terms_checked': True})
        with as_user(people['manager']):
            Contract.submit([contract])
        self.assertEqual(Activity(check.id).state, 'done')
        self.assertOwner([contract], codes.NON_STANDARD_CONTRACT,
                people['head2'])

    # -- field jobs (2.2–2.11) ------------------------------------------------

    @with_transaction()
    def test_field_job_codes(self):
        """The field job's steps go to the matrix's owners, not to the job's
        client manager; signing (2.2) and problems on site (2.9) go to their
        approvers"""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Date = pool.get('ir.date')
        people = self.setup()
        today = Date.today()
        party = make_party(manager=people['manager'])
        point = make_point(party)
        self.set_approvers(people, field_job_approver='head2',
            problem_approver='head3')
        owners = {code: self.reassign(people, code)
            for code in [codes.FIELD_JOB_REGISTRATION,
                    codes.FIELD_JOB_AGREEMENT, codes.CONTROL_CALL,
                    codes.END_OF_DAY, codes.FIELD_JOB_REAGREEMENT]}

        with as_user(people['manager']):
            job = make_job(point, kind='repair')
        self.assertEqual(job.manager, people['manager'])
        self.assertOwner([job], codes.FIELD_JOB_SIGNATURE, people['head2'])
        with as_user(people['head2']):
            FieldJob.sign([job])
        self.assertOwner([job], codes.FIELD_JOB_REGISTRATION,
                owners[codes.FIELD_JOB_REGISTRATION])
        with as_user(people['manager']):
            FieldJob.register([job])
        self.assertOwner([job], codes.FIELD_JOB_AGREEMENT,
                owners[codes.FIELD_JOB_AGREEMENT])
        with as_user(people['manager']):
            FieldJob.write([job], agree_values(today,
                    technician=people['technician']))
            FieldJob.agree([job])
        self.assertOwner([job], codes.CONTROL_CALL, owners[codes.CONTROL_CALL])
        with as_user(people['manager']):
            FieldJob.write([job], {'call_result': 'Ждут с 10:00'})
            FieldJob.confirm([job])
            FieldJob.issue([job])
        with as_user(people['technician']):
            FieldJob.write([job], {'problem': 'Нет розетки у стойки'})
            FieldJob.report_problem([job])
        self.assertOwner([job], codes.SITE_PROBLEM, people['head3'])
        FieldJob.end_of_day(today, hour=23)
        self.assertOwner([job], codes.END_OF_DAY, owners[codes.END_OF_DAY])
        with as_user(people['technician']):
            FieldJob.write([job], {'report': 'Точка закрыта'})
            FieldJob.fail([job])
        self.assertOwner([job], codes.FIELD_JOB_REAGREEMENT,
                owners[codes.FIELD_JOB_REAGREEMENT])

        # Following the portfolio, the steps go to the client manager of
        # the counterparty, whoever the job names
        Function = pool.get('mrk.function')
        with as_user(people['head']):
            Function.write([Function.get(codes.FIELD_JOB_REGISTRATION)], {
                    'follows_portfolio': True})
        with as_user(people['senior']):
            other = make_job(point, kind='repair',
                manager=people['manager2'].id)
        self.assertEqual(other.manager, people['manager2'])
        with as_user(people['head']):
            FieldJob.sign([other])
        self.assertOwner([other], codes.FIELD_JOB_REGISTRATION,
                people['manager'])

    # -- monitoring (7.2–7.5) ------------------------------------------------

    @with_transaction()
    def test_monitoring_codes(self):
        """The downtime's call (7.2) and escalation (7.3), the complaint
        (7.5) and its question to accounting (7.5.1) go to the matrix's
        owners"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Complaint = pool.get('mrk.monitoring.complaint')
        Topic = pool.get('mrk.monitoring.complaint.topic')
        Placement = pool.get('mrk.terminal.placement')
        people = self.setup()
        party = make_party(manager=people['manager'])
        point = make_point(party)
        terminal, = make_terminals('SN-7001')
        Placement.install([terminal], point, D(2026, 3, 1))
        owners = {code: self.reassign(people, code)
            for code in [codes.DOWNTIME_CALL, codes.DOWNTIME_LONG,
                codes.PAYMENT_COMPLAINT,
                codes.COMPLAINT_ACCOUNTING_QUESTION]}
        since = datetime.datetime(2026, 3, 10, 6, 0)
        with as_user(people['monitoring']):
            Downtime.feed([('SN-7001', None, since)])
        downtime, = Downtime.search([])
        Downtime.schedule_calls(since + datetime.timedelta(hours=3))
        self.assertOwner([downtime], codes.DOWNTIME_CALL,
            owners[codes.DOWNTIME_CALL])
        Downtime.escalate(since + datetime.timedelta(hours=25))
        Activity = pool.get('mrk.activity')
        self.assertIn(owners[codes.DOWNTIME_LONG], {a.owner
                for a in Activity.open_for(
                    [downtime], [codes.DOWNTIME_LONG])})
        topic, = Topic.search([], limit=1)
        with as_user(people['senior']):
            complaint, = Complaint.create([{
                        'company': self.company.id,
                        'party': party.id,
                        'topic': topic.id,
                        'text': 'Платёж не поступил',
                        'accounting_question': 'Был ли платёж?',
                        }])
        self.assertOwner([complaint], codes.PAYMENT_COMPLAINT,
            owners[codes.PAYMENT_COMPLAINT])
        with as_user(people['senior']):
            Complaint.ask_accounting([complaint])
        self.assertOwner([complaint], codes.COMPLAINT_ACCOUNTING_QUESTION,
            owners[codes.COMPLAINT_ACCOUNTING_QUESTION])

    # -- documents (6.6, 6.7) -----------------------------------------------

    @with_transaction()
    def test_document_codes(self):
        """The call about a document overdue back (6.6) and its escalation
        after the grace (6.7) go to the matrix's owners"""
        from trytond.modules.mrk_documents.tests.tools import make_document
        Document = Pool().get('mrk.document')
        people = self.setup()
        owners = {code: self.reassign(people, code)
            for code in [codes.DOCUMENT_RETURN_REMINDER,
                codes.DOCUMENT_RETURN_DELAY]}
        party = make_party(manager=people['manager'])
        document = make_document(party, kind='amendment', number='ДС-1')
        # Sent on 2 March: due back on 16 March, late after the 23rd
        Document.send([document], date=D(2026, 3, 2))
        Document.remind_returns(date=D(2026, 3, 16))
        self.assertOwner([document], codes.DOCUMENT_RETURN_REMINDER,
            owners[codes.DOCUMENT_RETURN_REMINDER])
        Document.remind_returns(date=D(2026, 3, 24))
        self.assertOwner([document], codes.DOCUMENT_RETURN_DELAY,
            owners[codes.DOCUMENT_RETURN_DELAY])

    # -- rent (8.3–8.8, 9.1–9.3) -------------------------------------------

    @with_transaction()
    def test_rent_codes(self):
        """The month's cash runs and registry: 8.3, 8.6, 8.8, 9.1 and 9.3 to
        the matrix's owners, the payment permit (8.4) and the registry
        (9.2) to their approvers"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Route = pool.get('mrk.rent.route')
        CashRun = pool.get('mrk.rent.cash_run')
        Registry = pool.get('mrk.rent.registry')
        RegistryLine = pool.get('mrk.rent.registry.line')
        people = self.setup()
        cash_party = make_party('ООО «Ромашка»', manager=people['manager'])
        cash = make_contract(cash_party)
        make_term(cash, '5000.00', payment_form='cash')
        shop = make_point(cash_party, contract=cash)
        transfer_party = make_party('ООО «Василёк»',
            manager=people['manager'])
        transfer = make_contract(transfer_party)
        make_term(transfer, '3000.00', payment_form='transfer')
        make_point(transfer_party, name='Киоск', contract=transfer)
        Route.create([{
                    'name': 'Север',
                    'courier': people['courier'].id,
                    'stops': [('create', [{'point': shop.id}])],
                    }])
        self.set_approvers(people, payment_permit_approver='head2',
            registry_approver='head3')
        owners = {code: self.reassign(people, code)
            for code in [codes.CASH_REQUEST, codes.CASH_DELIVERY_CONTROL,
                    codes.RECEIPTS_INVENTORY, codes.MONITORING_RECONCILIATION,
                    codes.REGISTRY_RECONCILIATION]}

        # The night of the 20th prepares March (8.2, 9.2)
        Configuration.prepare_rent_month(D(2026, 2, 20))
        run, = CashRun.search([])
        registry, = Registry.search([])
        self.assertOwner([run], codes.CASH_REQUEST, owners[codes.CASH_REQUEST])
        self.assertOwner([registry], codes.MONITORING_RECONCILIATION,
                owners[codes.MONITORING_RECONCILIATION])

        with as_user(people['senior']):
            CashRun.request([run])
        self.assertOwner([run], codes.PAYMENT_PERMIT, people['head2'])
        with as_user(people['head2']):
            CashRun.approve([run])
        with as_user(people['senior']):
            CashRun.deliver([run])
        self.assertOwner([run], codes.CASH_DELIVERY_CONTROL,
                owners[codes.CASH_DELIVERY_CONTROL])
        with as_user(people['senior']):
            CashRun.close_reports([run])
        self.assertOwner([run], codes.RECEIPTS_INVENTORY,
                owners[codes.RECEIPTS_INVENTORY])

        with as_user(people['monitoring']):
            RegistryLine.write(list(registry.lines), {'monitoring_ok': True})
            Registry.monitoring_check([registry])
        self.assertOwner([registry], codes.REGISTRY_RECONCILIATION,
                owners[codes.REGISTRY_RECONCILIATION])
        with as_user(people['accountant']):
            Registry.accounting_check([registry])
        self.assertOwner([registry], codes.PAYMENT_REGISTRY, people['head3'])
        # Returned: the checks start again with the matrix's owner of 9.1
        with as_user(people['accountant']):
            Registry.write([registry], {'return_reason': 'Сверить суммы'})
            Registry.draft([registry])
        self.assertOwner([registry], codes.MONITORING_RECONCILIATION,
                owners[codes.MONITORING_RECONCILIATION])

    # -- approvers and absences ----------------------------------------------

    @with_transaction()
    def test_approvers_default_and_domain(self):
        """Without an approver the head of the settings decides; an approver
        must be of the head group, whose buttons decide"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        people = self.setup()
        point = make_point(make_party(manager=people['manager']))
        with as_user(people['manager']):
            job = make_job(point, kind='repair')
        self.assertOwner([job], codes.FIELD_JOB_SIGNATURE, people['head'])

        with as_user(people['head']):
            Configuration.write([Configuration(1)], {
                    'head': people['head2'].id})
        with as_user(people['manager']):
            job = make_job(point, kind='repair')
        self.assertOwner([job], codes.FIELD_JOB_SIGNATURE, people['head2'])

        with as_user(people['head']):
            with self.assertRaises(DomainValidationError) as cm:
                Configuration.write([Configuration(1)], {
                        'field_job_approver': people['senior'].id})
        self.assertIn('Senior', str(cm.exception))

    @with_transaction()
    def test_absent_approver(self):
        """An absent approver's approvals go to the deputy of her absence,
        else to the function's deputy in the matrix"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Function = pool.get('mrk.function')
        Date = pool.get('ir.date')
        people = self.setup()
        today = Date.today()
        point = make_point(make_party(manager=people['manager']))
        self.set_approvers(people, field_job_approver='head2')

        with as_user(people['head']):
            absence, = Absence.create([{
                        'user': people['head2'].id,
                        'deputy': people['head3'].id,
                        'date_from': today,
                        'date_to': today + datetime.timedelta(days=5),
                        }])
        with as_user(people['manager']):
            job = make_job(point, kind='repair')
        self.assertOwner([job], codes.FIELD_JOB_SIGNATURE, people['head3'])
        signing, = Activity.open_for([job], [codes.FIELD_JOB_SIGNATURE])
        self.assertEqual(signing.delegated_from, people['head2'])

        # Her absence names no deputy: the matrix's deputy of 2.2 signs
        with as_user(people['head']):
            Absence.write([absence], {'deputy': None})
            Function.write([Function.get(codes.FIELD_JOB_SIGNATURE)], {
                    'deputy': people['head'].id})
        with as_user(people['manager']):
            job = make_job(point, kind='repair')
        self.assertOwner([job], codes.FIELD_JOB_SIGNATURE, people['head'])

    @with_transaction()
    def test_absent_owner_without_deputy(self):
        """An owner absent without a deputy on his absence: his open
        activities and the new ones go to the function's deputy in the
        matrix, and come back to him when he is back"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Function = pool.get('mrk.function')
        FieldJob = pool.get('mrk.field_job')
        Date = pool.get('ir.date')
        people = self.setup()
        today = Date.today()
        point = make_point(make_party(manager=people['manager']))
        owner = self.reassign(people, codes.FIELD_JOB_REGISTRATION)
        with as_user(people['head']):
            Function.write([Function.get(codes.FIELD_JOB_REGISTRATION)], {
                    'deputy': people['office'].id})
        with as_user(people['manager']):
            before, after = [make_job(point, kind='repair')
                for _ in range(2)]
        with as_user(people['head']):
            FieldJob.sign([before])
        self.assertOwner([before], codes.FIELD_JOB_REGISTRATION, owner)

        with as_user(owner):
            absence, = Absence.create([{
                        'user': owner.id,
                        'date_from': today,
                        'date_to': today + datetime.timedelta(days=3),
                        'reason': 'Больничный',
                        }])
        self.assertIsNone(absence.deputy)
        # The open one moved, the new one goes there too
        self.assertOwner([before], codes.FIELD_JOB_REGISTRATION,
                people['office'])
        with as_user(people['head']):
            FieldJob.sign([after])
        self.assertOwner([after], codes.FIELD_JOB_REGISTRATION,
                people['office'])
        moved = Activity.open_for([before, after],
                [codes.FIELD_JOB_REGISTRATION])
        self.assertEqual({a.delegated_from for a in moved}, {owner})

        # Back: the open ones return to him
        Absence.process(today + datetime.timedelta(days=4))
        self.assertOwner([before, after], codes.FIELD_JOB_REGISTRATION, owner)

    @with_transaction()
    def test_escalation_to_head_of_settings(self):
        """Overdue work is escalated to the head of the settings; while she
        is absent without a deputy on her absence, to the overdue
        function's deputy in the matrix"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Absence = pool.get('mrk.absence')
        Function = pool.get('mrk.function')
        Configuration = pool.get('mrk.configuration')
        Date = pool.get('ir.date')
        people = self.setup()
        today = Date.today()
        owner = self.reassign(people, codes.DOWNTIME_LONG)
        with as_user(people['head']):
            Configuration.write([Configuration(1)], {
                    'head': people['head2'].id})
            Function.write([Function.get(codes.DOWNTIME_LONG)], {
                    'deputy': people['senior'].id})
        overdue = today - datetime.timedelta(days=2)
        activity, = Activity.schedule(codes.DOWNTIME_LONG, deadline=overdue)
        self.assertEqual(activity.owner, owner)
        escalation, = Activity.escalate(today)
        self.assertEqual(escalation.owner, people['head2'])

        with as_user(people['head2']):
            Absence.create([{
                        'user': people['head2'].id,
                        'date_from': today,
                        'date_to': today + datetime.timedelta(days=7),
                        }])
        Activity.schedule(codes.DOWNTIME_LONG, deadline=overdue)
        escalation, = Activity.escalate(today)
        self.assertEqual(escalation.owner, people['senior'])
        self.assertEqual(escalation.delegated_from, people['head2'])
