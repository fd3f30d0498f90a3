"""Every role's day (issue 12): each role lands on its working screen after
login, its lists open on the tab that holds its work, the head decides
from one approval board, and the smaller defects found when the demo was
tried as a new user would."""
from contextlib import contextmanager

from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.modules.mrk_field_jobs.tests.tools import (
    make_user, setup_service)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

MODULES = ['mrk_rent', 'mrk_field_jobs']

# The screens each role opens at login, in the order they open (the last
# one is shown): issue 12, item 4.
LANDING = {
    'head': ['mrk_base.act_activity_board'],
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
