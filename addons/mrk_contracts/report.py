"""Printed documents of a rent contract (3.1): the contract, the price
agreement protocol and the supplementary agreements on extension and on
termination.

The templates are Flat ODT files of this module. Everything the text needs
is computed here into ``doc`` (strings and lists of strings), so that the
templates hold plain Russian text with simple placeholders and stay easy to
edit in LibreOffice.
"""
import re
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.report import Report

from .amount import (
    amount_in_words, count_with_words, format_amount, format_date,
    format_date_long)
from .exceptions import DocumentError

LESSOR, LESSEE = 'Арендодатель', 'Арендатор'
DEFAULT_CITY = 'Москва'
DEFAULT_NOTICE_DAYS = 30
BLANK = '_' * 12
BLANK_WORDS = '_' * 40


def _lower_first(text):
    "«Генеральный директор» → «генеральный директор», but «ИП» stays"
    if len(text) > 1 and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def address_text(address):
    """One line in the Russian order of requisites:
    «119021, Московская обл., г. Мытищи, ул. Мира, д. 17»"""
    if not address:
        return ''
    parts = []
    if address.country and (address.country.code or '').upper() != 'RU':
        parts.append(address.country.name)
    parts.append(address.postal_code)
    city = (address.city or '').strip()
    if address.subdivision and address.subdivision.name not in city:
        parts.append(address.subdivision.name)
    if city and not re.match(r'^\w{1,5}\.', city):
        city = 'г. ' + city
    parts.append(city)
    parts.extend(line.strip()
        for line in (address.street or '').splitlines())
    return ', '.join(p.strip() for p in parts if p and p.strip())


def money(amount):
    "The amount in figures and in words, blanks to fill by hand if unknown"
    if amount is None:
        return BLANK, BLANK_WORDS
    return format_amount(amount), amount_in_words(amount)


def side(party, role):
    """What the documents print about a party: its name, who signs for it
    and its requisites, one line each."""
    signatory = party.signatory
    name = party.full_name or party.name
    acting = ''
    if (signatory and party.legal_form != 'individual'
            and not (party.legal_form == 'ip'
                and signatory.name and signatory.name in name)):
        who = ' '.join(filter(None, [
                    _lower_first(signatory.position or ''),
                    signatory.name]))
        if signatory.basis:
            acting = ', от имени которого на основании %s действует %s' % (
                signatory.basis, who)
        else:
            acting = ', от имени которого действует %s' % who

    lines = []
    if party.inn:
        inn = 'ИНН %s' % party.inn
        if party.kpp and party.is_organisation:
            inn += ', КПП %s' % party.kpp
        lines.append(inn)
    if party.ogrn:
        lines.append('%s %s' % (
                'ОГРНИП' if party.legal_form == 'ip' else 'ОГРН',
                party.ogrn))
    address = address_text(party.address_get())
    if address:
        lines.append('Адрес: %s' % address)
    account = party.bank_account
    if account:
        lines.append('Р/с %s' % account.account)
        lines.append('в %s' % account.bank_name)
        lines.append('БИК %s' % account.bik)
        if account.correspondent_account:
            lines.append('К/с %s' % account.correspondent_account)
    if getattr(party, 'phone', None):
        lines.append('Тел.: %s' % party.phone)
    if getattr(party, 'email', None):
        lines.append('E-mail: %s' % party.email)

    return SimpleNamespace(
        role=role,
        name=name,
        short_name=party.name,
        acting=acting,
        lines=lines,
        position=(signatory.position or '') if signatory else '',
        signer=(signatory.short_name if signatory else '') or BLANK,
        stamp='М. П.' if party.legal_form != 'individual' else '',
        )


class DocumentReport(Report):
    """Base of the printed documents of a rent contract.

    A document has one template, held by its PDF report action
    (``template``, an XML id); the other actions of the document (ODT, for
    editing) render the same template and only convert it differently."""
    template = None

    @classmethod
    def _get_contract(cls, record):
        return record

    @classmethod
    def header_key(cls, record, data):
        # One document per record, even when the action is not "single"
        return (('id', record.id),)

    @classmethod
    def get_template_action(cls, record, action):
        "The report action whose template prints record"
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        ModelData = pool.get('ir.model.data')
        if not cls.template:
            return action
        module, fs_id = cls.template.split('.')
        return ActionReport(ModelData.get_id(module, fs_id))

    @classmethod
    def render(cls, report, report_context):
        """Render the template of the document; the report action that
        prints it still says how to convert the result"""
        template = cls.get_template_action(
            report_context.get('record'), report)
        return super().render(template, report_context)

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['amount_in_words'] = amount_in_words
        context['format_amount'] = format_amount
        context['format_date_long'] = format_date_long
        context['format_date'] = format_date
        record = context['record']
        contract = cls._get_contract(record) if record else None
        context['contract'] = contract
        context['company'] = contract.company if contract else None
        context['doc'] = cls.get_document(record) if record else None
        return context

    @classmethod
    def get_document(cls, record):
        "The strings the template prints for record"
        contract = cls._get_contract(record)
        company = contract.company
        doc = SimpleNamespace()
        doc.city = cls.get_city(company)
        doc.contract_number = contract.number or BLANK
        doc.contract_date = format_date_long(contract.date)
        doc.lessor = side(contract.party, LESSOR)
        doc.lessee = side(company.party, LESSEE)
        return doc

    @classmethod
    def get_city(cls, company):
        "The city written under the title: where the company is"
        address = company.party.address_get()
        city = ((address.city if address else None) or DEFAULT_CITY).strip()
        if not re.match(r'^\w{1,5}\.', city):
            city = 'г. ' + city
        return city


