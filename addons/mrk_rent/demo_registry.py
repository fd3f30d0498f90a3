"""Demo data of the non-cash payment registry (9.1–9.3).

The registry of the current month went all the way: the invoices of the
lines paid by invoice were received, the monitoring department confirmed
the flagged lines, the lines without bank requisites were excluded,
accounting reconciled it, the head approved it and accounting exported the
file for the bank. The registry of the next month is a draft waiting for
the monitoring check, with a few invoices already received.
"""
import datetime

from trytond.pool import Pool
from trytond.transaction import Transaction

from .registry import next_month


def setup(context):
    company = context.get('company')
    with Transaction().set_context(
            company=company.id if company else None):
        _setup(context)


def _register_invoices(lines, month):
    """Where mrk_documents is active the registry takes its invoices from
    the register of documents: the demo's invoices are received there."""
    pool = Pool()
    try:
        Document = pool.get('mrk.document')
    except KeyError:
        return
    documents = Document.create([{
                'company': l.registry.company.id,
                'kind': 'invoice',
                'direction': 'incoming',
                'party': l.contract.party.id,
                'contract': l.contract.id,
                'period': month,
                'period_kind': 'month',
                'number': l.invoice_number,
                'date': l.invoice_date,
                } for l in lines])
    Document.receive(documents, date=month)


def _setup(context):
    pool = Pool()
    Registry = pool.get('mrk.rent.registry')
    Line = pool.get('mrk.rent.registry.line')
    Date = pool.get('ir.date')
    transaction = Transaction()
    users = context['users']
    today = Date.today()
    current = today.replace(day=1)

    # This month: approved and exported
    with transaction.set_user(users['senior'].id):
        registry = Registry.generate(current)
    lines = list(registry.lines)
    invoices = [l for l in lines if l.payment_form == 'invoice']
    for i, line in enumerate(invoices, 1):
        Line.write([line], {
                'invoice_number': 'С-%03d' % i,
                'invoice_date': current - datetime.timedelta(days=8 - i % 5),
                })
    _register_invoices(invoices, current)
    with transaction.set_user(users['senior'].id):
        no_account = [l for l in lines if l.no_bank_account]
        if no_account:
            Line.write(no_account, {
                    'excluded': True,
                    'exclusion_reason': "Нет банковских реквизитов, "
                    "запрошены у контрагента",
                    })
    with transaction.set_user(users['monitoring'].id):
        flagged = [l for l in lines
            if l.terminal_removed or l.contract_ending]
        if flagged:
            Line.write(flagged, {
                    'monitoring_ok': True,
                    'monitoring_note': "Сверено с журналом работы точек",
                    })
        Registry.monitoring_check([registry])
    with transaction.set_user(users['accountant'].id):
        Registry.accounting_check([registry])
    with transaction.set_user(users['head'].id):
        Registry.approve([registry])
    with transaction.set_user(users['accountant'].id):
        Registry.export([registry])

    # Next month: a draft waiting for the monitoring check (9.1)
    with transaction.set_user(users['senior'].id):
        draft = Registry.generate(next_month(today))
    lines = list(draft.lines)
    invoices = [l for l in lines if l.payment_form == 'invoice']
    for i, line in enumerate(invoices[:len(invoices) // 2], 1):
        Line.write([line], {
                'invoice_number': 'С-%03d' % (100 + i),
                'invoice_date': today,
                })
    _register_invoices(invoices[:len(invoices) // 2], next_month(today))
    flagged = [l for l in lines if l.terminal_removed]
    if flagged:
        with transaction.set_user(users['monitoring'].id):
            Line.write(flagged[:1], {
                    'monitoring_note': "Терминал снят, уточнить дату "
                    "по акту",
                    })
    context['rent_registries'] = [registry, draft]
