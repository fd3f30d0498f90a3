"""Demo data of mrk_documents: documents in every state.

The contracts made active by the earlier demos got their originals awaiting
return; here some of them were sent weeks ago (so the return control has
overdue documents, reminders, calls and an escalation), some came back
signed and scanned, went to accounting or to the archive. Delivery
requests show each state of the journal, and the month's expected
invoices, acts and invoice-factura are made, one invoice received.
"""
import datetime

from trytond.pool import Pool
from trytond.transaction import Transaction

# A one-page PDF: the demo's scan of a signed original
SCAN = (b'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n'
    b'2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n'
    b'3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n'
    b'trailer<</Root 1 0 R>>\n%%EOF\n')


def setup(context):
    pool = Pool()
    Document = pool.get('mrk.document')
    Delivery = pool.get('mrk.delivery')
    Contract = pool.get('mrk.contract')
    Attachment = pool.get('ir.attachment')
    Date = pool.get('ir.date')
    today = Date.today()
    days = datetime.timedelta
    users = context['users']
    company = context['company']

    contracts = Contract.search([('state', '=', 'active')],
        order=[('id', 'ASC')])
    originals = Document.search([
            ('kind', '=', 'contract'),
            ('state', '=', 'counterparty'),
            ], order=[('id', 'ASC')])

    # Originals sent weeks ago: overdue, some beyond the grace
    for i, original in enumerate(originals[:6]):
        Document.write([original], {
                'sent_on': today - days(20 + 3 * i),
                'return_deadline': today - days(6 + 3 * i),
                'next_reminder_on': today - days(6 + 3 * i),
                })
    # Three came back signed and scanned: one kept, one in accounting,
    # one archived
    returned = originals[6:9]
    if returned:
        Document.return_(returned, date=today - days(5))
        Attachment.create([{
                    'resource': str(d),
                    'name': 'Скан договора %s.pdf' % (d.number or d.id),
                    'type': 'data',
                    'data': SCAN,
                    } for d in returned])
        Document.hand_over(returned[1:], date=today - days(2))
        Document.archive(returned[2:])

    def document(contract, kind, **values):
        return dict({
                'company': company.id,
                'kind': kind,
                'party': contract.party.id,
                'contract': contract.id,
                'number': '%s/%s' % (contract.number, kind[:2].upper()),
                'date': today - days(3),
                }, **values)

    if len(contracts) >= 6:
        prepared = Document.create([
                document(contracts[0], 'amendment'),
                document(contracts[1], 'price_protocol'),
                document(contracts[2], 'handover_act'),
                document(contracts[3], 'termination'),
                document(contracts[4], 'other',
                    description='Письмо о смене реквизитов'),
                document(contracts[5], 'amendment'),
                ])
        Document.cancel(prepared[4:5])
        # Delivery requests in each state of the journal
        with Transaction().set_context(company=company.id):
            deliveries = Delivery.create([{
                        'company': company.id,
                        'party': d.party.id,
                        'address': (d.party.address_get().full_address
                            .replace('\n', ', ')
                            if d.party.address_get() else 'г. Москва'),
                        'contact_phone': d.party.phone,
                        'wanted_date': today + days(i),
                        'courier': users['courier'].id,
                        'documents': [('add', [d.id])],
                        } for i, d in enumerate(
                        [prepared[0], prepared[1], prepared[2],
                            prepared[3]])])
        Delivery.register(deliveries[1:])
        Delivery.issue(deliveries[2:])
        Delivery.write([deliveries[3]], {
                'result': 'delivered',
                'delivered_to': 'Секретарь, Иванова А. В.',
                })
        Delivery.report(deliveries[3:])
        Delivery.accept(deliveries[3:], date=today)

        # Who issues what (questions 4 and 5)
        Contract.write(list(contracts[:3]), {'act_frequency': 'month'})
        Contract.write(list(contracts[3:5]), {
                'invoice_frequency': 'quarter', 'act_frequency': 'quarter'})

    Document.generate_expected(today)
    expected = Document.search([
            ('state', '=', 'expected'), ('kind', '=', 'invoice')],
        order=[('id', 'ASC')], limit=1)
    if expected:
        Document.write(expected, {
                'number': 'СЧ-%s' % today.strftime('%m%d'),
                'date': today - days(1)})
        Document.receive(expected)
    # The morning's run: reminders, calls, escalation
    Document.remind_returns(today)
