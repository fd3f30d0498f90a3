"""Demo data of mrk_base: the company, one user per role, counterparties
in two client managers' portfolios, the responsibility matrix filled in,
activities in every tab and an escalation for the head.

Called by tools/mrk.py inside a transaction of the admin user, in module
order; every later module adds its own demo.py with a setup(context)
function. context is a dict shared between the modules' setups.
"""
import datetime
from decimal import Decimal

from trytond.pool import Pool
from trytond.transaction import Transaction

from . import codes

PASSWORD_SUFFIX = '-mrk'

# login, name, role (group suffix)
USERS = [
    ('head', "Соколова Анна Петровна", 'head'),
    ('senior', "Кузнецов Олег Игоревич", 'senior'),
    ('manager', "Петрова Мария Сергеевна", 'manager'),
    ('manager2', "Смирнов Денис Андреевич", 'manager'),
    ('office', "Волкова Елена Викторовна", 'office'),
    ('technician', "Новиков Артём Павлович", 'technician'),
    ('courier', "Фёдоров Игорь Николаевич", 'courier'),
    ('accountant', "Морозова Татьяна Юрьевна", 'accountant'),
    ('monitoring', "Лебедев Максим Олегович", 'monitoring'),
    ]

# Deputy of each role's functions (DESIGN §6: the senior manager deputises
# the client manager; the head deputises the senior manager).
DEPUTIES = {
    'head': 'senior',
    'senior': 'head',
    'manager': 'senior',
    'office': 'senior',
    'technician': 'senior',
    'courier': 'senior',
    'accountant': 'senior',
    'monitoring': 'senior',
    }

COUNTERPARTIES = [
    ("ООО «Продукты у дома»", 'manager', "г. Москва, ул. Лесная, д. 5",
        "+7 495 123-45-01"),
    ("АО «ТЦ Радуга»", 'manager', "г. Москва, пр-т Мира, д. 102",
        "+7 495 123-45-02"),
    ("ИП Григорьев Сергей Иванович", 'manager', "г. Химки, ул. Победы, д. 3",
        "+7 916 555-10-03"),
    ("ООО «Вокзал-Сервис»", 'manager2', "г. Москва, Комсомольская пл., д. 2",
        "+7 495 123-45-04"),
    ("ООО «Аптека Здоровье»", 'manager2', "г. Мытищи, ул. Мира, д. 17",
        "+7 495 123-45-05"),
    ("ИП Алиева Зарина Руслановна", 'manager2',
        "г. Москва, ул. Профсоюзная, д. 45", "+7 903 777-20-06"),
    ("ООО «Автомойка Блеск»", None, "г. Люберцы, Октябрьский пр-т, д. 9",
        "+7 495 123-45-07"),
    ]


ROLE_NAMES = {
    'admin': "администратор коммерческой службы",
    'head': "руководитель коммерческой службы",
    'senior': "старший менеджер",
    'manager': "менеджер по работе с клиентами",
    'office': "офис-администратор",
    'technician': "техник",
    'courier': "менеджер по развитию (курьер)",
    'accountant': "бухгалтер",
    'monitoring': "оператор мониторинга",
    }


def password(login):
    return login + PASSWORD_SUFFIX


def logins():
    "Return (login, password, role name) of every demo user"
    return [('admin', password('admin'), ROLE_NAMES['admin'])] + [
        (login, password(login), ROLE_NAMES[role])
        for login, _, role in USERS]


def setup(context):
    company = _company()
    context['company'] = company
    _finish_config_wizard()
    # "Today" is the company's (its time zone), as for its users.
    with Transaction().set_context(company=company.id):
        _setup(context, company)


