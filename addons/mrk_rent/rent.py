"""The rent table (5.1–5.4): rent terms with effective dates on contracts.

A rent term says how much a contract pays per month, on which basis (for
the contract, or per installed terminal) and how (cash, bank transfer by
contract, bank transfer by invoice), from one date to another. A change of
amount or payment form is a new term from a date (the wizard "change rent
from date", or a confirmed price-change amendment): the former term is
closed the day before and nothing is overwritten. The due of a month comes
from the terms and the placements through ``due.compute_due``.
"""
import datetime
from decimal import Decimal

from sql import Literal, Null

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.model.fields import SQL_OPERATORS
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.configuration import approver_field
from trytond.modules.mrk_contracts.amount import format_amount, format_date
from trytond.modules.mrk_contracts.contract import Rent

from . import due as due_module
from .exceptions import RentTermError

BASES = [
    ('contract', "Per Contract per Month"),
    ('terminal', "Per Terminal per Month"),
    ]
PAYMENT_FORMS = [
    ('cash', "Cash"),
    ('transfer', "Bank Transfer by Contract"),
    ('invoice', "Bank Transfer by Invoice"),
    ]
# Contracts that pay rent for the days they were in force
CHARGED_STATES = ('active', 'terminated', 'expired')
ONE_DAY = datetime.timedelta(days=1)


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    rent_policy = fields.Selection([
            ('pro_rata', "Pro-rata by Calendar Days"),
            ('whole_month', "Whole Month"),
            ], "Rent of Incomplete Months", required=True,
        help="When a term, a contract or a terminal starts or ends inside "
        "a month: charge the days in force, or the whole month.")
    rent_payment_form = fields.Selection(
        PAYMENT_FORMS, "Default Payment Form", required=True,
        help="The payment form of the first rent term made when a contract "
        "becomes active.")

    rent_prepare_day = fields.Integer("Prepare Next Month On", required=True,
        domain=[('rent_prepare_day', '>=', 1), ('rent_prepare_day', '<=', 28)],
        help="From this day of the month the registry of non-cash payments "
        "(9.2) and the cash runs (8.2) of the next month are prepared "
        "every night, if they are not yet.")
    payment_permit_approver = approver_field(
        "Payment Permit Approver",
        "Receives the payment permits of the cash runs to approve (8.4).")
    registry_approver = approver_field(
        "Payment Registry Approver",
        "Receives the non-cash payment registries to approve (9.2).")

    @classmethod
    def default_rent_policy(cls):
        return 'pro_rata'

    @classmethod
    def default_rent_prepare_day(cls):
        return 20

    @classmethod
    def prepare_rent_month(cls, date=None):
        """Prepare the rent of the next month (8.2, 9.2), by the cron: from
        the configured day, the draft registry and the draft cash runs of
        the routes that have none; the senior gets the cash request to
        make (8.3). Nothing is made twice."""
        pool = Pool()
        Date = pool.get('ir.date')
        Registry = pool.get('mrk.rent.registry')
        CashRun = pool.get('mrk.rent.cash_run')
        Activity = pool.get('mrk.activity')
        today = date or Date.today()
        if today.day < cls(1).rent_prepare_day:
            return
        month = (today.replace(day=1) + datetime.timedelta(days=31)
            ).replace(day=1)
        if not Registry.search([
                    ('month', '=', month),
                    ('state', '!=', 'cancelled'),
                    ], limit=1):
            Registry.generate(month)
        runs = CashRun.generate(month)
        if runs:
            Activity.schedule(codes.CASH_REQUEST, runs)

    @classmethod
    def default_rent_payment_form(cls):
        return 'transfer'


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('mrk.configuration|prepare_rent_month',
                "Prepare the Rent of the Next Month"))


