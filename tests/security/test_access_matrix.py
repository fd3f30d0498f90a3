"""The access matrix of docs/roles.md («Права доступа по ролям») enforced at
the server.

The table in docs/roles.md is the source of these tests: for every model and
every role it says which of read / write / create / delete the role has and
which of them a record rule limits (the portfolio, the own records). The
tests make a user of each role and compare the server's answer with the
table, fail when a model of the MRK modules is missing from the table, make
a few real calls for the portfolio and own-records limits, and check that
every role still reads the models of the screens its menu shows."""
import datetime
import re
import unittest
from pathlib import Path

from trytond.model import ModelSQL
from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_field_jobs.tests.tools import (
    agree_values, make_job, make_party, make_point, make_terminals,
    setup_service, start_smtp_server)
from trytond.modules.mrk_rent.tests.tools import make_contract, make_term
from trytond.modules.mrk_base.access import unrestricted
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase, as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

ROOT = Path(__file__).resolve().parents[2]
ROLES_DOC = ROOT / 'docs' / 'roles.md'
SECTION = '## Права доступа по ролям'
MODULES = ['mrk_rent', 'mrk_field_jobs', 'mrk_1c', 'mrk_documents',
    'mrk_monitoring']
# The party models the table covers besides every mrk.* model
PARTY_MODELS = {
    'party.party', 'party.address', 'party.contact_mechanism',
    'party.identifier'}
# Column titles of the table: the roles of docs/roles.md and their groups
ROLE_COLUMNS = {
    'руководитель': 'head',
    'старший менеджер': 'senior',
    'менеджер по работе с клиентами': 'manager',
    'офис-администратор': 'office',
    'техник': 'technician',
    'курьер': 'courier',
    'бухгалтер': 'accountant',
    'оператор мониторинга': 'monitoring',
    'администратор коммерческой службы': 'admin',
    }
MODES = {'R': 'read', 'W': 'write', 'C': 'create', 'D': 'delete'}
# Which of the granted modes each mark of the table limits by record rules
# (the legend under the table)
LIMITS = {
    '': '',
    '(портфель)': 'WCD',
    '(только портфель)': 'RWCD',
    '(свои)': 'RWD',
    '(изменяет свои)': 'WCD',
    }
CELL = re.compile(r'^(?P<letters>R?W?C?D?|—)(?P<limit>\(.*\))?$')
D = datetime.date


def read_table():
    """Return {model: {role: (letters, limited letters)}} from the section
    «Права доступа по ролям» of docs/roles.md"""
    text = ROLES_DOC.read_text(encoding='utf-8')
    assert SECTION in text, 'docs/roles.md lacks the section %s' % SECTION
    lines = text.split(SECTION, 1)[1].splitlines()
    rows = [l for l in lines if l.startswith('|')]
    # the first table of the section
    start = lines.index(rows[0])
    table = []
    for line in lines[start:]:
        if not line.startswith('|'):
            break
        table.append([c.strip() for c in line.strip().strip('|').split('|')])
    header, _, *body = table
    columns = {}
    for index, title in enumerate(header):
        if title in ROLE_COLUMNS:
            columns[ROLE_COLUMNS[title]] = index
    assert set(columns) == set(ROLE_COLUMNS.values()), header
    matrix = {}
    for cells in body:
        model = cells[0].strip('`')
        assert model not in matrix, 'row %s twice' % model
        matrix[model] = {}
        for role, index in columns.items():
            match = CELL.match(cells[index])
            assert match, 'cell %r of %s' % (cells[index], model)
            letters = match.group('letters').replace('—', '')
            limit = match.group('limit') or ''
            assert limit in LIMITS, 'unknown mark %s of %s' % (limit, model)
            assert letters or not limit, (model, role)
            limited = ''.join(l for l in LIMITS[limit] if l in letters)
            matrix[model][role] = (letters, limited)
    return matrix




def make_role_users():
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    users = {}
    for role in ROLE_COLUMNS.values():
        users[role], = User.create([{
                    'name': 'Matrix %s' % role,
                    'login': 'matrix_%s' % role,
                    'groups': [('add', [
                                ModelData.get_id(
                                    'mrk_base', 'group_mrk_%s' % role)])],
                    }])
    return users