def _setup(context, company):
    pool = Pool()
    Activity = pool.get('mrk.activity')
    Date = pool.get('ir.date')
    users = _users(company)
    context['users'] = users
    _matrix(users)
    parties = _counterparties(users)
    context['counterparties'] = parties

    today = Date.today()
    day = datetime.timedelta(days=1)
    # Client manager's day: something overdue, due today, this week, later.
    Activity.schedule(codes.PROLONGATION_CALL, parties[:1],
        deadline=today - 3 * day,
        note="Договор истекает через 30 дней: сообщить о пролонгации.")
    Activity.schedule(codes.FIELD_JOB_AGREEMENT, parties[1:2], deadline=today,
        note="Согласовать дату установки второго терминала.")
    Activity.schedule(codes.CONTROL_CALL, parties[2:3], deadline=today,
        note="Позвонить на объект перед выездом техника.")
    Activity.schedule(codes.DOWNTIME_CALL, parties[0:1],
        deadline=today + 2 * day,
        note="Терминал не работает с утра: выяснить причину.")
    Activity.schedule(codes.COMPANY_CARD, parties[1:2],
        deadline=today + 10 * day)
    done, = Activity.schedule(codes.FIELD_JOB_REAGREEMENT, parties[2:3],
        deadline=today - day)
    done.result = "Перенесено на следующую неделю, контакт на объекте тот же."
    done.save()
    with Transaction().set_user(users['manager'].id):
        Activity.do([done])
    # Second portfolio and the other roles.
    Activity.schedule(codes.FIELD_JOB_AGREEMENT, parties[3:4],
        deadline=today - 2 * day)
    Activity.schedule(codes.PAYMENT_COMPLAINT, parties[4:5],
        deadline=today + day)
    Activity.schedule(codes.DOCUMENT_TEMPLATES, parties[5:6], deadline=today)
    Activity.schedule(codes.ORIGINALS_TO_ACCOUNTING, parties[3:4],
        deadline=today - 5 * day)
    Activity.schedule(codes.PAYMENT_REGISTRY, deadline=today + 4 * day,
        name="Реестр безналичных платежей на следующий месяц")
    Activity.schedule(codes.EXPIRING_CONTRACTS, deadline=today + day,
        name="Список договоров, истекающих в ближайшие 60 дней")
    # The morning cron has run: the head sees the overdue ones.
    Activity.escalate(today)
    # A holiday planned for next month: the other client manager deputises.
    Absence = Pool().get('mrk.absence')
    start = (today.replace(day=1) + 32 * day).replace(day=1)
    Absence.create([{
                'user': users['manager2'].id,
                'deputy': users['manager'].id,
                'date_from': start + 6 * day,
                'date_to': start + 19 * day,
                'reason': "Ежегодный отпуск",
                }])


def _finish_config_wizard():
    """The demo has made the company and the users the module configuration
    wizard asks for: its steps are done, so that the administrator is not
    sent through it at every login."""
    ConfigItem = Pool().get('ir.module.config_wizard.item')
    ConfigItem.write(ConfigItem.search([('state', '=', 'open')]),
        {'state': 'done'})


def _company():
    pool = Pool()
    Currency = pool.get('currency.currency')
    Company = pool.get('company.company')
    Party = pool.get('party.party')
    User = pool.get('res.user')
    Lang = pool.get('ir.lang')

    companies = Company.search([], limit=1)
    if companies:
        return companies[0]
    rub, = Currency.search([('code', '=', 'RUB')], limit=1) or [None]
    if not rub:
        rub = Currency(name="Российский рубль", code='RUB', numeric_code='643',
            symbol='₽', rounding=Decimal('0.01'), digits=2)
        rub.save()
    ru, = Lang.search([('code', '=', 'ru')])
    party = Party(name="ООО «МРК»", lang=ru)
    party.save()
    company = Company(party=party, currency=rub, timezone='Europe/Moscow')
    company.save()
    # The scheduled jobs run for the company: its time zone decides "today".
    Cron = pool.get('ir.cron')
    crons = Cron.search([('method', 'like', 'mrk.%')])
    Cron.write(crons, {'companies': [('add', [company.id])]})
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], {
            'companies': [('add', [company.id])],
            'company': company.id,
            'language': ru.id,
            'name': "Администратор МРК",
            })
    return company


def _users(company):
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Lang = pool.get('ir.lang')
    ru, = Lang.search([('code', '=', 'ru')])
    users = {}
    for login, name, role in USERS:
        group = ModelData.get_id('mrk_base', 'group_mrk_%s' % role)
        user, = User.create([{
                    'login': login,
                    'name': name,
                    'password': password(login),
                    'language': ru.id,
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'email': '%s@mrk.example' % login,
                    'groups': [('add', [group])],
                    }])
        users[login] = user
    users['admin'], = User.search([('login', '=', 'admin')])
    return users


def _matrix(users):
    "Fill in the matrix: the first user of each role owns its functions"
    pool = Pool()
    Function = pool.get('mrk.function')
    ModelData = pool.get('ir.model.data')
    by_group = {}
    for login, _, role in USERS:
        group = ModelData.get_id('mrk_base', 'group_mrk_%s' % role)
        by_group.setdefault(group, (users[login], users[DEPUTIES[role]]))
    functions = Function.search([])
    for function in functions:
        owner, deputy = by_group.get(function.group.id, (None, None))
        function.owner = owner
        function.deputy = deputy
    Function.save(functions)


def _counterparties(users):
    pool = Pool()
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    ContactMechanism = pool.get('party.contact_mechanism')
    Lang = pool.get('ir.lang')
    ru, = Lang.search([('code', '=', 'ru')])
    parties = []
    for name, manager, street, phone in COUNTERPARTIES:
        parties.append(Party(
                name=name,
                lang=ru,
                mrk_manager=users[manager] if manager else None,
                addresses=[Address(street=street)],
                contact_mechanisms=[
                    ContactMechanism(type='phone', value=phone)],
                ))
    Party.save(parties)
    return parties
