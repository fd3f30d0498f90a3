"""Printed documents of field jobs (2.3, 2.6, 2.7): the job sheet for the
technician, the handover act filled from the job, the journal of field
jobs (PDF and XLSX).

As for the contracts' documents, the strings are computed here into
``doc`` namespaces and the Flat ODT templates print them. The handover act
is the template and the data builder of mrk_terminals.
"""
from types import SimpleNamespace

from trytond.i18n import gettext
from trytond.modules.mrk_base.xlsx import XLSXReport
from trytond.modules.mrk_contracts.amount import format_date, format_date_long
from trytond.modules.mrk_contracts.report import DocumentReport
from trytond.pool import Pool, PoolMeta
from trytond.report import Report
from trytond.transaction import Transaction, without_check_access

from .exceptions import FieldJobError

BLANK = '_' * 20
BLANK_DATE = '«___» ____________ 20___ г.'

# The Russian words of the glossary; the printed documents do not depend on
# the user's language.
KINDS = {
    'install': 'Установка',
    'removal': 'Снятие',
    'repair': 'Ремонт',
    'reinforcement': 'Укрепление',
    'replacement': 'Замена',
    'painting': 'Покраска',
    'other': 'Другие работы',
    }
STATES = {
    'draft': 'На подписи',
    'signed': 'Подписана',
    'registered': 'Зарегистрирована',
    'agreed': 'Согласована',
    'notified': 'Службы уведомлены',
    'confirmed': 'Подтверждена звонком',
    'issued': 'Выдана технику',
    'done': 'Выполнена',
    'failed': 'Не выполнена',
    'reagreement': 'Пересогласование',
    'cancelled': 'Отменена',
    }
RESULTS = {
    'done': 'Выполнена',
    'failed': 'Не выполнена',
    }
# The file names of the acts attached to a job, by variant
ACT_NAMES = {
    'install': 'Акт установки',
    'removal': 'Акт снятия',
    }
SHEET_NAME = 'Заявка'
JOURNAL_TITLE = 'Журнал регистрации заявок на проведение работ'


def _time(value):
    return value.strftime('%H:%M') if value else ''


def time_window(job):
    "«с 10:00 до 12:00»"
    if job.time_from and job.time_to:
        return 'с %s до %s' % (_time(job.time_from), _time(job.time_to))
    if job.time_from:
        return 'с %s' % _time(job.time_from)
    if job.time_to:
        return 'до %s' % _time(job.time_to)
    return ''


def _user_name(user):
    return (user.name or user.login) if user else ''


def job_number(job):
    return job.number or '#%s' % job.id


def job_acts(job):
    """The handover acts a job needs: (variant, terminals) for an
    installation or a removal, both for a replacement, none otherwise"""
    if job.kind == 'install':
        return [('install', list(job.terminals))]
    if job.kind == 'removal':
        return [('removal', list(job.terminals))]
    if job.kind == 'replacement':
        return [
            ('removal', list(job.terminals)),
            ('install', list(job.new_terminals)),
            ]
    return []


def _number_key(job):
    "Journal order: by number, the requests without number last"
    return (job.number is None, job.number or '', job.id)