class ContractReport(DocumentReport):
    "Rent contract"
    __name__ = 'mrk.contract.document'
    template = 'mrk_contracts.report_contract'

    @classmethod
    def get_document(cls, contract):
        doc = super().get_document(contract)
        doc.number = doc.contract_number
        doc.date = doc.contract_date
        doc.start = format_date_long(contract.start_date)
        doc.end = format_date_long(contract.end_date)
        doc.rent, doc.rent_words = money(contract.rent_amount)
        doc.auto_prolongation = bool(contract.auto_prolongation)
        doc.prolongation = count_with_words(
            contract.prolongation_months or 12, 'месяц', 'месяца', 'месяцев')
        if contract.notice_days:
            doc.notice_clause = ('не позднее чем за %s до окончания срока '
                'действия Договора' % count_with_words(contract.notice_days,
                    'календарный день', 'календарных дня',
                    'календарных дней'))
        else:
            doc.notice_clause = 'до окончания срока действия Договора'
        doc.notice_period = count_with_words(
            contract.notice_days or DEFAULT_NOTICE_DAYS,
            'календарный день', 'календарных дня', 'календарных дней')
        return doc


def _is_amendment(record):
    return record.__name__ == 'mrk.contract.amendment'


class PriceProtocolReport(DocumentReport):
    """Price agreement protocol: the monthly rent in force, or the new rent
    of a price change agreement"""
    __name__ = 'mrk.contract.price_protocol'
    template = 'mrk_contracts.report_price_protocol'

    @classmethod
    def _get_contract(cls, record):
        return record.contract if _is_amendment(record) else record

    @classmethod
    def get_document(cls, record):
        doc = super().get_document(record)
        contract = cls._get_contract(record)
        reference = 'к договору аренды № %s от %s' % (
            doc.contract_number, doc.contract_date)
        if _is_amendment(record):
            amount = record.new_amount
            date, start = record.date, record.effective_date
            reference = 'к дополнительному соглашению № %s от %s %s' % (
                record.number, format_date_long(record.date), reference)
        else:
            Contract = Pool().get('mrk.contract')
            today = Pool().get('ir.date').today()
            rent = Contract.get_rents_on([contract], today)[contract.id]
            amount, date, start = rent.amount, rent.agreed, rent.start
        doc.reference = reference
        doc.date = format_date_long(date)
        doc.start = format_date(start)
        doc.start_long = format_date_long(start)
        doc.rent, doc.rent_words = money(amount)
        return doc


class AmendmentReport(DocumentReport):
    """Supplementary agreement: the form of its kind (extension, termination
    or, for a price change, the price agreement protocol)"""
    __name__ = 'mrk.contract.amendment.document'

    # Kind → the report action whose template prints it
    templates = {
        'extension': 'mrk_contracts.report_amendment_extension',
        'termination': 'mrk_contracts.report_amendment_termination',
        'price_change': 'mrk_contracts.report_price_protocol',
        }

    @classmethod
    def _get_contract(cls, record):
        return record.contract

    @classmethod
    def get_template_action(cls, record, action):
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        ModelData = pool.get('ir.model.data')
        template = cls.templates.get(record.kind)
        if not template:
            raise DocumentError(gettext(
                    'mrk_contracts.msg_report_amendment_kind',
                    amendment=record.rec_name,
                    kind=cls._kind_string(record.kind)))
        module, fs_id = template.split('.')
        return ActionReport(ModelData.get_id(module, fs_id))

    @classmethod
    def _kind_string(cls, kind):
        pool = Pool()
        Amendment = pool.get('mrk.contract.amendment')
        kinds = dict(Amendment.fields_get(['kind'])['kind']['selection'])
        return kinds.get(kind, kind)

    @classmethod
    def get_document(cls, amendment):
        if amendment.kind == 'price_change':
            PriceProtocol = Pool().get(
                'mrk.contract.price_protocol', type='report')
            return PriceProtocol.get_document(amendment)
        doc = super().get_document(amendment)
        contract = amendment.contract
        doc.number = str(amendment.number or BLANK)
        doc.date = format_date_long(amendment.date)
        doc.effective = format_date_long(amendment.effective_date)
        doc.new_end = format_date_long(amendment.new_end_date)
        Contract = Pool().get('mrk.contract')
        rent = Contract.get_rents_on(
            [contract], amendment.effective_date)[contract.id]
        doc.rent, doc.rent_words = money(rent.amount)
        return doc


class _AmendmentKindReport(AmendmentReport):
    "The form of one kind of supplementary agreement, with its own template"
    kind = None

    @classmethod
    def get_template_action(cls, record, action):
        if record.kind != cls.kind:
            raise DocumentError(gettext(
                    'mrk_contracts.msg_report_amendment_wrong_kind',
                    amendment=record.rec_name,
                    kind=cls._kind_string(record.kind),
                    expected=cls._kind_string(cls.kind)))
        return super().get_template_action(record, action)


class AmendmentExtensionReport(_AmendmentKindReport):
    "Supplementary agreement on extension"
    __name__ = 'mrk.contract.amendment.extension'
    kind = 'extension'


class AmendmentTerminationReport(_AmendmentKindReport):
    "Supplementary agreement on termination"
    __name__ = 'mrk.contract.amendment.termination'
    kind = 'termination'
