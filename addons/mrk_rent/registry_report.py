"""Documents of the non-cash payment registry (9.2, 9.3): the XLSX for the
bank and accounting, made when the approved registry is exported, and the
printed registry to sign (PDF).

As for the other documents, the texts are Russian whatever the language of
the user, and everything is computed here so the template stays plain.
"""
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.modules.mrk_base.report import TABLE_PART_ROWS, table_parts
from trytond.modules.mrk_base.xlsx import XLSXReport, write_table
from trytond.modules.mrk_contracts.amount import (
    format_amount, format_date, format_date_long, format_month,
    format_month_in)
from trytond.model import ModelView
from trytond.pool import Pool
from trytond.report import Report
from trytond.wizard import Button, StateReport, StateTransition, StateView, Wizard

from .exceptions import RegistryError

TITLE = 'Реестр безналичных платежей'
PAYMENT_FORMS = {
    'transfer': 'Безналичные по договору',
    'invoice': 'Безналичные по счёту',
    }
STATES = {
    'draft': 'Черновик',
    'monitoring_checked': 'Сверен с отделом мониторинга',
    'accounting_checked': 'Сверен с бухгалтерией',
    'approved': 'Утверждён',
    'exported': 'Выгружен',
    'cancelled': 'Отменён',
    }
BLANK = '_' * 20
# The registry is exported for the bank only once approved
EXPORTABLE = {'approved', 'exported'}

XLSX_COLUMNS = [
    # header, width, kind of column (mrk_base.xlsx.FORMATS)
    ('№ п/п', 6, 'center'),
    ('Получатель', 34, 'wrap'),
    ('ИНН', 14, 'center'),
    ('КПП', 12, 'center'),
    ('Договор №', 14, 'center'),
    ('Дата договора', 12, 'date'),
    ('Форма оплаты', 16, 'wrap'),
    ('Счёт №', 12, 'center'),
    ('Дата счёта', 12, 'date'),
    ('Банк', 28, 'wrap'),
    ('БИК', 12, 'center'),
    ('Расчётный счёт', 24, 'center'),
    ('Корреспондентский счёт', 24, 'center'),
    ('Сумма, руб.', 14, 'money'),
    ('Назначение платежа', 44, 'wrap'),
    ('Отметки', 40, 'wrap'),
    ]
AMOUNT_COLUMN = 13
TOTAL = 'Итого'


def registry_title(registry):
    "«Реестр безналичных платежей № РБП-2026-001 за март 2026»"
    return '%s № %s за %s' % (
        TITLE, registry.number or registry.id, format_month(registry.month))


def payment_purpose(line):
    """«Арендная плата за март 2026 г. по договору № Д-1 от 01.01.2026»,
    with the invoice for the lines paid by invoice"""
    contract = line.contract
    text = 'Арендная плата за %s г. по договору № %s от %s' % (
        format_month(line.registry.month), contract.number or '',
        format_date(contract.date))
    if line.payment_form == 'invoice' and line.invoice_number:
        text += ', счёт № %s' % line.invoice_number
        if line.invoice_date:
            text += ' от %s' % format_date(line.invoice_date)
    return text


def line_notes(line):
    "The flags and the notes of a line, one per line"
    notes = []
    if line.flag_text:
        notes.extend(line.flag_text.splitlines())
    if line.monitoring_note:
        notes.append('Мониторинг: %s' % line.monitoring_note.strip())
    if line.accounting_note:
        notes.append('Бухгалтерия: %s' % line.accounting_note.strip())
    if line.excluded:
        notes.append('Исключена из оплаты: %s' % (
                line.exclusion_reason or ''))
    return notes


def _user_name(user):
    return (user.name or user.login) if user else ''


def payable_lines(registry):
    "The lines to pay, in the order of the registry"
    Line = Pool().get('mrk.rent.registry.line')
    return Line.search([
            ('registry', '=', registry.id),
            ('excluded', '=', False),
            ], order=[('recipient', 'ASC'), ('id', 'ASC')])


