"""Our company's card sent to counterparties (1.5) and the list of expiring
contracts in Excel (1.1).

The company card (карточка предприятия) is the page of requisites a
counterparty needs to prepare a contract: names, INN, KPP, OGRN, addresses,
bank account and the director. It is printed from the company and sent by
e-mail from the counterparty or the contract with the "Send Company Card"
button; the e-mail goes through ir.email, so it is sent when the transaction
commits and stays in the e-mail list of the record.

The expiring contracts are exported to an .xlsx workbook (the report the
senior manager used to take from 1C) from the print menu of the contracts.
"""
import html
import re
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.model import ModelView
from trytond.modules.mrk_base import codes
from trytond.modules.mrk_base.xlsx import XLSXReport
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from .amount import format_date
from .exceptions import CompanyCardError
from .report import address_text

EMPTY = '—'
FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def _text(value):
    "The value as printed on the card: a dash for nothing"
    if value is None:
        return EMPTY
    value = str(value).strip()
    return value or EMPTY


def company_card_values(company):
    """The lines of the card of company, with a dash for what is missing.

    The legal address is the first address of the company's party, the
    postal address the second one (the legal address again when there is
    only one). The director is the signatory contact person; the chief
    accountant the contact person with the role "Accounting".
    """
    pool = Pool()
    Date = pool.get('ir.date')
    party = company.party
    addresses = [a for a in party.addresses if a.active]
    legal = address_text(addresses[0]) if addresses else ''
    postal = address_text(addresses[1]) if len(addresses) > 1 else legal
    account = party.bank_account
    director = party.signatory
    accountant = None
    for contact in party.mrk_contacts:
        if contact.role == 'accounting' and contact.active:
            accountant = contact
            break
    if director:
        director_name = ' '.join(
            filter(None, [director.position, director.name]))
    else:
        director_name = None
    phones = [m.value for m in party.contact_mechanisms
        if m.type in {'phone', 'mobile'}]
    emails = [m.value for m in party.contact_mechanisms if m.type == 'email']
    websites = [m.value for m in party.contact_mechanisms
        if m.type == 'website']
    return SimpleNamespace(
        full_name=_text(party.full_name or party.name),
        short_name=_text(party.name),
        inn=_text(party.inn),
        kpp=_text(party.kpp),
        ogrn_label='ОГРНИП' if party.legal_form == 'ip' else 'ОГРН',
        ogrn=_text(party.ogrn),
        legal_address=_text(legal),
        postal_address=_text(postal),
        phone=_text(', '.join(phones)),
        email=_text(', '.join(emails)),
        website=_text(', '.join(websites)),
        bank_name=_text(account.bank_name if account else None),
        bik=_text(account.bik if account else None),
        account=_text(account.account if account else None),
        correspondent_account=_text(
            account.correspondent_account if account else None),
        director=_text(director_name),
        director_position=(
            director.position if director and director.position
            else 'Руководитель'),
        director_basis=_text(director.basis if director else None),
        director_short=_text(director.short_name if director else None),
        accountant=_text(accountant.name if accountant else None),
        date=format_date(Date.today()),
        )


