"""Demo data of mrk_rent: the rent table of the demo contracts.

The contracts made active by the mrk_contracts demo got their first rent
term (5.1) from their monthly rent; here two in five are paid in cash, one
in five by invoice and the rest by transfer, the contracts with several
terminals pay per terminal, and a few changed their rent or payment form
some months ago (5.4), so their history shows two terms. Then the cash
routes and runs (8.x) and the non-cash registries (9.x) are added.
"""
import importlib
import importlib.util
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.pool import Pool
from trytond.transaction import Transaction


def setup(context):
    pool = Pool()
    RentTerm = pool.get('mrk.rent.term')
    Contract = pool.get('mrk.contract')
    Date = pool.get('ir.date')
    today = Date.today()

    contracts = Contract.search([
            ('state', 'in', ['active', 'terminated', 'expired']),
            ], order=[('id', 'ASC')])
    first_terms = {t.contract.id: t for t in RentTerm.search([
                ('contract', 'in', [c.id for c in contracts]),
                ('previous', '=', None),
                ])}
    corrections = {}
    for i, contract in enumerate(contracts):
        term = first_terms.get(contract.id)
        if not term:
            continue
        form = {0: 'cash', 1: 'cash', 2: 'invoice'}.get(i % 5, 'transfer')
        values = {}
        if form != term.payment_form:
            values['payment_form'] = form
        if contract.rent_terminal_count >= 2:
            values.update({
                    'basis': 'terminal',
                    'amount': Decimal('1500.00'),
                    })
        if values:
            corrections.setdefault(tuple(sorted(values.items())), []
                ).append(term)
    # The first terms as they were entered from the contracts
    with Transaction().set_context(_mrk_rent_correction=True):
        args = []
        for values, terms in corrections.items():
            args.extend([terms, dict(values)])
        if args:
            RentTerm.write(*args)

    # A few changed their rent from the first day of a past month
    changed_on = (today - relativedelta(months=2)).replace(day=1)
    for contract in [c for c in contracts if c.state == 'active'][3:30:7]:
        term = contract.rent_term
        if (not term or term.point or term.terminal
                or term.valid_from >= changed_on or term.valid_to):
            continue
        if term.payment_form == 'cash':
            RentTerm.change_from(contract, changed_on,
                payment_form='transfer',
                reason="Письмо контрагента о переходе на безналичную оплату")
        else:
            RentTerm.change_from(contract, changed_on,
                amount=term.amount + Decimal(500),
                reason="Индексация по соглашению сторон")
    context['rent_contracts'] = contracts

    for name in ['demo_cash', 'demo_registry']:
        qualname = 'trytond.modules.mrk_rent.%s' % name
        if importlib.util.find_spec(qualname) is not None:
            importlib.import_module(qualname).setup(context)