class JobSheet(Report):
    """Job sheet (2.7): what the technician needs on site, without money.

    The selected jobs print one after the other, each on its own page;
    ``attach`` stores the sheet and the handover acts of each issued job as
    its attachments."""
    __name__ = 'mrk.field_job.sheet'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        sheets = header.get('sheets')
        if sheets is None:
            sheets = [cls.get_document(job) for job in records]
        context['sheets'] = sheets
        context['doc'] = sheets[0] if sheets else None
        return context

    @classmethod
    def get_document(cls, job):
        "The strings of the job sheet of job"
        point = job.point
        company = job.company
        doc = SimpleNamespace()
        doc.number = job_number(job)
        doc.title = 'ЗАЯВКА № %s' % doc.number
        doc.subtitle = 'на проведение работ на объекте'
        doc.city = DocumentReport.get_city(company) if company else ''
        doc.date = format_date_long(job.date)
        doc.company = company.party.name if company else ''

        window = time_window(job)
        contract = point.contract if point else None
        fields = [
            ('Вид работ', KINDS.get(job.kind, job.kind or '')),
            ('Контрагент', job.party.name if job.party else ''),
            ('Точка', point.name if point else ''),
            ('Адрес', job.address or ''),
            ('Режим работы точки', point.opening_hours if point else ''),
            ('Дата проведения работ', format_date_long(job.planned_date)),
            ('Время', window),
            ('Контактное лицо на точке', job.contact_name or ''),
            ('Телефон контактного лица', job.contact_phone or ''),
            ('Договор аренды', '№ %s от %s' % (
                    contract.number, format_date_long(contract.date))
                if contract else ''),
            ('Менеджер по работе с клиентами', _user_name(job.manager)),
            ('Техник', _user_name(job.technician)),
            ]
        if point and point.notes:
            fields.append(('Как найти точку', point.notes))
        doc.fields = [SimpleNamespace(label=label, value=value or '—')
            for label, value in fields]

        titles = {
            'install': 'Устанавливаемые терминалы',
            'removal': 'Снимаемые терминалы',
            }
        acts = job_acts(job)
        if acts:
            groups = [(titles[v], terminals) for v, terminals in acts]
        else:
            groups = [('Терминалы', list(job.terminals))]
        doc.terminal_groups = [SimpleNamespace(
                title=title,
                terminals=[SimpleNamespace(
                        index=str(i),
                        model=t.model.name if t.model else '',
                        serial_number=t.serial_number or '',
                        inventory_number=t.inventory_number or '—',
                        ) for i, t in enumerate(terminals, 1)])
            for title, terminals in groups if terminals]
        doc.no_terminals = not doc.terminal_groups
        doc.work = (job.description or '').strip() or '—'
        doc.signed_by = _user_name(job.signed_by) or BLANK
        doc.signed_on = (format_date_long(job.signed_on) if job.signed_on
            else BLANK_DATE)
        doc.registered_on = (format_date(job.registered_on)
            if job.registered_on else '—')
        doc.technician = _user_name(job.technician) or BLANK
        return doc

    @classmethod
    def render_sheets(cls, sheets):
        """Render the sheets (namespaces of get_document) into one file:
        its extension (pdf, or odt when the conversion failed) and its
        content"""
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        ModelData = pool.get('ir.model.data')
        action = ActionReport(
            ModelData.get_id('mrk_field_jobs', 'report_job_sheet'))
        with Transaction().set_context(Transaction().context):
            report_context = cls.get_context([], {'sheets': sheets}, {})
            return cls.convert(action, cls.render(action, report_context))

    @classmethod
    def attach(cls, jobs):
        """Attach to each job its job sheet and its handover acts as PDF
        (2.6, 2.7): «Заявка Р-2026-0001.pdf», «Акт установки
        Р-2026-0001.pdf», «Акт снятия Р-2026-0001.pdf». Issuing again
        replaces the files of the same names."""
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        JobAct = pool.get('mrk.field_job.handover_act', type='report')
        HandoverAct = pool.get('mrk.terminal.handover_act', type='report')
        files = []
        for job in jobs:
            number = job_number(job)
            ext, content = cls.render_sheets([cls.get_document(job)])
            files.append((job, '%s %s' % (SHEET_NAME, number), ext, content))
            for variant, terminals in job_acts(job):
                doc = JobAct.get_job_document(job, variant, terminals)
                ext, content = HandoverAct.render_documents([doc])
                files.append((job, '%s %s' % (ACT_NAMES[variant], number),
                        ext, content))
        with without_check_access():
            old = Attachment.search([
                    ('resource', 'in', [str(j) for j in jobs]),
                    ('name', 'in', [
                            '%s.%s' % (name, ext)
                            for _, name, _, _ in files
                            for ext in ['pdf', 'odt']]),
                    ])
            names = {(str(job), name) for job, name, _, _ in files}
            old = [a for a in old
                if (str(a.resource), a.name.rsplit('.', 1)[0]) in names]
            Attachment.delete(old)
            return Attachment.create([{
                        'resource': str(job),
                        'name': '%s.%s' % (name, ext),
                        'type': 'data',
                        'data': bytes(content),
                        } for job, name, ext, content in files])


class JobHandoverAct(Report):
    """Handover act of a field job (2.6): the act of mrk_terminals filled
    from the job; a replacement prints the removal act and the
    installation act one after the other."""
    __name__ = 'mrk.field_job.handover_act'

    @classmethod
    def render(cls, report, report_context):
        """The acts of the jobs printed, rendered with the template of
        mrk_terminals; report (this report's action) converts them"""
        pool = Pool()
        HandoverAct = pool.get('mrk.terminal.handover_act', type='report')
        acts = []
        for job in report_context['records']:
            variants = job_acts(job)
            if not variants:
                raise FieldJobError(gettext(
                        'mrk_field_jobs.msg_field_job_no_handover_act',
                        job=job.rec_name,
                        kind=job.kind_string))
            acts.extend(cls.get_job_document(job, variant, terminals)
                for variant, terminals in variants)
        return HandoverAct.render_acts(acts)

    @classmethod
    def get_job_document(cls, job, variant, terminals):
        """The act of job for variant: dated with the day of the work (done,
        else planned), numbered with the job's journal number"""
        pool = Pool()
        HandoverAct = pool.get('mrk.terminal.handover_act', type='report')
        point = job.point
        return HandoverAct.get_document(variant,
            date=job.done_date or job.planned_date,
            number=job.number,
            point=point,
            party=job.party,
            contract=point.contract if point else None,
            terminals=terminals,
            technician=job.technician,
            company=job.company)


