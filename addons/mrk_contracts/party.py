from sql import Column, Null
from sql.conditionals import Case, Coalesce

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.mrk_base.model import rec_name_domain
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice, is_full_text, lstrip_wildcard
from trytond.transaction import Transaction

from . import requisites
from .exceptions import DuplicateRequisitesWarning, RequisitesError

LEGAL_FORMS = [
    (None, ''),
    ('ooo', "LLC (OOO)"),
    ('ao', "Joint-stock company (AO)"),
    ('pao', "Public joint-stock company (PAO)"),
    ('ip', "Individual entrepreneur (IP)"),
    ('individual', "Individual"),
    ('other', "Other organisation"),
    ]
INDIVIDUAL_FORMS = {'ip', 'individual'}


def requisite_error(record, field, error):
    "Turn a requisites.RequisiteError into a message naming record and field"
    Model = record.__class__
    return RequisitesError(gettext('mrk_contracts.msg_requisite_invalid',
            record=record.rec_name,
            field=Model.fields_get([field])[field]['string'],
            error=gettext('mrk_contracts.' + error.message_id,
                **error.params)))


class Party(metaclass=PoolMeta):
    """Counterparty requisites (1.4, 4.1).

    INN, KPP and OGRN are fields of the counterparty rather than Tryton
    party identifiers: their rules depend on the legal form (10 or 12
    digits, OGRN or OGRNIP, KPP required for organisations only), they are
    printed on every contract and they are the keys of the legacy rent table
    and of 1C.
    """
    __name__ = 'party.party'

    legal_form = fields.Selection(LEGAL_FORMS, "Legal Form")
    legal_name = fields.Char("Full Name",
        help="The name as in the registration documents, for contracts.")
    inn = fields.Char("INN", size=12)
    kpp = fields.Char("KPP", size=9,
        states={
            'invisible': Eval('legal_form').in_(list(INDIVIDUAL_FORMS)),
            })
    ogrn = fields.Char("OGRN / OGRNIP", size=15,
        states={
            'invisible': Eval('legal_form') == 'individual',
            })
    bank_accounts = fields.One2Many(
        'mrk.party.bank_account', 'party', "Bank Accounts")
    bank_account_history = fields.One2Many(
        'mrk.party.bank_account.history', 'party',
        "Bank Account History", readonly=True,
        help="Every creation, change and deletion of the counterparty's "
        "bank accounts, with who made it and when.")
    mrk_contacts = fields.One2Many(
        'mrk.party.contact', 'party', "Contact Persons")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.inn, Index.Equality())))

    def get_full_name(self, name):
        # party's full_name (a Function field) is what documents print.
        return self.legal_name or super().get_full_name(name)

    @property
    def is_organisation(self):
        return bool(self.legal_form) and (
            self.legal_form not in INDIVIDUAL_FORMS)

    @property
    def signatory(self):
        "The contact who signs the counterparty's papers"
        for contact in self.mrk_contacts:
            if contact.role == 'signatory' and contact.active:
                return contact

    @property
    def bank_account(self):
        "The counterparty's main bank account"
        accounts = [a for a in self.bank_accounts if a.active]
        return accounts[0] if accounts else None

    @classmethod
    def search_rec_name(cls, name, clause):
        """A counterparty is found by its name, code, INN, OGRN and KPP
        (1.4, 4.1): in its list and wherever it is chosen, also through the
        pickers of contracts, points, field jobs and rent terms, which
        search the counterparty's rec_name.

        Only the users who read a requisite find by it: a technician, a
        courier or the monitoring operator, who do not read INN, OGRN and
        KPP (field access), must not learn from a search which counterparty
        has a given INN.
        """
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        names = cls._rec_name_requisites()
        if not names:
            return domain
        value = operand
        if isinstance(value, str):
            if operator.endswith('like') and is_full_text(value):
                # As party's codes: typed digits match from the start
                value = lstrip_wildcard(value)
            value = requisites.clean(value).upper() or value
        domain = list(domain)
        domain.extend((n, operator, value, *extra) for n in names)
        return domain

    @classmethod
    def _rec_name_requisites(cls):
        "The requisites the user reads, so may search counterparties by"
        pool = Pool()
        FieldAccess = pool.get('ir.model.field.access')
        names = ['inn', 'ogrn', 'kpp']
        if not Transaction().user:
            return names
        access = FieldAccess.get_access([cls.__name__])[cls.__name__]
        return [n for n in names
            if access.get(n, {}).get('read', True)]

    @classmethod
    def preprocess_values(cls, mode, values):
        "Store requisites without the spaces and dashes people type"
        values = super().preprocess_values(mode, values)
        for name in ['inn', 'kpp', 'ogrn']:
            if values.get(name):
                values[name] = requisites.clean(values[name]).upper()
        if mode == 'create':
            # The forms of the code are stored with the party rather than
            # written back one party at a time after the creation
            party = cls()
            party.code = values.get('code')
            values.update(party.compute_fields({'code'}))
        return values

    @classmethod
    def _compute_fields(cls, parties, field_names=None):
        "Write only the computed values that differ from the stored ones"
        to_write = []
        for party in parties:
            values = {name: value
                for name, value in party.compute_fields(field_names).items()
                if getattr(party, name) != value}
            if values:
                to_write.extend([[party], values])
        if to_write:
            cls.write(*to_write)

    @fields.depends('inn', 'kpp', 'ogrn')
    def on_change_inn(self):
        self.inn = requisites.clean(self.inn) or None

    @fields.depends('kpp')
    def on_change_kpp(self):
        self.kpp = requisites.clean(self.kpp).upper() or None

    @fields.depends('ogrn')
    def on_change_ogrn(self):
        self.ogrn = requisites.clean(self.ogrn) or None

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_requisites(parties, field_names)

    @classmethod
    def check_requisites(cls, parties, field_names=None):
        "Check INN, KPP and OGRN against the legal form"
        if field_names and not (field_names & {
                    'legal_form', 'inn', 'kpp', 'ogrn'}):
            return
        for party in parties:
            party._check_requisites()

    def _check_requisites(self):
        kind = None
        if self.legal_form:
            kind = ('individual' if self.legal_form in INDIVIDUAL_FORMS
                else 'organisation')
        try:
            if self.inn:
                field = 'inn'
                requisites.validate_inn(self.inn, kind)
            if self.kpp:
                field = 'kpp'
                requisites.validate_kpp(self.kpp)
            if self.ogrn:
                field = 'ogrn'
                requisites.validate_ogrn_any(
                    self.ogrn, kind if self.legal_form else None)
        except requisites.RequisiteError as error:
            raise requisite_error(self, field, error) from error

    def missing_requisites(self):
        """The labels of the requisites a contract needs and this party
        lacks (1.4): legal form, full name, INN, KPP (organisations), OGRN
        (except individuals), a bank account and a signatory."""
        missing = []
        names = self.fields_get(
            ['legal_form', 'legal_name', 'inn', 'kpp', 'ogrn',
                'bank_accounts'])
        required = ['legal_form', 'legal_name', 'inn']
        if self.is_organisation:
            required += ['kpp', 'ogrn']
        elif self.legal_form == 'ip':
            required += ['ogrn']
        for name in required:
            if not getattr(self, name):
                missing.append(names[name]['string'])
        if not self.bank_account:
            missing.append(names['bank_accounts']['string'])
        if not self.signatory:
            missing.append(gettext('mrk_contracts.msg_signatory'))
        return missing

    def check_complete_requisites(self):
        "Raise if the requisites a contract needs are missing or wrong"
        missing = self.missing_requisites()
        if missing:
            raise RequisitesError(gettext(
                    'mrk_contracts.msg_requisites_incomplete',
                    party=self.rec_name, missing=', '.join(missing)))
        self._check_requisites()

    @classmethod
    def create(cls, vlist):
        # The codes of the batch taken from the sequence at once
        vlist = [v.copy() for v in vlist]
        without_code = [v for v in vlist if not v.get('code')]
        if without_code:
            sequence = cls._code_sequence()
            if sequence:
                for values, code in zip(without_code,
                        sequence.get_many(len(without_code))):
                    values['code'] = code
        parties = super().create(vlist)
        cls._warn_duplicate(parties)
        return parties

    @classmethod
    def write(cls, *args):
        super().write(*args)
        parties = sum(args[0:None:2], [])
        if any({'inn', 'kpp'} & set(v) for v in args[1:None:2]):
            cls._warn_duplicate(parties)

    @classmethod
    def _warn_duplicate(cls, parties):
        """A second counterparty with the same INN and KPP gets a warning.

        One search per slice of INNs for the whole batch: the others are
        those already stored and those created or written in the same
        call."""
        pool = Pool()
        Warning = pool.get('res.user.warning')
        parties = [p for p in parties if p.inn]
        if not parties:
            return
        by_key = {}
        for sub in grouped_slice(
                sorted({p.inn for p in parties}), backend.MAX_QUERY_PARAMS):
            for other in cls.search_read([('inn', 'in', list(sub))],
                    fields_names=['inn', 'kpp']):
                by_key.setdefault(
                    (other['inn'], other['kpp']), []).append(other['id'])
        for party in parties:
            other = next((o for o in by_key.get(
                        (party.inn, party.kpp), [])
                    if o != party.id), None)
            if other is not None:
                other = cls(other)
                key = Warning.format('mrk_duplicate_inn', [party])
                if Warning.check(key):
                    raise DuplicateRequisitesWarning(key, gettext(
                            'mrk_contracts.msg_party_duplicate_inn',
                            party=party.rec_name, other=other.rec_name,
                            inn=party.inn, kpp=party.kpp or '-'))

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('inn')
        default.setdefault('kpp')
        default.setdefault('ogrn')
        return super().copy(parties, default=default)


