import datetime
from collections import defaultdict
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from sql import Null

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Workflow, fields)
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.configuration import approver_field
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, check_write_rule, rec_name_domain)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, without_check_access

from .amount import format_date
from .exceptions import AmendmentError, ChangeRequestError, ContractError


class Rent(NamedTuple):
    """The monthly rent of a contract in force on a date: its amount, the
    day it applies from and the day it was agreed (the contract or the
    supplementary agreement that set it)."""
    amount: object
    start: datetime.date | None
    agreed: datetime.date | None


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    contract_sequence = fields.Many2One(
        'ir.sequence', "Contract Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('mrk_contracts', 'sequence_type_contract')),
            ])
    expiry_notice_days = fields.Integer(
        "Expiry Notice (days)", required=True,
        domain=[('expiry_notice_days', '>=', 0)],
        help="How many days before a contract ends its client manager "
        "gets the call activity (1.2).")
    contract_approver = approver_field(
        "Non-Standard Contract Approver",
        "Receives the non-standard contracts to approve (1.4).")
    change_request_approver = approver_field(
        "Change Request Approver",
        "Receives the change requests to decide (1.3).")

    @classmethod
    def default_contract_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('mrk_contracts', 'sequence_contract')
        except KeyError:
            return None

    @classmethod
    def default_expiry_notice_days(cls):
        return 60


