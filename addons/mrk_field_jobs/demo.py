"""Demo data of mrk_field_jobs: the services' e-mail addresses and field
jobs in every state, driven through the workflow by the users who would
press the buttons, so that the numbers, visits, activities, notices and
placements are real.

- to sign (3), signed, registered, cancelled;
- agreed and the services notified; confirmed by the control call;
- issued to the technician for today (3, one with an open problem on site)
  and for tomorrow;
- done: an installation, a removal, a replacement and a repair (with the
  head's decision on a problem), whose placements follow;
- not done, waiting for a new date; not done and agreed again after a move
  and a failed visit; moved by the counterparty.

The notices to the services (2.5) are recorded as e-mails of the jobs;
tools/mrk.py keeps the demo's e-mail in var/mail, its addresses are
examples.
"""
import datetime

from trytond.pool import Pool
from trytond.transaction import Transaction

CASH_COLLECTION_EMAIL = 'inkasso@example.ru'
TECHNICAL_SERVICE_EMAIL = 'tech@example.ru'


def time(value):
    hour, minute = map(int, value.split(':'))
    return datetime.time(hour, minute)


def setup(context):
    pool = Pool()
    Configuration = pool.get('mrk.configuration')

    config = Configuration(1)
    config.cash_collection_email = CASH_COLLECTION_EMAIL
    config.technical_service_email = TECHNICAL_SERVICE_EMAIL
    config.save()

    Demo(context).run()