class RentTerm(ModelSQL, ModelView):
    """Rent term (условие аренды, 5.1–5.4): what a contract pays per month,
    on which basis and how, from one date to another."""
    __name__ = 'mrk.rent.term'
    __string__ = "Rent Term"
    _history = True

    # Once saved a term changes only by a new term from a date
    _fixed = {'readonly': Eval('id', -1) >= 0}

    contract = fields.Many2One(
        'mrk.contract', "Contract", required=True, ondelete='CASCADE',
        domain=[('state', 'in', ['draft', 'approval'] + list(CHARGED_STATES))],
        states=_fixed)
    party = fields.Function(
        fields.Many2One('party.party', "Counterparty"),
        'on_change_with_party', searcher='search_party')
    point = fields.Many2One(
        'mrk.point', "Point", ondelete='RESTRICT',
        domain=[('party', '=', Eval('party', -1))],
        states={
            'readonly': _fixed['readonly'] | Bool(Eval('terminal')),
            },
        help="Only for the rent of this point of the contract.")
    terminal = fields.Many2One(
        'mrk.terminal', "Terminal", ondelete='RESTRICT',
        states={
            'readonly': _fixed['readonly'] | Bool(Eval('point')),
            'invisible': Eval('basis') != 'terminal',
            },
        help="Only for the rent of this terminal of the contract.")
    amount = fields.Numeric("Amount per Month", digits=(16, 2), required=True,
        domain=[('amount', '>=', 0)], states=_fixed)
    basis = fields.Selection(BASES, "Basis", required=True, states=_fixed,
        help="Per contract: the amount is due once a month. Per terminal: "
        "the amount is due for every terminal installed under the contract "
        "(terminal-days in incomplete months).")
    basis_string = basis.translated('basis')
    payment_form = fields.Selection(PAYMENT_FORMS, "Payment Form",
        required=True, states=_fixed)
    payment_form_string = payment_form.translated('payment_form')
    valid_from = fields.Date("Valid From", required=True, states=_fixed)
    valid_to = fields.Date("Valid To",
        domain=['OR',
            ('valid_to', '=', None),
            ('valid_to', '>=', Eval('valid_from', None)),
            ],
        help="The last day of the term, included; empty while in force.")
    reason = fields.Char("Reason", states=_fixed,
        help="Why the rent changed: a supplementary agreement, a letter.")
    amendment = fields.Many2One(
        'mrk.contract.amendment', "Supplementary Agreement", readonly=True,
        ondelete='RESTRICT')
    previous = fields.Many2One(
        'mrk.rent.term', "Previous Term", readonly=True, ondelete='SET NULL')
    in_force = fields.Function(
        fields.Boolean("In Force"), 'get_in_force')

    del _fixed

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.contract, Index.Equality()),
                    (t.valid_from, Index.Range())),
                })
        cls._order = [
            ('contract', 'ASC'), ('valid_from', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_basis(cls):
        return 'contract'

    @classmethod
    def default_payment_form(cls):
        Configuration = Pool().get('mrk.configuration')
        return Configuration(1).rent_payment_form

    @fields.depends('contract', '_parent_contract.party')
    def on_change_with_party(self, name=None):
        if self.contract and self.contract.party:
            return self.contract.party

    @classmethod
    def search_party(cls, name, clause):
        return [('contract.party' + clause[0][len(name):], *clause[1:])]

    @fields.depends('contract', 'valid_from', '_parent_contract.start_date')
    def on_change_contract(self):
        if self.contract and not self.valid_from:
            self.valid_from = self.contract.start_date

    def get_in_force(self, name):
        return self.is_in_force(Pool().get('ir.date').today())

    # -- In force: the one rule, in Python, as a domain and in SQL ---------

    def is_in_force(self, date, last=None):
        """Is the term in force on date, or on some day from date to last?
        A term is in force from valid_from to valid_to, both included; an
        empty valid_to is open."""
        return (self.valid_from <= (last or date)
            and (self.valid_to is None or self.valid_to >= date))

    @classmethod
    def in_force_domain(cls, date, last=None, prefix=''):
        "The domain of is_in_force; prefix such as 'rent_terms.'"
        return [
            (prefix + 'valid_from', '<=', last or date),
            ['OR',
                (prefix + 'valid_to', '=', None),
                (prefix + 'valid_to', '>=', date),
                ],
            ]

    @classmethod
    def in_force_sql(cls, term, date, last=None):
        "The SQL condition of is_in_force on the table term"
        return ((term.valid_from <= (last or date))
            & ((term.valid_to == Null) | (term.valid_to >= date)))

    def get_rec_name(self, name):
        return gettext('mrk_rent.msg_term_rec_name',
            contract=self.contract.rec_name,
            amount=format_amount(self.amount),
            start=format_date(self.valid_from))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('contract.rec_name',) + tuple(clause[1:])]

    @classmethod
    def validate_fields(cls, terms, field_names):
        super().validate_fields(terms, field_names)
        cls.check_scope(terms)
        cls.check_overlap(terms)

    @classmethod
    def check_scope(cls, terms):
        for term in terms:
            contract = term.contract
            if term.valid_from < contract.start_date:
                raise RentTermError(gettext(
                        'mrk_rent.msg_term_before_contract',
                        term=term.rec_name, contract=contract.rec_name,
                        start=format_date(contract.start_date)))
            if term.valid_from > contract.end_date:
                raise RentTermError(gettext(
                        'mrk_rent.msg_term_after_contract',
                        term=term.rec_name, contract=contract.rec_name,
                        end=format_date(contract.end_date)))
            if term.terminal and term.basis != 'terminal':
                raise RentTermError(gettext(
                        'mrk_rent.msg_term_terminal_basis',
                        term=term.rec_name))
            if term.point and term.point.party != contract.party:
                raise RentTermError(gettext(
                        'mrk_rent.msg_term_point_party',
                        term=term.rec_name, point=term.point.rec_name,
                        party=contract.party.rec_name))

    @staticmethod
    def _conflicts(term, other):
        "Do two terms of one contract charge the same thing?"
        if term.terminal and other.terminal:
            return term.terminal == other.terminal
        if (term.point and other.point
                and not term.terminal and not other.terminal):
            return term.point == other.point
        return True

    @classmethod
    def check_overlap(cls, terms):
        """Terms of one contract never overlap: a contract-wide term leaves
        no room for another, terms of distinct points or distinct terminals
        may run side by side."""
        contracts = {t.contract.id for t in terms}
        others = {}
        for sub_ids in grouped_slice(list(contracts), _in_max()):
            for other in cls.search([('contract', 'in', list(sub_ids))],
                    order=[('valid_from', 'ASC'), ('id', 'ASC')]):
                others.setdefault(other.contract.id, []).append(other)
        for term in terms:
            for other in others.get(term.contract.id, []):
                if other.id == term.id or not cls._conflicts(term, other):
                    continue
                if other.is_in_force(term.valid_from,
                        term.valid_to or datetime.date.max):
                    raise RentTermError(gettext(
                            'mrk_rent.msg_term_overlap',
                            contract=term.contract.rec_name,
                            start=format_date(term.valid_from),
                            end=(format_date(term.valid_to)
                                or gettext('mrk_rent.msg_open_end')),
                            other_start=format_date(other.valid_from),
                            other_end=(format_date(other.valid_to)
                                or gettext('mrk_rent.msg_open_end')),
                            other_amount=format_amount(other.amount)))

    @classmethod
    def write(cls, *args):
        fixed = {'contract', 'point', 'terminal', 'amount', 'basis',
            'payment_form', 'valid_from'}
        # Only server code may correct a term (the demo, data fixes): the
        # RPC drops context keys starting with "_" from clients
        if not Transaction().context.get('_mrk_rent_correction'):
            for terms, values in zip(args[::2], args[1::2]):
                changed = fixed & set(values)
                for term in terms:
                    for name in changed:
                        old = getattr(term, name)
                        old = getattr(old, 'id', old)
                        if old != values[name]:
                            raise RentTermError(gettext(
                                    'mrk_rent.msg_term_fixed',
                                    term=term.rec_name,
                                    field=cls.__names__(name)['field']))
        super().write(*args)

    @classmethod
    def copy(cls, terms, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('amendment', None)
        default.setdefault('previous', None)
        return super().copy(terms, default=default)

    # -- Changes from a date ---------------------------------------------

    @classmethod
    def change_from(cls, contract, date, point=None, terminal=None,
            **values):
        """Give the contract new rent terms from date (5.4).

        The terms in force on date for the same scope (the whole contract,
        the point or the terminal) are closed the day before and continued
        by a copy carrying values (amount, payment_form, basis, reason,
        amendment); a term that starts on date is replaced only if it is
        still the same. Without a term to continue, a per-contract term is
        made with the default payment form. Returns the new terms."""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        scope_point = point.id if point else None
        scope_terminal = terminal.id if terminal else None
        terms = [t for t in cls.search([
                    ('contract', '=', contract.id),
                    ], order=[('valid_from', 'ASC'), ('id', 'ASC')])
            if (t.point.id if t.point else None) == scope_point
            and (t.terminal.id if t.terminal else None) == scope_terminal]
        current = [t for t in terms if t.is_in_force(date)]
        later = [t for t in terms if t.valid_from > date]
        if later:
            raise RentTermError(gettext(
                    'mrk_rent.msg_term_change_later',
                    contract=contract.rec_name, date=format_date(date),
                    later=format_date(later[0].valid_from)))
        new = []
        to_close = []
        if current:
            term, = current
            if term.valid_from == date:
                raise RentTermError(gettext(
                        'mrk_rent.msg_term_change_same_day',
                        contract=contract.rec_name, date=format_date(date)))
            to_close.append(term)
            new.append({
                    'contract': contract.id,
                    'point': scope_point,
                    'terminal': scope_terminal,
                    'amount': term.amount,
                    'basis': term.basis,
                    'payment_form': term.payment_form,
                    'valid_from': date,
                    'valid_to': term.valid_to,
                    'previous': term.id,
                    })
        else:
            previous = [t for t in terms if t.valid_to and t.valid_to < date]
            last = previous[-1] if previous else None
            new.append({
                    'contract': contract.id,
                    'point': scope_point,
                    'terminal': scope_terminal,
                    'amount': last.amount if last else contract.rent_amount,
                    'basis': last.basis if last else 'contract',
                    'payment_form': (last.payment_form if last
                        else Configuration(1).rent_payment_form),
                    'valid_from': date,
                    'previous': last.id if last else None,
                    })
        for values_ in new:
            values_.update(values)
        if to_close:
            cls.write(to_close, {'valid_to': date - ONE_DAY})
        return cls.create(new)

    # -- The due of a month ------------------------------------------------

    @classmethod
    def get_dues(cls, month, contracts=None, payment_forms=None,
            policy=None):
        """The dues of the month (``due.Due``) of the contracts (all
        charged contracts if None), read in a few queries.

        Draft, approval and cancelled contracts are not charged; a
        placement without a contract counts for its point's contract."""
        with due_module.without_gc():
            return cls._get_dues(month, contracts, payment_forms, policy)

    @classmethod
    def _get_dues(cls, month, contracts, payment_forms, policy):
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Contract = pool.get('mrk.contract')
        Placement = pool.get('mrk.terminal.placement')
        cursor = Transaction().connection.cursor()
        if policy is None:
            policy = Configuration(1).rent_policy
        first, last = due_module.month_bounds(month)
        contract = Contract.__table__()
        term = cls.__table__()

        def contract_where(column):
            where = Literal(True)
            if contracts is not None:
                ids = [getattr(c, 'id', c) for c in contracts]
                where = _in(column, ids) if ids else Literal(False)
            return where

        # The terms of the month with the period of their contract, in one
        # query; a contract without a term of the month owes nothing
        term_where = (cls.in_force_sql(term, first, last)
            & contract.state.in_(list(CHARGED_STATES))
            & (contract.start_date <= last)
            & (contract.end_date >= first)
            & contract_where(term.contract))
        if payment_forms is not None:
            term_where &= term.payment_form.in_(list(payment_forms))
        cursor.execute(*term.join(contract,
                condition=term.contract == contract.id).select(
                term.id, term.contract, term.amount, term.basis,
                term.payment_form, term.valid_from, term.valid_to,
                term.point, term.terminal,
                contract.start_date, contract.end_date,
                where=term_where))
        sqlite = backend.name == 'sqlite'
        Term = due_module.Term
        terms = []
        periods = {}
        per_terminal = set()
        for (id_, contract_id, amount, basis, form, valid_from, valid_to,
                point_id, terminal_id, start, end) in cursor:
            if sqlite:
                amount = Decimal(str(amount))
                valid_from, valid_to = _date(valid_from), _date(valid_to)
                start, end = _date(start), _date(end)
            terms.append(Term(id_, contract_id, amount, basis, form,
                    valid_from, valid_to, point_id, terminal_id))
            periods[contract_id] = (start, end)
            if basis == 'terminal':
                per_terminal.add(contract_id)
        if not terms:
            return []

        stays = []
        if per_terminal:
            placements, placement, _, placement_contract = (
                Placement.charged_contract_query())
            where = ((placement.installed_on <= last)
                & ((placement.removed_on == Null)
                    | (placement.removed_on > first)))
            if contracts is not None or len(per_terminal) < 1000:
                where &= _in(placement_contract, list(per_terminal))
            else:
                # Only the placements of contracts paying per terminal
                # this month, without sending their ids
                per_terminal_term = cls.__table__()
                where &= placement_contract.in_(per_terminal_term.select(
                        per_terminal_term.contract,
                        where=(per_terminal_term.basis == 'terminal')
                        & cls.in_force_sql(per_terminal_term, first, last)))
            cursor.execute(*placements.select(
                    placement.terminal, placement.point, placement_contract,
                    placement.installed_on, placement.removed_on,
                    where=where))
            Stay = due_module.Stay
            for terminal, point_id, contract_id, installed, removed \
                    in cursor:
                if contract_id in per_terminal:
                    if sqlite:
                        installed, removed = _date(installed), _date(removed)
                    stays.append(Stay(terminal, point_id, contract_id,
                            installed, removed))
        return due_module.compute_due(month, periods, terms, stays, policy)


def _in(column, ids):
    return SQL_OPERATORS['in'](column, list(ids))


def _in_max():
    return backend.MAX_QUERY_PARAMS


def _decimal(value):
    "An amount read by SQL in kopecks (SQLite gives floats or text)"
    if value is None:
        return Decimal('0.00')
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(Decimal('0.01'))


def _date(value):
    "SQLite returns dates as text"
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


class Contract(metaclass=PoolMeta):
    __name__ = 'mrk.contract'

    rent_first_basis = fields.Selection(BASES, "Rent Basis",
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('state') == 'draft',
            },
        help="The basis of the first rent term, made when the contract "
        "becomes active.")
    rent_first_payment_form = fields.Selection(
        PAYMENT_FORMS, "Payment Form",
        states={
            'readonly': Eval('state') != 'draft',
            'required': Eval('state') == 'draft',
            },
        help="The payment form of the first rent term, made when the "
        "contract becomes active.")

    rent_terms = fields.One2Many(
        'mrk.rent.term', 'contract', "Rent Terms", readonly=True,
        order=[('valid_from', 'ASC'), ('id', 'ASC')],
        help="Every rent term of the contract, former ones included.")
    rent_term = fields.Function(
        fields.Many2One('mrk.rent.term', "Current Rent Term"),
        'get_rent_term')
    rent_basis = fields.Function(
        fields.Selection([(None, '')] + BASES, "Basis"), 'get_rent_term')
    rent_payment_form = fields.Function(
        fields.Selection([(None, '')] + PAYMENT_FORMS, "Payment Form"),
        'get_rent_term', searcher='search_rent_payment_form')
    rent_terminal_count = fields.Function(
        fields.Integer("Terminals"), 'get_rent_terminal_count')
    rent_due = fields.Function(
        fields.Numeric("Due this Month", digits=(16, 2),
            help="The rent due for the month (the current one unless the "
            "table is opened for another), from the terms and the "
            "placements."),
        'get_rent_due')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # The first rent term is made from them when the contract becomes
        # active: the head's approval vouches for them too
        for state, names in cls._frozen_fields.items():
            if 'rent_amount' in names:
                names.update(
                    {'rent_first_basis', 'rent_first_payment_form'})

    @classmethod
    def default_rent_first_basis(cls):
        return 'contract'

    @classmethod
    def default_rent_first_payment_form(cls):
        Configuration = Pool().get('mrk.configuration')
        return Configuration(1).rent_payment_form

    @classmethod
    def get_rent_term(cls, contracts, names):
        """The term in force today, the contract-wide one first; before
        the first term, the first one."""
        today = Pool().get('ir.date').today()
        result = {n: {} for n in names}
        for contract in contracts:
            terms = sorted(contract.rent_terms, key=lambda t: (
                    not t.is_in_force(today),
                    bool(t.point or t.terminal),
                    t.valid_from < today,
                    t.valid_from))
            term = terms[0] if terms else None
            for name in names:
                if name == 'rent_term':
                    value = term.id if term else None
                elif name == 'rent_basis':
                    value = term.basis if term else None
                else:
                    value = term.payment_form if term else None
                result[name][contract.id] = value
        return result

    @classmethod
    def search_rent_payment_form(cls, name, clause):
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        today = pool.get('ir.date').today()
        _, operator, value = clause[:3]
        return [('rent_terms', 'where', [
                    ('payment_form', operator, value),
                    RentTerm.in_force_domain(today),
                    ])]

    @classmethod
    def get_rent_terminal_count(cls, contracts, name):
        pool = Pool()
        Placement = pool.get('mrk.terminal.placement')
        cursor = Transaction().connection.cursor()
        today = pool.get('ir.date').today()
        result = dict.fromkeys((c.id for c in contracts), 0)
        placements, placement, _, placement_contract = (
            Placement.charged_contract_query())
        for sub_ids in grouped_slice([c.id for c in contracts], _in_max()):
            cursor.execute(*placements.select(
                    placement_contract, placement.id,
                    where=_in(placement_contract, list(sub_ids))
                    & (placement.installed_on <= today)
                    & ((placement.removed_on == Null)
                        | (placement.removed_on > today))))
            for contract_id, _ in cursor:
                result[contract_id] += 1
        return result

    @classmethod
    def get_rent_due(cls, contracts, name):
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        month = Transaction().context.get('rent_month')
        if isinstance(month, str):
            month = datetime.date.fromisoformat(month)
        if not month:
            month = pool.get('ir.date').today()
        result = dict.fromkeys((c.id for c in contracts), Decimal('0.00'))
        for due in RentTerm.get_dues(month, contracts=contracts):
            result[due.contract] += due.amount
        return result

    @classmethod
    def get_rents_on(cls, contracts, date):
        """The amount of the contract-wide rent term in force on date (5.1,
        5.4): the terms decide once a contract has one, whether the rent
        changed by a price-change amendment or from a date by the wizard.
        The day it was agreed is that of the amendment, the contract's for
        its first term, else the first day of the term."""
        result = super().get_rents_on(contracts, date)
        for contract in contracts:
            for term in contract.rent_terms:
                if (not term.point and not term.terminal
                        and term.is_in_force(date)):
                    if term.amendment:
                        agreed = term.amendment.date
                    elif not term.previous:
                        agreed = contract.date
                    else:
                        agreed = term.valid_from
                    result[contract.id] = Rent(
                        term.amount, term.valid_from, agreed)
        return result

    @classmethod
    def copy(cls, contracts, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('rent_terms', None)
        return super().copy(contracts, default=default)

    @classmethod
    def approve(cls, contracts):
        super().approve(contracts)
        cls.make_first_rent_terms(contracts)

    @classmethod
    def activate(cls, contracts):
        super().activate(contracts)
        cls.make_first_rent_terms(contracts)

    @classmethod
    def make_first_rent_terms(cls, contracts):
        """A contract that becomes active with its monthly rent and no term
        gets its first term from its start, with the basis and the payment
        form entered with it (5.1)."""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Configuration = pool.get('mrk.configuration')
        form = Configuration(1).rent_payment_form
        RentTerm.create([{
                    'contract': c.id,
                    'amount': c.rent_amount,
                    'basis': c.rent_first_basis or 'contract',
                    'payment_form': c.rent_first_payment_form or form,
                    'valid_from': c.start_date,
                    } for c in contracts
                if c.rent_amount is not None and not c.rent_terms])


class Amendment(metaclass=PoolMeta):
    __name__ = 'mrk.contract.amendment'

    @classmethod
    def apply_price_change(cls, amendments):
        """A confirmed price change is a new contract-wide rent term from
        its effective date (5.4); the former term ends the day before."""
        super().apply_price_change(amendments)
        RentTerm = Pool().get('mrk.rent.term')
        for amendment in amendments:
            RentTerm.change_from(amendment.contract,
                amendment.effective_date, amount=amendment.new_amount,
                amendment=amendment.id, reason=amendment.rec_name)


class ChangeRentStart(ModelView):
    "Change Rent from Date"
    __name__ = 'mrk.rent.change.start'

    contract = fields.Many2One('mrk.contract', "Contract", readonly=True)
    term = fields.Many2One('mrk.rent.term', "Term to Change", required=True,
        domain=[
            ('contract', '=', Eval('contract', -1)),
            ('valid_to', '=', None),
            ],
        help="The term in force that the change continues.")
    date = fields.Date("From", required=True,
        domain=[If(Bool(Eval('term_from')),
                ('date', '>', Eval('term_from', None)), ())],
        help="The first day of the new amount or payment form.")
    term_from = fields.Date("Term From", readonly=True)
    amount = fields.Numeric("New Amount per Month", digits=(16, 2),
        required=True, domain=[('amount', '>=', 0)])
    basis = fields.Selection(BASES, "Basis", required=True)
    payment_form = fields.Selection(PAYMENT_FORMS, "Payment Form",
        required=True)
    reason = fields.Char("Reason", required=True,
        help="Such as the letter or the agreement that changed the rent.")

    @fields.depends('term')
    def on_change_term(self):
        if self.term:
            self.amount = self.term.amount
            self.basis = self.term.basis
            self.payment_form = self.term.payment_form
            self.term_from = self.term.valid_from


class ChangeRent(Wizard):
    """Change rent from date (5.2–5.4): a new term from a date, the former
    one closed the day before."""
    __name__ = 'mrk.rent.change'

    start = StateView('mrk.rent.change.start',
        'mrk_rent.rent_change_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Change", 'change', 'tryton-ok', default=True),
            ])
    change = StateTransition()

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        contract = self.record
        values = {
            'contract': contract.id,
            'date': Date.today().replace(day=1),
            }
        term = contract.rent_term
        if term and term.valid_to is None:
            values.update({
                    'term': term.id,
                    'amount': term.amount,
                    'basis': term.basis,
                    'payment_form': term.payment_form,
                    'term_from': term.valid_from,
                    })
        return values

    def transition_change(self):
        RentTerm = Pool().get('mrk.rent.term')
        term = self.start.term
        RentTerm.change_from(self.record, self.start.date,
            point=term.point, terminal=term.terminal,
            amount=self.start.amount, basis=self.start.basis,
            payment_form=self.start.payment_form,
            reason=self.start.reason)
        return 'end'

    def end(self):
        return 'reload'