class Contract(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Rent contract with a counterparty, from draft to its end (1.1–1.4).

    Standard contracts go straight to active; non-standard ones pass a
    requisites checklist and the head's approval. Extensions, terminations
    and price changes are amendments: the contract's own dates never change
    by a silent edit once it is active.
    """
    __name__ = 'mrk.contract'
    __string__ = "Rent Contract"
    _history = True
    _rec_name = 'number'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    number = fields.Char("Number", readonly=True,
        help="Journal number, given when the contract is saved.")
    date = fields.Date("Date", required=True, states=_states,
        help="The date written on the contract.")
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        states=_states)
    kind = fields.Selection([
            ('standard', "Standard"),
            ('non_standard', "Non-standard"),
            ], "Kind", required=True, states=_states,
        help="A non-standard contract (the counterparty's own text) needs "
        "the head's approval.")
    manager = fields.Many2One(
        'res.user', "Client Manager", ondelete='RESTRICT',
        help="From the counterparty's portfolio.")
    start_date = fields.Date("Start", required=True, states=_states)
    end_date = fields.Date("End", required=True,
        domain=[('end_date', '>=', Eval('start_date', None))],
        states=_states,
        help="Moved only by amendments once the contract is active.")
    auto_prolongation = fields.Boolean("Auto-prolongation", states=_states)
    prolongation_months = fields.Integer("Prolongation Period (months)",
        domain=[If(Eval('auto_prolongation', False),
                ('prolongation_months', '>', 0), ())],
        states={
            'readonly': _states['readonly'],
            'invisible': ~Eval('auto_prolongation', False),
            'required': Bool(Eval('auto_prolongation')),
            })
    notice_days = fields.Integer("Notice (days)",
        domain=['OR', ('notice_days', '=', None), ('notice_days', '>=', 0)],
        states=_states,
        help="Days before the end by which a party must announce that it "
        "does not want the prolongation.")
    currency = fields.Many2One(
        'currency.currency', "Currency", required=True, states=_states)
    rent_amount = fields.Numeric("Monthly Rent", digits=(16, 2),
        domain=['OR', ('rent_amount', '=', None), ('rent_amount', '>=', 0)],
        states=_states,
        help="The monthly rent agreed in the contract.")
    current_rent_amount = fields.Function(
        fields.Numeric("Current Monthly Rent", digits=(16, 2)),
        'get_current_rent_amount')
    notes = fields.Text("Notes")
    requisites_checked = fields.Boolean("Requisites Checked",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'non_standard',
            },
        help="The counterparty's requisites in the contract text were "
        "compared with its card (1.4).")
    terms_checked = fields.Boolean("Terms Checked",
        states={
            'readonly': Eval('state') != 'draft',
            'invisible': Eval('kind') != 'non_standard',
            },
        help="Rent, dates, prolongation and termination clauses were read "
        "and entered.")
    approval_comment = fields.Text("Approval Comment",
        states={
            'invisible': Eval('kind') != 'non_standard',
            'readonly': ~Eval('state').in_(['draft', 'approval']),
            })
    approved_by = fields.Many2One('res.user', "Approved By", readonly=True)
    approved_on = fields.Date("Approved On", readonly=True)
    amendments = fields.One2Many(
        'mrk.contract.amendment', 'contract', "Amendments", readonly=True)
    change_requests = fields.One2Many(
        'mrk.contract.change_request', 'contract', "Change Requests",
        readonly=True)
    expiry_call_for = fields.Date("Expiry Call For", readonly=True,
        help="The end date for which the client manager got the call.")
    end_escalated_for = fields.Date("End Escalated For", readonly=True)
    days_to_end = fields.Function(
        fields.Integer("Days to End"), 'get_days_to_end')
    state = fields.Selection([
            ('draft', "Draft"),
            ('approval', "Approval"),
            ('active', "Active"),
            ('terminated', "Terminated"),
            ('expired', "Expired"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.end_date, Index.Range()),
                    where=t.state == 'active'),
                Index(t, (t.number, Index.Similarity())),
                })
        cls._order = [('date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'approval'),
            ('approval', 'draft'),
            ('approval', 'active'),
            ('draft', 'active'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            ('active', 'terminated'),
            ('active', 'expired'),
            ('expired', 'active'),
            }
        # The head's approval (1.4) vouches for the terms of the contract:
        # from then on only amendments change them (3.1)
        cls._workflow_fields |= {
            'state', 'approved_by', 'approved_on', 'expiry_call_for',
            'end_escalated_for'}
        terms = {'company', 'date', 'party', 'kind', 'start_date',
            'end_date', 'auto_prolongation', 'prolongation_months',
            'notice_days', 'currency', 'rent_amount', 'requisites_checked',
            'terms_checked'}
        cls._frozen_fields.update({
                'approval': terms,
                'active': terms | {'approval_comment'},
                'terminated': terms | {'approval_comment'},
                'expired': terms | {'approval_comment'},
                })
        # The journal number is given by the sequence when it is saved
        for state, _ in cls.state.selection:
            cls._frozen_fields.setdefault(state, set()).add('number')
        cls._buttons.update({
                'submit': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') != 'non_standard')),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'kind'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'approval',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'approval',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'activate': {
                    'invisible': ((Eval('state') != 'draft')
                        | (Eval('kind') != 'standard')),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'kind'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-clear',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company is not None and company >= 0:
            return Company(company).currency.id

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_kind(cls):
        return 'standard'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_auto_prolongation(cls):
        return True

    @classmethod
    def default_prolongation_months(cls):
        return 12

    @classmethod
    def default_notice_days(cls):
        return 30

    @fields.depends('party', 'manager')
    def on_change_party(self):
        if self.party and self.party.mrk_manager:
            self.manager = self.party.mrk_manager

    @fields.depends('start_date', 'end_date', 'prolongation_months')
    def on_change_start_date(self):
        if self.start_date and not self.end_date:
            self.end_date = (self.start_date
                + relativedelta(months=self.prolongation_months or 12)
                - datetime.timedelta(days=1))

    def get_rec_name(self, name):
        number = self.number or '#%s' % self.id
        if self.party:
            return '%s (%s)' % (number, self.party.rec_name)
        return number

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'number',
                'party.rec_name',
                ])

    def get_days_to_end(self, name):
        today = Pool().get('ir.date').today()
        if self.end_date and self.state == 'active':
            return (self.end_date - today).days

    @classmethod
    def get_current_rent_amount(cls, contracts, name):
        "The monthly rent in force today (see get_rents_on)"
        today = Pool().get('ir.date').today()
        return {i: r.amount for i, r in cls.get_rents_on(
                    contracts, today).items()}

    @classmethod
    def get_rents_on(cls, contracts, date):
        """The monthly rent of each contract in force on date, as ``Rent``
        by contract id (5.1, 5.4): the last confirmed price change effective
        by then, else the amount of the contract.

        Every document, list and computation that shows or charges the rent
        of a contract asks this method; mrk_rent overrides it with the rent
        terms."""
        result = {}
        for contract in contracts:
            changes = [a for a in contract.amendments
                if a.kind == 'price_change' and a.state == 'confirmed'
                and a.new_amount is not None
                and a.effective_date <= date]
            if changes:
                last = max(changes, key=lambda a: (a.effective_date, a.id))
                rent = Rent(last.new_amount, last.effective_date, last.date)
            else:
                rent = Rent(contract.rent_amount, contract.start_date,
                    contract.date)
            result[contract.id] = rent
        return result

    @property
    def signatory(self):
        return self.party.signatory if self.party else None

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        Party = pool.get('party.party')
        config = Configuration(1)
        vlist = [v.copy() for v in vlist]
        # The client managers of the counterparties, read at once
        party_ids = {v['party'] for v in vlist
            if not v.get('manager') and v.get('party')}
        managers = {}
        with without_check_access():
            for sub_ids in grouped_slice(
                    sorted(party_ids), backend.MAX_QUERY_PARAMS):
                managers.update((p['id'], p['mrk_manager'])
                    for p in Party.read(list(sub_ids), ['mrk_manager']))
        # The journal numbers of the batch taken from the sequence at once
        without_number = [v for v in vlist if not v.get('number')]
        if without_number:
            for values, number in zip(without_number,
                    config.contract_sequence.get_many(len(without_number))):
                values['number'] = number
        for values in vlist:
            if not values.get('manager') and values.get('party'):
                manager = managers.get(values['party'])
                if manager:
                    values['manager'] = manager
        return super().create(vlist)

    @classmethod
    def copy(cls, contracts, default=None):
        default = default.copy() if default is not None else {}
        for name in ['number', 'approved_by', 'approved_on',
                'expiry_call_for', 'end_escalated_for']:
            default.setdefault(name)
        default.setdefault('amendments')
        default.setdefault('change_requests')
        default.setdefault('requisites_checked', False)
        default.setdefault('terms_checked', False)
        return super().copy(contracts, default=default)

    @classmethod
    def delete(cls, contracts):
        for contract in contracts:
            if contract.state not in {'draft', 'cancelled'}:
                raise ContractError(gettext(
                        'mrk_contracts.msg_contract_delete_state',
                        contract=contract.rec_name))
        super().delete(contracts)

    # -- workflow -------------------------------------------------------------

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('approval')
    def submit(cls, contracts):
        """Pass a non-standard contract to its approver (1.4): the
        checklist is ticked and the counterparty's requisites are complete
        and valid. The check asked of the matrix's owner is done; the
        approval goes to the approver of the settings."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        for contract in contracts:
            if not (contract.requisites_checked and contract.terms_checked):
                raise ContractError(gettext(
                        'mrk_contracts.msg_contract_checklist',
                        contract=contract.rec_name))
            contract.party.check_complete_requisites()
        Activity.close(contracts, [codes.NON_STANDARD_CONTRACT])
        approver = Configuration(1).get_approver('contract_approver')
        Activity.schedule(codes.NON_STANDARD_CONTRACT, contracts,
                owner=approver)

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('active')
    def approve(cls, contracts):
        pool = Pool()
        Date = pool.get('ir.date')
        cls.write(contracts, {
                'approved_by': Transaction().user,
                'approved_on': Date.today(),
                })
        Pool().get('mrk.activity').close(contracts,
                [codes.NON_STANDARD_CONTRACT])

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('draft')
    def reject(cls, contracts):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        for contract in contracts:
            if not contract.approval_comment:
                raise ContractError(gettext(
                        'mrk_contracts.msg_contract_reject_comment',
                        contract=contract.rec_name))
        cls.write(contracts, {
                'requisites_checked': False,
                'terms_checked': False,
                })
        Activity.close(contracts, [codes.NON_STANDARD_CONTRACT])
        # The requisites are checked again by the matrix's owner of 1.4
        for contract in contracts:
            Activity.schedule(codes.NON_STANDARD_CONTRACT, [contract],
                note=contract.approval_comment)

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('active')
    def activate(cls, contracts):
        for contract in contracts:
            if contract.kind != 'standard':
                raise ContractError(gettext(
                        'mrk_contracts.msg_contract_needs_approval',
                        contract=contract.rec_name))
            contract.party._check_requisites()

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, contracts):
        pass

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, contracts):
        pass

    @classmethod
    @Workflow.transition('terminated')
    def terminate(cls, contracts):
        pass

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, contracts):
        pass

    @classmethod
    @Workflow.transition('active')
    def reactivate(cls, contracts):
        pass

    # -- control of expiring contracts (daily cron) ---------------------------

    @classmethod
    def control_expiring(cls, date=None):
        """Control of expiring contracts (1.1, 1.2), run every morning.

        - N days (configuration) before the end, the portfolio's client
          manager gets a call activity (1.2), once per end date;
        - on the end date, contracts with auto-prolongation get a confirmed
          extension amendment and the manager an activity to inform the
          counterparty; the others, without a decision (no draft amendment),
          are escalated to the senior manager (1.1);
        - after the end date, contracts end: terminated when a termination
          was confirmed, otherwise expired.
        Each step selects its contracts with one query.
        """
        pool = Pool()
        Date = pool.get('ir.date')
        if date is None:
            date = Date.today()
        cls._expiry_calls(date)
        cls._prolong(date)
        cls._escalate_ends(date)
        cls._end(date)

    @classmethod
    def _select(cls, where):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=where(table), order_by=[table.end_date, table.id]))
        return cls.browse([i for i, in cursor])

    @classmethod
    def _expiry_calls(cls, date):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        config = Configuration(1)
        limit = date + datetime.timedelta(days=config.expiry_notice_days)
        contracts = cls._select(lambda t: (t.state == 'active')
            & (t.end_date >= date) & (t.end_date <= limit)
            & ((t.expiry_call_for == Null)
                | (t.expiry_call_for != t.end_date)))
        if not contracts:
            return
        # One call and one save for every contract (see Activity.schedule)
        Activity.schedule(codes.PROLONGATION_CALL, contracts,
            deadline=lambda contract: min(
                date + datetime.timedelta(days=3), contract.end_date),
            note=lambda contract: gettext(
                'mrk_contracts.msg_contract_expiry_call_note',
                contract=contract.rec_name,
                end=format_date(contract.end_date),
                prolongation=gettext(
                    'mrk_contracts.msg_prolongation_auto'
                    if contract.auto_prolongation
                    else 'mrk_contracts.msg_prolongation_renew')))
        cls._set_to_end_date(contracts, 'expiry_call_for')

    @classmethod
    def _prolong(cls, date):
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        Activity = pool.get('mrk.activity')
        amendment = Amendment.__table__()
        contracts = cls._select(lambda t: (t.state == 'active')
            & (t.auto_prolongation == True)  # noqa: E712
            & (t.end_date <= date)
            & ~t.id.in_(amendment.select(amendment.contract,
                    where=amendment.state.in_(['draft', 'confirmed'])
                    & (amendment.kind == 'termination'))))
        if not contracts:
            return
        amendments = []
        for contract in contracts:
            end = contract.end_date
            new_end = end
            while new_end <= date:
                new_end = (new_end + datetime.timedelta(days=1)
                    + relativedelta(months=contract.prolongation_months)
                    - datetime.timedelta(days=1))
            amendments.append(Amendment(
                    contract=contract,
                    kind='extension',
                    date=date,
                    effective_date=end + datetime.timedelta(days=1),
                    new_end_date=new_end,
                    auto=True,
                    description=gettext(
                        'mrk_contracts.msg_amendment_auto_prolongation',
                        months=contract.prolongation_months),
                    ))
        Amendment.save(amendments)
        Amendment.confirm(amendments)
        new_ends = {a.contract.id: a.new_end_date for a in amendments}
        Activity.schedule(codes.PROLONGATION_CALL,
            [a.contract for a in amendments],
            deadline=date + datetime.timedelta(days=2),
            note=lambda contract: gettext(
                'mrk_contracts.msg_contract_prolonged_note',
                contract=contract.rec_name,
                end=format_date(new_ends[contract.id])))

    @classmethod
    def _escalate_ends(cls, date):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Amendment = pool.get('mrk.contract.amendment')
        amendment = Amendment.__table__()
        contracts = cls._select(lambda t: (t.state == 'active')
            & (t.auto_prolongation != True)  # noqa: E712
            & (t.end_date <= date)
            & ((t.end_escalated_for == Null)
                | (t.end_escalated_for != t.end_date))
            & ~t.id.in_(amendment.select(amendment.contract,
                    where=amendment.state.in_(['draft', 'confirmed'])
                    & (amendment.kind == 'termination'))))
        if not contracts:
            return
        Activity.schedule(codes.EXPIRING_CONTRACTS, contracts,
            deadline=date,
            note=lambda contract: gettext(
                'mrk_contracts.msg_contract_end_escalation',
                contract=contract.rec_name,
                end=format_date(contract.end_date),
                manager=contract.manager.rec_name
                if contract.manager else '-'))
        cls._set_to_end_date(contracts, 'end_escalated_for')

    @classmethod
    def _set_to_end_date(cls, contracts, name):
        """Mark the contracts as handled for their current end date: one
        write per end date (a few dozen in the notice window), not one save
        per contract, which is what made the first run quadratic."""
        by_end = defaultdict(list)
        for contract in contracts:
            by_end[contract.end_date].append(contract)
        args = []
        for end_date, same_end in by_end.items():
            args.extend((same_end, {name: end_date}))
        cls.write(*args)

    @classmethod
    def _end(cls, date):
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        amendment = Amendment.__table__()
        terminated = amendment.select(amendment.contract,
            where=(amendment.state == 'confirmed')
            & (amendment.kind == 'termination'))
        to_terminate = cls._select(lambda t: (t.state == 'active')
            & (t.end_date < date) & t.id.in_(terminated))
        to_expire = cls._select(lambda t: (t.state == 'active')
            & (t.end_date < date) & ~t.id.in_(terminated))
        if to_terminate:
            cls.terminate(to_terminate)
        if to_expire:
            cls.expire(to_expire)