class RegistryXLSX(XLSXReport):
    """The approved registry as an Excel workbook for the bank and
    accounting (9.2): one row per line to pay with the recipient's
    requisites, then the total, which is the registry's total."""
    __name__ = 'mrk.rent.registry.xlsx'

    model = 'mrk.rent.registry'
    columns = XLSX_COLUMNS
    sheet_name = 'Реестр'
    title_row = True

    @classmethod
    def get_records(cls, ids):
        Registry = Pool().get(cls.model)
        registries = Registry.browse(ids)
        for registry in registries:
            if registry.state not in EXPORTABLE:
                raise RegistryError(gettext(
                        'mrk_rent.msg_registry_export_not_approved',
                        registry=registry.rec_name,
                        state=registry.state_string))
        return registries

    @classmethod
    def get_title(cls, action):
        return TITLE

    @classmethod
    def row(cls, line, index=None):
        "The values of a line's row, in the order of XLSX_COLUMNS"
        contract = line.contract
        return [
            index,
            line.recipient,
            line.inn,
            line.kpp,
            contract.number,
            contract.date,
            PAYMENT_FORMS.get(line.payment_form, line.payment_form),
            line.invoice_number,
            line.invoice_date,
            line.bank_name,
            line.bik,
            line.account,
            line.correspondent_account,
            line.amount,
            payment_purpose(line),
            '\n'.join(line_notes(line)),
            ]

    @classmethod
    def render_xlsx(cls, records, title=None):
        rows = []
        total = 0
        for registry in records:
            for line in payable_lines(registry):
                rows.append(cls.row(line, len(rows) + 1))
                total += line.amount
        total_row = [None] * len(cls.columns)
        total_row[1] = TOTAL
        total_row[AMOUNT_COLUMN] = total
        rows.append(total_row)
        if len(records) == 1:
            title = registry_title(records[0])
        return write_table(cls.columns, rows, cls.sheet_name,
            title=title, properties={'title': title or ''})


