"""The notices of an agreed field job reach the cash-collection and
technical services by e-mail (2.5). The e-mail leaves when the transaction
commits, so these tests commit, in a database of their own."""
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import (
    CASH_COLLECTION, TECHNICAL_SERVICE, D, agree_values, make_job,
    make_party, make_point, make_terminals, setup_service, start_smtp_server)


def wait_messages(inbox, count, seconds=20):
    "Wait until inbox has count messages, or seconds have passed"
    for _ in range(seconds):
        if len(inbox.messages) >= count:
            break
        inbox.received.wait(1)
        inbox.received.clear()


class FieldJobNoticesTestCase(DatabaseTestCase):
    "The services' notices of field jobs"
    modules = ['mrk_field_jobs']

    def setUp(self):
        super().setUp()
        self.inbox = start_smtp_server(self)

    @with_transaction()
    def test_notices_reach_services(self):
        """Agreeing sends the cash-collection and technical-service notices
        with the number, address and date; moving sends them again (2.5).

        It commits, as the e-mail leaves with the transaction: its class has
        a database of its own, dropped after it."""
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Email = pool.get('ir.email')
        transaction = Transaction()
        inbox = self.inbox
        company, people = setup_service()
        party = make_party(manager=people['manager'])
        point = make_point(party)
        terminal, = make_terminals('SN-7001')
        job = make_job(point, terminals=[terminal])
        FieldJob.sign([job])
        FieldJob.register([job])
        FieldJob.write([job], agree_values(D(2026, 12, 3)))
        FieldJob.agree([job])
        self.assertEqual(inbox.messages, [])
        transaction.commit()
        wait_messages(inbox, 2)
        self.assertEqual(sorted(r for _, (r,), _ in inbox.messages),
            sorted([CASH_COLLECTION, TECHNICAL_SERVICE]))
        job = FieldJob(job.id)
        for _, _, message in inbox.messages:
            self.assertIn(job.number, message['Subject'])
            self.assertIn('03.12.2026', message['Subject'])
            body = message.get_body(('plain', 'html')).get_content()
            for text in [job.number, '03.12.2026', '10:00–12:00',
                    'ул. Мира, д. 17', 'Москва', 'Петров Пётр',
                    '+7 495 123-45-67', 'SN-7001', 'ООО «Ромашка»']:
                self.assertIn(text, body)
        self.assertEqual(
            len(Email.search([('resource', '=', str(job))])), 2)

        # The visit moves: a second pair of notices says so
        inbox.messages.clear()
        FieldJob.move([job])
        FieldJob.write([job], {'planned_date': D(2026, 12, 8)})
        FieldJob.agree([job])
        transaction.commit()
        wait_messages(inbox, 2)
        self.assertEqual(len(inbox.messages), 2)
        for _, _, message in inbox.messages:
            self.assertIn('08.12.2026', message['Subject'])
            body = message.get_body(('plain', 'html')).get_content()
            self.assertIn('changed', body)

