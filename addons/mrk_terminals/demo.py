"""Demo data of mrk_terminals: four terminal models, sixty terminals with
their serial and inventory numbers, a point for most counterparties with an
active contract (Moscow and the Moscow region, on-site contacts, opening
hours) and the placements: most terminals installed, some moved from one
point to another, some in stock, two in repair and one written off.

Puts into the context: 'terminal_models', 'terminals' (all of them),
'points' (the open points, with terminals or without) and 'closed_points'
(the points of terminated contracts, whose terminals were taken away).
"""
import datetime
import random
import re

from trytond.pool import Pool
from trytond.transaction import Transaction

MODELS = [
    # name, manufacturer, weight among the terminals
    ("PAX S920", "PAX Technology", 5),
    ("Verifone VX520", "Verifone", 4),
    ("Ingenico iCT250", "Ingenico", 3),
    ("Castles Vega3000", "Castles Technology", 2),
    ]
TERMINAL_COUNT = 60

# Street, where "on" it, the city (None: Moscow).
STREETS = [
    ("ул. Лесная", "на Лесной", None),
    ("пр-т Мира", "на Мира", None),
    ("ул. Профсоюзная", "на Профсоюзной", None),
    ("Комсомольская пл.", "на Комсомольской", None),
    ("ул. Тверская", "на Тверской", None),
    ("Ленинградский пр-т", "на Ленинградском", None),
    ("ул. Новослободская", "на Новослободской", None),
    ("Варшавское ш.", "на Варшавском", None),
    ("ул. Бутырская", "на Бутырской", None),
    ("Каширское ш.", "на Каширском", None),
    ("ул. Маросейка", "на Маросейке", None),
    ("ш. Энтузиастов", "на Энтузиастов", None),
    ("ул. Садовая-Спасская", "на Садовой", None),
    ("ул. Бориса Галушкина", "на Галушкина", None),
    ("Рязанский пр-т", "на Рязанском", None),
    ("ул. Вавилова", "на Вавилова", None),
    ("Щёлковское ш.", "на Щёлковском", None),
    ("ул. Ленина", "на Ленина", "Химки"),
    ("ул. Победы", "на Победы", "Химки"),
    ("ул. Мира", "на Мира", "Мытищи"),
    ("Новомытищинский пр-т", "на Новомытищинском", "Мытищи"),
    ("Октябрьский пр-т", "на Октябрьском", "Люберцы"),
    ("ш. Энтузиастов", "на Энтузиастов", "Балашиха"),
    ("ул. Кирова", "на Кирова", "Подольск"),
    ("пр-т Королёва", "на Королёва", "Королёв"),
    ("ул. Ленина", "на Ленина", "Красногорск"),
    ("Можайское ш.", "на Можайском", "Одинцово"),
    ("Лихачёвский пр-т", "на Лихачёвском", "Долгопрудный"),
    ("ул. Победы", "на Победы", "Реутов"),
    ]
PREMISES = ["", "", "", ", пом. 1", ", торговый зал", ", 1 этаж",
    ", вход со двора", ", павильон 12"]
# On-site contacts: surname (male, female), first name and patronymic.
SURNAMES = [("Зайцев", "Зайцева"), ("Орлов", "Орлова"), ("Белов", "Белова"),
    ("Ковалёв", "Ковалёва"), ("Ильин", "Ильина"), ("Гусев", "Гусева"),
    ("Тарасов", "Тарасова"), ("Киселёв", "Киселёва"),
    ("Медведев", "Медведева"), ("Никитин", "Никитина"),
    ("Фролов", "Фролова"), ("Жуков", "Жукова"), ("Сорокин", "Сорокина"),
    ("Баранов", "Баранова"), ("Кудрявцев", "Кудрявцева"),
    ("Ахмедов", "Ахмедова"), ("Егоров", "Егорова"), ("Быков", "Быкова"),
    ("Поляков", "Полякова"), ("Широков", "Широкова")]
MEN = ["Павел Андреевич", "Артём Сергеевич", "Роман Викторович",
    "Виктор Петрович", "Сергей Александрович", "Денис Валерьевич",
    "Илья Евгеньевич", "Рустам Ильдарович", "Алексей Николаевич"]
WOMEN = ["Ирина Владимировна", "Наталья Юрьевна", "Марина Олеговна",
    "Юлия Дмитриевна", "Анастасия Игоревна", "Оксана Николаевна",
    "Алла Борисовна", "Галина Михайловна", "Светлана Павловна",
    "Дарья Алексеевна"]
POSITIONS = ["администратор", "директор магазина", "старший кассир",
    "управляющий", "менеджер зала"]
