"""Delivery requests (6.1–6.4): journal numbers without gaps, the courier's
report from his phone and the office accepting the request."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase, as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .tools import (
    D, make_contract, make_document, make_party, pdf_text, setup_rent)


def make_delivery(party, documents, courier=None, **values):
    Delivery = Pool().get('mrk.delivery')
    Company = Pool().get('company.company')
    company, = Company.search([], limit=1)
    delivery, = Delivery.create([dict({
                'company': company.id,
                'party': party.id,
                'address': 'г. Москва, ул. Мира, д. 17',
                'contact_name': 'Петров Пётр',
                'contact_phone': '+7 495 123-45-67',
                'wanted_date': D(2026, 3, 3),
                'courier': courier.id if courier else None,
                'documents': [('add', [d.id for d in documents])],
                }, **values)])
    return delivery


class DeliveryTestCase(DatabaseTestCase):
    "Document delivery requests"
    modules = ['mrk_documents']

    @with_transaction()
    def test_delivered_and_signed_back(self):
        """A request registered as Д-YYYY-NNNN, issued to the courier, who
        reports it delivered with the signed copy taken back; accepted,
        its document is returned. Another one not delivered comes back to
        the office"""
        pool = Pool()
        Delivery = pool.get('mrk.delivery')
        Date = pool.get('ir.date')
        company, people = setup_rent()
        party = make_party(manager=people['manager'])
        amendment = make_document(party, kind='amendment')
        protocol = make_document(party, kind='price_protocol')
        with as_user(people['office']):
            first = make_delivery(party, [amendment], people['courier'])
            second = make_delivery(party, [protocol], people['courier2'])
            with self.assertRaises(UserError) as cm:
                Delivery.register([make_delivery(party, [])])
            self.assertIn('#', str(cm.exception))
            Delivery.register([first, second])
            Delivery.issue([first, second])
        year = Date.today().year
        self.assertEqual((first.number, second.number),
            ('Д-%s-0001' % year, 'Д-%s-0002' % year))
        self.assertEqual((amendment.state, amendment.courier),
            ('courier', people['courier']))

        # The delivery sheet the courier carries (6.3)
        Sheet = pool.get('mrk.delivery.sheet', type='report')
        with as_user(people['courier']):
            extension, content, _, _ = Sheet.execute([first.id], {})
        self.assertEqual(extension, 'pdf')
        self.assertTrue(bytes(content).startswith(b'%PDF'))
        text = pdf_text(content)
        for expected in [first.number, 'ул. Мира, д. 17', 'Петров Пётр',
                'Дополнительное соглашение', 'Courier', 'Всего 1 документ',
                'Документы получил']:
            self.assertIn(expected, text)

        with as_user(people['courier']):
            self.assertEqual(Delivery.search([]), [first])
            with self.assertRaises(UserError):
                Delivery.report([first])
            Delivery.write([first], {
                    'result': 'delivered', 'delivered_to': 'Секретарь Анна',
                    'signed_back': True})
            # The address is the office's, not his
            with self.assertRaises(WorkflowAccessError):
                Delivery.write([first], {'address': 'другой'})
            with self.assertRaises(AccessError):
                Delivery.write([second], {'result': 'delivered'})
            Delivery.report([first])
        with as_user(people['courier2']):
            Delivery.write([second], {
                    'result': 'not_delivered', 'reason': 'Офис закрыт'})
            Delivery.report([second])
        with as_user(people['office']):
            Delivery.accept([first, second], date=D(2026, 3, 3))
        self.assertEqual((first.state, first.accepted_on),
            ('accepted', D(2026, 3, 3)))
        self.assertEqual((amendment.state, amendment.returned_on),
            ('returned', D(2026, 3, 3)))
        self.assertEqual(protocol.state, 'prepared')

    @with_transaction()
    def test_delivered_original_awaits_return(self):
        """A contract's original delivered without the signed copy waits
        at the counterparty with its return deadline"""
        pool = Pool()
        Delivery = pool.get('mrk.delivery')
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        party = make_party()
        contract = make_contract(party, state='draft')
        original = make_document(party, contract, number=contract.number)
        delivery = make_delivery(party, [original], people['courier'])
        Delivery.register([delivery])
        Delivery.issue([delivery])
        Delivery.write([delivery], {
                'result': 'delivered', 'delivered_to': 'Директор'})
        Delivery.report([delivery])
        Delivery.accept([delivery], date=D(2026, 3, 3))
        original = Document(original.id)
        self.assertEqual((original.state, original.return_deadline),
            ('counterparty', D(2026, 3, 17)))
