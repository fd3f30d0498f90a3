"""States and approvals change only through the workflows (issue 11, item 1).

trytond does not enforce ``readonly`` at the server: a user who calls
``create`` or ``write`` over JSON-RPC with other values than the client
sends could write a state, an approver or an approved amount directly. Each
case below is such a call, made as the role named, the way the JSON-RPC
dispatcher makes it (access checked); each must be refused with the
workflow's access error and leave the database as it was. The legitimate
path, the button of the right role, still works.

The tables are the documented rules (docs/admin.md, «Безопасность:
состояния и согласования»): who tries what on which record.
"""

from trytond.exceptions import UserError
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import (
    as_user, rolled_back, start_smtp_server)
from trytond.modules.mrk_field_jobs.tests.tools import (
    CASH_COLLECTION, TECHNICAL_SERVICE, agree_values, make_job)
from trytond.modules.mrk_rent.tests.tools import (
    D, Decimal, install, make_contract, make_party, make_point, make_term,
    make_terminals, setup_rent)
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

MODULES = ['mrk_rent', 'mrk_field_jobs']
MARCH = D(2026, 3, 1)
FEBRUARY = D(2026, 2, 1)


def setup_records():
    """One record in each state the cases need, made by the server (no
    access check, as the buttons and crons do):

    - contracts of «Ромашка» (cash rent) and «Василёк» (transfer), active,
      with a terminal each; a non-standard draft and one awaiting approval;
    - a confirmed amendment, a submitted and an approved change request;
    - field jobs: a draft, a signed one, one issued to the technician with
      its planned visit;
    - the cash run of March requested, its stop; the non-cash registry of
      March in draft and of February approved, their lines;
    - an open and a done activity, a terminal in stock, an absence."""
    pool = Pool()
    Configuration = pool.get('mrk.configuration')
    Contract = pool.get('mrk.contract')
    Amendment = pool.get('mrk.contract.amendment')
    ChangeRequest = pool.get('mrk.contract.change_request')
    FieldJob = pool.get('mrk.field_job')
    Visit = pool.get('mrk.field_job.visit')
    Route = pool.get('mrk.rent.route')
    CashRun = pool.get('mrk.rent.cash_run')
    Registry = pool.get('mrk.rent.registry')
    Activity = pool.get('mrk.activity')
    Absence = pool.get('mrk.absence')

    company, people = setup_rent()
    config = Configuration(1)
    config.cash_collection_email = CASH_COLLECTION
    config.technical_service_email = TECHNICAL_SERVICE
    config.save()
    manager = people['manager']
    r = {'company': company}

    romashka = make_party('ООО «Ромашка»', manager=manager)
    vasilek = make_party('ООО «Василёк»', manager=manager)
    r['active'] = make_contract(romashka)
    make_term(r['active'], '5000.00', payment_form='cash')
    r['transfer'] = make_contract(vasilek)
    make_term(r['transfer'], '3000.00', payment_form='transfer')
    r['point'] = make_point(romashka, name='Магазин', contract=r['active'])
    r['point2'] = make_point(vasilek, name='Киоск',
        contract=r['transfer'])
    t1, t2, r['terminal'], r['terminal2'] = make_terminals(
        'SN-1', 'SN-2', 'SN-3', 'SN-4')
    install([t1], r['point'], D(2026, 1, 10))
    install([t2], r['point2'], D(2026, 1, 10))
    r['t1'] = t1

    r['non_standard'] = make_contract(romashka, state='draft',
        kind='non_standard', rent_amount=Decimal('9000.00'))
    r['approval'] = make_contract(romashka, state='draft',
        kind='non_standard', rent_amount=Decimal('9000.00'),
        requisites_checked=True, terms_checked=True)
    Contract.submit([r['approval']])

    r['amendment'], = Amendment.create([{
                'contract': r['active'].id,
                'kind': 'other',
                'effective_date': D(2026, 2, 1),
                'description': 'Смена адреса точки',
                }])
    Amendment.confirm([r['amendment']])

    r['request'], r['request_approved'] = ChangeRequest.create([{
                'contract': r['active'].id,
                'description': 'Снизить аренду до 3 000 ₽',
                } for _ in range(2)])
    ChangeRequest.submit([r['request'], r['request_approved']])
    ChangeRequest.write([r['request_approved']], {'decision': 'Отказать'})
    ChangeRequest.approve([r['request_approved']])

    r['job'] = make_job(r['point'], kind='repair', terminals=[t1])
    r['job_signed'] = make_job(r['point'], kind='repair', terminals=[t1])
    FieldJob.sign([r['job_signed']])
    r['job_issued'] = make_job(r['point2'], kind='repair', terminals=[t2],
        **agree_values(D(2026, 3, 10), people['technician']))
    FieldJob.write([r['job_issued']], {'state': 'issued'})
    r['visit'], = Visit.create([{
                'job': r['job_issued'].id,
                'planned_date': D(2026, 3, 10),
                'technician': people['technician'].id,
                'result': 'planned',
                }])

    route, = Route.create([{
                'name': 'Север',
                'courier': people['courier'].id,
                'stops': [('create', [{
                                'sequence': 1, 'point': r['point'].id}])],
                }])
    r['run'], = CashRun.generate(MARCH)
    CashRun.request([r['run']])
    r['run_line'], = r['run'].lines

    r['registry'] = Registry.generate(MARCH)
    r['registry_line'], = r['registry'].lines
    r['registry_approved'] = Registry.generate(FEBRUARY)
    Registry.monitoring_check([r['registry_approved']])
    Registry.accounting_check([r['registry_approved']])
    Registry.approve([r['registry_approved']])
    r['registry_approved_line'], = r['registry_approved'].lines

    r['activity'], = Activity.schedule(codes.PROLONGATION_CALL, [r['active']],
            owner=manager)
    r['activity_done'], = Activity.schedule(
        codes.PROLONGATION_CALL, [r['active']], owner=manager)
    Activity.do([r['activity_done']])

    r['absence'], = Absence.create([{
                'user': manager.id,
                'deputy': people['manager2'].id,
                'date_from': D(2099, 1, 1),
                'date_to': D(2099, 1, 31),
                }])
    for name, record in list(r.items()):
        if hasattr(record, 'id'):
            r[name] = record.__class__(record.id)
    return people, r


