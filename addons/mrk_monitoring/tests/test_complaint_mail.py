"""A counterparty's complaint (7.5) answered by accounting and the
counterparty informed by e-mail. The e-mail leaves when the transaction
commits, so the test commits, in a database of its own."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase, as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import D, setup_monitoring, start_smtp_server


def open_activities(record, code=None):
    Activity = Pool().get('mrk.activity')
    return Activity.open_for([record], [code] if code else None)


class ComplaintMailTestCase(DatabaseTestCase):
    "A complaint answered by accounting, the counterparty e-mailed"
    modules = ['mrk_monitoring']

    def setUp(self):
        super().setUp()
        self.inbox = start_smtp_server(self)

    @with_transaction()
    def test_complaint_answered_by_accounting(self):
        """A complaint gets a gapless number and a deadline of 3 working
        days (7.5): the client manager's activity; the question goes to
        the accountant of the matrix, his answer is recorded, the
        counterparty is e-mailed with the template and the complaint
        closes; overdue ones show on the head's tab.

        It commits, as the e-mail leaves with the transaction: its class
        has a database of its own."""
        pool = Pool()
        Complaint = pool.get('mrk.monitoring.complaint')
        Topic = pool.get('mrk.monitoring.complaint.topic')
        Function = pool.get('mrk.function')
        w = setup_monitoring()
        people = w['people']
        Function.write([Function.get(codes.COMPLAINT_ACCOUNTING_QUESTION)],
            {'owner': people['accountant'].id})
        topic, = Topic.search([('name', '=', 'Payment not received')])
        with as_user(people['manager']):
            complaint, = Complaint.create([{
                        'company': w['company'].id,
                        'party': w['party'].id,
                        'date': D(2026, 3, 13),
                        'topic': topic.id,
                        'text': 'Аренда за февраль не поступила',
                        'inform_email': 'romashka@example.test',
                        }])
            second, = Complaint.create([{
                        'company': w['company'].id,
                        'party': w['party'].id,
                        'date': D(2026, 3, 13),
                        'topic': topic.id,
                        'channel': 'email',
                        'text': 'Где акт?',
                        }])
            with self.assertRaises(AccessError):
                Complaint.create([{
                            'company': w['company'].id,
                            'party': w['other_party'].id,
                            'topic': topic.id,
                            'text': 'x',
                            }])
        year = D.today().year
        self.assertEqual(complaint.number, 'О-%s-0001' % year)
        self.assertEqual(second.number, 'О-%s-0002' % year)
        # Friday 13 March + 3 working days: Wednesday 18 March
        self.assertEqual(complaint.deadline, D(2026, 3, 18))
        activity, = open_activities(complaint, codes.PAYMENT_COMPLAINT)
        self.assertEqual(activity.owner, people['manager'])
        self.assertEqual(activity.deadline, D(2026, 3, 18))
        with Transaction().set_context(mrk_date=D(2026, 3, 19)):
            self.assertEqual(len(Complaint.search([
                            ('overdue', '=', True)])), 2)
        with as_user(people['manager']):
            with self.assertRaises(UserError):
                Complaint.close([complaint])
            Complaint.write([complaint], {
                    'accounting_question': 'Прошёл ли платёж по п/п 512?'})
            Complaint.ask_accounting([complaint])
        question, = open_activities(complaint, codes.COMPLAINT_ACCOUNTING_QUESTION)
        self.assertEqual(question.owner, people['accountant'])
        with as_user(people['accountant']):
            Complaint.write([complaint], {
                    'accounting_answer': 'Оплачено 12.03, п/п 512'})
            Complaint.answer([complaint])
        self.assertEqual(open_activities(complaint, codes.COMPLAINT_ACCOUNTING_QUESTION), [])
        with as_user(people['manager']):
            with self.assertRaises(AccessButtonError):
                Complaint.answer([second])
            Complaint.inform_by_email([complaint])
            Complaint.close([complaint])
        complaint = Complaint(complaint.id)
        self.assertEqual(complaint.state, 'closed')
        self.assertEqual(complaint.informed, 'email')
        self.assertEqual(complaint.answered_by, people['accountant'])
        self.assertEqual(open_activities(complaint), [])
        Transaction().commit()
        self.assertTrue(self.inbox.received.wait(10))
        _, to, message = self.inbox.messages[0]
        self.assertEqual(to, ['romashka@example.test'])
        self.assertIn(complaint.number, message['subject'])
        self.assertIn('п/п 512', message.get_body().get_content())
