"""Every role's day (issue 12): each role lands on its working screen after
login, its lists open on the tab that holds its work, the head decides
from one approval board, and the smaller defects found when the demo was
tried as a new user would."""
import xml.etree.ElementTree as ET
from contextlib import contextmanager

from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.modules.mrk_field_jobs.tests.tools import (
    make_job, make_party, make_point, make_user, setup_service)
from trytond.modules.mrk_rent.tests.tools import make_contract
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

MODULES = ['mrk_rent', 'mrk_field_jobs']

# The screens each role opens at login, in the order they open (the last
# one is shown): issue 12, item 4.
LANDING = {
    'head': ['mrk_base.act_activity_board',
        'mrk_contracts.act_approval_board'],
    'senior': ['mrk_base.act_activity_mine',
        'mrk_contracts.act_contract_expiring'],
    'manager': ['mrk_base.act_activity_mine'],
    'office': ['mrk_base.act_activity_mine',
        'mrk_field_jobs.act_field_job_journal'],
    'technician': ['mrk_field_jobs.act_field_job_mine'],
    'courier': ['mrk_rent.act_cash_line_mine'],
    'accountant': ['mrk_rent.act_registry_accounting',
        'mrk_rent.act_cash_run_accounting'],
    'monitoring': ['mrk_rent.act_registry_monitoring'],
    }


@contextmanager
def as_user(user):
    "Act as user the way trytond's JSON-RPC dispatcher does"
    transaction = Transaction()
    with transaction.set_user(user.id), \
            transaction.set_context(_check_access=True):
        yield


def action_id(xml_id):
    "The ir.action of the act_window xml_id, as the client receives it"
    pool = Pool()
    ModelData = pool.get('ir.model.data')
    Action = pool.get('ir.action')
    module, name = xml_id.split('.')
    return Action.get_action_id(ModelData.get_id(module, name))


def login_actions(user):
    "The actions the web client runs when user logs in"
    User = Pool().get('res.user')
    with as_user(user):
        return User.get_preferences(False)['actions']