# (role, model, record, values): writes that are refused.
# A value given as a role is that user's id, as a record key that record's.
WRITES = [
    # 1.4: only the head approves a non-standard contract, and what she
    # approves is what stays
    ('manager', 'mrk.contract', 'non_standard',
        {'state': 'active', 'approved_by': 'head'}),
    ('manager', 'mrk.contract', 'non_standard', {'approved_on': MARCH}),
    ('senior', 'mrk.contract', 'approval', {'state': 'active'}),
    ('manager', 'mrk.contract', 'approval', {'kind': 'standard'}),
    ('manager', 'mrk.contract', 'approval',
        {'rent_amount': Decimal('1.00')}),
    ('manager', 'mrk.contract', 'active', {'rent_amount': Decimal('1.00')}),
    ('manager', 'mrk.contract', 'approval',
        {'rent_first_payment_form': 'invoice'}),
    ('manager', 'mrk.contract', 'active', {'end_date': D(2030, 12, 31)}),
    ('senior', 'mrk.contract', 'active', {'party': 'vasilek'}),
    ('manager', 'mrk.contract', 'active', {'state': 'draft'}),
    ('manager', 'mrk.contract', 'active', {'expiry_call_for': MARCH}),
    ('manager', 'mrk.contract', 'non_standard', {'number': 'А-2026-0999'}),
    # 3.1: a confirmed amendment is what was signed
    ('senior', 'mrk.contract.amendment', 'amendment', {'state': 'draft'}),
    ('senior', 'mrk.contract.amendment', 'amendment',
        {'effective_date': D(2026, 1, 1)}),
    ('senior', 'mrk.contract.amendment', 'amendment', {'confirmed_by': None}),
    # 1.3: the head decides the change requests
    ('manager', 'mrk.contract.change_request', 'request',
        {'state': 'approved', 'decided_by': 'head'}),
    ('senior', 'mrk.contract.change_request', 'request',
        {'state': 'approved', 'decided_by': 'head'}),
    ('office', 'mrk.contract.change_request', 'request',
        {'state': 'approved', 'decided_by': 'head'}),
    ('manager', 'mrk.contract.change_request', 'request',
        {'description': 'Другая просьба'}),
    ('manager', 'mrk.contract.change_request', 'request_approved',
        {'decision': 'Согласовано'}),
    # 2.2: only the head signs a field job; signed, it is what she signed
    ('manager', 'mrk.field_job', 'job', {'state': 'signed'}),
    ('office', 'mrk.field_job', 'job', {'state': 'signed'}),
    ('senior', 'mrk.field_job', 'job',
        {'state': 'signed', 'signed_by': 'head'}),
    ('manager', 'mrk.field_job', 'job', {'number': '999'}),
    ('manager', 'mrk.field_job', 'job_signed', {'kind': 'removal'}),
    ('manager', 'mrk.field_job', 'job_signed', {'point': 'point2'}),
    ('manager', 'mrk.field_job', 'job_signed', {'party': 'vasilek'}),
    # 2.10: the technician reports through the buttons, with his report
    ('technician', 'mrk.field_job', 'job_issued', {'state': 'done'}),
    ('technician', 'mrk.field_job', 'job_issued',
        {'done_date': D(2026, 3, 10)}),
    ('manager', 'mrk.field_job', 'job_issued',
        {'terminals': [('add', ['terminal'])]}),
    ('manager', 'mrk.field_job', 'job_issued',
        {'planned_date': D(2026, 3, 20)}),
    ('technician', 'mrk.field_job.visit', 'visit', {'result': 'done'}),
    ('manager', 'mrk.field_job.visit', 'visit',
        {'planned_date': D(2026, 3, 20)}),
    # 8.4: only the head approves the payment permit of a cash run
    ('senior', 'mrk.rent.cash_run', 'run',
        {'state': 'approved', 'approved_by': 'head'}),
    ('office', 'mrk.rent.cash_run', 'run',
        {'state': 'approved', 'approved_by': 'head'}),
    ('senior', 'mrk.rent.cash_run', 'run', {'approved_on': MARCH}),
    ('senior', 'mrk.rent.cash_run', 'run', {'month': FEBRUARY}),
    ('senior', 'mrk.rent.cash_run.line', 'run_line',
        {'amount': Decimal('50000.00')}),
    ('senior', 'mrk.rent.cash_run.line', 'run_line', {'state': 'paid'}),
    ('senior', 'mrk.rent.cash_run.line', 'run_line', {'visited': True}),
    ('courier', 'mrk.rent.cash_run.line', 'run_line',
        {'state': 'paid', 'receipt_number': '17'}),
    ('senior', 'mrk.rent.cash_run', 'run',
        {'lines': [('write', ['run_line'],
                    {'amount': Decimal('50000.00')})]}),
    # 9.1–9.3: the checks and the head's approval of the registry
    ('accountant', 'mrk.rent.registry', 'registry', {'state': 'approved'}),
    ('monitoring', 'mrk.rent.registry', 'registry', {'state': 'approved'}),
    ('office', 'mrk.rent.registry', 'registry', {'state': 'approved'}),
    ('senior', 'mrk.rent.registry', 'registry',
        {'state': 'approved', 'approved_by': 'head'}),
    ('senior', 'mrk.rent.registry', 'registry',
        {'monitoring_checked_by': 'monitoring'}),
    ('senior', 'mrk.rent.registry.line', 'registry_line',
        {'amount': Decimal('1000000.00')}),
    ('senior', 'mrk.rent.registry.line', 'registry_line',
        {'account': '40702810000000000099'}),
    ('senior', 'mrk.rent.registry', 'registry',
        {'lines': [('write', ['registry_line'],
                    {'amount': Decimal('1000000.00')})]}),
    ('senior', 'mrk.rent.registry', 'registry_approved', {'state': 'draft'}),
    # Activities: done says who did it
    ('manager', 'mrk.activity', 'activity',
        {'state': 'done', 'done_by': 'head'}),
    ('manager', 'mrk.activity', 'activity_done', {'state': 'open'}),
    ('manager', 'mrk.activity', 'activity_done', {'note': 'Иначе'}),
    ('manager', 'mrk.activity', 'activity', {'delegated_from': 'manager2'}),
    ('senior', 'mrk.rent.registry', 'registry', {'number': 'РБП-0'}),
    # Terminals follow their placements and buttons; absences their dates
    ('admin', 'mrk.terminal', 'terminal', {'state': 'installed'}),
    ('manager', 'mrk.absence', 'absence', {'state': 'current'}),
    ]

