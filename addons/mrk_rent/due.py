"""The monthly due amount of rent: one function for the rent table, the cash
runs (8.2) and the non-cash registry (9.2).

Inputs are plain values (no records), so the rule can be read and tested on
its own and every caller feeds it from one set-based query:

- a contract is charged from its start to its end, both days included;
- a term (условие аренды) is in force from ``valid_from`` to ``valid_to``,
  both included (``None``: open-ended);
- a placement stands from ``installed_on`` (included) until ``removed_on``
  (excluded: removed in the morning, installed elsewhere the same day), so a
  terminal installed and removed on the same day stood no day.

Per-contract basis: the term's amount for the month, times the days of the
month when both the term and the contract are in force, divided by the
days of the month (pro-rata policy). Per-terminal basis: the same with
terminal-days, one part per terminal. Under the whole-month policy a
contract (or a terminal) present on any day of the month pays the full
month, at the term in force on its first day present in the month.

Each part (a term over a period, or a term and one terminal) is rounded to
kopecks half-up; the due is the sum of its parts, so the printed
explanation always adds up to the total.
"""
import calendar
import contextlib
import datetime
import gc
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from trytond.modules.mrk_contracts.amount import format_amount, format_date

PRO_RATA = 'pro_rata'
WHOLE_MONTH = 'whole_month'
KOPECK = Decimal('0.01')
ONE_DAY = datetime.timedelta(days=1)

# The words of the explanation of a due, printed and stored on the lines of
# the registry (9.2) and of the cash runs (8.2)
TEXT_PART = '%(amount)s × %(days)s/%(month_days)s дн. (с %(start)s по %(end)s)'
TEXT_WHOLE_PERIOD = '%(amount)s за месяц (с %(start)s по %(end)s)'
TEXT_WHOLE_MONTH = '%(amount)s за полный месяц'
TEXT_TERMINAL = ', терминал %(terminal)s'
TEXT_RESULT = ' = %(amount)s'


@dataclass(slots=True)
class Term:
    "A rent term as the due function needs it"
    id: int
    contract: int
    amount: Decimal
    basis: str  # 'contract' or 'terminal'
    payment_form: str
    valid_from: datetime.date
    valid_to: datetime.date | None = None
    point: int | None = None
    terminal: int | None = None


@dataclass(slots=True)
class Stay:
    "A placement of a terminal at a point under a contract"
    terminal: int
    point: int
    contract: int
    installed_on: datetime.date
    removed_on: datetime.date | None = None


@dataclass(slots=True)
class Part:
    "One charged part of a due: a term over a period, for one terminal"
    term: int
    start: datetime.date
    end: datetime.date
    days: int
    month_days: int
    amount: Decimal
    terminal: int | None = None
    point: int | None = None
    whole_month: bool = False


@dataclass
class Due:
    "The due of one contract for one month, per point and payment form"
    contract: int
    point: int | None
    payment_form: str
    parts: list = field(default_factory=list)

    @property
    def amount(self):
        return sum((p.amount for p in self.parts), Decimal('0.00'))