class ContractPartyMixin:
    "The counterparty of the record's contract, to show, search and route"
    __slots__ = ()
    party = fields.Function(
        fields.Many2One('party.party', "Counterparty"), 'get_party',
        searcher='search_party')

    def get_party(self, name):
        return self.contract.party.id if self.contract else None

    @classmethod
    def search_party(cls, name, clause):
        return [('contract.party' + clause[0][len(name):], *clause[1:])]


class Amendment(
        ContractPartyMixin, WorkflowGuardMixin, Workflow, ModelSQL,
        ModelView):
    """Supplementary agreement: extension, termination, price change or
    other (3.1). Confirming it changes the contract as of its effective
    date; the contract's history keeps the former values."""
    __name__ = 'mrk.contract.amendment'
    __string__ = "Supplementary Agreement"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    contract = fields.Many2One(
        'mrk.contract', "Contract", required=True, ondelete='CASCADE',
        domain=[('state', 'in', ['active', 'expired'])],
        states=_states)
    number = fields.Integer("Number", readonly=True,
        help="Number of the agreement within its contract.")
    date = fields.Date("Date", required=True, states=_states)
    effective_date = fields.Date("Effective Date", required=True,
        states=_states)
    kind = fields.Selection([
            ('extension', "Extension"),
            ('termination', "Termination"),
            ('price_change', "Price Change"),
            ('other', "Other"),
            ], "Kind", required=True, states=_states)
    new_end_date = fields.Date("New End",
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'extension',
            'required': Eval('kind') == 'extension',
            })
    new_amount = fields.Numeric("New Monthly Rent", digits=(16, 2),
        domain=['OR', ('new_amount', '=', None), ('new_amount', '>=', 0)],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') != 'price_change',
            'required': Eval('kind') == 'price_change',
            })
    description = fields.Text("Description", states=_states)
    auto = fields.Boolean("Automatic", readonly=True,
        help="Made by the auto-prolongation.")
    confirmed_by = fields.Many2One('res.user', "Confirmed By", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('contract', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._workflow_fields |= {'state', 'confirmed_by', 'auto'}
        cls._frozen_fields['confirmed'] = {
            'contract', 'date', 'effective_date', 'kind', 'new_end_date',
            'new_amount', 'description'}
        for state, _ in cls.state.selection:
            cls._frozen_fields.setdefault(state, set()).add('number')
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'icon': 'tryton-clear',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_auto(cls):
        return False

    def get_rec_name(self, name):
        return gettext('mrk_contracts.msg_amendment_rec_name',
            number=self.number or '-', contract=self.contract.number or '')

    @classmethod
    def create(cls, vlist):
        pool = Pool()
        Contract = pool.get('mrk.contract')
        vlist = [v.copy() for v in vlist]
        last = {}
        for values in vlist:
            contract_id = values.get('contract')
            if contract_id is None or values.get('number'):
                continue
            if contract_id not in last:
                numbers = [a.number or 0
                    for a in Contract(contract_id).amendments]
                last[contract_id] = max(numbers, default=0)
            last[contract_id] += 1
            values['number'] = last[contract_id]
        return super().create(vlist)

    @classmethod
    def delete(cls, amendments):
        for amendment in amendments:
            if amendment.state == 'confirmed':
                raise AmendmentError(gettext(
                        'mrk_contracts.msg_amendment_delete_confirmed',
                        amendment=amendment.rec_name))
        super().delete(amendments)

    @classmethod
    def validate_fields(cls, amendments, field_names):
        super().validate_fields(amendments, field_names)
        if field_names and not (field_names & {
                    'contract', 'kind', 'effective_date', 'new_end_date'}):
            return
        for amendment in amendments:
            amendment.check_dates()

    def check_dates(self):
        contract = self.contract
        if self.effective_date < contract.start_date:
            raise AmendmentError(gettext(
                    'mrk_contracts.msg_amendment_before_start',
                    amendment=self.rec_name,
                    start=format_date(contract.start_date)))
        if (self.kind == 'extension' and self.state == 'draft'
                and self.new_end_date <= contract.end_date):
            raise AmendmentError(gettext(
                    'mrk_contracts.msg_amendment_extension_end',
                    amendment=self.rec_name,
                    end=format_date(contract.end_date)))

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, amendments):
        """Apply the agreements to their contracts, as of their dates."""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        Date = pool.get('ir.date')
        today = Date.today()
        for amendment in amendments:
            contract = amendment.contract
            if contract.state not in {'active', 'expired'}:
                raise AmendmentError(gettext(
                        'mrk_contracts.msg_amendment_contract_state',
                        amendment=amendment.rec_name,
                        contract=contract.rec_name))
            if amendment.kind == 'extension':
                # Written through super() of the workflow: the contract's
                # dates are read-only to users once it is active.
                Contract.write([contract], {
                        'end_date': amendment.new_end_date,
                        'expiry_call_for': None,
                        'end_escalated_for': None,
                        })
                if (contract.state == 'expired'
                        and amendment.new_end_date >= today):
                    Contract.reactivate([contract])
            elif amendment.kind == 'termination':
                if contract.state != 'active':
                    raise AmendmentError(gettext(
                            'mrk_contracts.msg_amendment_contract_state',
                            amendment=amendment.rec_name,
                            contract=contract.rec_name))
                Contract.write([contract], {
                        'end_date': max(amendment.effective_date,
                            contract.start_date),
                        })
                if amendment.effective_date <= today:
                    Contract.terminate([contract])
        cls.write(amendments, {'confirmed_by': Transaction().user})
        cls.apply_price_change(
            [a for a in amendments if a.kind == 'price_change'])

    @classmethod
    def apply_price_change(cls, amendments):
        """Hook for the rent terms (mrk_rent): a confirmed price change
        applies from its effective date. Here it is only recorded; the
        contract's get_rents_on reads it."""
        pass

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, amendments):
        pass

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, amendments):
        pass