class CompanyCard(Report):
    "Company card (карточка предприятия): the requisites of our company"
    __name__ = 'mrk.company_card'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['card'] = (
            company_card_values(records[0]) if records else None)
        context['cards'] = [company_card_values(r) for r in records]
        return context

    @classmethod
    def render_company(cls, company):
        "Return the file name and content of the card of company"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        action_id = ModelData.get_id('mrk_contracts', 'report_company_card')
        with Transaction().set_context(with_rec_name=False):
            ext, content, _, title = cls.execute(
                [company.id], {'action_id': action_id})
        name = FILENAME_FORBIDDEN.sub(
            ' ', '%s %s' % (title, company.party.rec_name))
        name = ' '.join(name.split())
        return '%s.%s' % (name, ext), bytes(content)

    @classmethod
    def check_company(cls, company):
        "Raise if the card of company lacks what a counterparty needs"
        missing = company.party.missing_requisites()
        if missing:
            raise CompanyCardError(gettext(
                    'mrk_contracts.msg_company_card_incomplete',
                    company=company.rec_name, missing=', '.join(missing)))

    @classmethod
    def recipient(cls, party):
        """The e-mail address of the counterparty: its e-mail contact
        mechanism, else the e-mail of its signatory"""
        mechanism = party.contact_mechanism_get('email')
        if mechanism and mechanism.value:
            return mechanism.value.strip()
        signatory = party.signatory
        if signatory and signatory.email:
            return signatory.email.strip()
        raise CompanyCardError(gettext(
                'mrk_contracts.msg_company_card_no_email',
                party=party.rec_name))

    @classmethod
    def current_company(cls, party):
        "The company of the context, or the only one there is"
        pool = Pool()
        Company = pool.get('company.company')
        company_id = Transaction().context.get('company')
        if company_id is not None and company_id >= 0:
            return Company(company_id)
        companies = Company.search([], limit=2)
        if len(companies) == 1:
            return companies[0]
        raise CompanyCardError(gettext(
                'mrk_contracts.msg_company_card_no_company',
                party=party.rec_name))

    @classmethod
    def email_body(cls, company, contract=None):
        pool = Pool()
        User = pool.get('res.user')
        user = User(Transaction().user)
        if contract:
            text = gettext(
                'mrk_contracts.msg_company_card_email_body_contract',
                company=company.rec_name,
                number=contract.number or '',
                date=format_date(contract.date)
                if contract.date else '')
        else:
            text = gettext('mrk_contracts.msg_company_card_email_body',
                company=company.rec_name)
        lines = text.splitlines()
        if not user.signature:
            # Else ir.email appends the user's signature
            lines.append('')
            lines.extend(gettext(
                    'mrk_contracts.msg_company_card_email_regards',
                    user=user.rec_name).splitlines())
        return '<br/>'.join(html.escape(line) for line in lines)

    @classmethod
    def send(cls, records):
        """E-mail the company card to the counterparty of each record: a
        party (the counterparty itself, with the company of the context) or
        a contract (its counterparty and company).

        Every address is checked before anything is sent; the mail leaves at
        the commit. The open 1.5 activities of the counterparties are done.
        """
        pool = Pool()
        Email = pool.get('ir.email')
        Activity = pool.get('mrk.activity')
        jobs = []
        for record in records:
            if record.__name__ == 'party.party':
                party, contract = record, None
                company = cls.current_company(party)
            else:
                party, contract = record.party, record
                company = record.company
            to = cls.recipient(party)
            cls.check_company(company)
            jobs.append((record, party, contract, company, to))

        files = {}
        for record, party, contract, company, to in jobs:
            if company.id not in files:
                files[company.id] = cls.render_company(company)
            # In the counterparty's language when it has one
            context = {'language': party.lang.code} if party.lang else {}
            with Transaction().set_context(**context):
                subject = gettext(
                    'mrk_contracts.msg_company_card_email_subject',
                    company=company.rec_name)
                body = cls.email_body(company, contract)
            Email.send(
                to=to, subject=subject, body=body,
                files=[files[company.id]],
                record=(record.__name__, record.id))
            record.__class__.notify_user([record], 'tryton-email',
                gettext('mrk_contracts.msg_company_card_sent',
                    party=party.rec_name, email=to))

        origins = {str(r) for r, *_ in jobs}
        origins |= {str(p) for _, p, *_ in jobs}
        parties = list({p.id for _, p, *_ in jobs})
        with without_check_access():
            activities = Activity.search([
                    ('function.code', '=', codes.COMPANY_CARD),
                    ('state', '=', 'open'),
                    ['OR',
                        ('origin', 'in', list(origins)),
                        ('party', 'in', parties),
                        ],
                    ])
            if activities:
                Activity.do(activities)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_company_card': {
                    'icon': 'tryton-email',
                    },
                })

    @classmethod
    @ModelView.button
    def send_company_card(cls, parties):
        "Send our company card to the counterparties by e-mail (1.5)"
        CompanyCard = Pool().get('mrk.company_card', type='report')
        CompanyCard.send(parties)


class Contract(metaclass=PoolMeta):
    __name__ = 'mrk.contract'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'send_company_card': {
                    'invisible': Eval('state') == 'cancelled',
                    'icon': 'tryton-email',
                    'depends': ['state'],
                    },
                })

    @classmethod
    @ModelView.button
    def send_company_card(cls, contracts):
        "Send the card of the contract's company to its counterparty (1.5)"
        CompanyCard = Pool().get('mrk.company_card', type='report')
        CompanyCard.send(contracts)


XLSX_COLUMNS = [
    # header, width, kind of column (mrk_base.xlsx.FORMATS)
    ('№ договора', 16, 'text'),
    ('Дата договора', 13, 'date'),
    ('Контрагент', 40, 'text'),
    ('ИНН', 14, 'text'),
    ('Начало', 12, 'date'),
    ('Окончание', 12, 'date'),
    ('Дней до окончания', 11, 'integer'),
    ('Автопролонгация', 15, 'center'),
    ('Аренда в месяц, руб.', 16, 'money'),
    ('Менеджер', 26, 'text'),
    ('Состояние', 15, 'text'),
    ]
XLSX_STATES = {
    'draft': 'Черновик',
    'approval': 'На согласовании',
    'active': 'Действует',
    'terminated': 'Расторгнут',
    'expired': 'Истёк',
    'cancelled': 'Отменён',
    }


class ExpiringContractsXLSX(XLSXReport):
    """Expiring contracts as an Excel workbook (1.1): the selected contracts
    (all active contracts when none is selected) in end-date order."""
    __name__ = 'mrk.contract.expiring_xlsx'

    model = 'mrk.contract'
    columns = XLSX_COLUMNS
    sheet_name = 'Договоры'

    @classmethod
    def get_records(cls, ids):
        Contract = Pool().get('mrk.contract')
        order = [('end_date', 'ASC'), ('number', 'ASC'), ('id', 'ASC')]
        if ids:
            return Contract.search([('id', 'in', ids)], order=order)
        return Contract.search([('state', '=', 'active')], order=order)

    @classmethod
    def row(cls, contract):
        "The values of a contract's row, in the order of XLSX_COLUMNS"
        party = contract.party
        return [
            contract.number,
            contract.date,
            party.rec_name if party else None,
            party.inn if party else None,
            contract.start_date,
            contract.end_date,
            contract.days_to_end,
            'да' if contract.auto_prolongation else 'нет',
            contract.current_rent_amount,
            contract.manager.rec_name if contract.manager else None,
            XLSX_STATES.get(contract.state, contract.state),
            ]