class RolesDayTestCase(DatabaseTestCase):
    modules = MODULES

    # -- item 4: each role lands on its working screen --------------------

    @with_transaction()
    def test_each_role_lands_on_its_screen(self):
        "After login each role's working screens open (item 4)"
        company, people = setup_service()
        for role, xml_ids in LANDING.items():
            self.assertEqual(login_actions(people[role]),
                [action_id(x) for x in xml_ids], role)

    @with_transaction()
    def test_landing_follows_the_role(self):
        """A user given a role later lands on its screens; his own login
        actions win over his roles'"""
        pool = Pool()
        User = pool.get('res.user')
        company, people = setup_service()
        user = make_user('newcomer', 'manager', company)
        self.assertEqual(login_actions(user),
            [action_id('mrk_base.act_activity_mine')])
        User.write([user], {
                'actions': [('add', [action_id('mrk_rent.act_route_form')])],
                })
        self.assertEqual(login_actions(user),
            [action_id('mrk_rent.act_route_form')])

    @with_transaction()
    def test_admin_not_met_by_config_wizard_after_demo(self):
        """Once the demo is set up the administrator is not sent through
        the module configuration wizard at every login"""
        pool = Pool()
        User = pool.get('res.user')
        from trytond.modules.mrk_base import demo
        wizard = action_id('ir.act_module_config_wizard')
        admin, = User.search([('login', '=', 'admin')])
        self.assertIn(wizard, login_actions(admin))
        Lang = pool.get('ir.lang')
        Lang.write(Lang.search([('code', '=', 'ru')]), {'translatable': True})
        # As tools/mrk.py loads it: as the root user
        with Transaction().set_user(0):
            demo.setup({})
        self.assertNotIn(wizard, login_actions(admin))

    # -- item 5: lists open on the tab that holds work ---------------------

    def tabs(self, user, xml_id):
        "The tabs of the list xml_id as the web client gets them for user"
        ActWindow = Pool().get('ir.action.act_window')
        with as_user(user):
            return [name for name, _, _ in ActWindow.get(xml_id)['domains']]

    @with_transaction()
    def test_portfolio_tab_only_for_client_managers(self):
        """«Мой портфель» is the first tab of counterparties and points for
        a client manager and is not shown to the other roles"""
        company, people = setup_service()
        for xml_id in ['mrk_base.act_counterparty_form',
                'mrk_terminals.act_point_form']:
            self.assertEqual(
                self.tabs(people['manager'], xml_id)[0], 'My Portfolio')
            for role in ['head', 'senior', 'office', 'accountant']:
                self.assertNotIn('My Portfolio',
                    self.tabs(people[role], xml_id), (xml_id, role))

    @with_transaction()
    def test_registries_open_on_the_role_check(self):
        """The accountant's registries open on those waiting for
        accounting, monitoring's on those waiting for its check, the
        accountant's cash runs on those handed to accounting"""
        company, people = setup_service()
        self.assertEqual(self.tabs(people['accountant'],
                'mrk_rent.act_registry_accounting')[0],
            'Waiting for Accounting')
        self.assertEqual(self.tabs(people['monitoring'],
                'mrk_rent.act_registry_monitoring')[0],
            'Waiting for Monitoring')
        self.assertEqual(self.tabs(people['accountant'],
                'mrk_rent.act_cash_run_accounting')[0], 'To Close')

    # -- item 6: the head decides from one board --------------------------

    # The board's columns: what each one lists, the fields a row shows
    # (what, for whom, since when, amount) and its buttons
    BOARD = {
        'mrk_contracts.act_approval_contract': ('mrk.contract',
            {'number', 'party', 'date', 'rent_amount'},
            {'approve', 'reject'}),
        'mrk_contracts.act_approval_change_request': (
            'mrk.contract.change_request',
            {'contract', 'description', 'received_on'},
            {'approve', 'reject'}),
        'mrk_field_jobs.act_approval_field_job_sign': ('mrk.field_job',
            {'kind', 'party', 'point', 'manager', 'date'}, {'sign'}),
        'mrk_field_jobs.act_approval_field_job_problem': ('mrk.field_job',
            {'number', 'party', 'problem', 'planned_date'}, set()),
        'mrk_rent.act_approval_cash_run': ('mrk.rent.cash_run',
            {'route', 'courier', 'requested_on', 'total_due'},
            {'approve', 'draft'}),
        'mrk_rent.act_approval_registry': ('mrk.rent.registry',
            {'number', 'month_name', 'accounting_checked_on', 'total'},
            {'approve', 'draft'}),
        }

    def column(self, user, xml_id):
        """The model, list arch and records of a board column, searched as
        the web client does (the column's search_value)"""
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        from trytond.pyson import PYSONDecoder
        with as_user(user):
            action = ActWindow.get(xml_id)
            Model = pool.get(action['res_model'])
            view_id = action['views'][0][0]
            arch = Model.fields_view_get(view_id=view_id)['arch']
            domain = PYSONDecoder({'_user': user.id}).decode(
                action['pyson_search_value'])
            return Model, ET.fromstring(arch), Model.search(domain)

    @with_transaction()
    def test_approval_board(self):
        """One board lists every kind of decision awaiting the head, each
        row with what, for whom, since, amount and its buttons; she lands
        on it"""
        pool = Pool()
        View = pool.get('ir.ui.view')
        ModelData = pool.get('ir.model.data')
        Contract = pool.get('mrk.contract')
        Request = pool.get('mrk.contract.change_request')
        company, people = setup_service()
        head = people['head']
        self.assertIn(action_id('mrk_contracts.act_approval_board'),
            login_actions(head))
        board = View(ModelData.get_id(
                'mrk_contracts', 'approval_board_view'))
        with as_user(head):
            arch = ET.fromstring(board.view_get()['arch'])
        self.assertEqual(
            [a.get('name') for a in arch.iter('action')], list(self.BOARD))
        for xml_id, (model, names, buttons) in self.BOARD.items():
            Model, arch, _ = self.column(head, xml_id)
            self.assertEqual(Model.__name__, model)
            self.assertLessEqual(names,
                {f.get('name') for f in arch.iter('field')}, xml_id)
            self.assertEqual(buttons,
                {b.get('name') for b in arch.iter('button')}, xml_id)

        # What awaits her shows in its column, and nothing else
        party = make_party(manager=people['manager'])
        draft = make_contract(party, state='draft', kind='non_standard',
            requisites_checked=True, terms_checked=True)
        active = make_contract(party, end=draft.end_date)
        with as_user(people['manager']):
            Contract.submit([draft])
            request, = Request.create([{
                        'contract': active.id,
                        'description': 'Снизить аренду с сентября',
                        }])
            Request.submit([request])
        job = make_job(make_point(party))
        for xml_id, record in [
                ('mrk_contracts.act_approval_contract', draft),
                ('mrk_contracts.act_approval_change_request', request),
                ('mrk_field_jobs.act_approval_field_job_sign', job),
                ]:
            _, _, records = self.column(head, xml_id)
            self.assertEqual(records, [record], xml_id)
        _, _, records = self.column(
            head, 'mrk_field_jobs.act_approval_field_job_problem')
        self.assertEqual(records, [])

    @with_transaction()
    def test_task_title_names_its_record(self):
        """A task's title starts with its record: counterparty and job
        number, run and amount — not only the function's name"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        company, people = setup_service()
        party = make_party(name='ООО «Вокзал-Сервис»',
            manager=people['manager'])
        job = make_job(make_point(party, name='Касса у перрона'))
        activity, = Activity.schedule('2.4', [job])
        self.assertTrue(activity.name.startswith(job.activity_title),
            activity.name)
        self.assertIn('ООО «Вокзал-Сервис»', activity.name)
        self.assertIn('Касса у перрона', activity.name)
        self.assertIn(Activity(activity.id).function.name, activity.name)

    # -- item 11: smaller defects ------------------------------------------

    @with_transaction()
    def test_task_origin_offers_business_records(self):
        """«Основание» of a task offers the counterparties and the service's
        records, not the system's models"""
        Activity = Pool().get('mrk.activity')
        models = {m for m, _ in Activity.get_origin() if m}
        self.assertLessEqual({'party.party', 'mrk.contract',
                'mrk.contract.change_request', 'mrk.field_job', 'mrk.point',
                'mrk.terminal', 'mrk.rent.cash_run', 'mrk.rent.registry'},
            models)
        self.assertFalse(models & {'ir.model', 'res.user', 'ir.cron',
                'mrk.function', 'mrk.configuration', 'mrk.absence',
                'mrk.activity.workload.user'}, models)
        self.assertLess(len(models), 40, sorted(models))

    @with_transaction()
    def test_flagged_tab_includes_monitoring_notes(self):
        """Monitoring's «С отметками» tab of the registry lines shows a line
        that carries only a monitoring comment"""
        pool = Pool()
        Registry = pool.get('mrk.rent.registry')
        Line = pool.get('mrk.rent.registry.line')
        from trytond.modules.mrk_rent.tests.test_registry import (
            FEBRUARY, setup_registry)
        s = setup_registry()
        registry = Registry.generate(FEBRUARY)
        plain = [l for l in registry.lines if not l.flagged][0]
        with as_user(s.people['monitoring']):
            Line.write([Line(plain.id)], {
                    'monitoring_note': 'Терминал работал весь месяц'})
            tabs = dict((name, domain) for name, domain, _ in
                pool.get('ir.action.act_window').get(
                    'mrk_rent.act_registry_line_form')['domains'])
            from trytond.pyson import PYSONDecoder
            domain = PYSONDecoder({}).decode(tabs['Flagged'])
            self.assertIn(Line(plain.id), Line.search(
                    [('registry', '=', registry.id), domain]))

    @with_transaction()
    def test_absence_user_opens_as_card(self):
        """The user and the deputy of an absence open as a colleague's card,
        not as the user administration form"""
        pool = Pool()
        Absence = pool.get('mrk.absence')
        User = pool.get('res.user')
        ModelData = pool.get('ir.model.data')
        company, people = setup_service()
        card = ModelData.get_id('mrk_base', 'user_view_form_card')
        with as_user(people['manager']):
            arch = ET.fromstring(Absence.fields_view_get(
                    view_type='form')['arch'])
            for name in ['user', 'deputy']:
                field, = [f for f in arch.iter('field')
                    if f.get('name') == name]
                self.assertEqual(field.get('view_ids'), str(card), name)
            fields = {f.get('name') for f in ET.fromstring(
                    User.fields_view_get(view_id=card)['arch']).iter('field')}
            self.assertEqual(fields, {'name', 'email'})

    @with_transaction()
    def test_company_time_zones_in_russian(self):
        """The company's time zones are Russia's, each with its Russian name
        in the catalogue"""
        import polib
        from pathlib import Path
        Company = Pool().get('company.company')
        selection = dict(Company.fields_get(['timezone'])[
                'timezone']['selection'])
        self.assertEqual(selection['Europe/Moscow'], 'Moscow (MSK)')
        self.assertNotIn('Asia/Srednekolymsk', selection)
        po = polib.pofile(str(Path(__file__).resolve().parents[1]
                / 'addons' / 'mrk_base' / 'locale' / 'ru.po'))
        russian = {e.msgid: e.msgstr for e in po
            if e.msgctxt == 'selection:company.company,timezone:'}
        for label in filter(None, selection.values()):
            self.assertIn(label, russian)
        self.assertEqual(russian['Moscow (MSK)'], 'Москва (МСК)')

    # -- item 10: phones ---------------------------------------------------

    @with_transaction()
    def test_phone_roles_menus_hold_their_items(self):
        """The technician's and the courier's menus hold their lists, their
        tasks and absences: no matrix, terminals, models or placements"""
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        company, people = setup_service()
        hidden = {ModelData.get_id(*x.split('.')) for x in [
                'mrk_base.menu_function_form',
                'mrk_terminals.menu_terminals',
                'mrk_terminals.menu_terminal_model_form',
                'mrk_terminals.menu_placement_form',
                'mrk_terminals.menu_point_form']}
        mine = {'technician': 'mrk_field_jobs.menu_field_job_mine',
            'courier': 'mrk_rent.menu_cash_line_mine'}
        for role, menu in mine.items():
            with as_user(people[role]):
                menus = {m.id for m in Menu.search([])}
            self.assertFalse(menus & hidden, role)
            self.assertIn(ModelData.get_id(*menu.split('.')), menus, role)
        # The office roles keep them
        with as_user(people['manager']):
            menus = {m.id for m in Menu.search([])}
        self.assertLessEqual(hidden, menus)

    def test_phone_job_card_done_before_texts(self):
        """On the technician's card «Выполнено» comes before the text boxes
        he may write, the boxes are low, the phone dials"""
        from pathlib import Path
        root = Path(__file__).resolve().parents[1]
        arch = ET.parse(str(root / 'addons' / 'mrk_field_jobs' / 'view'
                / 'field_job_list_form_phone.xml')).getroot()
        order = [e.get('name') for e in arch.iter() if e.get('name')]
        for name in ['report', 'problem', 'problem_decision']:
            self.assertLess(order.index('do'), order.index(name), name)
        for field in arch.iter('field'):
            self.assertLessEqual(int(field.get('height') or 0), 40,
                field.get('name'))
        custom = (root / 'web' / 'custom.js').read_text(encoding='utf-8')
        self.assertIn("'tel:'", custom)