# (role, model, values): creations that are refused
CREATES = [
    ('manager', 'mrk.contract', {'kind': 'non_standard', 'state': 'active',
            'approved_by': 'head'}),
    ('manager', 'mrk.contract', {'kind': 'non_standard',
            'approved_on': MARCH}),
    ('manager', 'mrk.contract.change_request', {'contract': 'active',
            'description': 'Снизить аренду', 'state': 'approved'}),
    ('manager', 'mrk.field_job', {'point': 'point', 'kind': 'repair',
            'state': 'signed', 'signed_by': 'head'}),
    ('senior', 'mrk.rent.cash_run', {'route': 'route', 'month': FEBRUARY,
            'state': 'approved'}),
    ('senior', 'mrk.rent.registry', {'month': D(2026, 4, 1),
            'state': 'approved'}),
    ('technician', 'mrk.field_job.visit', {'job': 'job_issued',
            'result': 'done'}),
    ('manager', 'mrk.activity', {'name': 'Звонок', 'state': 'done'}),
    ]

# (role, model, record, values): lines added to a parent by writing it
LINE_CREATES = [
    ('senior', 'mrk.rent.registry', 'registry', 'lines', {
            'contract': 'active', 'party': 'romashka',
            'payment_form': 'transfer', 'amount': Decimal('70000.00'),
            'account': '40702810000000000099'}),
    ('senior', 'mrk.rent.cash_run', 'run', 'lines', {
            'point': 'point2', 'amount': Decimal('70000.00')}),
    ]

