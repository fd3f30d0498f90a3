"""Hand-over to accounting (6.9–6.11): the numbered transfer list, its
PDF, the accountant's confirmation with an exception per line, and the
contract's original «in accounting»."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.mrk_base.tests.tools import (
    DatabaseTestCase, as_user, rolled_back)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .tools import D, make_contract, make_document, make_party, pdf_text, \
    setup_rent


class TransferTestCase(DatabaseTestCase):
    "Transfer lists to accounting"
    modules = ['mrk_documents']

    @with_transaction()
    def test_transfer_and_confirm(self):
        """The office hands a returned original and a received invoice on
        the list О-YYYY-0001; the accountant confirms with the invoice
        missing: it goes back to the office, the original stays in
        accounting and its contract says so"""
        pool = Pool()
        Document = pool.get('mrk.document')
        Transfer = pool.get('mrk.document.transfer')
        Line = pool.get('mrk.document.transfer.line')
        Contract = pool.get('mrk.contract')
        Date = pool.get('ir.date')
        company, people = setup_rent()
        party = make_party(manager=people['manager'])
        contract = make_contract(party)
        original, = contract.documents
        invoice = make_document(party, contract, kind='invoice',
            direction='incoming', number='С-7', date=D(2026, 3, 1))
        prepared = make_document(party, kind='amendment')
        Document.return_([original], date=D(2026, 3, 5))
        Document.receive([invoice])

        with as_user(people['office']):
            transfer, = Transfer.create([{
                        'company': company.id,
                        'lines': [('create', [
                                    {'document': original.id},
                                    {'document': invoice.id}])],
                        }])
            # Only what is in the office goes on a list
            with rolled_back(), self.assertRaises(UserError) as cm:
                Transfer.create([{
                            'company': company.id,
                            'lines': [('create', [
                                        {'document': prepared.id}])],
                            }])
            self.assertIn(prepared.rec_name, str(cm.exception))
            Transfer.hand([transfer], date=D(2026, 3, 6))
        transfer = Transfer(transfer.id)
        original, invoice = Document(original.id), Document(invoice.id)
        year = Date.today().year
        self.assertEqual((transfer.number, transfer.state),
            ('О-%s-0001' % year, 'handed'))
        self.assertEqual({original.state, invoice.state}, {'accounting'})

        Report = pool.get('mrk.document.transfer.report', type='report')
        with as_user(people['accountant']):
            extension, content, _, _ = Report.execute([transfer.id], {})
            self.assertEqual(extension, 'pdf')
            text = pdf_text(content)
            for expected in [transfer.number, 'ОПИСЬ ПЕРЕДАЧИ',
                    'Счёт на оплату', 'С-7', 'Договор аренды (оригинал)',
                    'Всего 2 документа', 'Принял']:
                self.assertIn(expected, text)
            line = [l for l in transfer.lines if l.document == invoice][0]
            Line.write([line], {'exception': True})
            with self.assertRaises(UserError):
                Transfer.confirm([transfer])
            Line.write([line], {'exception_note': 'Нет оригинала счёта'})
            Transfer.confirm([transfer], date=D(2026, 3, 7))
        with as_user(people['manager']):
            with self.assertRaises(AccessError):
                Transfer.search([])
        self.assertEqual(transfer.state, 'confirmed')
        self.assertEqual(Document(invoice.id).state, 'received')
        self.assertEqual(Document(original.id).state, 'accounting')
        contract = Contract(contract.id)
        self.assertEqual(contract.original_state, 'accounting')
        self.assertEqual(contract.original_transfer,
            'О-%s-0001 от 06.03.2026' % year)
