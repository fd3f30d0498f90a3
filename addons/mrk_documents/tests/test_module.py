"""The document register (6.5, 6.8, 6.9): originals made by the contracts,
states, scans and access per role."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import as_user, rolled_back
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from .tools import D, PDF, PNG, make_contract, make_document, make_party, \
    setup_rent


class MrkDocumentsTestCase(ModuleTestCase):
    "Test mrk_documents module"
    module = 'mrk_documents'

    @with_transaction()
    def test_activated_contract_gets_original(self):
        """A contract made active gets its original awaiting return with the
        deadline of its kind (6.5)"""
        pool = Pool()
        Date = pool.get('ir.date')
        company, people = setup_rent()
        party = make_party(manager=people['manager'])
        contract = make_contract(party)
        original, = contract.documents
        self.assertEqual((original.kind, original.direction, original.state,
                original.number),
            ('contract', 'outgoing', 'counterparty', contract.number))
        self.assertEqual((original.return_deadline - original.sent_on).days,
            14)
        self.assertEqual(original.sent_on, Date.today())
        self.assertEqual(contract.original_state, 'counterparty')
        self.assertFalse(contract.original_scanned)
        self.assertEqual(original.manager, people['manager'])

    @with_transaction()
    def test_return_term_per_kind(self):
        "A kind with its own return term gets its deadline from it"
        pool = Pool()
        Document = pool.get('mrk.document')
        ReturnTerm = pool.get('mrk.document.return_term')
        company, people = setup_rent()
        ReturnTerm.create([{'kind': 'price_protocol', 'days': 5}])
        party = make_party()
        protocol = make_document(party, kind='price_protocol')
        act = make_document(party, kind='handover_act')
        Document.send([protocol, act], date=D(2026, 3, 2))
        self.assertEqual(protocol.return_deadline, D(2026, 3, 7))
        self.assertEqual(act.return_deadline, D(2026, 3, 16))
        # The first reminder 3 days before the deadline, not before sending
        self.assertEqual(protocol.next_reminder_on, D(2026, 3, 4))
        self.assertEqual(act.next_reminder_on, D(2026, 3, 13))

    @with_transaction()
    def test_states_through_buttons(self):
        """A document moves prepared → courier → counterparty → returned →
        accounting → archived; its state is not written by hand"""
        pool = Pool()
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        party = make_party()
        document = make_document(party, kind='amendment')
        with self.assertRaises(UserError):
            Document.give_courier([document])
        document.courier = people['courier']
        document.save()
        Document.give_courier([document])
        Document.send([document])
        Document.return_([document])
        Document.hand_over([document])
        Document.archive([document])
        self.assertEqual(document.state, 'archived')
        with as_user(people['office']):
            other = make_document(party, kind='other')
            with self.assertRaises(WorkflowAccessError):
                Document.write([other], {'state': 'returned'})
            with self.assertRaises(WorkflowAccessError):
                Document.write([document], {'number': '7'})

    @with_transaction()
    def test_incoming_expected_then_received(self):
        """An incoming invoice is expected until received with its number
        and date (6.10)"""
        pool = Pool()
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        invoice = make_document(make_party(), kind='invoice',
            direction='incoming')
        self.assertEqual(invoice.state, 'expected')
        with self.assertRaises(UserError) as cm:
            Document.receive([invoice])
        self.assertIn(invoice.rec_name, str(cm.exception))
        invoice.number = '125'
        invoice.date = D(2026, 3, 3)
        invoice.save()
        Document.receive([invoice])
        self.assertEqual(invoice.state, 'received')

    @with_transaction()
    def test_scans(self):
        """A document keeps PDF, JPEG, PNG scans; another file or a too big
        one is refused naming the file and the document (6.8); the contract
        shows its original scanned"""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Configuration = pool.get('mrk.configuration')
        company, people = setup_rent()
        contract = make_contract(make_party())
        original, = contract.documents
        resource = str(original)
        with rolled_back(), self.assertRaises(UserError) as cm:
            Attachment.create([{'resource': resource, 'name': 'скан.docx',
                        'type': 'data', 'data': b'PK\x03\x04'}])
        self.assertIn('скан.docx', str(cm.exception))
        self.assertIn(original.rec_name, str(cm.exception))
        with rolled_back(), self.assertRaises(UserError):
            # A PDF name on something that is not a PDF
            Attachment.create([{'resource': resource, 'name': 'scan.pdf',
                        'type': 'data', 'data': b'hello'}])
        config = Configuration(1)
        config.document_scan_max_size = 1
        config.save()
        with rolled_back(), self.assertRaises(UserError) as cm:
            Attachment.create([{'resource': resource, 'name': 'big.png',
                        'type': 'data',
                        'data': PNG + b'\x00' * (1024 * 1024)}])
        self.assertIn('big.png', str(cm.exception))
        Attachment.create([{'resource': resource, 'name': 'photo.png',
                    'type': 'data', 'data': PNG}])
        self.assertEqual(len(Attachment.search(
                    [('resource', '=', resource)])), 1)
        Attachment.delete(Attachment.search([('resource', '=', resource)]))
        self.assertFalse(contract.original_scanned)
        Attachment.create([{'resource': resource, 'name': 'scan.pdf',
                    'type': 'data', 'data': PDF}])
        contract = pool.get('mrk.contract')(contract.id)
        self.assertTrue(contract.original_scanned)
        self.assertTrue(original.__class__(original.id).scanned)

    @with_transaction()
    def test_access_per_role(self):
        """A client manager reads and writes the documents of his portfolio
        only; a courier sees the documents he carries; the accountant what
        is handed to accounting"""
        pool = Pool()
        Document = pool.get('mrk.document')
        company, people = setup_rent()
        mine = make_party('ООО «Ромашка»', manager=people['manager'])
        theirs = make_party('ООО «Лютик»', manager=people['manager2'])
        my_document = make_document(mine, kind='amendment',
            courier=people['courier'].id)
        their_document = make_document(theirs, kind='amendment')
        with as_user(people['manager']):
            self.assertEqual(Document.search([]), [my_document])
            Document.write([my_document], {'description': 'Позвонить'})
            with self.assertRaises(AccessError):
                Document.write([their_document], {'description': 'x'})
        with as_user(people['courier']):
            self.assertEqual(Document.search([]), [my_document])
        with as_user(people['courier2']):
            self.assertEqual(Document.search([]), [])
        with as_user(people['accountant']):
            self.assertEqual(Document.search([]), [])
        Document.send([their_document])
        Document.return_([their_document])
        Document.hand_over([their_document])
        with as_user(people['accountant']):
            self.assertEqual(Document.search([]), [their_document])
            with self.assertRaises(AccessError):
                Document.write([their_document], {'description': 'x'})


del ModuleTestCase
