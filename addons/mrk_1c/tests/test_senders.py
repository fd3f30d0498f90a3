"""Two senders at once never send one message twice (4.1-4.4): each takes
its messages with FOR UPDATE SKIP LOCKED and commits batch by batch. Run
on PostgreSQL, where the row locks are (SQLite has one writer at a time)."""
import threading
import unittest

from trytond import backend
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME
from trytond.transaction import Transaction, TransactionError

from .tools import ExchangeTestCase, make_world, setup_exchange


@unittest.skipUnless(backend.name == 'postgresql',
    'row locks of concurrent senders need PostgreSQL')
class TwoSendersTestCase(ExchangeTestCase):
    "Two senders at once"

    def test_two_senders_no_duplicate_call(self):
        "Two senders run at once: every record is upserted exactly once"
        pool = Pool(DB_NAME)
        fake = self.start_fake()
        fake.hang = 0.02  # each call takes a while, so the runs overlap
        extras = {}
        while True:
            # The singletons ask for a table lock: the setup is run again
            # in a transaction that holds it, as trytond's dispatcher does
            try:
                with Transaction().start(
                        DB_NAME, 0, **extras) as transaction:
                    setup_exchange(fake, batch_size=5)
                    parties, contracts, terminals = make_world(12, 2)
                    external_ids = [r.onec_external_id
                        for r in parties + contracts + terminals]
                    transaction.commit()
                break
            except TransactionError as exception:
                exception.fix(extras)

        errors = []
        barrier = threading.Barrier(2)

        def sender():
            try:
                with Transaction().start(DB_NAME, 0):
                    Message = pool.get('mrk.onec.message')
                    barrier.wait()
                    Message.send_queue(commit=True)
            except Exception as exception:  # reported below
                errors.append(exception)

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        self.assertEqual(errors, [])
        # What waited on a parent sent by the other sender goes next run
        with Transaction().start(DB_NAME, 0):
            Message = pool.get('mrk.onec.message')
            Message.send_queue(commit=True)
        with Transaction().start(DB_NAME, 0):
            Message = pool.get('mrk.onec.message')
            self.assertEqual(
                Message.search_count([('state', '!=', 'sent')]), 0)
        self.assertEqual(len(fake.upserts), len(external_ids))
        self.assertEqual(
            {i: fake.upserts[i] for i in external_ids},
            {i: 1 for i in external_ids})