class HandoverAct(metaclass=PoolMeta):
    """The act printed from placements takes the number and the technician
    of the job that installed or removed the terminals"""
    __name__ = 'mrk.terminal.handover_act'

    @classmethod
    def _act_key(cls, placement, variant):
        job = (placement.install_job if variant == 'install'
            else placement.removal_job)
        return super()._act_key(placement, variant) + (
            job.id if job else -1,)

    @classmethod
    def get_placement_values(cls, placements, variant):
        values = super().get_placement_values(placements, variant)
        placement = placements[0]
        job = (placement.install_job if variant == 'install'
            else placement.removal_job)
        if job:
            values['number'] = job.number
            values['technician'] = job.technician
            values['company'] = job.company
        return values


class Journal(Report):
    """Journal of field jobs (2.3, 2.10): the selected jobs in the order of
    their numbers, with their planned visit, technician and result."""
    __name__ = 'mrk.field_job.journal'

    @classmethod
    def get_jobs(cls, records):
        "The jobs of the journal: the selected ones, else all registered"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        if records:
            jobs = FieldJob.browse([int(r) for r in records])
        else:
            jobs = FieldJob.search([('number', '!=', None)])
        return sorted(jobs, key=_number_key)

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Date = pool.get('ir.date')
        context = super().get_context(records, header, data)
        jobs = cls.get_jobs(records)
        doc = SimpleNamespace()
        doc.title = JOURNAL_TITLE.upper()
        numbers = [j.number for j in jobs if j.number]
        if numbers:
            doc.period = 'Заявки с № %s по № %s' % (numbers[0], numbers[-1])
        else:
            doc.period = ''
        doc.printed = 'Сформирован %s' % format_date(Date.today())
        doc.count = 'Всего заявок: %s' % len(jobs)
        doc.rows = [cls.get_row(job) for job in jobs]
        context['doc'] = doc
        return context

    @classmethod
    def get_row(cls, job):
        point = job.point
        report = (job.report or '').strip()
        return SimpleNamespace(
            number=job.number or '—',
            date=format_date(job.date),
            kind=KINDS.get(job.kind, job.kind or ''),
            party=job.party.name if job.party else '',
            point=point.name if point else '',
            address=job.address or '',
            planned=format_date(job.planned_date) or 'дата открыта',
            window=time_window(job),
            technician=_user_name(job.technician),
            done_date=format_date(job.done_date),
            result=RESULTS.get(job.result, ''),
            report=report,
            state=STATES.get(job.state, job.state),
            )


XLSX_COLUMNS = [
    # header, width, kind of column (mrk_base.xlsx.FORMATS)
    ('№ заявки', 14, 'center'),
    ('Дата заявки', 12, 'date'),
    ('Вид работ', 14, 'wrap'),
    ('Контрагент', 28, 'wrap'),
    ('Точка', 26, 'wrap'),
    ('Адрес', 36, 'wrap'),
    ('Дата работ', 12, 'date'),
    ('Время', 14, 'center'),
    ('Техник', 24, 'wrap'),
    ('Дата выполнения', 13, 'date'),
    ('Результат', 14, 'wrap'),
    ('Отчёт техника', 44, 'wrap'),
    ('Состояние', 20, 'wrap'),
    ]


class JournalXLSX(XLSXReport):
    """Journal of field jobs as an Excel workbook (2.3): the selected jobs
    (all registered ones when none is selected) in the order of their
    numbers."""
    __name__ = 'mrk.field_job.journal.xlsx'

    model = 'mrk.field_job'
    columns = XLSX_COLUMNS
    sheet_name = 'Журнал'
    title_row = True

    @classmethod
    def get_records(cls, ids):
        Journal = Pool().get('mrk.field_job.journal', type='report')
        return Journal.get_jobs(ids)

    @classmethod
    def get_title(cls, action):
        return JOURNAL_TITLE

    @classmethod
    def row(cls, job):
        "The values of a job's row, in the order of XLSX_COLUMNS"
        point = job.point
        return [
            job.number,
            job.date,
            KINDS.get(job.kind, job.kind),
            job.party.name if job.party else None,
            point.name if point else None,
            job.address,
            job.planned_date,
            time_window(job),
            _user_name(job.technician),
            job.done_date,
            RESULTS.get(job.result),
            (job.report or '').strip(),
            STATES.get(job.state, job.state),
            ]
