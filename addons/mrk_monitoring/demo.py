"""Demo data of mrk_monitoring: the monitoring system's key and the point
work journal and complaints journal as they would be after a few days.

- the user application «Мониторинг терминалов» of the monitoring operator,
  validated, with the key DEMO_KEY (docs/monitoring.md shows a call);
- downtimes from the feed: one silent for an hour (open), one for five
  hours (its client manager has the call, 7.2), one for 30 hours
  (escalated to the owner of 7.3 and the head, 7.3), one whose cause was
  found and a technician called (7.4), one closed when seen again, and one
  entered by the operator;
- complaints: a new one, one answered by accounting and closed after a
  call, one waiting for accounting, one overdue.
"""
import datetime

from trytond.pool import Pool
from trytond.transaction import Transaction

DEMO_KEY = 'mrk-monitoring-demo-key-0001'


def setup(context):
    pool = Pool()
    Application = pool.get('res.user.application')
    Downtime = pool.get('mrk.monitoring.downtime')
    Call = pool.get('mrk.monitoring.downtime.call')
    Cause = pool.get('mrk.monitoring.downtime.cause')
    Complaint = pool.get('mrk.monitoring.complaint')
    Topic = pool.get('mrk.monitoring.complaint.topic')
    Terminal = pool.get('mrk.terminal')
    users = context['users']
    company = context['company']
    now = datetime.datetime.now().replace(second=0, microsecond=0)
    hours = datetime.timedelta(hours=1)

    application = Application(user=users['monitoring'],
        application='mrk_monitoring', key=DEMO_KEY)
    application.save()
    Application.validate_([application])

    terminals = Terminal.search([('state', '=', 'installed')],
        order=[('serial_number', 'ASC')], limit=6)
    if len(terminals) < 6:
        return
    serials = [t.serial_number for t in terminals]
    with Transaction().set_user(users['monitoring'].id), \
            Transaction().set_context(company=company.id):
        Downtime.feed([
                (serials[0], None, now - hours),
                (serials[1], None, now - 5 * hours),
                (serials[2], None, now - 30 * hours),
                (serials[3], None, now - 28 * hours),
                (serials[4], None, now - 50 * hours),
                ])
        Downtime.feed([(serials[4], now - 20 * hours, None)])
        Downtime.create([{
                    'company': company.id,
                    'terminal': terminals[5].id,
                    'since': now - 3 * hours,
                    'cause_note': 'Сообщил охранник ТЦ: отключено '
                    'электричество на этаже',
                    }])
    Downtime.schedule_calls(now)
    Downtime.escalate(now)

    ModelData = pool.get('ir.model.data')
    fault = Cause(ModelData.get_id('mrk_monitoring', 'cause_fault'))
    repaired, = Downtime.search([('terminal', '=', terminals[3].id)])
    manager = repaired.party.mrk_manager or users['manager']
    with Transaction().set_user(manager.id), \
            Transaction().set_context(company=company.id):
        Call.create([{
                    'downtime': repaired.id,
                    'contact': repaired.point.contact_name,
                    'result': 'Терминал не включается после скачка '
                    'напряжения',
                    'cause': fault.id,
                    }])
        Downtime.find_cause([repaired])
        Downtime.start_repair([Downtime(repaired.id)], 'repair')

    topics = {name: Topic(ModelData.get_id('mrk_monitoring', 'topic_' + key))
        for name, key in [('Terminal', 'terminal'),
            ('Payment not received', 'payment_missing'),
            ('Wrong amount', 'wrong_amount'), ('Documents', 'documents')]}
    parties = [d.party for d in Downtime.search([]) if d.party]
    today = Pool().get('ir.date').today()
    with Transaction().set_user(users['manager'].id), \
            Transaction().set_context(company=company.id):
        new, answered, waiting, overdue = Complaint.create([{
                    'company': company.id,
                    'party': parties[0].id,
                    'channel': 'phone',
                    'topic': topics['Terminal'].id,
                    'text': 'Терминал у входа не принимает купюры',
                    }, {
                    'company': company.id,
                    'party': parties[1].id,
                    'channel': 'email',
                    'topic': topics['Payment not received'].id,
                    'text': 'Не поступила аренда за прошлый месяц',
                    'accounting_question': 'Прошла ли оплата аренды '
                    'за прошлый месяц?',
                    }, {
                    'company': company.id,
                    'party': parties[2].id,
                    'channel': 'phone',
                    'topic': topics['Wrong amount'].id,
                    'text': 'Пришло на 1 500 ₽ меньше, чем по договору',
                    'accounting_question': 'Почему оплата меньше суммы '
                    'по договору?',
                    }, {
                    'company': company.id,
                    'party': parties[3].id,
                    'date': today - datetime.timedelta(days=10),
                    'channel': 'letter',
                    'topic': topics['Documents'].id,
                    'text': 'Просят акт сверки за квартал',
                    }])
        Complaint.ask_accounting([answered, waiting])
    with Transaction().set_user(users['accountant'].id):
        Complaint.write([answered], {
                'accounting_answer': 'Оплачено 5-го числа, платёжное '
                'поручение № 512'})
        Complaint.answer([answered])
    with Transaction().set_user(users['manager'].id):
        Complaint.write([answered], {
                'inform_result': 'Сообщили номер платёжного поручения, '
                'контрагент нашёл платёж'})
        Complaint.inform_by_call([answered])
        Complaint.close([answered])
    context['downtimes'] = Downtime.search([])
    context['complaints'] = [new, answered, waiting, overdue]