class BankAccount(sequence_ordered(), DeactivableMixin, ModelSQL, ModelView):
    """Counterparty bank account: BIK, settlement and correspondent
    accounts, checked with their control keys (1.4, 9.2).

    Its access is its own, not the counterparty's: everyone reads the
    counterparty, only the roles of 1.4, 4.1 and 9.2 read its accounts.
    Every change is kept in the history table (the counterparty's tab
    "Bank Account History")."""
    __name__ = 'mrk.party.bank_account'
    __string__ = "Bank Account"
    _history = True

    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='CASCADE')
    bank_name = fields.Char("Bank", required=True)
    bik = fields.Char("BIK", required=True, size=9)
    account = fields.Char("Settlement Account", required=True, size=20)
    correspondent_account = fields.Char(
        "Correspondent Account", size=20)

    def get_rec_name(self, name):
        return '%s, %s' % (self.account, self.bank_name)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'account',
                'bank_name',
                ])

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        for name in ['bik', 'account', 'correspondent_account']:
            if values.get(name):
                values[name] = requisites.clean(values[name])
        return values

    @fields.depends('bik', 'account', 'correspondent_account')
    def on_change_bik(self):
        self.bik = requisites.clean(self.bik) or None

    @fields.depends('account')
    def on_change_account(self):
        self.account = requisites.clean(self.account) or None

    @fields.depends('correspondent_account')
    def on_change_correspondent_account(self):
        self.correspondent_account = requisites.clean(
            self.correspondent_account) or None

    @classmethod
    def validate_fields(cls, accounts, field_names):
        super().validate_fields(accounts, field_names)
        for account in accounts:
            try:
                field = 'bik'
                requisites.validate_bik(account.bik)
                field = 'account'
                requisites.validate_settlement_account(
                    account.account, account.bik)
                if account.correspondent_account:
                    field = 'correspondent_account'
                    requisites.validate_correspondent_account(
                        account.correspondent_account, account.bik)
            except requisites.RequisiteError as error:
                raise requisite_error(account, field, error) from error