# (role, model, record): deletions that are refused
DELETES = [
    ('manager', 'mrk.contract.change_request', 'request'),
    ('manager', 'mrk.contract.change_request', 'request_approved'),
    ('technician', 'mrk.field_job.visit', 'visit'),
    ('senior', 'mrk.rent.registry.line', 'registry_approved_line'),
    ('senior', 'mrk.rent.cash_run.line', 'run_line'),
    ]


class WorkflowForgeryTestCase(DatabaseTestCase):
    "States and approvals are written only by the workflows' buttons"
    modules = MODULES

    def setUp(self):
        super().setUp()
        # The services' notices of the field jobs leave at the commit
        self.inbox = start_smtp_server(self)

    def resolve(self, people, records, value):
        "A role or a record key becomes its id, in lists and dicts too"
        if isinstance(value, str) and value in people:
            return people[value].id
        if isinstance(value, str) and value in records:
            return records[value].id
        if isinstance(value, dict):
            return {k: self.resolve(people, records, v)
                for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(self.resolve(people, records, v)
                for v in value)
        return value

    def stored(self, Model, ids, names=None):
        "The values in the database, read again"
        Transaction().cache.clear()
        names = sorted(names or ['state'] if 'state' in Model._fields
            else names or ['id'])
        return Model.read(ids, [n for n in names if n in Model._fields])

    def assertRefused(self, user, call, check):
        """The call as user is refused and check() reads the same after.

        The refusal is the workflow's guard (WorkflowAccessError) or, where
        the model had one already, its own rule (the registry's lines, the
        stops of a cash run) or the access rights of the role."""
        before = check()
        with rolled_back():
            with as_user(user):
                with self.assertRaises(UserError):
                    call()
        self.assertEqual(check(), before)

    @with_transaction()
    def test_writes_refused(self):
        "Writing a state, an approver or an approved term is refused"
        pool = Pool()
        people, records = setup_records()
        records['route'], = pool.get('mrk.rent.route').search([])
        records['romashka'] = records['active'].party
        records['vasilek'] = records['transfer'].party
        for role, model, key, values in WRITES:
            with self.subTest(role=role, model=model, record=key,
                    values=values):
                Model = pool.get(model)
                record = records[key]
                values = self.resolve(people, records, values)
                names = [n for n in values if n != 'lines'] + ['state']
                if 'lines' in values:
                    Line = Model._fields['lines'].get_target()
                    line_ids = [l.id for l in getattr(record, 'lines')]
                    check = lambda: (self.stored(Model, [record.id], names),
                        self.stored(Line, line_ids, ['amount']))
                else:
                    check = lambda: self.stored(Model, [record.id], names)
                self.assertRefused(people[role],
                    lambda: Model.write([record], values), check)

    @with_transaction()
    def test_creates_refused(self):
        "Creating a record already approved, or a line, is refused"
        pool = Pool()
        people, records = setup_records()
        records['route'], = pool.get('mrk.rent.route').search([])
        records['romashka'] = records['active'].party
        base = {
            'mrk.contract': {
                'party': 'romashka', 'start_date': D(2026, 4, 1),
                'end_date': D(2027, 3, 31), 'rent_amount': Decimal('100'),
                'currency': records['company'].currency.id,
                'company': records['company'].id},
            'mrk.field_job': {'company': records['company'].id},
            'mrk.rent.cash_run': {'company': records['company'].id},
            'mrk.rent.registry': {'company': records['company'].id},
            }
        for role, model, values in CREATES:
            with self.subTest(role=role, model=model, values=values):
                Model = pool.get(model)
                values = self.resolve(people, records,
                    dict(base.get(model, {}), **values))
                self.assertRefused(people[role],
                    lambda: Model.create([values]),
                    lambda: Model.search([], count=True))
        for role, model, key, field, values in LINE_CREATES:
            with self.subTest(role=role, model=model, field=field):
                Model = pool.get(model)
                Line = Model._fields[field].get_target()
                record = records[key]
                values = self.resolve(people, records, values)
                self.assertRefused(people[role],
                    lambda: Model.write([record], {
                            field: [('create', [values])]}),
                    lambda: Line.search([], count=True))

    @with_transaction()
    def test_deletes_refused(self):
        "Deleting a record past its draft, or a history line, is refused"
        pool = Pool()
        people, records = setup_records()
        for role, model, key in DELETES:
            with self.subTest(role=role, model=model, record=key):
                Model = pool.get(model)
                record = records[key]
                self.assertRefused(people[role],
                    lambda: Model.delete([record]),
                    lambda: Model.search(
                        [('id', '=', record.id)], count=True))

    @with_transaction()
    def test_copy_starts_again(self):
        "A copy of an approved contract is a new draft, not approved"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        people, records = setup_records()
        with as_user(people['head']):
            Contract.approve([records['approval']])
        with as_user(people['manager']):
            copy, = Contract.copy([records['approval']])
        self.assertEqual(copy.state, 'draft')
        self.assertIsNone(copy.approved_by)
        self.assertIsNone(copy.approved_on)
        self.assertEqual(copy.kind, 'non_standard')

    @with_transaction()
    def test_buttons_still_work(self):
        "The right role's buttons and the fields people fill still work"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        ChangeRequest = pool.get('mrk.contract.change_request')
        FieldJob = pool.get('mrk.field_job')
        CashRun = pool.get('mrk.rent.cash_run')
        CashRunLine = pool.get('mrk.rent.cash_run.line')
        Registry = pool.get('mrk.rent.registry')
        RegistryLine = pool.get('mrk.rent.registry.line')
        Activity = pool.get('mrk.activity')
        people, r = setup_records()

        # 1.4: the web client sends the defaults of a new contract
        with as_user(people['manager']):
            contract, = Contract.create([{
                        'company': r['company'].id,
                        'currency': r['company'].currency.id,
                        'party': r['active'].party.id,
                        'kind': 'non_standard',
                        'state': 'draft',
                        'approved_by': None,
                        'approved_on': None,
                        'start_date': D(2026, 4, 1),
                        'end_date': D(2027, 3, 31),
                        'rent_amount': Decimal('8000.00'),
                        }])
            Contract.write([contract], {
                    'requisites_checked': True, 'terms_checked': True,
                    'rent_amount': Decimal('8500.00'),
                    'rent_first_payment_form': 'transfer'})
            Contract.submit([contract])
            # What does not change is accepted
            Contract.write([contract], {
                    'state': 'approval', 'kind': 'non_standard',
                    'notes': 'Текст контрагента'})
        with as_user(people['head']):
            Contract.write([contract], {'approval_comment': 'Согласовано'})
            Contract.approve([contract])
        contract = Contract(contract.id)
        self.assertEqual(contract.state, 'active')
        self.assertEqual(contract.approved_by, people['head'])
        self.assertEqual(contract.rent_amount, Decimal('8500.00'))

        # 1.3
        with as_user(people['head']):
            ChangeRequest.write([r['request']], {'decision': 'Согласовано'})
            ChangeRequest.approve([r['request']])
        self.assertEqual(ChangeRequest(r['request'].id).decided_by,
            people['head'])

        # 2.2, 2.3 and 2.10
        with as_user(people['head']):
            FieldJob.sign([r['job']])
        with as_user(people['office']):
            FieldJob.register([r['job']])
        self.assertEqual(FieldJob(r['job'].id).state, 'registered')
        with as_user(people['manager']):
            FieldJob.write([r['job']], dict(agree_values(),
                    technician=people['technician'].id))
        with as_user(people['technician']):
            FieldJob.write([r['job_issued']], {'report': 'Заменён блок'})
            FieldJob.do([r['job_issued']])
        job = FieldJob(r['job_issued'].id)
        self.assertEqual(job.state, 'done')
        self.assertEqual(job.visits[0].result, 'done')

        # 8.4–8.6
        with as_user(people['head']):
            CashRun.approve([r['run']])
        with as_user(people['senior']):
            CashRun.deliver([r['run']])
            CashRun.write([r['run']], {'lines': [('write',
                            [r['run_line'].id], {'visited': True})]})
        self.assertTrue(CashRunLine(r['run_line'].id).visited)
        self.assertEqual(CashRun(r['run'].id).state, 'delivering')

        # 9.1–9.3
        with as_user(people['monitoring']):
            RegistryLine.write([r['registry_line']], {
                    'monitoring_note': 'Терминал работает',
                    'monitoring_ok': True})
            Registry.monitoring_check([r['registry']])
        with as_user(people['accountant']):
            Registry.accounting_check([r['registry']])
        with as_user(people['head']):
            Registry.approve([r['registry']])
        with as_user(people['accountant']):
            Registry.export([r['registry']])
        registry = Registry(r['registry'].id)
        self.assertEqual(registry.state, 'exported')
        self.assertEqual(registry.approved_by, people['head'])

        # Activities
        with as_user(people['manager']):
            Activity.write([r['activity']], {'result': 'Позвонил'})
            Activity.do([r['activity']])
        self.assertEqual(Activity(r['activity'].id).done_by,
            people['manager'])

    @with_transaction()
    def test_refusal_names_record_and_field(self):
        "The refusal says which field of which record"
        pool = Pool()
        Contract = pool.get('mrk.contract')
        people, records = setup_records()
        contract = records['non_standard']
        with as_user(people['manager']):
            with self.assertRaises(WorkflowAccessError) as cm:
                Contract.write([contract], {'state': 'active'})
        self.assertEqual(cm.exception.message,
            'The field "State" of the record "%s" (Rent Contract) changes '
            'only through the buttons of its workflow.' % contract.rec_name)
