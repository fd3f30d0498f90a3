"""Cash rent along routes (seed 8.1–8.8): the month's runs from the rent
table with exact kopecks, the stops in the order of the round, the dues
without route, the workflow from the cash request to closing, the head's
approval, the courier's reports from his phone and what he may see, the
documents in PDF.

The PDF test needs LibreOffice (soffice) and pdftotext (poppler-utils)."""
from contextlib import contextmanager

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_contracts.amount import format_date_long
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from . import tools
from .tools import (
    D, Decimal, install, make_contract, make_party, make_point,
    make_terminals, make_term, pdf_text, setup_rent)

MARCH = D(2026, 3, 1)
NBSP = '\u00a0'




def text(value):
    "Amounts print with a no-break space between thousands"
    return value.replace(NBSP, ' ')


def setup_cash():
    """Two routes and the rent of March 2026 (31 days):

    - «Ромашка» pays 5 000,00 until the 14th and 6 000,00 from the 15th
      (2 258,06 + 3 290,32 = 5 548,38) at «Магазин на Мира»;
    - «Василёк» pays 1 500,00 per terminal: SN-1001 all month, SN-1002
      installed on the 10th (1 064,52), so 2 564,52 at «Киоск у метро»;
    - «Одуванчик» pays 4 000,00 for its contract; its point «Склад» has no
      contract and comes first on the route, «Павильон» is under the
      contract: the due goes to «Павильон»;
    - «Лютик» pays 3 000,00 in cash but its point is on no route;
    - «Клевер» pays by transfer: no cash;
    - «Ромашка-Юг» pays 2 000,00 on the second courier's route.

    Route «Север» (courier): Киоск у метро, Склад, Магазин на Мира,
    Павильон. Route «Юг» (courier2): Аптека."""
    pool = Pool()
    Route = pool.get('mrk.rent.route')
    User = pool.get('res.user')
    company, people = setup_rent()
    for role, name in [('head', 'Соколова Анна Петровна'),
            ('senior', 'Кузнецов Олег Игоревич'),
            ('courier', 'Фёдоров Игорь Николаевич'),
            ('courier2', 'Орлов Пётр Ильич'),
            ('office', 'Волкова Елена Викторовна'),
            ('accountant', 'Морозова Татьяна Юрьевна')]:
        User.write([people[role]], {'name': name})

    romashka = make_party('ООО «Ромашка»')
    contract1 = make_contract(romashka)
    make_term(contract1, '5000.00', valid_to=D(2026, 3, 14))
    make_term(contract1, '6000.00', D(2026, 3, 15))
    shop = make_point(romashka, name='Магазин на Мира', contract=contract1)

    vasilek = make_party('ООО «Василёк»')
    contract2 = make_contract(vasilek)
    make_term(contract2, '1500.00', basis='terminal')
    kiosk = make_point(vasilek, name='Киоск у метро', contract=contract2,
        address='ул. Лесная, д. 3')
    t1, t2 = make_terminals('SN-1001', 'SN-1002')
    install([t1], kiosk, D(2026, 1, 10))
    install([t2], kiosk, D(2026, 3, 10))

    oduvanchik = make_party('ООО «Одуванчик»')
    contract3 = make_contract(oduvanchik)
    make_term(contract3, '4000.00')
    store = make_point(oduvanchik, name='Склад', address='ул. Складская, 1')
    pavilion = make_point(oduvanchik, name='Павильон', contract=contract3,
        address='ул. Садовая, 5')

    lutik = make_party('ООО «Лютик»')
    contract4 = make_contract(lutik)
    make_term(contract4, '3000.00')
    lutik_point = make_point(lutik, name='Цветы', contract=contract4)

    klever = make_party('ООО «Клевер»')
    contract5 = make_contract(klever)
    make_term(contract5, '7000.00', payment_form='transfer')
    make_point(klever, name='Бар', contract=contract5)

    south = make_party('ООО «Ромашка-Юг»')
    contract6 = make_contract(south)
    make_term(contract6, '2000.00')
    pharmacy = make_point(south, name='Аптека', contract=contract6)

    north, = Route.create([{
                'name': 'Север',
                'courier': people['courier'].id,
                'stops': [('create', [
                            {'sequence': 10, 'point': kiosk.id},
                            {'sequence': 20, 'point': store.id},
                            {'sequence': 30, 'point': shop.id},
                            {'sequence': 40, 'point': pavilion.id},
                            ])],
                }])
    south_route, = Route.create([{
                'name': 'Юг',
                'courier': people['courier2'].id,
                'stops': [('create', [{'sequence': 1, 'point': pharmacy.id}])],
                }])
    return dict(company=company, people=people, north=north,
        south=south_route, shop=shop, kiosk=kiosk, store=store,
        pavilion=pavilion, lutik_point=lutik_point, contract1=contract1,
        contract2=contract2, contract3=contract3, contract4=contract4)