class Demo:

    def __init__(self, context):
        pool = Pool()
        self.Job = pool.get('mrk.field_job')
        self.Visit = pool.get('mrk.field_job.visit')
        self.Terminal = pool.get('mrk.terminal')
        self.today = pool.get('ir.date').today()
        self.context = context
        self.users = context['users']
        self.technician = self.users['technician']
        self.points_with = []  # points with terminals, in turn
        self.points_without = []  # points waiting for their first
        for point in context['points']:
            if point.terminals:
                self.points_with.append(point)
            else:
                self.points_without.append(point)
        self.stock = list(self.Terminal.search([
                    ('state', '=', 'in_stock'),
                    ], order=[('inventory_number', 'ASC')]))

    def day(self, days):
        return self.today + datetime.timedelta(days=days)

    def as_user(self, login):
        return Transaction().set_user(self.users[login].id)

    def fresh(self, jobs):
        return self.Job.browse([j.id for j in jobs])

    def point(self, installed_before=None):
        """The next point with terminals (all of them standing there since
        before the date, when given)"""
        for point in self.points_with:
            if installed_before and any(
                    t.installed_on >= installed_before
                    for t in point.terminals):
                continue
            self.points_with.remove(point)
            return point
        raise ValueError('no point left for the demo')

    def new_job(self, kind, point, date, description, terminals=None,
            new_terminals=None):
        "A job as its client manager enters it: it goes to the head (2.1)"
        manager = point.party.mrk_manager
        values = {
            'kind': kind,
            'point': point.id,
            'date': date,
            'description': description,
            }
        if terminals is None and kind != 'install':
            terminals = point.terminals[:1]
        if terminals:
            values['terminals'] = [('add', [t.id for t in terminals])]
        if new_terminals:
            values['new_terminals'] = [('add',
                    [t.id for t in new_terminals])]
        with Transaction().set_user(manager.id if manager else 0):
            job, = self.Job.create([values])
        return job

    def plan(self, jobs, date, time_from, time_to, technician=True):
        "The date and the time window agreed with the counterparty (2.4)"
        self.Job.write(self.fresh(jobs), {
                'planned_date': date,
                'time_from': time(time_from),
                'time_to': time(time_to),
                'technician': self.technician.id if technician else None,
                })

    def agree(self, jobs):
        "Agreed: the services get the notice (2.4, 2.5)"
        with self.as_user('manager'):
            self.Job.agree(self.fresh(jobs))

    def confirm(self, jobs, call_result):
        self.Job.write(self.fresh(jobs), {'call_result': call_result})
        with self.as_user('office'):
            self.Job.confirm(self.fresh(jobs))

    def issue(self, jobs):
        with self.as_user('office'):
            self.Job.issue(self.fresh(jobs))

    def backdate(self, jobs):
        """Jobs of the past: the workflow stamps today, their signature,
        registration, notice and reports were on the days of their
        visits."""
        noon = datetime.time(12, 0)
        for job in self.fresh(jobs):
            after = min(job.date + datetime.timedelta(days=1), self.today)
            values = {'signed_on': after, 'registered_on': after}
            first = job.visits[-1].planned_date
            if job.state in {'done', 'failed'}:
                values['notified_at'] = datetime.datetime.combine(
                    min(job.date + datetime.timedelta(days=2), first), noon)
            if job.issued_at:
                values['issued_at'] = datetime.datetime.combine(
                    job.planned_date - datetime.timedelta(days=1),
                    datetime.time(17, 30))
            self.Job.write([job], values)
            for visit in job.visits:
                if visit.reported_at and visit.planned_date < self.today:
                    self.Visit.write([visit], {
                            'reported_at': datetime.datetime.combine(
                                visit.planned_date, datetime.time(16, 0)),
                            })

    def run(self):
        Job = self.Job
        stock = self.stock

        # -- the requests, as the client managers enter them --------------
        done_install = self.new_job('install', self.points_without[0],
            self.day(-20), "Установить терминал у кассы №1.",
            terminals=[stock.pop(0)])
        removal_point = self.point(installed_before=self.day(-10))
        done_removal = self.new_job('removal', removal_point,
            self.day(-16), "Снять терминал: контрагент уменьшает число "
            "касс.", terminals=removal_point.terminals[-1:])
        done_replacement = self.new_job('replacement',
            self.point(installed_before=self.day(-7)), self.day(-12),
            "Заменить терминал: не принимает бесконтактные карты.",
            new_terminals=[stock.pop(0)])
        done_repair = self.new_job('repair', self.point(), self.day(-8),
            "Не печатает чек, замятие ленты.")
        reagreed = self.new_job('install', self.point(), self.day(-11),
            "Установить второй терминал у стойки администратора.",
            terminals=[stock.pop(0)])
        failed = self.new_job('repair', self.point(), self.day(-5),
            "Терминал перезагружается при оплате картой.")
        moved = self.new_job('reinforcement', self.point(), self.day(-4),
            "Закрепить терминал на стойке: держатель расшатался.")
        today_install = self.new_job('install', self.points_without[1],
            self.day(-6), "Установить терминал у входа, рядом с "
            "банкоматом.", terminals=[stock.pop(0)])
        today_repair = self.new_job('repair', self.point(), self.day(-4),
            "Не видит сеть после замены роутера.")
        today_problem = self.new_job('reinforcement', self.point(),
            self.day(-4), "Перенести терминал на новую стойку и закрепить.")
        tomorrow = self.new_job('removal', self.point(), self.day(-3),
            "Снять терминал: точка закрывается на реконструкцию.")
        confirmed = self.new_job('replacement', self.point(),
            self.day(-3), "Заменить терминал на модель с бесконтактной "
            "оплатой.", new_terminals=[stock.pop(0)])
        notified = self.new_job('install', self.point(), self.day(-2),
            "Установить дополнительный терминал на втором этаже.",
            terminals=[stock.pop(0)])
        cancelled = self.new_job('painting', self.point(), self.day(-3),
            "Покрасить стойку терминала в фирменный цвет.")
        registered = self.new_job('removal', self.point(), self.day(-1),
            "Снять терминал: контрагент расторгает договор.")
        signed = self.new_job('reinforcement', self.point(), self.day(-1),
            "Укрепить крепление терминала к стене.")
        drafts = [
            self.new_job('install', self.point(), self.day(0),
                "Установить терминал в новом торговом зале.",
                terminals=[stock.pop(0)]),
            self.new_job('repair', self.point(), self.day(0),
                "Не работает клавиатура: западают кнопки 5 и 8."),
            self.new_job('painting', self.point(), self.day(0),
                "Обновить окраску корпуса стойки после ремонта фасада."),
            ]

        # -- the head signs, the office registers (2.2, 2.3) ------------
        to_sign = [j for j in Job.search([('state', '=', 'draft')])
            if j not in drafts]
        with self.as_user('head'):
            Job.sign(to_sign)
        with self.as_user('office'):
            # The journal numbers follow the dates of the requests.
            Job.register(self.fresh([j for j in to_sign if j != signed]))
        with self.as_user('manager'):
            Job.cancel(self.fresh([cancelled]))

        # -- done in the last weeks (2.4–2.10) ---------------------------
        for job, days, window in [
                (done_install, -14, ('10:00', '12:00')),
                (done_removal, -10, ('09:00', '11:00')),
                (done_replacement, -7, ('14:00', '16:00')),
                (done_repair, -3, ('11:00', '13:00')),
                ]:
            self.plan([job], self.day(days), *window)
        self.agree([done_install, done_removal, done_replacement,
                done_repair])
        self.confirm([done_install, done_removal, done_replacement,
                done_repair], "Администратор подтвердил визит, будет на "
            "месте.")
        self.issue([done_install, done_removal, done_replacement,
                done_repair])
        Job.write(self.fresh([done_repair]), {
                'problem': "Ролик принтера изношен, нужна замена. Менять "
                "на месте (40 минут) или везти терминал в сервис?"})
        with self.as_user('technician'):
            Job.report_problem(self.fresh([done_repair]))
        Job.write(self.fresh([done_repair]), {
                'problem_decision': "Менять на месте, ролик взять из "
                "запаса в машине."})
        with self.as_user('head'):
            Job.decide(self.fresh([done_repair]))
        reports = {
            done_install: "Терминал установлен и подключён, проведена "
            "тестовая оплата на 10 руб.",
            done_removal: "Терминал снят, упакован, сдан на склад.",
            done_replacement: "Старый терминал снят, новый установлен, "
            "бесконтактная оплата проверена.",
            done_repair: "Заменён ролик принтера, чек печатается.",
            }
        for job, report in reports.items():
            Job.write(self.fresh([job]), {'report': report})
            job, = self.fresh([job])
            with Transaction().set_context(mrk_date=job.planned_date), \
                    self.as_user('technician'):
                Job.do([job])

        # -- moved, failed, agreed again (2.10, 2.11) -------------------
        self.plan([reagreed], self.day(-6), '10:00', '12:00')
        self.agree([reagreed])
        with self.as_user('manager'):
            Job.move(self.fresh([reagreed]))
        visit = self.fresh([reagreed])[0].visits[0]
        self.Visit.write([visit], {
                'reason': "Контрагент попросил перенести: ремонт в "
                "торговом зале до конца недели."})
        self.plan([reagreed], self.day(-2), '12:00', '14:00')
        self.agree([reagreed])
        self.confirm([reagreed], "Подтверждено, администратор на месте "
            "с 12:00.")
        Job.write(self.fresh([reagreed]), {
                'report': "Установка не выполнена: у стойки нет розетки, "
                "контрагент обещал провести питание до пятницы."})
        with self.as_user('technician'):
            Job.fail(self.fresh([reagreed]))
        self.plan([reagreed], self.day(3), '10:00', '12:00')
        self.agree([reagreed])

        # Not done yesterday, waiting for a new date.
        self.plan([failed], self.day(-1), '15:00', '17:00')
        self.agree([failed])
        self.confirm([failed], "Подтверждено по телефону.")
        Job.write(self.fresh([failed]), {
                'report': "Точка закрыта: санитарный день, администратор "
                "не предупредил. Телефон на месте не отвечал."})
        with self.as_user('technician'):
            Job.fail(self.fresh([failed]))

        # Moved by the counterparty after the notice.
        self.plan([moved], self.day(1), '09:00', '11:00')
        self.agree([moved])
        with self.as_user('manager'):
            Job.move(self.fresh([moved]))
        visit = self.fresh([moved])[0].visits[0]
        self.Visit.write([visit], {
                'reason': "Администратор попросил перенести на следующую "
                "неделю: в четверг приёмка товара."})

        # -- the technician's day (2.6–2.9) -----------------------------
        self.plan([today_install], self.day(0), '10:00', '12:00')
        self.plan([today_repair], self.day(0), '13:00', '14:00')
        self.plan([today_problem], self.day(0), '15:00', '17:00')
        self.plan([tomorrow], self.day(1), '10:00', '12:00')
        self.plan([confirmed], self.day(2), '11:00', '13:00')
        self.plan([notified], self.day(3), '14:00', '16:00',
            technician=False)
        self.agree([today_install, today_repair, today_problem, tomorrow,
                confirmed, notified])
        self.confirm([today_install, today_repair, today_problem,
                tomorrow, confirmed], "Визит подтверждён, контакт на месте "
            "предупреждён.")
        self.issue([today_install, today_repair, today_problem, tomorrow])
        Job.write(self.fresh([today_problem]), {
                'problem': "Новая стойка ещё не смонтирована, старую "
                "демонтируют сегодня. Снять терминал на склад или "
                "закрепить временно на кассе?"})
        with self.as_user('technician'):
            Job.report_problem(self.fresh([today_problem]))

        self.backdate([done_install, done_removal, done_replacement,
                done_repair, reagreed, failed])

        self.context['field_jobs'] = {
            'draft': drafts,
            'signed': [signed],
            'registered': [registered],
            'cancelled': [cancelled],
            'notified': [notified, reagreed],
            'confirmed': [confirmed],
            'issued': [today_install, today_repair, today_problem,
                tomorrow],
            'done': [done_install, done_removal, done_replacement,
                done_repair],
            'failed': [failed],
            'reagreement': [moved],
            }
