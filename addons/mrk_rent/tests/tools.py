"Shared test helpers of mrk_rent"
import datetime
from decimal import Decimal

from trytond.modules.company.tests import create_company
from trytond.modules.mrk_base.tests.tools import (
    Inbox, free_port, pdf_text, start_smtp_server)
from trytond.modules.mrk_contracts.tests.test_contract import (
    make_party, make_user)
from trytond.modules.mrk_contracts.tests import tools as contracts_tools
from trytond.modules.mrk_terminals.tests.test_module import (
    make_point, make_terminals)
from trytond.pool import Pool

D = datetime.date
ROLES = ['head', 'senior', 'manager', 'office', 'technician', 'courier',
    'accountant', 'monitoring', 'admin']

__all__ = ['D', 'Decimal', 'RentTestCase', 'make_party', 'make_point',
    'make_terminals', 'make_user', 'setup_rent', 'make_contract',
    'make_term', 'install', 'Inbox', 'free_port', 'pdf_text',
    'start_smtp_server']


class RentTestCase(contracts_tools.DatabaseTestCase):
    "A test case with a fresh database where mrk_rent is activated"
    modules = ['mrk_rent']


def setup_rent():
    """A company with one user per role (and a second courier and
    manager); returns the company and the users by role."""
    pool = Pool()
    Function = pool.get('mrk.function')
    Configuration = pool.get('mrk.configuration')
    company = create_company()
    people = {r: make_user('mrk' + r if r == 'admin' else r, r, company)
        for r in ROLES}
    people['courier2'] = make_user('courier2', 'courier', company)
    people['manager2'] = make_user('manager2', 'manager', company)
    Function.write(Function.search([]), {'owner': people['senior'].id})
    config = Configuration(1)
    config.head = people['head']
    config.save()
    return company, people


def make_contract(party, start=D(2026, 1, 1), end=D(2026, 12, 31),
        amount=None, state='active', **values):
    """An active contract of party; without amount it gets no rent term
    (its terms are made by the test)."""
    pool = Pool()
    Contract = pool.get('mrk.contract')
    Company = pool.get('company.company')
    company, = Company.search([], limit=1)
    contract = Contract(company=company, currency=company.currency,
        party=party, date=start, start_date=start, end_date=end,
        rent_amount=amount, manager=party.mrk_manager)
    for key, value in values.items():
        setattr(contract, key, value)
    contract.save()
    if state in {'active', 'terminated', 'expired'}:
        Contract.activate([contract])
    if state in {'terminated', 'expired'}:
        getattr(Contract, {'terminated': 'terminate',
                'expired': 'expire'}[state])([contract])
    return contract


def make_term(contract, amount, valid_from=None, valid_to=None,
        basis='contract', payment_form='cash', **values):
    RentTerm = Pool().get('mrk.rent.term')
    term, = RentTerm.create([dict({
                'contract': contract.id,
                'amount': Decimal(amount),
                'basis': basis,
                'payment_form': payment_form,
                'valid_from': valid_from or contract.start_date,
                'valid_to': valid_to,
                }, **values)])
    return term


def install(terminals, point, date, removed_on=None, contract=None):
    "Place the terminals at the point from date (until removed_on)"
    Placement = Pool().get('mrk.terminal.placement')
    placements = Placement.install(terminals, point, date, contract=contract)
    if removed_on:
        Placement.remove(terminals, point, removed_on)
    return placements