class AccessMatrixTestCase(DatabaseTestCase):
    "The access matrix of docs/roles.md at the server"
    modules = MODULES

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix = read_table()

    @with_transaction()
    def test_table_lists_every_model(self):
        """Every model of the MRK modules stored in the database (ModelSQL,
        not the wizards' forms) and the party models have a row, and every
        row is such a model"""
        pool = Pool()
        models = {name for name, Model in pool.iterobject()
            if name.startswith('mrk.') and issubclass(Model, ModelSQL)}
        self.assertTrue(models)
        self.assertEqual(
            sorted((models | PARTY_MODELS) - set(self.matrix)), [],
            "models missing from the table of docs/roles.md")
        self.assertEqual(
            sorted(set(self.matrix) - (models | PARTY_MODELS)), [],
            "rows of docs/roles.md that are no model")

    @with_transaction()
    def test_access_per_role(self):
        """For every row and role: the modes granted and refused, and the
        modes a record rule limits, are those of the table"""
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        Rule = pool.get('ir.rule')
        users = make_role_users()
        for model, roles in self.matrix.items():
            for role, (letters, limited) in roles.items():
                with self.subTest(model=model, role=role):
                    with as_user(users[role]):
                        for letter, mode in MODES.items():
                            allowed = ModelAccess.check(
                                model, mode, raise_exception=False)
                            self.assertEqual(allowed, letter in letters,
                                '%s %s of %s' % (role, mode, model))
                            if letter in letters:
                                self.assertEqual(
                                    not unrestricted(
                                        Rule.domain_get(model, mode)),
                                    letter in limited,
                                    'record rule on %s %s of %s' % (
                                        role, mode, model))
                        if 'R' not in letters:
                            with self.assertRaises(AccessError):
                                pool.get(model).search([], limit=1)

    @with_transaction()
    def test_main_screens_readable(self):
        """Every role reads the models of the screens its menu opens: the
        table holds the rights of real work, not empty rows"""
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelAccess = pool.get('ir.model.access')
        users = make_role_users()
        with Transaction().set_context(_check_access=False):
            menus = Menu.search([])
        for role, user in users.items():
            with self.subTest(role=role):
                with as_user(user):
                    visible = Menu.search([('id', 'in', [m.id for m in menus])])
                    models = set()
                    for menu in visible:
                        action = menu.action
                        res_model = getattr(action, 'res_model', None)
                        if res_model and res_model.startswith(
                                ('mrk.', 'party.')):
                            models.add(res_model)
                    self.assertTrue(models, role)
                    for model in sorted(models):
                        self.assertTrue(
                            ModelAccess.check(
                                model, 'read', raise_exception=False),
                            '%s opens %s but cannot read it' % (role, model))
                        if model in self.matrix:
                            self.assertIn('R', self.matrix[model][role][0])
                        pool.get(model).search([], limit=1)

    def setup_work(self):
        "Two managers' portfolios, two technicians' jobs, a contract's terms"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Placement = pool.get('mrk.terminal.placement')
        company, people = setup_service()
        mine = make_party('ООО «Ромашка»', manager=people['manager'])
        theirs = make_party('ООО «Лютик»', manager=people['manager2'])
        point = make_point(mine)
        other_point = make_point(theirs, name='Аптека')
        job = make_job(point, kind='repair')
        other_job = make_job(other_point, kind='install')
        FieldJob.write([job], agree_values(technician=people['technician']))
        FieldJob.write([other_job],
            agree_values(technician=people['technician2']))
        terminal, = make_terminals('SN-9001')
        Placement.install([terminal], other_point, D(2026, 3, 10),
            install_job=other_job.id)
        contract = make_contract(mine)
        other_contract = make_contract(theirs)
        return {
            'company': company, 'people': people,
            'party': mine, 'other_party': theirs,
            'point': point, 'other_point': other_point,
            'job': job, 'other_job': other_job, 'terminal': terminal,
            'term': make_term(contract, '1000.00'),
            'other_term': make_term(other_contract, '2000.00'),
            }

    @with_transaction()
    def test_manager_writes_own_portfolio(self):
        """A client manager writes the rent terms, points and field jobs of
        his portfolio, not his colleague's"""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        RentTerm = pool.get('mrk.rent.term')
        Point = pool.get('mrk.point')
        Visit = pool.get('mrk.field_job.visit')
        w = self.setup_work()
        people = w['people']
        visit, = Visit.create([{'job': w['job'].id, 'result': 'planned'}])
        other_visit, = Visit.create([{
                    'job': w['other_job'].id, 'result': 'planned'}])
        with as_user(people['manager']):
            RentTerm.write([w['term']], {'reason': 'Согласовано'})
            with self.assertRaises(AccessError):
                RentTerm.write([w['other_term']], {'reason': 'x'})
            with self.assertRaises(AccessError):
                RentTerm.delete([w['other_term']])
            Point.write([w['point']], {'contact_phone': '+7 900 1'})
            with self.assertRaises(AccessError):
                Point.write([w['other_point']], {'contact_phone': '+7 9'})
            FieldJob.write([w['job']], {'contact_phone': '+7 900 2'})
            with self.assertRaises(AccessError):
                FieldJob.write([w['other_job']], {'contact_phone': '+7 9'})
            # A visit is the history of its job: nobody writes it by hand
            with self.assertRaises(WorkflowAccessError):
                Visit.write([visit], {'reason': 'Перенос'})
            with self.assertRaises(AccessError):
                Visit.write([other_visit], {'reason': 'x'})
            with self.assertRaises(AccessError):
                Visit.delete([other_visit])
            # He reads them all the same
            self.assertEqual(len(RentTerm.search([])), 2)
            self.assertEqual(len(Visit.search([])), 2)
        self.assertEqual(RentTerm(w['other_term'].id).reason, None)

    @with_transaction()
    def test_monitoring_reads_field_jobs(self):
        """The monitoring operator reads field jobs and their visits, creates,
        changes and deletes none"""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Visit = pool.get('mrk.field_job.visit')
        w = self.setup_work()
        visit, = Visit.create([{'job': w['job'].id, 'result': 'planned'}])
        with as_user(w['people']['monitoring']):
            self.assertEqual(len(FieldJob.search([])), 2)
            with self.assertRaises(AccessError):
                FieldJob.create([{
                            'company': w['company'].id,
                            'kind': 'repair',
                            'point': w['point'].id,
                            }])
            with self.assertRaises(AccessError):
                FieldJob.write([w['job']], {'technician': None})
            with self.assertRaises(AccessError):
                Visit.create([{'job': w['job'].id, 'result': 'planned'}])
            with self.assertRaises(AccessError):
                Visit.delete([visit])
        self.assertEqual(FieldJob(w['job'].id).technician,
            w['people']['technician'])

    @with_transaction()
    def test_manager_search_through_jobs(self):
        """A client manager searching points, terminals and placements
        through field jobs finds only the jobs of his portfolio"""
        pool = Pool()
        Point = pool.get('mrk.point')
        Terminal = pool.get('mrk.terminal')
        Placement = pool.get('mrk.terminal.placement')
        w = self.setup_work()
        people = w['people']
        other = people['technician2'].id
        with as_user(people['manager']):
            for Model, domain in [
                    (Point, [('field_jobs.technician', '=', other)]),
                    (Point, [('field_jobs', 'where',
                                [('technician', '=', other)])]),
                    (Point, [('field_jobs', '=', w['other_job'].id)]),
                    (Placement, [('install_job.technician', '=', other)]),
                    (Placement, [('install_job', '!=', None)]),
                    ]:
                with self.subTest(model=Model.__name__, domain=domain):
                    self.assertEqual(Model.search_count(domain), 0)
            self.assertEqual(Point.search([('field_jobs', '!=', None)]),
                [w['point']])
            self.assertEqual(Point.search(
                    [('field_jobs.technician', '=',
                            people['technician'].id)]), [w['point']])
            self.assertEqual(Terminal.search_count(
                    [('field_jobs', '!=', None)]), 0)
        with as_user(people['manager2']):
            self.assertEqual(
                Placement.search_count([('install_job', '!=', None)]), 1)

    @with_transaction()
    def test_technician_cannot_search_others_jobs(self):
        """A technician does not find points, terminals or placements
        through another technician's jobs"""
        pool = Pool()
        Point = pool.get('mrk.point')
        Terminal = pool.get('mrk.terminal')
        Placement = pool.get('mrk.terminal.placement')
        FieldJob = pool.get('mrk.field_job')
        w = self.setup_work()
        people = w['people']
        other = people['technician2'].id
        with as_user(people['technician']):
            self.assertEqual(FieldJob.search([]), [w['job']])
            for Model, domain in [
                    (Point, [('field_jobs.technician', '=', other)]),
                    (Point, [('field_jobs', 'where',
                                [('technician', '=', other)])]),
                    (Point, [('field_jobs', '!=', None)]),
                    (Terminal, [('field_jobs.technician', '=', other)]),
                    (Placement, [('install_job.technician', '=', other)]),
                    (Placement, [('removal_job.technician', '=', other)]),
                    ]:
                with self.subTest(model=Model.__name__, domain=domain):
                    with self.assertRaises(AccessError):
                        Model.search_count(domain)
            with self.assertRaises(AccessError):
                Placement.read([p.id for p in Placement.search([])],
                    ['install_job'])
            # His screens work: points, terminals and placements themselves
            self.assertEqual(len(Point.search([])), 2)
            self.assertEqual(len(Placement.search([])), 1)
            self.assertEqual(len(Terminal.search([])), 1)

    @with_transaction()
    def test_deputy_works_on_absent_portfolio(self):
        """While a client manager is absent, his deputy reads and acts on
        the counterparties, contracts, field jobs, rent terms, points and
        contacts of his portfolio (seed problem 2; the deputy does 2.4 on
        the colleague's job); before and after the absence he does not"""
        pool = Pool()
        Absence = pool.get('mrk.absence')
        Contract = pool.get('mrk.contract')
        Contact = pool.get('mrk.party.contact')
        FieldJob = pool.get('mrk.field_job')
        RentTerm = pool.get('mrk.rent.term')
        Point = pool.get('mrk.point')
        Date = pool.get('ir.date')
        start_smtp_server(self)
        w = self.setup_work()
        people = w['people']
        today = Date.today()
        job = make_job(w['other_point'], kind='repair')
        FieldJob.sign([job])
        FieldJob.register([job])
        contract = w['other_term'].contract
        draft = make_contract(w['other_party'], state='draft')
        contact, = w['other_party'].mrk_contacts

        def writes():
            "The deputy changes each record of the colleague's portfolio"
            Contract.write([contract], {'notes': 'Звонил заместитель'})
            FieldJob.write([job], {'contact_phone': '+7 900 111-22-33'})
            RentTerm.write([w['other_term']], {'reason': 'Заместитель'})
            Point.write([w['other_point']], {'contact_phone': '+7 900 4'})
            Contact.write([contact], {'phone': '+7 900 555-66-77'})

        def as_deputy():
            "A fresh context per call: a context manager is entered once"
            return as_user(people['manager'])

        with as_deputy():
            self.assertEqual(FieldJob.search([]), [w['job']])
            with self.assertRaises(AccessError):
                FieldJob.read([job.id], ['number'])
            for model, record, values in [
                    (Contract, contract, {'notes': 'x'}),
                    (FieldJob, job, {'contact_phone': 'x'}),
                    (RentTerm, w['other_term'], {'reason': 'x'}),
                    (Point, w['other_point'], {'contact_phone': 'x'}),
                    (Contact, contact, {'phone': 'x'}),
                    ]:
                with self.subTest(model=model.__name__, when='before'):
                    with self.assertRaises(AccessError):
                        model.write([record], values)
            # He reads the colleague's contracts, their buttons are not his
            for button in [Contract.activate, Contract.cancel]:
                with self.assertRaises(AccessError):
                    button([draft])

        absence, = Absence.create([{
                    'user': people['manager2'].id,
                    'deputy': people['manager'].id,
                    'date_from': today,
                    'date_to': today + datetime.timedelta(days=7),
                    }])
        with as_deputy():
            self.assertEqual(FieldJob.search([], order=[('id', 'ASC')]),
                [w['job'], w['other_job'], job])
            self.assertEqual(
                FieldJob.read([job.id], ['number'])[0]['number'],
                job.number)
            writes()
            # 2.4 on the colleague's job: the date agreed, the services told
            FieldJob.write([job], dict(agree_values(today),
                    contact_name='Петров'))
            FieldJob.agree([job])
            Contract.activate([draft])
        self.assertEqual(FieldJob(job.id).state, 'notified')
        self.assertEqual(Contract(draft.id).state, 'active')
        self.assertEqual(Contract(contract.id).notes, 'Звонил заместитель')
        # Other managers gain nothing
        with as_user(people['manager2']):
            with self.assertRaises(AccessError):
                FieldJob.write([w['job']], {'contact_phone': 'x'})

        Absence.write([absence], {
                'date_from': today - datetime.timedelta(days=7),
                'date_to': today - datetime.timedelta(days=1),
                })
        with as_deputy():
            self.assertEqual(FieldJob.search([]), [w['job']])
            for model, record, values in [
                    (Contract, contract, {'notes': 'x'}),
                    (FieldJob, job, {'contact_phone': 'x'}),
                    (RentTerm, w['other_term'], {'reason': 'x'}),
                    (Point, w['other_point'], {'contact_phone': 'x'}),
                    (Contact, contact, {'phone': 'x'}),
                    ]:
                with self.subTest(model=model.__name__, when='after'):
                    with self.assertRaises(AccessError):
                        model.write([record], values)
            with self.assertRaises(AccessError):
                Contract.cancel([draft])

    @with_transaction()
    def test_pickers_find_by_inn(self):
        """Typing an INN where a counterparty or a contract is chosen finds
        its points, field jobs, contracts and rent terms for those who read
        the INN; a technician, a courier or monitoring find nothing by it"""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        FieldJob = pool.get('mrk.field_job')
        Point = pool.get('mrk.point')
        RentTerm = pool.get('mrk.rent.term')
        w = self.setup_work()
        people = w['people']
        with Transaction().set_context(_skip_warnings=True):
            party = make_party('ООО «Яндекс»', manager=people['manager'],
                inn='7736207543', kpp='770401001', ogrn='1027700229193')
        point = make_point(party, name='Офис')
        job = make_job(point, kind='repair')
        contract = make_contract(party)
        term = make_term(contract, '3000.00')
        inn = '%7736207%'
        by_name = {Point: point, FieldJob: job, Contract: contract,
            RentTerm: term}
        searches = [
            (Point, [('rec_name', 'ilike', inn)], [point]),
            (Point, [('party.rec_name', 'ilike', inn)], [point]),
            (FieldJob, [('rec_name', 'ilike', inn)], [job]),
            (FieldJob, [('party.rec_name', 'ilike', inn)], [job]),
            (Contract, [('rec_name', 'ilike', inn)], [contract]),
            (Contract, [('rec_name', 'ilike', contract.number)], [contract]),
            (RentTerm, [('rec_name', 'ilike', inn)], [term]),
            (RentTerm,
                [('contract.rec_name', 'ilike', '%1027700229%')], [term]),
            ]
        for role in ['manager', 'senior', 'office', 'head']:
            with self.subTest(role=role), as_user(people[role]):
                for Model, domain, expected in searches:
                    self.assertEqual(Model.search(domain), expected,
                        (Model.__name__, domain))
        for role, Model in [('technician', Point), ('courier', Point),
                ('monitoring', Point), ('monitoring', FieldJob),
                ('monitoring', Contract), ('monitoring', RentTerm)]:
            with self.subTest(role=role, model=Model.__name__), \
                    as_user(people[role]):
                self.assertEqual(
                    Model.search([('rec_name', 'ilike', inn)]), [])
                # By the name they find what they read
                self.assertEqual(
                    Model.search([('rec_name', 'ilike', '%Яндекс%')]),
                    [by_name[Model]])

if __name__ == '__main__':
    unittest.main()
