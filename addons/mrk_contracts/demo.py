"""Demo data of mrk_contracts: the company's requisites, about fifty
counterparties with valid requisites, and rent contracts in every state
(draft, on approval, active, ending in 30/60/90 days, terminated, expired)
with amendments and change requests."""
import datetime
import random
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from stdnum.ru import inn as stdnum_inn

from trytond.pool import Pool
from trytond.transaction import Transaction

from . import requisites

BIKS = [
    ('ПАО Сбербанк', '044525225', '30101810400000000225'),
    ('АО «Альфа-Банк»', '044525593', '30101810200000000593'),
    ('Банк ВТБ (ПАО)', '044525187', '30101810700000000187'),
    ]
NAMES = [
    "Продукты у дома", "ТЦ Радуга", "Вокзал-Сервис", "Аптека Здоровье",
    "Автомойка Блеск", "Гастроном №1", "Магнит-Север", "Кафе Уют",
    "Торговый дом Восток", "Минимаркет 24", "Хозтовары", "Цветочный рай",
    "Оптика Зоркость", "Салон Связь", "Книжный мир", "Зоомагазин Барсик",
    "Пекарня Колосок", "Фитнес Атлет", "Химчистка Лотос", "Ремонт обуви",
    "АЗС Дорожная", "Рынок Центральный", "Бизнес-центр Орион",
    "Кинотеатр Заря", "Гостиница Волга", "Поликлиника Медик",
    "Стройбаза Кирпич", "Мебель-Сити", "Спорттовары Чемпион",
    "Детский мир Карапуз", "Почта-Экспресс", "Столовая Домашняя",
    "Парикмахерская Стиль", "Копицентр", "Алкомаркет Винный",
    "Табак-Пресс", "Фермерская лавка", "Электроника Плюс",
    "Супермаркет Семья", "ТРК Галактика", "Шиномонтаж Колесо",
    "Сервис-Центр Мастер", "Кулинария Вкусно", "Ателье Иголка",
    "Овощи-Фрукты", "Прачечная Чистюля", "Бильярд-клуб Шар",
    "Музыкальный магазин Нота", "Ломбард Надёжный", "Склад-Маркет",
    ]
PEOPLE = [
    "Иванов Иван Иванович", "Смирнова Ольга Петровна",
    "Кузьмин Андрей Викторович", "Попова Наталья Сергеевна",
    "Васильев Михаил Юрьевич", "Соколова Екатерина Андреевна",
    "Михайлов Дмитрий Олегович", "Новикова Светлана Игоревна",
    ]
STREETS = ["ул. Лесная", "пр-т Мира", "ул. Ленина", "ул. Гагарина",
    "Комсомольская пл.", "ул. Садовая", "ш. Энтузиастов", "ул. Победы"]


def inn10(rng):
    base = ''.join(rng.choice('0123456789') for _ in range(9))
    base = str(rng.randint(1, 9)) + base[1:]
    return base + stdnum_inn.calc_company_check_digit(base)


def inn12(rng):
    base = str(rng.randint(1, 9)) + ''.join(
        rng.choice('0123456789') for _ in range(9))
    return base + stdnum_inn.calc_personal_check_digits(base)


def ogrn(rng):
    base = '1' + ''.join(rng.choice('0123456789') for _ in range(11))
    return base + str(int(base) % 11 % 10)


def ogrnip(rng):
    base = '3' + ''.join(rng.choice('0123456789') for _ in range(13))
    return base + str(int(base) % 13 % 10)


def account(rng, bik):
    "A settlement account whose control key matches the BIK"
    digits = '40702810' + '0' + ''.join(
        rng.choice('0123456789') for _ in range(11))
    return requisites.settlement_account_with_key(digits, bik)


