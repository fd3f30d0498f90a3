"""The RentExchange client against the fake 1C on loopback (4.1-4.4): the
module's WSDL bound to the configured URL, SOAP 1.1 and 1.2, a Cyrillic
login, faults classified, a hung 1C given up at the time-out."""
import hashlib
import time
import unittest

from trytond.modules.mrk_1c.client import Client, ExchangeError
from trytond.modules.mrk_1c.tests.onec_fake import Fake1C, refused_port

INN = '7707083893'


def counterparty(external_id, inn=INN, name='ООО «Ромашка»'):
    return {
        'ExternalId': external_id, 'Name': name, 'INN': inn,
        'KPP': '773601001',
        'BankAccount': {'Number': '40702810900000000001',
            'BIK': '044525225'},
        }


class ClientTestCase(unittest.TestCase):

    def setUp(self):
        self.fake = Fake1C().start()
        self.addCleanup(self.fake.stop)

    def client(self, **kwargs):
        values = dict(url=self.fake.url, login='Обмен', password='Пароль1',
            timeout=5, connect_timeout=2)
        values.update(kwargs)
        return Client(**values)

    def test_soap_versions_and_cyrillic_login(self):
        "Both ports reach 1C at the configured URL with a Cyrillic login"
        for version in ['1.1', '1.2']:
            result = self.client(soap_version=version).upsert_counterparty(
                counterparty('party-%s' % version))
            self.assertEqual(result['Status'], 'Created')
            self.assertEqual(len(result['Ref']), 36)
        self.assertEqual(self.fake.versions, ['1.1', '1.2'])
        self.assertEqual(len(self.fake.counterparties), 2)

    def test_upsert_keeps_ref(self):
        "The same ExternalId updates the same object in 1C"
        client = self.client()
        first = client.upsert_counterparty(counterparty('p1'))
        second = client.upsert_counterparty(
            counterparty('p1', name='ООО «Ромашка-2»'))
        self.assertEqual(second['Status'], 'Updated')
        self.assertEqual(first['Ref'], second['Ref'])
        self.assertEqual(
            self.fake.counterparties['p1']['Name'], 'ООО «Ромашка-2»')

    def test_batch_and_item_error(self):
        "A batch answers one result per item; a wrong INN is an item error"
        results = self.client().upsert_counterparties([
                counterparty('p1'), counterparty('p2', inn='7707083890')])
        self.assertEqual([r['Status'] for r in results],
            ['Created', 'Error'])
        self.assertIn('Некорректный ИНН', results[1]['Message'])

    def test_wrong_password(self):
        "A wrong login is refused by 1C, nothing stored"
        with self.assertRaises(ExchangeError) as cm:
            self.client(password='other').upsert_counterparty(
                counterparty('p1'))
        self.assertEqual(cm.exception.kind, 'transient')
        self.assertIn('401', cm.exception.message)
        self.assertEqual(self.fake.counterparties, {})

    def test_faults(self):
        "Unknown reference and lock conflict are told apart"
        client = self.client()
        with self.assertRaises(ExchangeError) as cm:
            client.upsert_contract({'ExternalId': 'c1', 'Number': '1',
                    'Date': '2026-01-01', 'CounterpartyRef': 'x' * 36,
                    'Amount': '5000.00', 'PaymentForm': 'cash',
                    'ValidFrom': '2026-01-01'})
        self.assertEqual(cm.exception.kind, 'unknown')
        self.fake.lock_every = 1
        with self.assertRaises(ExchangeError) as cm:
            client.upsert_counterparty(counterparty('p1'))
        self.assertEqual(cm.exception.kind, 'transient')
        self.assertIn('Конфликт блокировок', cm.exception.message)

    def test_refused_and_hang(self):
        "1C down or hung: a transient error, within the time-out"
        client = Client(url='http://127.0.0.1:%s/base/ws/RentExchange.1cws'
            % refused_port(), login='Обмен', password='Пароль1', timeout=1)
        with self.assertRaises(ExchangeError) as cm:
            client.upsert_counterparty(counterparty('p1'))
        self.assertEqual(cm.exception.kind, 'transient')
        self.fake.hang = 3
        start = time.monotonic()
        with self.assertRaises(ExchangeError) as cm:
            self.client(timeout=1).upsert_counterparty(counterparty('p1'))
        self.assertLess(time.monotonic() - start, 2.5)
        self.assertIn('timeout', cm.exception.message)

    def test_attach_file_and_changes(self):
        "A file arrives with its bytes; payments come back from GetChanges"
        client = self.client()
        ref = client.upsert_counterparty(counterparty('p1'))['Ref']
        data = bytes(range(256)) * 100
        result = client.attach_file(ref, 'скан.pdf', 'application/pdf', data)
        self.assertEqual(result['Status'], 'Created')
        stored, = self.fake.files
        self.assertEqual(stored['size'], len(data))
        self.assertEqual(stored['sha256'], hashlib.sha256(data).hexdigest())
        self.fake.add_payment(ref, 'doc-1', 5000)
        until, items = client.get_changes('2026-01-01T00:00:00')
        self.assertEqual([i['DocumentRef'] for i in items], ['doc-1'])
        self.assertEqual(str(items[0]['Amount']), '5000.00')

    def test_password_not_logged(self):
        "Neither the password nor the Authorization header reach the logs"
        import base64
        import logging
        records = []

        class Keep(logging.Handler):
            def emit(self, record):
                records.append(self.format(record))

        handler = Keep(level=logging.DEBUG)
        root = logging.getLogger()
        level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            self.client().upsert_counterparty(counterparty('p1'))
            with self.assertRaises(ExchangeError):
                self.client(password='Пароль2').upsert_counterparty(
                    counterparty('p1'))
        finally:
            root.removeHandler(handler)
            root.setLevel(level)
        self.assertTrue(records)
        text = '\n'.join(records)
        for secret in ['Пароль1', 'Пароль2', base64.b64encode(
                    'Обмен:Пароль1'.encode('utf-8')).decode()]:
            self.assertNotIn(secret, text)