HOURS = [
    "пн–пт 9:00–21:00, сб–вс 10:00–20:00",
    "ежедневно 8:00–23:00",
    "круглосуточно",
    "пн–сб 10:00–19:00, вс выходной",
    "ежедневно 10:00–22:00",
    "пн–пт 8:00–20:00, сб 9:00–17:00",
    "ежедневно 7:00–22:00",
    ]
NOTES = [
    "Терминал у кассы №1, справа от входа.",
    "Вход со двора, позвонить администратору за 30 минут.",
    "Парковка только на улице, платная.",
    "Пропуск заказывает администратор: нужны ФИО и паспорт техника.",
    "Терминал в тамбуре у входа, розетка за стойкой.",
    None, None, None,
    ]


def _serial(rng, model):
    "A serial number in the manufacturer's format"
    if model.startswith("PAX"):
        return '08%08d' % rng.randrange(10 ** 8)
    elif model.startswith("Verifone"):
        return '%03d-%03d-%03d' % (
            rng.randint(200, 399), rng.randrange(1000), rng.randrange(1000))
    elif model.startswith("Ingenico"):
        return '%02d%03dCT25%06d' % (
            rng.randint(16, 23), rng.randint(1, 365), rng.randrange(10 ** 6))
    return 'V3C%02d%06d' % (rng.randint(19, 24), rng.randrange(10 ** 6))


def _phone(rng):
    return '+7 9%02d %03d-%02d-%02d' % (rng.choice([
                3, 5, 6, 9, 15, 16, 25, 26, 29, 77, 85, 99]),
        rng.randrange(1000), rng.randrange(100), rng.randrange(100))


def _contacts(rng):
    "Distinct on-site contacts, in a random order"
    names = ['%s %s' % (man, first) for man, _ in SURNAMES for first in MEN]
    names += ['%s %s' % (woman, first)
        for _, woman in SURNAMES for first in WOMEN]
    rng.shuffle(names)
    return iter(names)


def _brand(party):
    "How the office calls the counterparty's shop"
    name = party.name
    match = re.search(r'«(.+)»', name)
    if match:
        return match.group(1)
    if name.startswith('ИП '):
        return 'Павильон ИП %s' % name.split()[1]
    return name


def _party_street(party):
    """The street and the city of the counterparty's own address when it
    is written in full (г. Химки, ул. Победы, д. 3)"""
    for address in party.addresses:
        match = re.match(r'^г\.\s*([^,]+),\s*(.+)$',
            (address.street or '').strip())
        if match:
            city, street = match.groups()
            return street, city
    return None, None


