"""Payments back from 1C on the registry (9.3): «Оплачено в 1С» on the
lines of the month, an activity for a line approved but unpaid 10 days
into its month."""
import datetime
from decimal import Decimal

from trytond.modules.mrk_rent.tests.test_registry import (
    FEBRUARY, lines_by_contract, setup_registry)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.modules.mrk_base import codes

from .tools import NOW, ExchangeTestCase, configure_exchange, run_until_empty

D = datetime.date


class PaymentsTestCase(ExchangeTestCase):
    "Payments from 1C on the registry lines"

    @with_transaction()
    def test_registry_paid_in_1c_and_unpaid_activity(self):
        "A line shows its payment in 1C; the unpaid ones get 9.3 once"
        pool = Pool()
        Registry = pool.get('mrk.rent.registry')
        Line = pool.get('mrk.rent.registry.line')
        Message = pool.get('mrk.onec.message')
        Payment = pool.get('mrk.onec.payment')
        Activity = pool.get('mrk.activity')
        fake = self.start_fake()
        s = setup_registry()
        configure_exchange(fake, s.people)
        run_until_empty(Message, NOW)
        registry = Registry.generate(FEBRUARY)
        lines = lines_by_contract(registry)
        Line.write([lines[s.beta.id]], {
                'invoice_number': '17', 'invoice_date': D(2026, 1, 25)})
        flagged = [l for l in registry.lines if l.flagged]
        Line.write(flagged, {'monitoring_ok': True})
        Registry.monitoring_check([registry])
        Line.write([l for l in registry.lines if l.no_bank_account], {
                'excluded': True, 'exclusion_reason': 'Нет реквизитов'})
        Registry.accounting_check([registry])
        Registry.approve([registry])

        alpha = s.alpha.__class__(s.alpha.id)
        fake.add_payment(alpha.onec_ref, 'ПП-1', Decimal('4285.71'),
            date=datetime.datetime(2026, 2, 5, 12, 0))
        # A payment of another month is not this line's
        fake.add_payment(alpha.onec_ref, 'ПП-0', Decimal('3333.33'),
            date=datetime.datetime(2026, 1, 5, 12, 0))
        Payment.fetch_changes()
        lines = lines_by_contract(Registry(registry.id))
        paid = lines[s.alpha.id].onec_paid
        self.assertRegex(paid, r'285[.,]71')
        self.assertIn('2026', paid)
        self.assertNotIn('333', paid)
        self.assertIsNone(lines[s.gamma.id].onec_paid)

        self.assertEqual(Line.check_unpaid(date=D(2026, 2, 10)), [])
        activities = Line.check_unpaid(date=D(2026, 2, 11))
        unpaid = {a.origin for a in activities}
        self.assertNotIn(lines[s.alpha.id], unpaid)
        self.assertIn(lines[s.gamma.id], unpaid)
        self.assertTrue(all(a.function.code == codes.REGISTRY_RECONCILIATION for a in activities))
        # Once per line
        self.assertEqual(Line.check_unpaid(date=D(2026, 2, 12)), [])
        self.assertEqual(len(Activity.open_for(list(unpaid), [codes.REGISTRY_RECONCILIATION])),
            len(unpaid))
