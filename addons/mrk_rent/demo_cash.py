"""Demo data of the cash runs (8.1–8.8): two cash routes of the development
manager over the points with cash rent, one point left without route, and
the runs of two months driven through the workflow by the users who would
press the buttons:

- last month: «Центр» closed by accounting, with one stop not paid;
  «Подмосковье» reported by the courier, its inventory still to hand (8.8);
- this month: «Центр» handed to the courier, one stop paid and the others
  still to report on his phone (8.7); «Подмосковье» waiting for the head's
  approval of the payment permit (8.4).

Called by the module's demo.py once the rent terms exist.
"""
import datetime

from trytond.pool import Pool
from trytond.transaction import Transaction

ROUTES = ["Центр", "Подмосковье"]
NOTES = {
    "Центр": "Выезд в 10:00 от офиса, сначала точки у метро.",
    "Подмосковье": "Выезд на служебной машине, точки по часовой стрелке.",
    }
REASONS = ["Точка закрыта на ремонт, представителя нет на месте.",
    "Контрагент просит перенести выплату на следующую неделю."]


def setup(context):
    Demo(context).run()


class Demo:

    def __init__(self, context):
        pool = Pool()
        self.Route = pool.get('mrk.rent.route')
        self.CashRun = pool.get('mrk.rent.cash_run')
        self.Line = pool.get('mrk.rent.cash_run.line')
        self.RentTerm = pool.get('mrk.rent.term')
        self.today = pool.get('ir.date').today()
        self.context = context
        self.users = context['users']
        self.month = self.today.replace(day=1)
        self.previous = (self.month - datetime.timedelta(days=1)).replace(
            day=1)

    def as_user(self, login):
        return Transaction().set_user(self.users[login].id)

    def fresh(self, runs):
        return self.CashRun.browse([r.id for r in runs])

    def cash_points(self):
        "The open points under a contract paying cash this month"
        contracts = {d.contract for d in self.RentTerm.get_dues(
                self.month, payment_forms=['cash'])}
        points = [p for p in self.context.get('points', [])
            if p.contract and p.contract.id in contracts]
        return sorted(points, key=lambda p: (
                (p.city or '') != 'Москва', p.city or '', p.name, p.id))

    def make_routes(self):
        """The two routes of the development manager (8.1); the last cash
        point is left without route, so that the senior sees it"""
        points = self.cash_points()
        if len(points) >= 5:
            points = points[:-1]
        half = max(1, (len(points) + 1) // 2)
        groups = [points[:half], points[half:]]
        with self.as_user('senior'):
            routes = self.Route.create([{
                        'name': name,
                        'courier': self.users['courier'].id,
                        'notes': NOTES[name],
                        'stops': [('create', [{
                                        'sequence': i * 10,
                                        'point': p.id,
                                        } for i, p in enumerate(group, 1)])],
                        } for name, group in zip(ROUTES, groups) if group])
        return routes

    def ordered(self, runs):
        "The runs with stops, «Центр» first"
        return sorted((r for r in self.fresh(runs) if r.lines),
            key=lambda r: (r.route.name != ROUTES[0], r.route.name))

    def deliver(self, runs):
        "Requested by the senior, approved by the head, handed to the courier"
        with self.as_user('senior'):
            self.CashRun.request(self.fresh(runs))
        with self.as_user('head'):
            self.CashRun.approve(self.fresh(runs))
        with self.as_user('senior'):
            self.CashRun.deliver(self.fresh(runs))

    def report(self, run, not_paid=(), pending=(), day=5):
        "The courier reports the stops: paid, but those of the indexes given"
        run, = self.fresh([run])
        kinds = ['receipt_note', 'cash_order', 'receipt_note', 'till_receipt']
        with self.as_user('courier'):
            for i, line in enumerate(run.lines):
                if i in pending:
                    continue
                if i in not_paid:
                    self.Line.report_not_paid([line],
                        REASONS[i % len(REASONS)])
                else:
                    paid_on = run.month + datetime.timedelta(
                        days=min(day + i // 3, 27))
                    self.Line.report_paid([line], kinds[i % len(kinds)],
                        '%d' % (100 + run.month.month * 10 + i),
                        min(paid_on, self.today))

    def run(self):
        routes = self.make_routes()
        if not routes:
            return
        company = self.context.get('company')
        with Transaction().set_context(
                company=company.id if company else None):
            self.last_month()
            self.this_month()

    def last_month(self):
        with self.as_user('senior'):
            runs = self.CashRun.generate(self.previous)
        runs = self.ordered(runs)
        if not runs:
            return
        self.deliver(runs)
        for i, run in enumerate(runs):
            self.report(run, not_paid=[1] if i == 0 else [])
        centre = runs[0]
        with self.as_user('office'):
            self.CashRun.hand([centre])
        with self.as_user('accountant'):
            self.CashRun.close(self.fresh([centre]))
        # The steps were made last month
        self.CashRun.write(self.fresh([centre]), {
                'requested_on': self.previous - datetime.timedelta(days=8),
                'approved_on': self.previous - datetime.timedelta(days=6),
                'delivered_on': self.previous + datetime.timedelta(days=2),
                'reported_on': self.previous + datetime.timedelta(days=9),
                'handed_on': self.previous + datetime.timedelta(days=10),
                'closed_on': self.previous + datetime.timedelta(days=12),
                })

    def this_month(self):
        with self.as_user('senior'):
            runs = self.CashRun.generate(self.month)
        runs = self.ordered(runs)
        if not runs:
            return
        centre, others = runs[0], runs[1:]
        self.deliver([centre])
        # The first stop is paid; the courier goes on with the others
        self.report(centre, pending=range(1, len(centre.lines)), day=2)
        if others:
            with self.as_user('senior'):
                self.CashRun.request(self.fresh(others))
        self.context['cash_runs'] = self.fresh(runs)