@contextlib.contextmanager
def without_gc():
    """Suspend the cyclic garbage collector while many plain, acyclic
    records are made: it would scan the whole process again and again
    (half of the time at a hundred thousand contracts)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def month_bounds(month):
    "The first and the last day of the month holding the date"
    first = month.replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    return first, first.replace(day=days)


def round_kopecks(value):
    "Round a Fraction or Decimal of roubles to kopecks, half up"
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def _part_kopecks(kopecks, days, month_days):
    "kopecks × days / month_days rounded half up, exact in integers"
    return (2 * kopecks * days + month_days) // (2 * month_days)


def _intersect(start1, end1, start2, end2):
    start = max(start1, start2)
    end = min(end1, end2)
    if start <= end:
        return start, end


def compute_due(month, contracts, terms, stays, policy=PRO_RATA):
    """Return the dues of the month as a list of ``Due``.

    ``contracts`` maps a contract id to its (start, end) dates, both
    included; contracts absent from it are not charged. ``terms`` and
    ``stays`` are iterables of ``Term`` and ``Stay``; those not touching
    the month are ignored. Dues are keyed by contract, point (the term's
    point, the terminal's point for a per-terminal basis, else ``None``) and
    payment form, and listed in that order.
    """
    first, last = month_bounds(month)
    month_days = (last - first).days + 1
    stays_of = defaultdict(list)
    for stay in stays:
        stays_of[stay.contract].append(stay)

    # Candidate parts before the policy: (scope, unit, start, end, term)
    candidates = []
    for term in terms:
        period = contracts.get(term.contract)
        if period is None:
            continue
        span = _intersect(first, last, *period)
        if span:
            span = _intersect(*span, term.valid_from, term.valid_to or last)
        if not span:
            continue
        scope = (term.contract, term.point, term.terminal)
        if term.basis == 'contract':
            candidates.append((scope, None, span[0], span[1], term, None))
            continue
        for stay in stays_of.get(term.contract, ()):
            if term.point is not None and stay.point != term.point:
                continue
            if term.terminal is not None and stay.terminal != term.terminal:
                continue
            if stay.removed_on is not None:
                stay_end = stay.removed_on - ONE_DAY
            else:
                stay_end = last
            stay_span = _intersect(*span, stay.installed_on, stay_end)
            if stay_span:
                candidates.append(
                    (scope, stay.terminal, stay_span[0], stay_span[1], term,
                        stay.point))

    if policy == WHOLE_MONTH:
        # One full month per contract scope or terminal, at the term in
        # force on its first day present in the month
        earliest = {}
        for candidate in candidates:
            key = candidate[:2]
            if key not in earliest or candidate[2] < earliest[key][2]:
                earliest[key] = candidate
        candidates = sorted(earliest.values(), key=lambda c: c[2])

    dues = {}
    kopecks = {}
    for scope, terminal, start, end, term, stay_point in candidates:
        if policy == WHOLE_MONTH:
            days = month_days
        else:
            days = (end - start).days + 1
        if term.id not in kopecks:
            kopecks[term.id] = int(term.amount * 100)
        amount = Decimal(_part_kopecks(kopecks[term.id], days, month_days)
            ).scaleb(-2)
        point = stay_point if stay_point is not None else term.point
        key = (term.contract, point, term.payment_form)
        due = dues.get(key)
        if due is None:
            due = dues[key] = Due(term.contract, point, term.payment_form)
        due.parts.append(Part(
                term=term.id, start=start, end=end, days=days,
                month_days=month_days, amount=amount, terminal=terminal,
                point=point, whole_month=policy == WHOLE_MONTH))
    for due in dues.values():
        due.parts.sort(key=lambda p: (p.start, p.terminal or 0, p.term))
    return sorted(dues.values(), key=lambda d: (
            d.contract, d.point or 0, d.payment_form))


def explain(parts, term_amounts, serials):
    """The parts of a due in words, one line each, the one explanation of
    a due amount for the registry and the cash runs:
    «5 000,00 × 14/28 дн. (с 15.02.2026 по 28.02.2026) = 2 500,00».

    term_amounts gives the monthly amount of each term (by id), serials the
    serial number of each terminal (by id)."""
    lines = []
    for part in parts:
        values = {
            'amount': format_amount(term_amounts.get(part.term,
                    part.amount)),
            'days': part.days,
            'month_days': part.month_days,
            'start': format_date(part.start),
            'end': format_date(part.end),
            }
        if part.whole_month:
            text = TEXT_WHOLE_MONTH % values
        elif part.days == part.month_days:
            text = TEXT_WHOLE_PERIOD % values
        else:
            text = TEXT_PART % values
            text += TEXT_RESULT % {'amount': format_amount(part.amount)}
        if part.terminal:
            text += TEXT_TERMINAL % {
                'terminal': serials.get(part.terminal, part.terminal)}
        lines.append(text)
    return '\n'.join(lines)