def setup(context):
    pool = Pool()
    Party = pool.get('party.party')
    Contract = pool.get('mrk.contract')
    Amendment = pool.get('mrk.contract.amendment')
    Request = pool.get('mrk.contract.change_request')
    ContactMechanism = pool.get('party.contact_mechanism')
    Date = pool.get('ir.date')
    rng = random.Random(2026)
    today = Date.today()
    users = context['users']
    company = context['company']

    _company_requisites(company, rng)

    parties = list(context.get('counterparties', []))
    for name in NAMES[len(parties):]:
        if len(parties) % 6 == 5:
            name = "ИП %s" % rng.choice(PEOPLE)
        else:
            name = "ООО «%s»" % name
        parties.append(Party(name=name, mrk_manager=None,
                addresses=[], contact_mechanisms=[]))
    for i, party in enumerate(parties, 1):
        individual = party.name.startswith('ИП')
        party.legal_form = 'ip' if individual else rng.choice(
            ['ooo', 'ooo', 'ooo', 'ao'])
        party.legal_name = (party.name.replace('ИП ', 'Индивидуальный '
                'предприниматель ') if individual
            else party.name.replace('ООО ', 'Общество с ограниченной '
                'ответственностью ').replace('АО ', 'Акционерное общество '))
        party.inn = inn12(rng) if individual else inn10(rng)
        party.kpp = None if individual else '77%02d01001' % rng.randint(1, 40)
        party.ogrn = ogrnip(rng) if individual else ogrn(rng)
        if not party.mrk_manager and i % 7:
            party.mrk_manager = users['manager' if i % 2 else 'manager2']
        bank, bik, correspondent = rng.choice(BIKS)
        party.bank_accounts = [{
                'bank_name': bank, 'bik': bik,
                'account': account(rng, bik),
                'correspondent_account': correspondent,
                }]
        person = rng.choice(PEOPLE)
        party.mrk_contacts = [{
                'role': 'signatory', 'name': person,
                'position': ('Индивидуальный предприниматель' if individual
                    else 'Генеральный директор'),
                'basis': ('свидетельства ОГРНИП' if individual
                    else 'Устава'),
                }, {
                'role': 'on_site', 'name': rng.choice(PEOPLE),
                'position': 'Администратор',
                'phone': '+7 9%02d 555-%02d-%02d' % (
                    rng.randint(0, 99), rng.randint(0, 99), i),
                }]
        if not party.addresses:
            party.addresses = [{'street': '%s, д. %d' % (
                        rng.choice(STREETS), rng.randint(1, 120)),
                    'city': 'Москва'}]
    with Transaction().set_context(_skip_warnings=True):
        Party.save(parties)
    ContactMechanism.save([ContactMechanism(party=p, type='email',
                value='office%d@example.ru' % i)
            for i, p in enumerate(parties, 1)
            if not any(m.type == 'email' for m in p.contact_mechanisms)])
    context['counterparties'] = parties

    contracts = []
    for i, party in enumerate(parties):
        start = today - relativedelta(months=rng.randint(3, 30))
        start = start.replace(day=1)
        contracts.append(Contract(
                company=company,
                currency=company.currency,
                party=party,
                manager=party.mrk_manager,
                date=start - datetime.timedelta(days=rng.randint(5, 20)),
                kind='non_standard' if i % 9 == 4 else 'standard',
                start_date=start,
                end_date=start + relativedelta(years=1)
                - datetime.timedelta(days=1),
                auto_prolongation=bool(i % 3),
                prolongation_months=12,
                notice_days=30,
                rent_amount=Decimal(rng.choice(
                        [3000, 3500, 4000, 5000, 6000, 7500, 10000])),
                ))
    Contract.save(contracts)

    # Ending soon: 30, 60 and 90 days from today.
    for contract, days in zip(contracts[0:6], [12, 25, 40, 55, 75, 88]):
        contract.end_date = today + datetime.timedelta(days=days)
        if contract.start_date >= contract.end_date:
            contract.start_date = contract.end_date - relativedelta(years=1)
    # The others run for a while yet.
    for contract in contracts[6:]:
        while contract.end_date < today + datetime.timedelta(days=100):
            contract.end_date += relativedelta(years=1)
    Contract.save(contracts)

    drafts = contracts[-3:]
    # A draft entered by mistake and cancelled.
    Contract.cancel(drafts[-1:])
    approval = [c for c in contracts[20:-3] if c.kind == 'non_standard'][:2]
    to_terminate = contracts[6:8]
    to_expire = contracts[8:10]
    active = [c for c in contracts if c not in drafts + approval]
    Contract.activate([c for c in active if c.kind == 'standard'])
    non_standard = [c for c in active if c.kind == 'non_standard']
    for contract in non_standard + approval:
        contract.requisites_checked = contract.terms_checked = True
    Contract.save(non_standard + approval)
    Contract.submit(non_standard + approval)
    with Transaction().set_user(users['head'].id):
        Contract.approve(non_standard)

    # A termination from last month and two contracts that simply expired.
    terminations = [Amendment(contract=c, kind='termination',
            date=today - datetime.timedelta(days=45),
            effective_date=today - datetime.timedelta(days=30),
            description="Расторжение по соглашению сторон в связи с "
            "закрытием торговой точки.") for c in to_terminate]
    Amendment.save(terminations)
    Amendment.confirm(terminations)
    for contract in to_expire:
        contract.auto_prolongation = False
    Contract.write(to_expire, {
            'auto_prolongation': False,
            'end_date': today - datetime.timedelta(days=10),
            })
    Contract.control_expiring(today)

    # Amendments in force: an extension and a price change.
    extension = Amendment(contract=contracts[12], kind='extension',
        date=today - datetime.timedelta(days=20),
        effective_date=contracts[12].end_date + datetime.timedelta(days=1),
        new_end_date=contracts[12].end_date + relativedelta(years=2))
    price = Amendment(contract=contracts[13], kind='price_change',
        date=today - datetime.timedelta(days=40),
        effective_date=(today - relativedelta(months=1)).replace(day=1),
        new_amount=contracts[13].rent_amount + Decimal(1000),
        description="Индексация арендной платы.")
    draft_extension = Amendment(contract=contracts[0], kind='extension',
        date=today, effective_date=contracts[0].end_date
        + datetime.timedelta(days=1),
        new_end_date=contracts[0].end_date + relativedelta(years=1))
    Amendment.save([extension, price, draft_extension])
    Amendment.confirm([extension, price])

    requests = [
        Request(contract=contracts[14], channel='phone',
            received_by=users['manager'],
            description="Просит снизить арендную плату на 20% на время "
            "ремонта торгового зала."),
        Request(contract=contracts[15], channel='letter',
            received_by=users['manager2'],
            description="Предлагает перенести терминал ко входу и "
            "увеличить аренду на 1 000 руб."),
        Request(contract=contracts[16], channel='email',
            received_by=users['manager'],
            description="Просит перейти на оплату по счетам."),
        ]
    Request.save(requests)
    Request.submit(requests[:2])
    requests[1].decision = "Согласовать перенос, аренду увеличить на 500 руб."
    requests[1].save()
    with Transaction().set_user(users['head'].id):
        Request.approve(requests[1:2])
    context['contracts'] = contracts


def _company_requisites(company, rng):
    pool = Pool()
    Party = pool.get('party.party')
    party = company.party
    party.legal_form = 'ooo'
    party.legal_name = ('Общество с ограниченной ответственностью '
        '«МРК»')
    party.inn = '7707083893'
    party.kpp = '773601001'
    party.ogrn = '1027700132195'
    party.bank_accounts = [{
            'bank_name': 'ПАО Сбербанк', 'bik': '044525225',
            'account': '40702810938000000001',
            'correspondent_account': '30101810400000000225',
            }]
    party.mrk_contacts = [{
            'role': 'signatory', 'name': 'Орлов Сергей Николаевич',
            'position': 'Генеральный директор', 'basis': 'Устава',
            'email': 'director@mrk.example', 'phone': '+7 495 100-00-00',
            }]
    if not party.addresses:
        party.addresses = [{'street': 'ул. Тверская, д. 1, офис 10',
                'postal_code': '125009', 'city': 'Москва'}]
    party.contact_mechanisms = list(party.contact_mechanisms) + [
        {'type': 'email', 'value': 'office@mrk.example'},
        {'type': 'phone', 'value': '+7 495 100-00-01'},
        ]
    with Transaction().set_context(_skip_warnings=True):
        Party.save([party])