class RegistryReport(Report):
    """The registry printed for signatures (9.1–9.3): the lines to pay,
    the total, the excluded lines, and who prepared, checked and approved
    it."""
    __name__ = 'mrk.rent.registry.document'

    # Rows per table of the printed registry (mrk_base.report.table_parts)
    table_part_rows = TABLE_PART_ROWS
    # Registries of more lines are printed in the background by «Печать
    # реестра» (RegistryPrint): about 2 s of LibreOffice per 1 000 lines
    # (bench/reports.py), so a request stays within seconds.
    background_lines = 1000

    @classmethod
    def print_in_background(cls, registries):
        """Print each registry as the user who asked (the queue runs the
        task as that user), attach the PDF to the registry and notify the
        user that it is ready."""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        Registry = pool.get('mrk.rent.registry')
        attachments = []
        for registry in registries:
            oext, content, _, _ = cls.execute([registry.id], {
                    'model': Registry.__name__, 'id': registry.id,
                    'ids': [registry.id]})
            attachments.append(Attachment(
                    resource=registry,
                    name='%s.%s' % (registry_title(registry), oext),
                    type='data',
                    data=content))
        Attachment.save(attachments)
        for registry in registries:
            Registry.notify_user([registry], 'tryton-print',
                gettext('mrk_rent.msg_registry_printed',
                    registry=registry.rec_name),
                description=gettext(
                    'mrk_rent.msg_registry_printed_description'))

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['docs'] = [cls.get_document(r) for r in records]
        context['doc'] = context['docs'][0] if records else None
        return context

    @classmethod
    def get_document(cls, registry):
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        Date = pool.get('ir.date')
        doc = SimpleNamespace()
        doc.title = TITLE.upper()
        doc.subtitle = '№ %s на оплату аренды в %s г.' % (
            registry.number or registry.id, format_month_in(registry.month))
        doc.company = registry.company.party.name
        doc.state = 'Состояние: %s' % STATES.get(
            registry.state, registry.state)
        doc.printed = 'Напечатан %s' % format_date(Date.today())
        lines = Line.search([('registry', '=', registry.id)],
            order=[('recipient', 'ASC'), ('id', 'ASC')])
        doc.rows = []
        doc.excluded = []
        for line in lines:
            contract = line.contract
            row = SimpleNamespace(
                recipient=line.recipient or '',
                inn='ИНН %s' % line.inn if line.inn else '',
                contract='№ %s от %s' % (
                    contract.number or '', format_date(contract.date)),
                form=PAYMENT_FORMS.get(line.payment_form, ''),
                invoice=('счёт № %s от %s' % (line.invoice_number,
                        format_date(line.invoice_date))
                    if line.invoice_number else ''),
                bank=('р/с %s, БИК %s' % (line.account, line.bik)
                    if line.account else 'нет реквизитов'),
                amount=format_amount(line.amount),
                explanation=(line.explanation or '').replace('\n', '; '),
                notes='; '.join(line_notes(line)),
                )
            if line.excluded:
                doc.excluded.append(row)
            else:
                row.index = str(len(doc.rows) + 1)
                doc.rows.append(row)
        doc.parts = table_parts(doc.rows, cls.table_part_rows)
        doc.total = 'Итого к оплате: %s руб. (строк: %s)' % (
            format_amount(registry.total), len(doc.rows))
        doc.subtotals = 'В том числе по договорам: %s руб., по счетам: ' \
            '%s руб.' % (format_amount(registry.total_transfer),
                format_amount(registry.total_invoice))
        if doc.excluded:
            doc.excluded_total = ('Исключено из оплаты: %s руб. '
                '(строк: %s)' % (format_amount(registry.total_excluded),
                    len(doc.excluded)))
        else:
            doc.excluded_total = ''
        doc.signatures = [
            SimpleNamespace(role='Сформировал (старший менеджер)',
                name=_user_name(registry.create_uid) or BLANK,
                date=format_date_long(registry.create_date
                    and registry.create_date.date())),
            SimpleNamespace(role='Сверено с отделом мониторинга',
                name=_user_name(registry.monitoring_checked_by) or BLANK,
                date=format_date_long(registry.monitoring_checked_on)),
            SimpleNamespace(role='Сверено с бухгалтерией',
                name=_user_name(registry.accounting_checked_by) or BLANK,
                date=format_date_long(registry.accounting_checked_on)),
            SimpleNamespace(role='Утверждаю (руководитель коммерческой '
                'службы)',
                name=_user_name(registry.approved_by) or BLANK,
                date=format_date_long(registry.approved_on)),
            ]
        return doc


class RegistryPrintQueued(ModelView):
    "Registry Printed in the Background"
    __name__ = 'mrk.rent.registry.print.queued'


class RegistryPrint(Wizard):
    """Print the registry for signatures (9.2, 9.3): at once when it is
    short, in the background when it has more than
    RegistryReport.background_lines lines, so that printing thousands of
    lines never holds a web request; the PDF is then attached to the
    registry and the user gets a notification.

    The background work is trytond's queue (``__queue__``): run by
    ``trytond-worker`` where ``[queue] worker`` is on, and otherwise
    right after the request's commit, as trytond does for every task."""
    __name__ = 'mrk.rent.registry.print'
    start = StateTransition()
    print_ = StateReport('mrk.rent.registry.document')
    queued = StateView('mrk.rent.registry.print.queued',
        'mrk_rent.registry_print_queued_view_form', [
            Button("OK", 'end', 'tryton-ok', default=True),
            ])

    def transition_start(self):
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        Report = pool.get('mrk.rent.registry.document', type='report')
        Registry = pool.get('mrk.rent.registry')
        ids = [r.id for r in self.records]
        # The wizard runs without access checks: refuse here what the
        # report itself would refuse, before anything is queued
        ids, _ = Report.check_report_access(ids, {
                'model': Registry.__name__, 'ids': ids})
        lines = Line.search_count([('registry', 'in', ids)])
        if lines > Report.background_lines:
            Registry.__queue__.print_document(Registry.browse(ids))
            return 'queued'
        return 'print_'

    def do_print_(self, action):
        return action, {'ids': [r.id for r in self.records]}
