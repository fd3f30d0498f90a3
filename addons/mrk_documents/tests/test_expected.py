"""Documents the counterparties must issue (6.10, 6.11, questions 4 and 5):
the monthly expected documents, the chase from the 5th working day and the
non-cash registry taking its invoices from the register."""
from trytond.exceptions import UserError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase, as_user
from trytond.modules.mrk_rent.tests import test_registry as rent_registry
from trytond.modules.mrk_documents.expected import working_day
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.modules.mrk_base import codes

from .tools import D, make_contract, make_party, make_term, setup_rent


class ExpectedTestCase(DatabaseTestCase):
    "Expected documents of the counterparties"
    modules = ['mrk_documents']

    def setup_contracts(self, people):
        """ООО «Счёт» pays by invoice; ООО «Квартал» issues an invoice per
        quarter and acts per month; ООО «Нал» pays in cash and issues
        nothing"""
        invoice = make_contract(make_party('ООО «Счёт»',
                manager=people['manager']))
        make_term(invoice, '1000.00', payment_form='invoice')
        quarter = make_contract(make_party('ООО «Квартал»',
                manager=people['manager2']), invoice_frequency='quarter',
            act_frequency='month')
        make_term(quarter, '2000.00', payment_form='transfer')
        cash = make_contract(make_party('ООО «Нал»'))
        make_term(cash, '3000.00', payment_form='cash')
        return invoice, quarter, cash

    @with_transaction()
    def test_month_of_expected_documents(self):
        """On 1 April: the invoice of April of the contract paid by invoice,
        the quarter's invoice and March's act and invoice-factura of the
        other; nothing for cash; a second run makes nothing; one invoice
        received, the others chased from the 5th working day (7 April) by
        one activity each to the client manager"""
        pool = Pool()
        Document = pool.get('mrk.document')
        Activity = pool.get('mrk.activity')
        company, people = setup_rent()
        invoice, quarter, cash = self.setup_contracts(people)

        self.assertEqual(Document.generate_expected(D(2026, 4, 1)), 4)
        self.assertEqual(Document.generate_expected(D(2026, 4, 1)), 0)
        self.assertEqual(Document.generate_expected(D(2026, 4, 15)), 0)
        expected = Document.search([('state', '=', 'expected')])
        self.assertEqual(sorted(
                (d.contract.id, d.kind, d.period, d.period_kind,
                    d.direction, d.party.id) for d in expected), sorted([
                    (invoice.id, 'invoice', D(2026, 4, 1), 'month',
                        'incoming', invoice.party.id),
                    (quarter.id, 'invoice', D(2026, 4, 1), 'quarter',
                        'incoming', quarter.party.id),
                    (quarter.id, 'work_act', D(2026, 3, 1), 'month',
                        'incoming', quarter.party.id),
                    (quarter.id, 'invoice_factura', D(2026, 3, 1), 'month',
                        'incoming', quarter.party.id),
                    ]))
        # May: the monthly invoice and April's acts, no quarter invoice
        self.assertEqual(Document.generate_expected(D(2026, 5, 1)), 3)

        april_invoice, = Document.search([
                ('contract', '=', invoice.id), ('period', '=', D(2026, 4, 1))])
        with as_user(people['office']):
            Document.write([april_invoice], {
                    'number': 'С-41', 'date': D(2026, 4, 2)})
            Document.receive([april_invoice])
        self.assertEqual(april_invoice.state, 'received')

        self.assertEqual(working_day(D(2026, 4, 6)), 4)
        self.assertEqual(Document.chase_expected(D(2026, 4, 6)), [])
        chased = Document.chase_expected(D(2026, 4, 7))
        self.assertEqual(len(chased), 3)
        self.assertNotIn(april_invoice, chased)
        owners = {(a.origin.kind, a.function.code, a.owner)
            for a in Activity.open_for(chased)}
        self.assertEqual(owners, {
                ('invoice', codes.INVOICES_TO_ACCOUNTING, people['manager2']),
                ('work_act', codes.ACTS_TO_ACCOUNTING, people['manager2']),
                ('invoice_factura', codes.ACTS_TO_ACCOUNTING, people['manager2']),
                })
        # Chased once
        self.assertEqual(Document.chase_expected(D(2026, 4, 8)), [])
        self.assertEqual(len(Activity.open_for(chased)), 3)


class RegistryInvoiceTestCase(DatabaseTestCase):
    "The non-cash registry reads the invoices of the register (9.2)"
    modules = ['mrk_documents']

    @with_transaction()
    def test_registry_takes_invoice_from_register(self):
        """A line paid by invoice is approved only with the invoice received
        in the register; its number and date come from there and are not
        typed on the line"""
        pool = Pool()
        Registry = pool.get('mrk.rent.registry')
        Line = pool.get('mrk.rent.registry.line')
        Document = pool.get('mrk.document')
        s = rent_registry.setup_registry()
        february = rent_registry.FEBRUARY
        self.assertEqual(Document.generate_expected(february), 1)
        registry = Registry.generate(february)
        rent_registry.RegistryTestCase.check_to_accounting(
            self, s, registry)
        beta = rent_registry.lines_by_contract(registry)[s.beta.id]
        with as_user(s.people['accountant']):
            with self.assertRaises(WorkflowAccessError):
                Line.write([beta], {'invoice_number': '17'})
            Registry.accounting_check([registry])
        with as_user(s.people['head']):
            with self.assertRaises(UserError) as cm:
                Registry.approve([registry])
        self.assertIn(s.beta.rec_name, str(cm.exception))
        self.assertEqual(registry.state, 'accounting_checked')

        document, = Document.search([
                ('contract', '=', s.beta.id), ('kind', '=', 'invoice')])
        self.assertEqual((document.kind, document.period),
            ('invoice', february))
        with as_user(s.people['office']):
            Document.write([document], {
                    'number': '17', 'date': D(2026, 1, 25)})
            Document.receive([document])
        beta = Line(beta.id)
        self.assertEqual((beta.invoice_number, beta.invoice_date),
            ('17', D(2026, 1, 25)))
        with as_user(s.people['head']):
            Registry.approve([registry])
        self.assertEqual(registry.state, 'approved')