class ChangeRequest(
        ContractPartyMixin, WorkflowGuardMixin, Workflow, ModelSQL,
        ModelView):
    """A counterparty's proposal to change the terms of its contract (1.3):
    taken by a manager, decided by the head; the client manager tells the
    counterparty the decision."""
    __name__ = 'mrk.contract.change_request'
    __string__ = "Change Request"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    contract = fields.Many2One(
        'mrk.contract', "Contract", required=True, ondelete='CASCADE',
        states=_states)
    received_on = fields.Date("Received On", required=True, states=_states)
    received_by = fields.Many2One(
        'res.user', "Received By", required=True, states=_states)
    channel = fields.Selection([
            ('phone', "Phone"),
            ('email', "E-mail"),
            ('letter', "Letter"),
            ('meeting', "Meeting"),
            ], "Channel", required=True, states=_states)
    description = fields.Text("Request", required=True, states=_states,
        help="What the counterparty asks to change, in its words.")
    decision = fields.Text("Decision",
        states={
            'readonly': Eval('state') != 'submitted',
            'invisible': Eval('state') == 'draft',
            })
    decided_by = fields.Many2One('res.user', "Decided By", readonly=True)
    decided_on = fields.Date("Decided On", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('submitted', "Submitted"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('received_on', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('submitted', 'approved'),
            ('submitted', 'rejected'),
            ('submitted', 'draft'),
            }
        cls._workflow_fields |= {'state', 'decided_by', 'decided_on'}
        request = {'contract', 'received_on', 'received_by', 'channel',
            'description'}
        cls._frozen_fields.update({
                'submitted': request,
                'approved': request | {'decision'},
                'rejected': request | {'decision'},
                })
        cls._deletable_states = {'draft'}
        cls._buttons.update({
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_received_on(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_received_by(cls):
        return Transaction().user or None

    @classmethod
    def default_channel(cls):
        return 'phone'

    def get_rec_name(self, name):
        return gettext('mrk_contracts.msg_change_request_rec_name',
            contract=self.contract.rec_name,
            date=format_date(self.received_on))

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, requests):
        """Pass the request to its approver of the settings for a decision
        (1.3)"""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Configuration = pool.get('mrk.configuration')
        approver = Configuration(1).get_approver('change_request_approver')
        for request in requests:
            Activity.schedule(codes.CHANGE_REQUEST, [request], owner=approver,
                note=request.description)

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('approved')
    def approve(cls, requests):
        cls._decide(requests)

    @classmethod
    @check_write_rule
    @ModelView.button
    @Workflow.transition('rejected')
    def reject(cls, requests):
        cls._decide(requests)

    @classmethod
    def _decide(cls, requests):
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        for request in requests:
            if not request.decision:
                raise ChangeRequestError(gettext(
                        'mrk_contracts.msg_change_request_decision',
                        request=request.rec_name))
        cls.write(requests, {
                'decided_by': Transaction().user,
                'decided_on': Date.today(),
                })
        Activity.close(requests, [codes.CHANGE_REQUEST])
        for request in requests:
            Activity.schedule(codes.PROLONGATION_CALL, [request],
                name=gettext('mrk_contracts.msg_change_request_inform',
                    party=request.party.rec_name),
                note=request.decision)

