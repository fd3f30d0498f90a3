"""The rent in force on a date is one fact (5.1, 5.4, 8.2, 9.2): whether it
changed by the wizard «Изменить аренду с даты» or by a confirmed
price-change amendment, the printed price protocol, the contract's current
rent, the non-cash payment registry and the cash run all show the same
amount.

The PDF checks need LibreOffice (soffice) and pdftotext (poppler-utils)."""
import datetime

from trytond.modules.mrk_base.tests.tools import pdf_text
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from . import tools
from .tools import (
    Decimal, make_contract, make_party, make_point, make_term, setup_rent)

OLD, NEW = Decimal('5000.00'), Decimal('6250.50')
NEW_PRINTED = '6 250,50'
OLD_PRINTED = '5 000,00'


def by_wizard(contract, date):
    "Change the rent of contract from date with the wizard (5.2–5.4)"
    ChangeRent = Pool().get('mrk.rent.change', type='wizard')
    with Transaction().set_context(active_model='mrk.contract',
            active_id=contract.id, active_ids=[contract.id]):
        session_id, _, _ = ChangeRent.create()
        wizard = ChangeRent(session_id)
        values = wizard.default_start(None)
        wizard.start.contract = contract
        wizard.start.term = values['term']
        wizard.start.date = date
        wizard.start.amount = NEW
        wizard.start.basis = values['basis']
        wizard.start.payment_form = values['payment_form']
        wizard.start.reason = 'Письмо арендодателя'
        wizard.transition_change()


def by_amendment(contract, date):
    "Change the rent of contract from date by a price change agreement"
    Amendment = Pool().get('mrk.contract.amendment')
    amendment, = Amendment.create([{
                'contract': contract.id,
                'kind': 'price_change',
                'date': date - datetime.timedelta(days=10),
                'effective_date': date,
                'new_amount': NEW,
                }])
    Amendment.confirm([amendment])


class RentInForceTestCase(tools.RentTestCase):
    "One rent in force for documents, registry and cash runs"

    def check_paths(self, change):
        """Two contracts, one paid by transfer and one in cash, change their
        rent from the first day of this month through change; the
        protocol printed today, the current rent, the registry and the cash
        run of the month show the new amount, the month before the old"""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Registry = pool.get('mrk.rent.registry')
        Route = pool.get('mrk.rent.route')
        CashRun = pool.get('mrk.rent.cash_run')
        Protocol = pool.get('mrk.contract.price_protocol', type='report')
        Date = pool.get('ir.date')
        company, people = setup_rent()
        month = Date.today().replace(day=1)
        before = (month - datetime.timedelta(days=1)).replace(day=1)
        start = (before - datetime.timedelta(days=1)).replace(day=1)
        end = start.replace(year=start.year + 1)

        contracts = {}
        for form, name in [('transfer', 'ООО «Безнал»'),
                ('cash', 'ООО «Наличные»')]:
            party = make_party(name, manager=people['manager'])
            contract = make_contract(party, start=start, end=end)
            make_term(contract, OLD, payment_form=form)
            point = make_point(party, name='Точка ' + name,
                contract=contract)
            contracts[form] = (contract, point)
            change(contract, month)
        Route.create([{
                    'name': 'Центр',
                    'courier': people['courier'].id,
                    'stops': [('create', [{
                                    'sequence': 1,
                                    'point': contracts['cash'][1].id,
                                    }])],
                    }])

        for form, (contract, _) in contracts.items():
            contract = Contract(contract.id)
            with self.subTest(form=form):
                self.assertEqual(contract.current_rent_amount, NEW)
                self.assertEqual(
                    Contract.get_rents_on([contract], before)[
                        contract.id].amount, OLD)
                ext, content, _, _ = Protocol.execute([contract.id], {})
                self.assertEqual(ext, 'pdf')
                text = pdf_text(content).replace('\u00a0', ' ')
                self.assertIn(NEW_PRINTED, text)
                self.assertNotIn(OLD_PRINTED, text)

        transfer = contracts['transfer'][0]
        cash = contracts['cash'][0]
        for date, amount in [(month, NEW), (before, OLD)]:
            registry = Registry.generate(date)
            self.assertEqual(
                [(l.contract, l.amount) for l in registry.lines],
                [(transfer, amount)])
            run, = CashRun.generate(date)
            self.assertEqual(
                [(l.contract, l.amount) for l in run.lines],
                [(cash, amount)])

    @with_transaction()
    def test_rent_changed_by_wizard(self):
        "A change by «Изменить аренду с даты» reaches every document"
        self.check_paths(by_wizard)

    @with_transaction()
    def test_rent_changed_by_amendment(self):
        "A confirmed price change reaches every document"
        self.check_paths(by_amendment)