def setup(context):
    pool = Pool()
    Model = pool.get('mrk.terminal.model')
    Terminal = pool.get('mrk.terminal')
    Point = pool.get('mrk.point')
    Placement = pool.get('mrk.terminal.placement')
    Contract = pool.get('mrk.contract')
    Date = pool.get('ir.date')
    rng = random.Random(2027)
    contacts = _contacts(rng)
    today = Date.today()
    day = datetime.timedelta(days=1)

    models = Model.create([{'name': n, 'manufacturer': m}
            for n, m, _ in MODELS])
    context['terminal_models'] = models
    weights = [w for _, _, w in MODELS]

    serials = set()
    values = []
    for i in range(TERMINAL_COUNT):
        model, = rng.choices(models, weights=weights)
        serial = _serial(rng, model.name)
        while serial in serials:
            serial = _serial(rng, model.name)
        serials.add(serial)
        values.append({
                'model': model.id,
                'serial_number': serial,
                'inventory_number': 'МРК-ТМ-%05d' % (101 + i),
                })
    terminals = Terminal.create(values)
    context['terminals'] = terminals

    # The points: one per counterparty with an active contract, but for a
    # few being set up; two for the largest ones. The terminated contracts
    # keep their closed points, from which the terminals were taken.
    counterparties = context.get('counterparties', [])
    order = {p.id: i for i, p in enumerate(counterparties)}
    active = Contract.search([('state', '=', 'active')])
    active.sort(key=lambda c: (order.get(c.party.id, len(order)), c.id))
    terminated = Contract.search([('state', '=', 'terminated')],
        order=[('id', 'ASC')])
    streets = list(STREETS)
    rng.shuffle(streets)
    used = set()

    def point_values(contract):
        party = contract.party
        street, city = _party_street(party)
        on = None
        for candidate, candidate_on, candidate_city in streets:
            if street and street.startswith(candidate):
                on = candidate_on
                break
        if not street or (street, city) in used:
            candidate, on, candidate_city = streets[len(used) % len(streets)]
            street = '%s, д. %d%s' % (candidate, rng.randint(1, 140),
                rng.choice(PREMISES))
            city = candidate_city or "Москва"
        used.add((street, city))
        name = _brand(party)
        if on:
            name = '%s %s' % (name, on)
        contact = next(contacts)
        return {
            'name': name,
            'party': party.id,
            'contract': contract.id,
            'city': city,
            'address': street,
            'contact_name': '%s (%s)' % (contact, rng.choice(POSITIONS)),
            'contact_phone': _phone(rng),
            'opening_hours': rng.choice(HOURS),
            'notes': rng.choice(NOTES),
            }

    vlist = []
    for i, contract in enumerate(active):
        if i % 8 == 7:
            continue  # being set up: no point yet
        vlist.append(point_values(contract))
        if i in {1, 5}:
            vlist.append(point_values(contract))
    points = Point.create(vlist)
    closed = Point.create([point_values(c) for c in terminated])

    def start_of(point):
        "The day terminals could first stand at the point"
        start = point.contract.start_date + rng.randint(3, 20) * day
        return min(start, today - rng.randint(60, 90) * day)

    stock = list(terminals)
    rng.shuffle(stock)

    # History: terminals stood at the points of the terminated contracts
    # and were taken away on the termination; some went to other points.
    moved = []
    for point in closed:
        termination = point.contract.end_date
        for amendment in point.contract.amendments:
            if amendment.kind == 'termination' and (
                    amendment.state == 'confirmed'):
                termination = amendment.effective_date
        termination = min(termination, today - 20 * day)
        taken = [stock.pop(), stock.pop()]
        Placement.install(taken, point, start_of(point))
        Placement.remove(taken, point, termination,
            notes="Снят при расторжении договора.")
        moved.append((taken[0], termination))
    Point.write(closed, {'active': False})

    # Most points have one terminal, some two or three.
    for i, point in enumerate(points):
        count = 3 if i == 4 else 2 if i % 9 == 4 else 1
        start = start_of(point)
        if i in {3, 9} and moved:
            # A terminal taken from a closed point goes here.
            terminal, removed = moved.pop()
            Placement.install([terminal], point, removed + 6 * day,
                notes="Перенесён с закрытой точки.")
            count -= 1
        if count <= 0 or len(stock) <= 17:
            continue
        Placement.install([stock.pop() for _ in range(count)], point, start)

    # A terminal moved from one open point to another (the first point got
    # a newer one the same day).
    if len(points) > 12:
        old_point, new_point = points[0], points[12]
        first = Terminal.search([('point', '=', old_point.id)], limit=1)
        if first:
            date = today - 45 * day
            Placement.remove(first, old_point, date,
                notes="Перенесён на другую точку контрагента по просьбе "
                "менеджера.")
            Placement.install(first, new_point, date + 2 * day,
                notes="Перенесён с точки %s." % old_point.name)
            Placement.install([stock.pop()], old_point, date)

    # A terminal brought back for a fault: repaired, then back in stock.
    broken = Terminal.search([('point', '=', points[7].id)], limit=1)
    if broken:
        Placement.remove(broken, points[7], today - 25 * day,
            notes="Не читает карты с чипом.")
        Terminal.send_to_repair(broken)
        Terminal.back_from_repair(broken)
        Terminal.write(broken, {
                'notes': "Замена считывателя в сервисном центре, "
                "гарантийный ремонт."})
        Placement.install([stock.pop()], points[7], today - 25 * day,
            notes="Поставлен взамен неисправного.")

    # Two in repair, one written off; the rest stays in stock.
    in_stock = [t for t in Terminal.browse([t.id for t in stock])
        if t.state == 'in_stock']
    repair = in_stock[:2]
    Terminal.send_to_repair(repair)
    Terminal.write(repair[:1], {
            'notes': "Разбит экран. Передан в сервисный центр «ТехноСервис» "
            "%s." % (today - 9 * day).strftime('%d.%m.%Y')})
    Terminal.write(repair[1:], {
            'notes': "Не включается после грозы, диагностика у "
            "производителя."})
    written_off = in_stock[2:3]
    Terminal.send_to_repair(written_off)
    Terminal.write_off(written_off)
    Terminal.write(written_off, {
            'notes': "Ремонт нецелесообразен: повреждена плата, акт списания "
            "№ 14 от %s." % (today - 60 * day).strftime('%d.%m.%Y')})

    # Fresh records: the states and placements changed since creation.
    context['terminals'] = Terminal.browse([t.id for t in terminals])
    context['points'] = Point.browse([p.id for p in points])
    with Transaction().set_context(active_test=False):
        context['closed_points'] = Point.browse([p.id for p in closed])