class BankAccountHistory(ModelSQL, ModelView):
    """One change of a counterparty's bank account, read from the history
    table of mrk.party.bank_account: who created, changed or deleted which
    account and when (1.4, 4.1, 9.2)."""
    __name__ = 'mrk.party.bank_account.history'
    __string__ = "Bank Account History"

    bank_account = fields.Many2One(
        'mrk.party.bank_account', "Bank Account", readonly=True)
    party = fields.Many2One('party.party', "Counterparty", readonly=True)
    date = fields.Timestamp("Date", readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    change = fields.Selection([
            ('create', "Created"),
            ('write', "Changed"),
            ('delete', "Deleted"),
            ], "Change", readonly=True)
    bank_name = fields.Char("Bank", readonly=True)
    bik = fields.Char("BIK", readonly=True)
    account = fields.Char("Settlement Account", readonly=True)
    correspondent_account = fields.Char(
        "Correspondent Account", readonly=True)
    account_active = fields.Boolean("Active", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        BankAccount = pool.get('mrk.party.bank_account')
        history = BankAccount.__table_history__()
        # A deletion is a row with only the id and the date: its party is
        # the one of the account's previous row.
        previous = BankAccount.__table_history__()
        history_id = Column(history, '__id')
        previous_id = Column(previous, '__id')
        last_party = previous.select(previous.party,
            where=(previous.id == history.id)
            & (previous.party != Null)
            & (previous_id < history_id),
            order_by=[previous_id.desc], limit=1)
        deleted = history.party == Null
        return history.select(
            history_id.as_('id'),
            history.id.as_('bank_account'),
            Case((deleted, last_party), else_=history.party).as_('party'),
            Coalesce(history.write_date, history.create_date).as_('date'),
            Coalesce(history.write_uid, history.create_uid).as_('user'),
            Case((deleted, 'delete'),
                (history.write_date == Null, 'create'),
                else_='write').as_('change'),
            history.bank_name, history.bik, history.account,
            history.correspondent_account,
            history.active.as_('account_active'),
            history.create_uid, history.create_date,
            history.write_uid, history.write_date)


class Contact(DeactivableMixin, ModelSQL, ModelView):
    """Counterparty's contact person: the signatory and the on-site
    contact (1.4, 2.4)."""
    __name__ = 'mrk.party.contact'
    __string__ = "Contact Person"

    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='CASCADE')
    role = fields.Selection([
            ('signatory', "Signatory"),
            ('on_site', "On-site contact"),
            ('accounting', "Accounting"),
            ('other', "Other"),
            ], "Role", required=True)
    name = fields.Char("Name", required=True,
        help="Full name, e.g. Иванов Иван Иванович.")
    position = fields.Char("Position")
    basis = fields.Char("Acting on the Basis of",
        states={
            'invisible': Eval('role') != 'signatory',
            },
        help="For the signatory: e.g. «Устава», «доверенности № 5 от "
        "01.02.2026».")
    phone = fields.Char("Phone")
    email = fields.Char("E-mail")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Own access (not the counterparty's): technicians and couriers
        # read the counterparty but not its people (they see the on-site
        # contact on the point and the job).
        cls._order = [('role', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_role(cls):
        return 'signatory'

    def get_rec_name(self, name):
        if self.position:
            return '%s (%s)' % (self.name, self.position)
        return self.name

    @property
    def short_name(self):
        "Иванов И. И."
        parts = (self.name or '').split()
        if len(parts) < 2:
            return self.name
        return '%s %s' % (parts[0], ' '.join(p[0] + '.' for p in parts[1:]))