class MrkRentCashTestCase(tools.RentTestCase):
    "Cash runs of mrk_rent"

    @contextmanager
    def refused(self):
        """Expect a UserError and leave the database as the failed client
        call leaves it: unchanged"""
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        cursor.execute('SAVEPOINT cash_test')
        try:
            with self.assertRaises(UserError) as cm:
                yield cm
        finally:
            cursor.execute('ROLLBACK TO SAVEPOINT cash_test')
            # The records read before the rollback are read again
            transaction.cache.clear()
            transaction.counter += 1

    def generate(self, data):
        CashRun = Pool().get('mrk.rent.cash_run')
        runs = CashRun.generate(MARCH)
        by_route = {r.route.name: r for r in runs}
        return by_route['Север'], by_route['Юг']

    def deliver(self, data, runs):
        "Request, approve (as the head) and hand to the couriers"
        CashRun = Pool().get('mrk.rent.cash_run')
        CashRun.request(runs)
        with as_user(data['people']['head']):
            CashRun.approve(runs)
        CashRun.deliver(runs)
        return CashRun.browse([r.id for r in runs])

    @with_transaction()
    def test_generate_amounts(self):
        """The month's runs carry the dues in kopecks, one line per stop
        with cash rent, in the order of the round, explained (8.1, 8.2)"""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        data = setup_cash()
        north, south = self.generate(data)
        self.assertEqual((north.month, north.state, north.courier),
            (MARCH, 'draft', data['people']['courier']))

        lines = [(l.sequence, l.point.name, l.party.name, l.contract,
                l.amount) for l in north.lines]
        self.assertEqual(lines, [
                (1, 'Киоск у метро', 'ООО «Василёк»', data['contract2'],
                    Decimal('2564.52')),
                (3, 'Магазин на Мира', 'ООО «Ромашка»', data['contract1'],
                    Decimal('5548.38')),
                (4, 'Павильон', 'ООО «Одуванчик»', data['contract3'],
                    Decimal('4000.00')),
                ])
        kiosk, shop, pavilion = north.lines
        self.assertEqual(text(shop.explanation).splitlines(), [
                '5 000,00 × 14/31 дн. (с 01.03.2026 по 14.03.2026) '
                '= 2 258,06',
                '6 000,00 × 17/31 дн. (с 15.03.2026 по 31.03.2026) '
                '= 3 290,32',
                ])
        # The same words as the registry's (due.explain)
        self.assertEqual(text(kiosk.explanation).splitlines(), [
                '1 500,00 за месяц (с 01.03.2026 по 31.03.2026), '
                'терминал SN-1001',
                '1 500,00 × 22/31 дн. (с 10.03.2026 по 31.03.2026) '
                '= 1 064,52, терминал SN-1002',
                ])
        self.assertEqual(text(pavilion.explanation),
            '4 000,00 за месяц (с 01.03.2026 по 31.03.2026)')
        self.assertEqual((north.total_due, north.stop_count,
                north.reported_count, north.total_paid),
            (Decimal('12112.90'), 3, 0, Decimal('0.00')))
        self.assertEqual(
            [(l.point.name, l.amount) for l in south.lines],
            [('Аптека', Decimal('2000.00'))])

        # «Лютик» pays cash at a point of no route: reported, not paid
        unrouted = CashRun.unrouted_dues(MARCH)
        self.assertEqual([(d.contract, d.amount) for d in unrouted],
            [(data['contract4'].id, Decimal('3000.00'))])
        description, = CashRun.describe_dues(unrouted)
        self.assertIn('ООО «Лютик»', description)
        self.assertIn(data['contract4'].number, description)
        self.assertIn('3\u00a0000,00', description)

        # Generating again makes nothing: each route has its run
        self.assertEqual(CashRun.generate(D(2026, 3, 17)), [])
        self.assertEqual(CashRun.search_count([]), 2)

        # The senior adds the point to the route and recomputes the draft
        Route = pool.get('mrk.rent.route')
        Route.write([data['north']], {'stops': [('create', [{
                            'point': data['lutik_point'].id,
                            'sequence': 50}])]})
        self.assertEqual(CashRun.unrouted_dues(MARCH), [])
        CashRun.recompute([north])
        north = CashRun(north.id)
        self.assertEqual([(l.sequence, l.point.name, l.amount)
                for l in north.lines][-1],
            (5, 'Цветы', Decimal('3000.00')))
        self.assertEqual(north.total_due, Decimal('15112.90'))

        # A cancelled run lets the route have a new one
        CashRun.cancel([south])
        new, = CashRun.generate(MARCH)
        self.assertEqual((new.route, new.total_due),
            (data['south'], Decimal('2000.00')))

    @with_transaction()
    def test_route_point_once(self):
        "A point is a stop of one active route at most (8.1)"
        pool = Pool()
        Route = pool.get('mrk.rent.route')
        data = setup_cash()
        with self.refused() as cm:
            Route.create([{'name': 'Запад', 'stops': [('create', [
                                {'point': data['shop'].id}])]}])
        message = str(cm.exception)
        self.assertIn('Магазин на Мира', message)
        self.assertIn('Север', message)
        with self.refused() as cm:
            Route.write([data['south']], {'stops': [('create', [
                                {'point': data['kiosk'].id},
                                ])]})
        self.assertIn('Киоск у метро', str(cm.exception))
        with self.refused() as cm:
            Route.write([data['south']], {'stops': [('create', [
                                {'point': data['lutik_point'].id},
                                {'point': data['lutik_point'].id},
                                ])]})
        self.assertIn('twice', str(cm.exception))

        # An archived route frees its points, and cannot come back with them
        Route.write([data['north']], {'active': False})
        Route.create([{'name': 'Запад', 'stops': [('create', [
                            {'point': data['shop'].id}])]}])
        with self.refused() as cm, \
                Transaction().set_context(active_test=False):
            Route.write([data['north']], {'active': True})
        self.assertIn('Магазин на Мира', str(cm.exception))

        # Two routes never share a name: the database refuses (last, the
        # transaction is lost)
        with self.assertRaises(UserError):
            Route.create([{'name': 'Юг'}])

    @with_transaction()
    def test_workflow_to_closed(self):
        """Request (8.3), approval by the head (8.4, 8.5), delivery (8.6),
        the courier's reports (8.7), the inventory and closing (8.8), with
        the activities of each step"""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        Line = pool.get('mrk.rent.cash_run.line')
        Activity = pool.get('mrk.activity')
        data = setup_cash()
        people = data['people']
        north, south = self.generate(data)

        CashRun.request([north])
        north = CashRun(north.id)
        self.assertEqual((north.state, north.requested_on),
            ('requested', Pool().get('ir.date').today()))
        activity, = Activity.open_for([north], [codes.PAYMENT_PERMIT])
        self.assertEqual(activity.owner, people['head'])
        self.assertIn('12\u00a0112,90', activity.note)

        # Back to draft and again: the head's activity follows
        CashRun.draft([north])
        self.assertEqual(Activity.open_for([north], [codes.PAYMENT_PERMIT]),
                [])
        CashRun.request([north])

        with as_user(people['head']):
            CashRun.approve([north])
        north = CashRun(north.id)
        self.assertEqual((north.state, north.approved_by),
            ('approved', people['head']))
        self.assertEqual(Activity.open_for([north], [codes.PAYMENT_PERMIT]),
                [])

        CashRun.deliver([north])
        north = CashRun(north.id)
        self.assertEqual(north.state, 'delivering')
        activity, = Activity.open_for([north], [codes.CASH_DELIVERY_CONTROL])
        self.assertEqual(activity.owner, people['senior'])

        kiosk, shop, pavilion = north.lines
        with as_user(people['courier']):
            Line.report_paid([kiosk], 'cash_order', ' 17 ', D(2026, 3, 5))
            Line.report_not_paid([shop], 'Магазин закрыт на ремонт')
        self.assertEqual(CashRun(north.id).state, 'delivering')
        # The senior checks by phone that the stops were visited (8.6)
        Line.write([pavilion], {'visited': True})
        with as_user(people['courier']):
            Line.report_paid([pavilion], 'receipt_note', '5')

        north = CashRun(north.id)
        self.assertEqual(north.state, 'reported')
        kiosk, shop, pavilion = north.lines
        self.assertEqual((kiosk.state, kiosk.receipt_kind,
                kiosk.receipt_number, kiosk.paid_on, kiosk.visited,
                kiosk.reported_by),
            ('paid', 'cash_order', '17', D(2026, 3, 5), True,
                people['courier']))
        self.assertEqual((shop.state, shop.not_paid_reason),
            ('not_paid', 'Магазин закрыт на ремонт'))
        self.assertEqual((north.total_paid, north.total_not_paid,
                north.reported_count),
            (Decimal('6564.52'), Decimal('5548.38'), 3))
        self.assertEqual(Activity.open_for([north],
                [codes.CASH_DELIVERY_CONTROL]), [])
        activity, = Activity.open_for([north], [codes.RECEIPTS_INVENTORY])

        with self.assertRaises(UserError) as cm:
            Line.report_paid([kiosk], 'cash_order', '18')
        self.assertIn('Киоск у метро', str(cm.exception))

        with as_user(people['office']):
            CashRun.hand([north])
        self.assertEqual(Activity.open_for([north],
                [codes.RECEIPTS_INVENTORY]), [])
        with as_user(people['office']):
            with self.assertRaises(AccessButtonError):
                CashRun.close([north])
        with as_user(people['accountant']):
            CashRun.close([north])
        north = CashRun(north.id)
        self.assertEqual((north.state, north.handed_by, north.closed_by),
            ('closed', people['office'], people['accountant']))

        # A run no longer draft cannot be deleted nor recomputed
        with self.assertRaises(UserError):
            CashRun.delete([north])
        with self.assertRaises(UserError):
            CashRun.recompute([north])
        CashRun.cancel([south])
        CashRun.delete([south])

    @with_transaction()
    def test_head_only_approves(self):
        "Only the head approves the payment permit (8.4, 8.5)"
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        data = setup_cash()
        people = data['people']
        north, south = self.generate(data)
        CashRun.request([north, south])
        for role in ['senior', 'office', 'admin', 'accountant', 'courier']:
            with self.subTest(role=role), as_user(people[role]):
                with self.assertRaises(AccessButtonError):
                    CashRun.approve([north])
        for role in ['manager', 'technician', 'monitoring']:
            with self.subTest(role=role), as_user(people[role]):
                with self.assertRaises(AccessError):
                    CashRun.approve([north])
        self.assertEqual(CashRun(north.id).state, 'requested')
        with as_user(people['head']):
            CashRun.approve([north, south])
        self.assertEqual(
            [r.state for r in CashRun.browse([north.id, south.id])],
            ['approved', 'approved'])

    @with_transaction()
    def test_courier_sees_and_reports_his_stops(self):
        """A courier sees only his runs and stops, no contract, and reports
        a stop paid with the receipt's kind and number through the phone's
        wizard (8.7)"""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        Line = pool.get('mrk.rent.cash_run.line')
        Route = pool.get('mrk.rent.route')
        Contract = pool.get('mrk.contract')
        Pay = pool.get('mrk.rent.cash_run.line.pay', type='wizard')
        NotPay = pool.get('mrk.rent.cash_run.line.not_pay', type='wizard')
        data = setup_cash()
        people = data['people']
        north, south = self.deliver(data, self.generate(data))
        kiosk, shop, pavilion = north.lines

        with as_user(people['courier']):
            self.assertEqual(CashRun.search([]), [north])
            self.assertEqual(Route.search([]), [data['north']])
            self.assertEqual(Line.search([]), list(north.lines))
            self.assertEqual(Line.search([
                        ('run.courier', '=', people['courier'].id),
                        ('run.state', '=', 'delivering'),
                        ('state', '=', 'pending'),
                        ]), list(north.lines))
            with self.assertRaises(AccessError):
                CashRun.read([south.id], ['state'])
            with self.assertRaises(AccessError):
                Line.read([kiosk.id], ['contract'])
            with self.assertRaises(AccessError):
                Contract.search([])
            self.assertEqual(Line.read([kiosk.id], ['amount', 'address']),
                [{'id': kiosk.id, 'amount': Decimal('2564.52'),
                        'address': 'Москва, ул. Лесная, д. 3'}])
            with self.assertRaises(AccessError):
                Line.write([kiosk], {'receipt_number': '1'})
            with self.assertRaises(AccessButtonError):
                Line.reset([kiosk])
            with self.assertRaises(AccessButtonError):
                CashRun.close_reports([north])

            # The receipt's number is required, and nothing is written
            for kind, number in [('receipt_note', ' '), (None, '12')]:
                with self.assertRaises(UserError) as cm:
                    Line.report_paid([kiosk], kind, number)
                self.assertIn('Киоск у метро', str(cm.exception))
            self.assertEqual(Line(kiosk.id).state, 'pending')

            # «Оплачено» on the phone: the button opens the wizard
            action = Line.pay([kiosk])
            self.assertIsInstance(action, (int, dict))
            with Transaction().set_context(
                    active_model=Line.__name__, active_id=kiosk.id,
                    active_ids=[kiosk.id]):
                session_id, _, _ = Pay.create()
                view = Pay.execute(session_id, {}, 'start')['view']
                self.assertEqual(view['defaults']['receipt_kind'],
                    'receipt_note')
                self.assertEqual(view['defaults']['amount'],
                    Decimal('2564.52'))
                Pay.execute(session_id, {'start': {
                            'receipt_kind': 'receipt_note',
                            'receipt_number': 'Р-101',
                            'paid_on': D(2026, 3, 4),
                            }}, 'pay')
                Pay.delete(session_id)
            with Transaction().set_context(
                    active_model=Line.__name__, active_id=shop.id,
                    active_ids=[shop.id]):
                session_id, _, _ = NotPay.create()
                NotPay.execute(session_id, {'start': {
                            'reason': 'Нет представителя с доверенностью',
                            }}, 'not_pay')
                NotPay.delete(session_id)

        kiosk, shop = Line.browse([kiosk.id, shop.id])
        self.assertEqual((kiosk.state, kiosk.receipt_kind,
                kiosk.receipt_number, kiosk.reported_by),
            ('paid', 'receipt_note', 'Р-101', people['courier']))
        self.assertEqual((shop.state, shop.not_paid_reason),
            ('not_paid', 'Нет представителя с доверенностью'))

        # The other courier cannot report the first one's stops
        with as_user(people['courier2']):
            self.assertEqual(CashRun.search([]), [south])
            with self.assertRaises(AccessError):
                Line.pay([pavilion])

        # The senior corrects a report while the run is delivered
        Line.reset([shop])
        self.assertEqual((Line(shop.id).state, Line(shop.id).receipt_kind),
            ('pending', None))

    @with_transaction()
    def test_close_reports_and_inventory(self):
        """The senior closes the delivery: the stops not reported are not
        paid; the inventory lists the paid stops only (8.6, 8.8)"""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        Line = pool.get('mrk.rent.cash_run.line')
        Inventory = pool.get('mrk.rent.cash_run.inventory', type='report')
        data = setup_cash()
        north, _ = self.deliver(data, self.generate(data))
        kiosk, _, pavilion = north.lines
        Line.report_paid([pavilion], 'till_receipt', 'ЧЕК-0042')
        CashRun.close_reports([north])
        north = CashRun(north.id)
        self.assertEqual(north.state, 'reported')
        self.assertEqual([l.state for l in north.lines],
            ['not_paid', 'not_paid', 'paid'])
        self.assertIn('Not reported', Line(kiosk.id).not_paid_reason)
        doc, = Inventory.get_documents([north])
        self.assertEqual([(r.index, r.party, r.kind, r.number,
                    text(r.amount)) for r in doc.rows],
            [('1', 'ООО «Одуванчик»', 'Кассовый чек', 'ЧЕК-0042',
                    '4 000,00')])
        self.assertEqual(text(doc.total), '4 000,00')

    @with_transaction()
    def test_documents(self):
        """The cash request (8.3), the payment permit (8.4, 8.5) and the
        inventory (8.8) print as PDF with the amounts and the names"""
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        Line = pool.get('mrk.rent.cash_run.line')
        Date = pool.get('ir.date')
        Request = pool.get('mrk.rent.cash_run.request', type='report')
        Permit = pool.get('mrk.rent.cash_run.permit', type='report')
        Inventory = pool.get('mrk.rent.cash_run.inventory', type='report')
        data = setup_cash()
        north, south = self.deliver(data, self.generate(data))

        ext, content, _, _ = Request.execute([north.id, south.id], {})
        self.assertEqual(ext, 'pdf')
        self.assertTrue(content.startswith(b'%PDF'))
        request = pdf_text(content)
        for expected in ['ПРЕДВАРИТЕЛЬНАЯ ЗАЯВКА', 'март 2026 г.',
                'Север', 'Юг', 'Фёдоров Игорь Николаевич',
                'Орлов Пётр Ильич', '12 112,90', '2 000,00', '14 112,90',
                'Четырнадцать тысяч сто двенадцать рублей 90 копеек',
                'Всего маршрутов: 2, точек: 4.']:
            self.assertIn(expected, request)

        ext, content, _, _ = Permit.execute([north.id], {})
        self.assertTrue(content.startswith(b'%PDF'))
        permit = pdf_text(content)
        for expected in ['УТВЕРЖДАЮ', 'Соколова Анна Петровна',
                text(format_date_long(Date.today())),
                'РАЗРЕШЕНИЕ НА ОПЛАТУ', 'Север', 'Фёдоров Игорь Николаевич',
                'ООО «Василёк»', 'Киоск у метро', 'ул. Лесная, д. 3',
                'терминал SN-1002', '1 064,52', '2 564,52', '5 548,38',
                '4 000,00', '12 112,90',
                'Двенадцать тысяч сто двенадцать рублей 90 копеек']:
            self.assertIn(expected, permit)
        self.assertNotIn('Аптека', permit)

        kiosk, shop, pavilion = north.lines
        Line.report_paid([kiosk], 'cash_order', '17')
        Line.report_not_paid([shop], 'Закрыто')
        Line.report_paid([pavilion], 'receipt_note', 'Р-5')
        CashRun.hand([north])
        ext, content, _, _ = Inventory.execute([north.id], {})
        self.assertTrue(content.startswith(b'%PDF'))
        inventory = pdf_text(content)
        for expected in ['ОПИСЬ', 'март 2026 г.', 'Север',
                'ООО «Василёк»', 'ПКО', '17', 'ООО «Одуванчик»', 'Расписка',
                'Р-5', '6 564,52',
                'Шесть тысяч пятьсот шестьдесят четыре рубля 52 копейки',
                'Всего 2 документа', 'Не оплачено точек: 1', '5 548,38',
                'Сдал', 'Принял', 'Фёдоров Игорь Николаевич']:
            self.assertIn(expected, inventory)
        self.assertNotIn('Ромашка', inventory)

