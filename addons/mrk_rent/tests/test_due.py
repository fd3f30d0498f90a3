"""The monthly due amount (5.x, 8.2, 9.2) on its own: February, leap
years, install and removal on the same day, a term change on the 15th, a
contract ending mid-month, in exact kopecks, under both policies."""
import datetime
import unittest
from decimal import Decimal

from trytond.modules.mrk_rent.due import (
    PRO_RATA, WHOLE_MONTH, Stay, Term, compute_due, explain, month_bounds,
    round_kopecks)

D = datetime.date
C = 1  # the contract of every case
YEAR = {C: (D(2020, 1, 1), D(2030, 12, 31))}


def term(id, amount, start, end=None, basis='contract', form='cash',
        point=None, terminal=None):
    return Term(id=id, contract=C, amount=Decimal(amount), basis=basis,
        payment_form=form, valid_from=start, valid_to=end, point=point,
        terminal=terminal)


def total(dues):
    return sum((d.amount for d in dues), Decimal('0.00'))


class DueTestCase(unittest.TestCase):

    def test_month_bounds(self):
        "February has 28 days, 29 in leap years, 2100 is not leap"
        self.assertEqual(month_bounds(D(2026, 2, 14)),
            (D(2026, 2, 1), D(2026, 2, 28)))
        self.assertEqual(month_bounds(D(2028, 2, 3))[1], D(2028, 2, 29))
        self.assertEqual(month_bounds(D(2100, 2, 3))[1], D(2100, 2, 28))

    def test_round_half_up(self):
        "Half a kopeck rounds up, as accounting does"
        self.assertEqual(round_kopecks(Decimal('0.005')), Decimal('0.01'))
        self.assertEqual(round_kopecks(Decimal('0.0049')), Decimal('0.00'))

    def test_full_month(self):
        "A term in force the whole month pays its amount"
        dues = compute_due(D(2026, 3, 1), YEAR,
            [term(1, '5000.00', D(2025, 1, 1))], [])
        self.assertEqual(total(dues), Decimal('5000.00'))
        due, = dues
        self.assertEqual((due.contract, due.point, due.payment_form),
            (C, None, 'cash'))

    def test_february_pro_rata(self):
        "Contract from 15 February 2026: 14 of 28 days, exactly half"
        contracts = {C: (D(2026, 2, 15), D(2026, 12, 31))}
        dues = compute_due(D(2026, 2, 1), contracts,
            [term(1, '5000.00', D(2026, 2, 15))], [])
        self.assertEqual(total(dues), Decimal('2500.00'))
        part, = dues[0].parts
        self.assertEqual((part.days, part.month_days), (14, 28))

    def test_leap_february(self):
        "Contract from 15 February 2028: 15 of 29 days, 2586.21"
        contracts = {C: (D(2028, 2, 15), D(2028, 12, 31))}
        dues = compute_due(D(2028, 2, 1), contracts,
            [term(1, '5000.00', D(2028, 2, 15))], [])
        # 5000 × 15 / 29 = 2586.2068…
        self.assertEqual(total(dues), Decimal('2586.21'))

    def test_term_change_on_15th(self):
        "3000 until 14 April, 4500 from 15 April: 1400.00 + 2400.00"
        dues = compute_due(D(2026, 4, 1), YEAR, [
                term(1, '3000.00', D(2025, 1, 1), D(2026, 4, 14)),
                term(2, '4500.00', D(2026, 4, 15)),
                ], [])
        due, = dues
        self.assertEqual([(p.term, p.days, p.amount) for p in due.parts], [
                (1, 14, Decimal('1400.00')),
                (2, 16, Decimal('2400.00')),
                ])
        self.assertEqual(due.amount, Decimal('3800.00'))

    def test_term_change_on_15th_of_31_day_month(self):
        "In May (31 days): 3000 × 14/31 + 4500 × 17/31 = 1354.84 + 2467.74"
        dues = compute_due(D(2026, 5, 1), YEAR, [
                term(1, '3000.00', D(2025, 1, 1), D(2026, 5, 14)),
                term(2, '4500.00', D(2026, 5, 15)),
                ], [])
        self.assertEqual([p.amount for p in dues[0].parts],
            [Decimal('1354.84'), Decimal('2467.74')])
        self.assertEqual(total(dues), Decimal('3822.58'))

    def test_payment_form_change(self):
        "A change of payment form splits the month into two dues"
        dues = compute_due(D(2026, 4, 1), YEAR, [
                term(1, '3000.00', D(2025, 1, 1), D(2026, 4, 14)),
                term(2, '3000.00', D(2026, 4, 15), form='transfer'),
                ], [])
        self.assertEqual([(d.payment_form, d.amount) for d in dues], [
                ('cash', Decimal('1400.00')),
                ('transfer', Decimal('1600.00')),
                ])

    def test_contract_ending_mid_month(self):
        "Contract ending on 10 June: 10 of 30 days of 4000.00"
        contracts = {C: (D(2025, 1, 1), D(2026, 6, 10))}
        dues = compute_due(D(2026, 6, 1), contracts,
            [term(1, '4000.00', D(2025, 1, 1))], [])
        self.assertEqual(total(dues), Decimal('1333.33'))
        dues = compute_due(D(2026, 7, 1), contracts,
            [term(1, '4000.00', D(2025, 1, 1))], [])
        self.assertEqual(dues, [])

    def test_per_terminal_days(self):
        """Per terminal: one terminal the whole of March (31 days), one
        installed on the 10th (22 days), one removed on the 21st (20
        days): 1000 + 709.68 + 645.16"""
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal')]
        stays = [
            Stay(101, 7, C, D(2025, 5, 1)),
            Stay(102, 7, C, D(2026, 3, 10)),
            Stay(103, 8, C, D(2025, 5, 1), D(2026, 3, 21)),
            ]
        dues = compute_due(D(2026, 3, 1), YEAR, terms, stays)
        self.assertEqual([(d.point, d.amount) for d in dues], [
                (7, Decimal('1709.68')),
                (8, Decimal('645.16')),
                ])
        self.assertEqual(
            [(p.terminal, p.days) for p in dues[0].parts],
            [(101, 31), (102, 22)])

    def test_install_and_removal_same_day(self):
        "A terminal installed and removed on one day stood no day"
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal')]
        stays = [Stay(101, 7, C, D(2026, 3, 10), D(2026, 3, 10))]
        self.assertEqual(compute_due(D(2026, 3, 1), YEAR, terms, stays), [])
        self.assertEqual(compute_due(D(2026, 3, 1), YEAR, terms, stays,
                policy=WHOLE_MONTH), [])

    def test_moved_same_day(self):
        """Removed from one point in the morning and installed at another
        the same day: 31 terminal-days in March, never 32"""
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal')]
        stays = [
            Stay(101, 7, C, D(2025, 5, 1), D(2026, 3, 16)),
            Stay(101, 8, C, D(2026, 3, 16)),
            ]
        dues = compute_due(D(2026, 3, 1), YEAR, terms, stays)
        self.assertEqual(
            sum(p.days for d in dues for p in d.parts), 31)
        self.assertEqual([(d.point, d.amount) for d in dues], [
                (7, Decimal('483.87')),
                (8, Decimal('516.13')),
                ])
        self.assertEqual(total(dues), Decimal('1000.00'))

    def test_terminal_change_of_term_on_15th(self):
        "Per terminal 900 → 1200 from 15 February 2026 (28 days)"
        terms = [
            term(1, '900.00', D(2025, 1, 1), D(2026, 2, 14),
                basis='terminal'),
            term(2, '1200.00', D(2026, 2, 15), basis='terminal'),
            ]
        stays = [Stay(101, 7, C, D(2025, 5, 1))]
        dues = compute_due(D(2026, 2, 1), YEAR, terms, stays)
        self.assertEqual(total(dues), Decimal('1050.00'))

    def test_scoped_terms(self):
        "A term for one point counts only the terminals standing there"
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal',
                point=8)]
        stays = [
            Stay(101, 7, C, D(2025, 5, 1)),
            Stay(102, 8, C, D(2025, 5, 1)),
            ]
        dues = compute_due(D(2026, 3, 1), YEAR, terms, stays)
        self.assertEqual([(d.point, d.amount) for d in dues],
            [(8, Decimal('1000.00'))])

    def test_other_contracts_terminals(self):
        "Placements of another contract are not counted"
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal')]
        stays = [Stay(101, 7, 2, D(2025, 5, 1))]
        self.assertEqual(compute_due(D(2026, 3, 1), YEAR, terms, stays), [])

    def test_contract_not_charged(self):
        "A contract absent from the periods (draft, cancelled) is not due"
        dues = compute_due(D(2026, 3, 1), {},
            [term(1, '5000.00', D(2025, 1, 1))], [])
        self.assertEqual(dues, [])

    def test_whole_month_policy(self):
        """Whole month: a contract starting on the 20th pays the month, a
        term change on the 15th applies from the next month"""
        contracts = {C: (D(2026, 2, 20), D(2026, 12, 31))}
        dues = compute_due(D(2026, 2, 1), contracts,
            [term(1, '5000.00', D(2026, 2, 20))], [], policy=WHOLE_MONTH)
        self.assertEqual(total(dues), Decimal('5000.00'))
        terms = [
            term(1, '3000.00', D(2025, 1, 1), D(2026, 4, 14)),
            term(2, '4500.00', D(2026, 4, 15)),
            ]
        dues = compute_due(D(2026, 4, 1), YEAR, terms, [],
            policy=WHOLE_MONTH)
        self.assertEqual(total(dues), Decimal('3000.00'))
        dues = compute_due(D(2026, 5, 1), YEAR, terms, [],
            policy=WHOLE_MONTH)
        self.assertEqual(total(dues), Decimal('4500.00'))

    def test_whole_month_terminals(self):
        "Whole month: each terminal present a day pays the month"
        terms = [term(1, '1000.00', D(2025, 1, 1), basis='terminal')]
        stays = [
            Stay(101, 7, C, D(2026, 3, 31)),
            Stay(102, 7, C, D(2025, 1, 1), D(2026, 3, 2)),
            ]
        dues = compute_due(D(2026, 3, 1), YEAR, terms, stays,
            policy=WHOLE_MONTH)
        self.assertEqual(total(dues), Decimal('2000.00'))
        contracts = {C: (D(2025, 1, 1), D(2026, 6, 10))}
        dues = compute_due(D(2026, 6, 1), contracts,
            [term(1, '4000.00', D(2025, 1, 1))], [], policy=WHOLE_MONTH)
        self.assertEqual(total(dues), Decimal('4000.00'))

    def test_explanation(self):
        """One explanation of a due for the registry and the cash runs
        (8.2, 9.2): a part of the month computed, a whole period, a whole
        month charged by the policy though the terminal came on the 10th"""
        contract = {C: (D(2026, 3, 15), D(2030, 12, 31))}
        due, = compute_due(D(2026, 3, 1), contract,
            [term(1, '6000.00', D(2026, 3, 15))], [])
        self.assertEqual(explain(due.parts, {1: Decimal('6000.00')}, {}),
            '6\u00a0000,00 × 17/31 дн. (с 15.03.2026 по 31.03.2026) '
            '= 3\u00a0290,32')
        due, = compute_due(D(2026, 4, 1), contract,
            [term(1, '6000.00', D(2026, 3, 15))], [])
        self.assertEqual(explain(due.parts, {1: Decimal('6000.00')}, {}),
            '6\u00a0000,00 за месяц (с 01.04.2026 по 30.04.2026)')
        due, = compute_due(D(2026, 3, 1), YEAR,
            [term(1, '1500.00', D(2025, 1, 1), basis='terminal')],
            [Stay(100, 7, C, D(2026, 3, 10))], policy=WHOLE_MONTH)
        self.assertEqual(due.amount, Decimal('1500.00'))
        self.assertEqual(explain(due.parts, {1: Decimal('1500.00')},
                {100: 'SN-1'}),
            '1\u00a0500,00 за полный месяц, терминал SN-1')

    def test_parts_add_up(self):
        "Rounded parts add up to the due: the explanation is exact"
        terms = [
            term(1, '333.33', D(2025, 1, 1), D(2026, 3, 10),
                basis='terminal'),
            term(2, '777.77', D(2026, 3, 11), basis='terminal'),
            ]
        stays = [Stay(100 + i, 7, C, D(2026, 3, i + 1)) for i in range(9)]
        due, = compute_due(D(2026, 3, 1), YEAR, terms, stays)
        self.assertEqual(due.amount, sum(p.amount for p in due.parts))
        for part in due.parts:
            self.assertEqual(part.amount, part.amount.quantize(
                    Decimal('0.01')))

    def test_integer_rounding_exact(self):
        "The parts in integer kopecks equal exact fractions rounded half up"
        import random
        from fractions import Fraction
        rng = random.Random(5)
        for _ in range(2000):
            month = D(rng.choice([2026, 2028]), rng.randint(1, 12), 1)
            last = month_bounds(month)[1]
            start = month.replace(day=rng.randint(1, last.day))
            amount = Decimal(rng.randint(0, 10 ** 7)) / 100
            dues = compute_due(month, YEAR, [term(1, amount, start)], [])
            exact = round_kopecks(
                Fraction(amount) * ((last - start).days + 1) / last.day)
            self.assertEqual(total(dues), exact, (amount, start))


if __name__ == '__main__':
    unittest.main()
