"""Non-cash payment registry (реестр безналичных платежей, 9.1–9.3).

Every month the senior manager prepares the registry of the next month
(9.2): one line per contract and payment form paid by bank transfer, by
contract or by invoice, with the due of the month from the rent table
(``RentTerm.get_dues``), how it was computed, and the counterparty's bank
requisites as they are on that day. Lines where a terminal was removed, no
terminal is left or the contract ends inside the month are flagged.

The monitoring department confirms the flagged lines (9.1: the terminals
really work or were really removed), accounting reconciles the registry
(9.3), the head approves it and the XLSX for the bank and accounting is
exported. Lines paid by invoice need the invoice received (number and
date) before approval: the answer to question 4 of the seed is that the
commercial service tracks the invoices in the registry. A line may be kept
but excluded from payment, with a reason.

The explanations and flag texts stored on the lines are part of the
document, so, like the printed documents, they are written in Russian
whatever the language of the user who generated the registry.
"""
import datetime
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Column, Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import (
    Exclude, Index, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.model import WorkflowGuardMixin
from trytond.modules.mrk_contracts.amount import (
    format_amount, format_date, format_month)

from . import due as due_module
from .exceptions import RegistryError, RegistryLineError
from .rent import (
    CHARGED_STATES, PAYMENT_FORMS, _date, _decimal, _in, _in_max)

STATES = [
    ('draft', "Draft"),
    ('monitoring_checked', "Checked by Monitoring"),
    ('accounting_checked', "Checked by Accounting"),
    ('approved', "Approved"),
    ('exported', "Exported"),
    ('cancelled', "Cancelled"),
    ]
NON_CASH_FORMS = ['transfer', 'invoice']
LINE_PAYMENT_FORMS = [f for f in PAYMENT_FORMS if f[0] in NON_CASH_FORMS]
# States in which the registry is still prepared
OPEN_STATES = ['draft', 'monitoring_checked', 'accounting_checked']
# How many lines an error names before "and N more"
NAMED_LINES = 30

# The fields of a line that people fill in, by the states of the registry
# in which they may change (checked on write for the users)
MONITORING_FIELDS = {'monitoring_ok', 'monitoring_note'}
ACCOUNTING_FIELDS = {'accounting_ok', 'accounting_note'}
INVOICE_FIELDS = {'invoice_number', 'invoice_date'}
EXCLUSION_FIELDS = {'excluded', 'exclusion_reason'}
MANUAL_FIELDS = (MONITORING_FIELDS | ACCOUNTING_FIELDS | INVOICE_FIELDS
    | EXCLUSION_FIELDS)
MANUAL_DEFAULTS = {
    'monitoring_ok': False,
    'monitoring_note': None,
    'accounting_ok': False,
    'accounting_note': None,
    'invoice_number': None,
    'invoice_date': None,
    'excluded': False,
    'exclusion_reason': None,
    }
EDITABLE = {
    'draft': MONITORING_FIELDS | INVOICE_FIELDS | EXCLUSION_FIELDS,
    'monitoring_checked': (
        ACCOUNTING_FIELDS | INVOICE_FIELDS | EXCLUSION_FIELDS),
    'accounting_checked': INVOICE_FIELDS | EXCLUSION_FIELDS,
    }

# The words of the document (see the module docstring)
TEXT_REMOVED = 'Терминал %(terminal)s снят %(date)s'
TEXT_NO_TERMINAL = 'Нет установленных терминалов'
TEXT_ENDING = 'Договор заканчивается %(date)s'
TEXT_NO_BANK = 'Нет банковских реквизитов контрагента'


def next_month(date):
    "The first day of the month after date's"
    return date.replace(day=1) + relativedelta(months=1)


def _names(records):
    "The rec_names of records for an error, the first NAMED_LINES of them"
    names = [r.rec_name for r in records[:NAMED_LINES]]
    if len(records) > NAMED_LINES:
        names.append(gettext('mrk_rent.msg_registry_more_lines',
                count=len(records) - NAMED_LINES))
    return ', '.join(names)


class Registry(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Non-cash payment registry (9.1–9.3): the rent paid by bank transfer
    in one month, line by line, checked by monitoring and accounting,
    approved by the head and exported for the bank."""
    __name__ = 'mrk.rent.registry'
    __string__ = "Non-cash Payment Registry"

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='RESTRICT',
        states={'readonly': (Eval('state') != 'draft')
            | (Eval('id', -1) >= 0)})
    number = fields.Char("Number", readonly=True)
    month = fields.Date("Month", required=True,
        states={'readonly': (Eval('state') != 'draft')
            | (Eval('id', -1) >= 0)},
        help="The month paid (its first day): the registry is prepared "
        "for the next month.")
    month_name = fields.Function(fields.Char("Month Paid"), 'get_month_name')
    lines = fields.One2Many(
        'mrk.rent.registry.line', 'registry', "Lines",
        states={'readonly': ~Eval('state').in_(OPEN_STATES)})
    total = fields.Function(fields.Numeric("Total to Pay", digits=(16, 2),
            help="The lines not excluded."), 'get_totals')
    total_transfer = fields.Function(fields.Numeric(
            "By Contract", digits=(16, 2)), 'get_totals')
    total_invoice = fields.Function(fields.Numeric(
            "By Invoice", digits=(16, 2)), 'get_totals')
    total_excluded = fields.Function(fields.Numeric(
            "Excluded from Payment", digits=(16, 2)), 'get_totals')
    line_count = fields.Function(fields.Integer("Lines"), 'get_totals')
    flagged_count = fields.Function(
        fields.Integer("Flagged Lines"), 'get_totals')
    bank_changed_count = fields.Function(
        fields.Integer("Lines with Changed Bank Account",
            help="Lines whose counterparty's main bank account changed "
            "after the line was made: check them before the export."),
        'get_bank_changed_count')
    return_reason = fields.Text("Reason for Return",
        states={
            'readonly': ~Eval('state').in_(
                ['draft', 'monitoring_checked', 'accounting_checked']),
            },
        help="Why the registry goes back to draft: required to send it "
        "back, kept afterwards.")
    generated_at = fields.Timestamp("Generated At", readonly=True)
    monitoring_checked_by = fields.Many2One(
        'res.user', "Monitoring Checked By", readonly=True)
    monitoring_checked_on = fields.Date(
        "Monitoring Check Date", readonly=True)
    accounting_checked_by = fields.Many2One(
        'res.user', "Accounting Checked By", readonly=True)
    accounting_checked_on = fields.Date(
        "Accounting Check Date", readonly=True)
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approved_on = fields.Date("Approved On", readonly=True)
    exported_by = fields.Many2One('res.user', "Exported By", readonly=True)
    exported_at = fields.Timestamp("Exported At", readonly=True)
    state = fields.Selection(STATES, "State", readonly=True, required=True,
        sort=False)
    state_string = state.translated('state')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('month_unique', Exclude(t, (t.company, Equal), (t.month, Equal),
                    where=t.state != 'cancelled'),
                'mrk_rent.msg_registry_month_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality()),
                    where=t.state.in_(OPEN_STATES + ['approved'])),
                })
        cls._order = [('month', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'monitoring_checked'),
            ('monitoring_checked', 'accounting_checked'),
            ('accounting_checked', 'approved'),
            ('approved', 'exported'),
            ('exported', 'exported'),
            ('monitoring_checked', 'draft'),
            ('accounting_checked', 'draft'),
            ('draft', 'cancelled'),
            ('monitoring_checked', 'cancelled'),
            ('accounting_checked', 'cancelled'),
            ('approved', 'cancelled'),
            }
        # Each check and the head's approval vouch for the lines and their
        # amounts, guarded by the lines (9.1–9.3)
        cls._workflow_fields |= {
            'state', 'generated_at', 'monitoring_checked_by',
            'monitoring_checked_on', 'accounting_checked_by',
            'accounting_checked_on', 'approved_by', 'approved_on',
            'exported_by', 'exported_at'}
        for state, _ in STATES:
            frozen = cls._frozen_fields.setdefault(state, set())
            # The number is given by the sequence when it is created
            frozen.add('number')
            if state != 'draft':
                frozen.update({'company', 'month'})
        cls._buttons.update({
                'fill': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-refresh',
                    'depends': ['state'],
                    },
                'monitoring_check': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'accounting_check': {
                    'invisible': Eval('state') != 'monitoring_checked',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'accounting_checked',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'export': {
                    'invisible': ~Eval('state').in_(['approved', 'exported']),
                    'icon': 'tryton-save',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['monitoring_checked', 'accounting_checked']),
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state').in_(['exported', 'cancelled']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        # PYSON in a view must be given here: the client cannot read an
        # expression written in the XML
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('state') == 'cancelled', 'muted', ''), ['state']),
            ]

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_month(cls):
        return next_month(Pool().get('ir.date').today())

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_month_name(self, name):
        return format_month(self.month)

    @classmethod
    def get_bank_changed_count(cls, registries, name):
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        result = dict.fromkeys([r.id for r in registries], 0)
        with without_check_access():
            lines = Line.search([
                    ('registry', 'in', list(result)),
                    ('excluded', '=', False),
                    ], order=[])
            changed = Line._bank_account_changed(lines)
            for line in lines:
                if changed[line.id]:
                    result[line.registry.id] += 1
        return result

    def get_rec_name(self, name):
        return gettext('mrk_rent.msg_registry_rec_name',
            number=self.number or '#%s' % self.id,
            month=self.month.strftime('%m.%Y') if self.month else '')

    @property
    def activity_title(self):
        "The registry and its total, as the titles of its tasks name it"
        return '%s, %s' % (self.rec_name, format_amount(self.total or 0))

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('number',) + tuple(clause[1:])]

    @classmethod
    def get_totals(cls, registries, names):
        "The sums of the lines in one query"
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        line = Line.__table__()
        cursor = Transaction().connection.cursor()
        ids = [r.id for r in registries]
        zero = Decimal('0.00')
        result = {n: dict.fromkeys(ids, 0 if n.endswith('_count') else zero)
            for n in names}
        paid = line.excluded != Literal(True)

        def amount_if(condition):
            return Sum(Case((condition, line.amount), else_=Literal(0)))
        for sub_ids in grouped_slice(ids, _in_max()):
            cursor.execute(*line.select(
                    line.registry,
                    amount_if(paid),
                    amount_if(paid & (line.payment_form == 'transfer')),
                    amount_if(paid & (line.payment_form == 'invoice')),
                    amount_if(line.excluded == Literal(True)),
                    Count(line.id),
                    Sum(Case((line.flagged == Literal(True), 1),
                            else_=Literal(0))),
                    where=line.registry.in_(list(sub_ids)),
                    group_by=[line.registry]))
            for (registry, total, transfer, invoice, excluded, count,
                    flagged) in cursor:
                values = {
                    'total': _decimal(total),
                    'total_transfer': _decimal(transfer),
                    'total_invoice': _decimal(invoice),
                    'total_excluded': _decimal(excluded),
                    'line_count': count or 0,
                    'flagged_count': int(flagged or 0),
                    }
                for name in names:
                    result[name][registry] = values[name]
        return result

    @classmethod
    def preprocess_values(cls, mode, values):
        "The month is held by its first day"
        values = super().preprocess_values(mode, values)
        month = values.get('month')
        if isinstance(month, datetime.date):
            values['month'] = month.replace(day=1)
        return values

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Sequence = pool.get('ir.sequence')
        sequence = Sequence(ModelData.get_id('mrk_rent', 'sequence_registry'))
        vlist = [v.copy() for v in vlist]
        for values in vlist:
            if not values.get('number'):
                values['number'] = sequence.get()
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if Transaction().check_access:
            for registries, values in zip(args[::2], args[1::2]):
                if set(values) - {'return_reason'}:
                    for registry in registries:
                        if registry.state not in OPEN_STATES:
                            raise RegistryError(gettext(
                                    'mrk_rent.msg_registry_closed',
                                    registry=registry.rec_name,
                                    state=registry.state_string))
        super().write(*args)

    @classmethod
    def delete(cls, registries):
        for registry in registries:
            if registry.state not in {'draft', 'cancelled'}:
                raise RegistryError(gettext(
                        'mrk_rent.msg_registry_delete',
                        registry=registry.rec_name,
                        state=registry.state_string))
        super().delete(registries)

    @classmethod
    def copy(cls, registries, default=None):
        if registries:
            raise RegistryError(gettext('mrk_rent.msg_registry_copy'))
        return super().copy(registries, default=default)

    # -- Generation (9.2) -------------------------------------------------

    @classmethod
    def generate(cls, month, company=None):
        """Prepare the registry of the month (9.2) and return it.

        A new draft registry is made, or the lines of the month's draft are
        built again from the rent table, keeping what people filled in
        (invoices, notes, checks, exclusions) on the lines whose contract
        is still there. A registry of the month past draft is refused."""
        pool = Pool()
        Company = pool.get('company.company')
        month = month.replace(day=1)
        if company is None:
            company = Transaction().context.get('company')
            if company is None:
                companies = Company.search([], limit=2)
                if len(companies) == 1:
                    company, = companies
        company_id = getattr(company, 'id', company)
        registries = cls.search([
                ('company', '=', company_id),
                ('month', '=', month),
                ('state', '!=', 'cancelled'),
                ], limit=1)
        if registries:
            registry, = registries
            if registry.state != 'draft':
                raise RegistryError(gettext(
                        'mrk_rent.msg_registry_generate_not_draft',
                        registry=registry.rec_name,
                        month=format_month(month),
                        state=registry.state_string))
        else:
            registry, = cls.create([{
                        'company': company_id,
                        'month': month,
                        }])
        cls._fill([registry])
        return registry

    @classmethod
    @ModelView.button
    def fill(cls, registries):
        "Fill the draft registries from the rent table again (9.2)"
        for registry in registries:
            if registry.state != 'draft':
                raise RegistryError(gettext(
                        'mrk_rent.msg_registry_generate_not_draft',
                        registry=registry.rec_name,
                        month=format_month(registry.month),
                        state=registry.state_string))
        cls._fill(registries)

    @classmethod
    def _fill(cls, registries):
        # Whoever may fill the registry fills its lines: people never
        # create nor delete lines themselves
        with without_check_access(), due_module.without_gc():
            cls.__fill(registries)

    @classmethod
    def __fill(cls, registries):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        for registry in registries:
            _, vlist = registry._line_values()
            cls._write_lines(registry, vlist)
        cls.write(list(registries), {
                'generated_at': datetime.datetime.now(),
                })
        # The monitoring check (9.1) is the next step
        open_ = {a.origin for a in Activity.open_for(registries,
                [codes.MONITORING_RECONCILIATION])}
        to_schedule = [r for r in registries if r not in open_]
        if to_schedule:
            Activity.schedule(codes.MONITORING_RECONCILIATION, to_schedule)

    @classmethod
    def _write_lines(cls, registry, vlist):
        """Replace the lines of the draft registry by vlist, in bulk.

        The lines are computed by ``_line_values`` from records already
        validated (terms, contracts, requisites), so they are written by
        a few multi-row SQL statements rather than through ``create``,
        whose record-by-record validation would cost seconds for
        thousands of contracts; every change people make later goes
        through the ORM and its checks."""
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        transaction = Transaction()
        cursor = transaction.connection.cursor()
        table = Line.__table__()
        cursor.execute(*table.delete(where=table.registry == registry.id))
        if vlist:
            # The columns empty on every line stay NULL
            names = sorted(n for n in vlist[0]
                if any(v[n] is not None for v in vlist))
            columns = [Column(table, n) for n in names] + [
                table.create_uid, table.create_date]
            now = datetime.datetime.now()
            rows = [[v[n] for n in names] + [transaction.user, now]
                for v in vlist]
            # One statement prepared once for all the rows
            query, _ = tuple(table.insert(columns, [rows[0]]))
            cursor.executemany(query, rows)
        # The records read before are stale
        transaction.counter += 1

    def _line_values(self):
        """The lines of the registry computed from the rent table: the ids
        of the lines it has and the values of its new lines.

        Few queries whatever the number of contracts: the dues of the
        month, the contracts with their counterparties, the bank accounts,
        the removed and the standing terminals, the terms' amounts."""
        pool = Pool()
        RentTerm = pool.get('mrk.rent.term')
        Contract = pool.get('mrk.contract')
        Party = pool.get('party.party')
        BankAccount = pool.get('mrk.party.bank_account')
        Placement = pool.get('mrk.terminal.placement')
        Terminal = pool.get('mrk.terminal')
        Line = pool.get('mrk.rent.registry.line')
        cursor = Transaction().connection.cursor()

        first, last = due_module.month_bounds(self.month)
        previous_first = first - relativedelta(months=1)

        contract = Contract.__table__()
        party = Party.__table__()
        bank = BankAccount.__table__()
        terminal = Terminal.__table__()
        term = RentTerm.__table__()
        line = Line.__table__()

        # The contracts of the company charged in the month with a term
        # paid by transfer: every query below is limited to them
        contract_where = ((contract.company == self.company.id)
            & contract.state.in_(list(CHARGED_STATES))
            & (contract.start_date <= last)
            & (contract.end_date >= first)
            & contract.id.in_(term.select(term.contract,
                    where=term.payment_form.in_(NON_CASH_FORMS)
                    & RentTerm.in_force_sql(term, first, last))))
        contracts_of_month = contract.select(
            contract.id, where=contract_where)

        # The dues, one line per contract and payment form
        dues = RentTerm.get_dues(self.month, payment_forms=NON_CASH_FORMS)
        parts = defaultdict(list)
        for due in dues:
            parts[(due.contract, due.payment_form)].extend(due.parts)

        placements, placement, _, placement_contract = (
            Placement.charged_contract_query())
        cursor.execute(*contract.join(party,
                condition=contract.party == party.id).select(
                contract.id, contract.party, contract.end_date,
                party.name, party.legal_name, party.inn, party.kpp,
                where=contract_where))
        contracts = {}
        for row in cursor.fetchall():
            contracts[row[0]] = {
                'party': row[1],
                'end_date': _date(row[2]),
                'recipient': row[4] or row[3],
                'inn': row[5],
                'kpp': row[6],
                'account': (None,) * 5,
                'standing': False,
                }

        # The main bank account: the first active one in the order of
        # mrk.party.bank_account (sequence, nulls first, then id)
        cursor.execute(*bank.select(
                bank.party, bank.bank_name, bank.bik, bank.account,
                bank.correspondent_account, bank.id,
                where=(bank.active == Literal(True))
                & bank.party.in_(contract.select(
                        contract.party, where=contract_where)),
                order_by=[bank.sequence.asc.nulls_first, bank.id.asc]))
        accounts = {}
        for row in cursor.fetchall():
            accounts.setdefault(row[0], row[1:])
        for info in contracts.values():
            info['account'] = accounts.get(info['party'], info['account'])

        # The contracts with a terminal standing in the month or later
        cursor.execute(*placements.select(
                placement_contract,
                where=((placement.removed_on == Null)
                    | (placement.removed_on > first))
                & placement_contract.in_(contracts_of_month),
                distinct=True))
        for contract_id, in cursor.fetchall():
            if contract_id in contracts:
                contracts[contract_id]['standing'] = True

        # The terminals removed in the previous and in the paid month
        cursor.execute(*placements.join(terminal,
                condition=placement.terminal == terminal.id).select(
                placement_contract, terminal.serial_number,
                placement.removed_on,
                where=(placement.removed_on >= previous_first)
                & (placement.removed_on <= last)
                & placement_contract.in_(contracts_of_month),
                order_by=[placement.removed_on, terminal.serial_number]))
        removals = defaultdict(list)
        for contract_id, serial, removed_on in cursor.fetchall():
            removals[contract_id].append((serial, _date(removed_on)))

        # The monthly amounts of the terms charged for part of the month
        # and the serial numbers of the terminals charged, for the
        # explanations
        partial_terms, terminal_ids = set(), set()
        for due_parts in parts.values():
            for part in due_parts:
                if part.days != part.month_days:
                    partial_terms.add(part.term)
                if part.terminal:
                    terminal_ids.add(part.terminal)
        term_amounts = {}
        for sub_ids in grouped_slice(list(partial_terms), _in_max()):
            cursor.execute(*term.select(term.id, term.amount,
                    where=_in(term.id, list(sub_ids))))
            term_amounts.update(
                (i, _decimal(a)) for i, a in cursor.fetchall())
        serials = {}
        for sub_ids in grouped_slice(list(terminal_ids), _in_max()):
            cursor.execute(*terminal.select(
                    terminal.id, terminal.serial_number,
                    where=_in(terminal.id, list(sub_ids))))
            serials.update(cursor.fetchall())

        # What people filled in on the former lines
        manual_names = sorted(MANUAL_FIELDS)
        cursor.execute(*line.select(line.id, line.contract,
                line.payment_form,
                *[Column(line, n) for n in manual_names],
                where=line.registry == self.id))
        old_ids, kept, kept_by_contract = [], {}, {}
        for row in cursor:
            old_ids.append(row[0])
            values = {}
            for name, value in zip(manual_names, row[3:]):
                if name in {'monitoring_ok', 'accounting_ok', 'excluded'}:
                    value = bool(value)
                elif name == 'invoice_date':
                    value = _date(value)
                values[name] = value
            kept[(row[1], row[2])] = values
            kept_by_contract.setdefault(row[1], values)

        vlist = []
        for (contract_id, form), due_parts in sorted(parts.items()):
            info = contracts.get(contract_id)
            if info is None:
                # Another company's contract
                continue
            amount = sum((p.amount for p in due_parts), Decimal('0.00'))
            if not amount:
                continue
            account = info['account']
            flags = []
            for serial, removed_on in removals.get(contract_id, []):
                flags.append(TEXT_REMOVED % {
                        'terminal': serial, 'date': format_date(removed_on)})
            if not info['standing']:
                flags.append(TEXT_NO_TERMINAL)
            terminal_removed = bool(flags)
            contract_ending = info['end_date'] <= last
            if contract_ending:
                flags.append(TEXT_ENDING % {
                        'date': format_date(info['end_date'])})
            no_bank_account = not account[2]
            if no_bank_account:
                flags.append(TEXT_NO_BANK)
            values = {
                'registry': self.id,
                'contract': contract_id,
                'party': info['party'],
                'payment_form': form,
                'amount': amount,
                'explanation': due_module.explain(
                    due_parts, term_amounts, serials),
                'recipient': info['recipient'],
                'inn': info['inn'],
                'kpp': info['kpp'],
                'bank_name': account[0],
                'bik': account[1],
                'account': account[2],
                'correspondent_account': account[3],
                'bank_account': account[4],
                'terminal_removed': terminal_removed,
                'contract_ending': contract_ending,
                'no_bank_account': no_bank_account,
                'flagged': bool(flags),
                'flag_text': '\n'.join(flags) or None,
                }
            values.update(MANUAL_DEFAULTS)
            manual = kept.get((contract_id, form))
            if manual is None:
                manual = kept_by_contract.get(contract_id)
                if manual is not None:
                    manual = {k: v for k, v in manual.items()
                        if k not in INVOICE_FIELDS}
            if manual:
                values.update(manual)
            if form != 'invoice':
                values['invoice_number'] = values['invoice_date'] = None
            vlist.append(values)
        return old_ids, vlist

    # -- Steps ------------------------------------------------------------

    @classmethod
    def _pending(cls, registries, domain):
        Line = Pool().get('mrk.rent.registry.line')
        return Line.search([
                ('registry', 'in', [r.id for r in registries]),
                ('excluded', '=', False),
                ] + domain)

    @classmethod
    @ModelView.button
    @Workflow.transition('monitoring_checked')
    def monitoring_check(cls, registries):
        """Reconciliation with the monitoring department (9.1): each
        flagged line, and each line with a monitoring note, is confirmed or
        excluded; the other lines are confirmed."""
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        pending = cls._pending(registries, [
                ('monitoring_ok', '=', False),
                ['OR',
                    ('terminal_removed', '=', True),
                    ('contract_ending', '=', True),
                    ('monitoring_note', 'not in', [None, '']),
                    ],
                ])
        if pending:
            raise RegistryError(gettext(
                    'mrk_rent.msg_registry_monitoring_pending',
                    registry=', '.join(r.rec_name for r in registries),
                    lines=_names(pending)))
        Line.write(cls._pending(registries, [('monitoring_ok', '=', False)]),
            {'monitoring_ok': True})
        cls.write(registries, {
                'monitoring_checked_by': Transaction().user,
                'monitoring_checked_on': Date.today(),
                })
        Activity.close(registries, [codes.MONITORING_RECONCILIATION])
        Activity.schedule(codes.REGISTRY_RECONCILIATION, registries)

    @classmethod
    @ModelView.button
    @Workflow.transition('accounting_checked')
    def accounting_check(cls, registries):
        """Reconciliation of the registry with accounting (9.3): a line
        with an accounting note is confirmed or excluded; the other lines
        are confirmed. The registry goes to its approver of the settings
        (9.2)."""
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        Date = pool.get('ir.date')
        pending = cls._pending(registries, [
                ('accounting_ok', '=', False),
                ('accounting_note', 'not in', [None, '']),
                ])
        if pending:
            raise RegistryError(gettext(
                    'mrk_rent.msg_registry_accounting_pending',
                    registry=', '.join(r.rec_name for r in registries),
                    lines=_names(pending)))
        Line.write(cls._pending(registries, [('accounting_ok', '=', False)]),
            {'accounting_ok': True})
        cls.write(registries, {
                'accounting_checked_by': Transaction().user,
                'accounting_checked_on': Date.today(),
                })
        Activity.close(registries, [codes.REGISTRY_RECONCILIATION])
        approver = Configuration(1).get_approver('registry_approver')
        for registry in registries:
            Activity.schedule(codes.PAYMENT_REGISTRY, [registry],
                    owner=approver,
                name=gettext('mrk_rent.msg_registry_approve_activity',
                    registry=registry.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, registries):
        """Approval by the head: the lines paid by invoice need the invoice
        received (number and date, question 4 of the seed) and every line
        to pay needs the counterparty's bank account."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        no_invoice = cls._pending(registries, [
                ('payment_form', '=', 'invoice'),
                ['OR',
                    ('invoice_number', 'in', [None, '']),
                    ('invoice_date', '=', None),
                    ],
                ])
        if no_invoice:
            raise RegistryError(gettext(
                    'mrk_rent.msg_registry_invoice_missing',
                    registry=', '.join(r.rec_name for r in registries),
                    lines=_names(no_invoice)))
        no_account = cls._pending(registries, [
                ('no_bank_account', '=', True),
                ])
        if no_account:
            raise RegistryError(gettext(
                    'mrk_rent.msg_registry_bank_missing',
                    registry=', '.join(r.rec_name for r in registries),
                    lines=_names(no_account)))
        cls.write(registries, {
                'approved_by': Transaction().user,
                'approved_on': Date.today(),
                })
        Activity.close(registries, [codes.PAYMENT_REGISTRY])

    @classmethod
    @ModelView.button_action('mrk_rent.report_registry_xlsx')
    @Workflow.transition('exported')
    def export(cls, registries):
        """The XLSX of the approved registry for the bank and accounting;
        it may be exported again."""
        cls.write(registries, {
                'exported_by': Transaction().user,
                'exported_at': datetime.datetime.now(),
                })

    @classmethod
    def print_document(cls, registries):
        """Print the registries for signatures, attach the PDF and notify
        the user: the queued task of «Печать реестра» for long registries
        (mrk_rent.registry_report.RegistryPrint)."""
        Report = Pool().get('mrk.rent.registry.document', type='report')
        Report.print_in_background(registries)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, registries):
        """Back to draft with a reason: the checks start again from the
        monitoring department (9.1)."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        for registry in registries:
            if not (registry.return_reason or '').strip():
                raise RegistryError(gettext(
                        'mrk_rent.msg_registry_return_reason',
                        registry=registry.rec_name))
        cls.write(registries, {
                'monitoring_checked_by': None,
                'monitoring_checked_on': None,
                'accounting_checked_by': None,
                'accounting_checked_on': None,
                })
        activities = Activity.open_for(registries)
        if activities:
            Activity.cancel(activities)
        for registry in registries:
            Activity.schedule(codes.MONITORING_RECONCILIATION, [registry],
                note=registry.return_reason)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, registries):
        Activity = Pool().get('mrk.activity')
        activities = Activity.open_for(registries)
        if activities:
            Activity.cancel(activities)


class RegistryLine(WorkflowGuardMixin, ModelSQL, ModelView):
    """Line of the non-cash payment registry (9.2): the due of one
    contract for the month by one payment form, with the counterparty's
    bank requisites as they were when the registry was generated."""
    __name__ = 'mrk.rent.registry.line'
    __string__ = "Payment Registry Line"

    registry = fields.Many2One(
        'mrk.rent.registry', "Registry", required=True, ondelete='CASCADE',
        readonly=True)
    registry_state = fields.Function(
        fields.Selection(STATES, "Registry State"), 'get_registry_state')
    contract = fields.Many2One(
        'mrk.contract', "Contract", required=True, ondelete='RESTRICT',
        readonly=True)
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        readonly=True)
    payment_form = fields.Selection(LINE_PAYMENT_FORMS, "Payment Form",
        required=True, readonly=True)
    payment_form_string = payment_form.translated('payment_form')
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True,
        help="The due of the month from the rent table.")
    explanation = fields.Text("Calculation", readonly=True,
        help="The parts of the due: the monthly amount, the days and the "
        "period of each.")

    recipient = fields.Char("Recipient", readonly=True)
    inn = fields.Char("INN", readonly=True)
    kpp = fields.Char("KPP", readonly=True)
    bank_name = fields.Char("Bank", readonly=True)
    bik = fields.Char("BIK", readonly=True)
    account = fields.Char("Settlement Account", readonly=True)
    correspondent_account = fields.Char(
        "Correspondent Account", readonly=True)

    terminal_removed = fields.Boolean("Terminal Removed", readonly=True,
        help="A terminal of the contract was removed in the previous month "
        "or in the month paid, or the contract has no terminal left.")
    contract_ending = fields.Boolean("Contract Ending", readonly=True,
        help="The contract ends inside the month paid.")
    bank_account = fields.Many2One(
        'mrk.party.bank_account', "Bank Account", readonly=True,
        ondelete='SET NULL',
        help="The counterparty's main bank account the line was made with.")
    bank_account_changed = fields.Function(fields.Boolean(
            "Bank Account Changed",
            help="The counterparty's main bank account is no longer the one "
            "of the line: its BIK, account or correspondent account changed "
            "or another account became the main one. Check the requisites "
            "before the export."),
        'get_bank_account_changed')
    no_bank_account = fields.Boolean("No Bank Account", readonly=True,
        help="The counterparty had no active bank account when the "
        "registry was generated.")
    flagged = fields.Boolean("Flagged", readonly=True)
    flag_text = fields.Text("Flags", readonly=True)

    monitoring_ok = fields.Boolean("Confirmed by Monitoring",
        states={'readonly': Eval('registry_state') != 'draft'},
        help="The monitoring department confirms the terminals of the "
        "contract (9.1).")
    monitoring_note = fields.Text("Monitoring Note",
        states={'readonly': Eval('registry_state') != 'draft'})
    accounting_ok = fields.Boolean("Confirmed by Accounting",
        states={'readonly': Eval('registry_state') != 'monitoring_checked'},
        help="Accounting confirms the line (9.3).")
    accounting_note = fields.Text("Accounting Note",
        states={'readonly': Eval('registry_state') != 'monitoring_checked'})
    invoice_number = fields.Char("Invoice Number",
        states={
            'readonly': ~Eval('registry_state').in_(OPEN_STATES),
            'invisible': Eval('payment_form') != 'invoice',
            },
        help="The counterparty's invoice for the month, required before "
        "approval.")
    invoice_date = fields.Date("Invoice Date",
        states={
            'readonly': ~Eval('registry_state').in_(OPEN_STATES),
            'invisible': Eval('payment_form') != 'invoice',
            })
    excluded = fields.Boolean("Excluded",
        states={'readonly': ~Eval('registry_state').in_(OPEN_STATES)},
        help="The line is kept in the registry but not paid.")
    exclusion_reason = fields.Char("Reason for Exclusion",
        states={
            'readonly': ~Eval('registry_state').in_(OPEN_STATES),
            'required': Bool(Eval('excluded')),
            'invisible': ~Eval('excluded'),
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.registry, Index.Equality())),
                Index(t, (t.contract, Index.Equality())),
                })
        cls._order = [
            ('registry', 'DESC'), ('recipient', 'ASC'), ('id', 'ASC')]
        # The due, the counterparty and its bank requisites come from the
        # rent table when the registry is filled (9.2); people fill only
        # the fields of their step (see write)
        cls._workflow_fields |= {
            'registry', 'contract', 'party', 'payment_form', 'amount',
            'explanation', 'recipient', 'inn', 'kpp', 'bank_name', 'bik',
            'account', 'correspondent_account', 'terminal_removed',
            'contract_ending', 'no_bank_account', 'flagged', 'flag_text'}
        cls._guard_parent = 'registry'

    @classmethod
    def view_attributes(cls):
        # Excluded lines greyed, flagged lines not yet confirmed by
        # monitoring highlighted (9.1)
        return super().view_attributes() + [
            ('/tree', 'visual', If(Eval('excluded', False), 'muted',
                    If(Eval('bank_account_changed', False), 'danger',
                        If(Eval('flagged', False)
                            & ~Eval('monitoring_ok', False), 'warning', ''))),
                ['excluded', 'flagged', 'monitoring_ok',
                    'bank_account_changed']),
            ]

    @classmethod
    def default_monitoring_ok(cls):
        return False

    @classmethod
    def default_accounting_ok(cls):
        return False

    @classmethod
    def default_excluded(cls):
        return False

    @classmethod
    def get_registry_state(cls, lines, name):
        return {l.id: l.registry.state for l in lines}

    @classmethod
    def get_bank_account_changed(cls, lines, name):
        """Compare the requisites kept on each line with the counterparty's
        main bank account now (9.2, 9.3): the line keeps the account it was
        generated and approved with, the flag tells that it changed since."""
        return cls._bank_account_changed(lines)

    @classmethod
    def _bank_account_changed(cls, lines):
        pool = Pool()
        BankAccount = pool.get('mrk.party.bank_account')
        bank = BankAccount.__table__()
        cursor = Transaction().connection.cursor()
        party_ids = list({l.party.id for l in lines if l.party})
        main = {}
        for sub_ids in grouped_slice(party_ids, _in_max()):
            cursor.execute(*bank.select(
                    bank.party, bank.id, bank.bik, bank.account,
                    bank.correspondent_account,
                    where=(bank.active == Literal(True))
                    & _in(bank.party, list(sub_ids)),
                    order_by=[bank.sequence.asc.nulls_first, bank.id.asc]))
            for party_id, *account in cursor:
                main.setdefault(party_id, tuple(account))
        result = {}
        for line in lines:
            now = main.get(line.party.id if line.party else None)
            kept = (line.bank_account.id if line.bank_account else None,
                line.bik, line.account, line.correspondent_account)
            if now is None:
                result[line.id] = bool(kept[2])
            else:
                result[line.id] = (
                    (kept[0] is not None and kept[0] != now[0])
                    or tuple(kept[1:]) != tuple(now[1:]))
        return result

    def get_rec_name(self, name):
        return self.contract.rec_name

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR',
            ('contract.rec_name',) + tuple(clause[1:]),
            ('recipient',) + tuple(clause[1:]),
            ]

    @classmethod
    def validate_fields(cls, lines, field_names):
        super().validate_fields(lines, field_names)
        if field_names and not (field_names & EXCLUSION_FIELDS):
            return
        for line in lines:
            if line.excluded and not (line.exclusion_reason or '').strip():
                raise RegistryLineError(gettext(
                        'mrk_rent.msg_registry_line_exclusion_reason',
                        line=line.rec_name,
                        registry=line.registry.rec_name))

    @classmethod
    def write(cls, *args):
        """People change only the fields of their step, while the registry
        is in the state of that step."""
        if Transaction().check_access:
            for lines, values in zip(args[::2], args[1::2]):
                for line in lines:
                    allowed = EDITABLE.get(line.registry.state, set())
                    for name in values:
                        if name not in allowed:
                            raise RegistryError(gettext(
                                    'mrk_rent.msg_registry_line_readonly',
                                    line=line.rec_name,
                                    field=cls.__names__(name)['field'],
                                    registry=line.registry.rec_name,
                                    state=line.registry.state_string))
        super().write(*args)

    @classmethod
    def delete(cls, lines):
        if Transaction().check_access:
            for line in lines:
                if line.registry.state != 'draft':
                    raise RegistryError(gettext(
                            'mrk_rent.msg_registry_closed',
                            registry=line.registry.rec_name,
                            state=line.registry.state_string))
        super().delete(lines)
