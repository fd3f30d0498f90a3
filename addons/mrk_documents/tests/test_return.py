"""Return control (6.5–6.7): the list of documents due back, the daily
reminders by e-mail through a real SMTP server, the call to the client
manager and the escalation to the owner of 6.7."""
import datetime

from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction
from trytond.modules.mrk_base import codes

from .tools import (
    D, add_email, make_document, make_party, setup_rent, start_smtp_server)


class ReturnControlTestCase(DatabaseTestCase):
    "Return control of the documents sent for signature"
    modules = ['mrk_documents']

    def setup_sent(self):
        pool = Pool()
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        party = make_party('ООО «Ромашка»', manager=people['manager'])
        add_email(party, 'romashka@example.com')
        document = make_document(party, kind='amendment', number='ДС-1')
        # Sent on 2 March: due back on 16 March, reminded from the 13th
        Document.send([document], date=D(2026, 3, 2))
        return people, party, document

    @with_transaction()
    def test_call_and_escalation(self):
        """From the deadline the client manager gets one call activity
        (6.6); overdue beyond the grace of 7 days the owner of 6.7 in the
        matrix gets one escalation activity (6.7); a returned document
        closes them"""
        pool = Pool()
        Document = pool.get('mrk.document')
        Activity = pool.get('mrk.activity')
        start_smtp_server(self)
        people, party, document = self.setup_sent()
        for day in range(13, 24):
            Document.remind_returns(date=D(2026, 3, day))
        calls = Activity.open_for([document], [codes.DOCUMENT_RETURN_REMINDER])
        self.assertEqual([a.owner for a in calls], [people['manager']])
        self.assertEqual(Activity.open_for([document], [codes.DOCUMENT_RETURN_DELAY]), [])
        self.assertIsNone(Document(document.id).escalated_on)
        # 16 + 7 = 23 March is still within the grace; the 24th is not
        due, late = Document.remind_returns(date=D(2026, 3, 24))
        self.assertEqual(late, [document])
        escalations = Activity.open_for([document], [codes.DOCUMENT_RETURN_DELAY])
        self.assertEqual([a.owner for a in escalations], [people['senior']])
        self.assertIn('8', escalations[0].note)
        due, late = Document.remind_returns(date=D(2026, 3, 25))
        self.assertEqual(late, [])
        self.assertEqual(len(Activity.open_for([document], [codes.DOCUMENT_RETURN_REMINDER])), 1)
        Document.return_([document], date=D(2026, 3, 26))
        self.assertEqual(Activity.open_for([document], [codes.DOCUMENT_RETURN_REMINDER, codes.DOCUMENT_RETURN_DELAY]), [])
        due, late = Document.remind_returns(date=D(2026, 4, 30))
        self.assertEqual((due, late), ([], []))

    @with_transaction()
    def test_due_back_tabs(self):
        """«Документы на возврате» splits what is due into overdue and this
        week, from the server's today"""
        pool = Pool()
        Date = pool.get('ir.date')
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        party = make_party()
        today = Date.today()
        overdue = make_document(party, kind='amendment')
        Document.send([overdue], date=today - datetime.timedelta(days=20))
        week = make_document(party, kind='amendment')
        Document.send([week],
            date=today - datetime.timedelta(days=14 + today.weekday()))
        later = make_document(party, kind='amendment')
        Document.send([later], date=today)
        self.assertEqual(
            Document.search([('return_status', '=', 'overdue')]), [overdue])
        self.assertEqual(
            Document.search([('return_status', '=', 'week')]), [week])
        self.assertEqual(
            Document.search([('return_status', '=', 'later')]), [later])
        self.assertEqual(Document(overdue.id).overdue_days, 6)


class ReminderMailTestCase(ReturnControlTestCase):
    "The reminders' e-mail, committed to reach the SMTP server"

    # Only the test below: it commits its data
    test_call_and_escalation = None
    test_due_back_tabs = None

    @with_transaction()
    def test_reminders_before_on_and_weekly_after(self):
        """Reminders go 3 days before the deadline, on it and then weekly;
        each is an e-mail in Russian to the counterparty, logged on the
        document; a day without a reminder due sends nothing (6.6)"""
        pool = Pool()
        Document = pool.get('mrk.document')
        inbox = start_smtp_server(self)
        people, party, document = self.setup_sent()
        sent = {}
        for day in range(2, 32):
            date = D(2026, 3, day)
            due, late = Document.remind_returns(date=date)
            if due:
                sent[date] = [d.id for d in due]
        self.assertEqual(sorted(sent), [
                D(2026, 3, 13), D(2026, 3, 16), D(2026, 3, 23),
                D(2026, 3, 30)])
        document = Document(document.id)
        self.assertEqual(
            [(r.date, r.stage, r.email) for r in reversed(document.reminders)],
            [(D(2026, 3, 13), 'before', 'romashka@example.com'),
                (D(2026, 3, 16), 'deadline', 'romashka@example.com'),
                (D(2026, 3, 23), 'after', 'romashka@example.com'),
                (D(2026, 3, 30), 'after', 'romashka@example.com')])
        self.assertEqual(document.reminder_count, 4)
        # Sent when the transaction commits (this class has no other test
        # to see the committed data)
        Transaction().commit()
        for _ in range(20):
            if len(inbox.messages) >= 4:
                break
            inbox.received.wait(1)
            inbox.received.clear()
        self.assertEqual(len(inbox.messages), 4)
        _, to, message = inbox.messages[-1]
        self.assertEqual(to, ['romashka@example.com'])
        self.assertIn('ДС-1', message['Subject'])
        body = message.get_body(('plain',)).get_content()
        self.assertIn('16.03.2026', body)
        self.assertIn('14', body)
