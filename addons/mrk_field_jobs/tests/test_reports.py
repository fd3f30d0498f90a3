"""Printed documents of field jobs (seed 2.3, 2.6, 2.7): the job sheet and
the handover acts attached when a job is issued, the act printed from the
job, the journal in PDF and in Excel.

The PDF tests need LibreOffice (soffice) and pdftotext / pdfinfo
(poppler-utils); each conversion takes about two seconds, so the tests
convert few documents."""
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import openpyxl

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.mrk_base.tests.tools import pdf_pages, pdf_text
from trytond.modules.mrk_contracts.tests.test_contract import (
    make_party, make_user)
from trytond.modules.mrk_terminals.tests.test_module import (
    make_point, make_terminals)
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import start_smtp_server

D = datetime.date
T = datetime.time

XLSX_HEADER = [
    '№ заявки', 'Дата заявки', 'Вид работ', 'Контрагент', 'Точка', 'Адрес',
    'Дата работ', 'Время', 'Техник', 'Дата выполнения', 'Результат',
    'Отчёт техника', 'Состояние',
    ]


def setup_jobs():
    """ООО «МРК», its head, client manager and technician; ООО «Ромашка»
    with a contract and a point where terminal SN-2001 stands; SN-2002 and
    SN-2003 in stock; the services' e-mails configured."""
    pool = Pool()
    Configuration = pool.get('mrk.configuration')
    Contract = pool.get('mrk.contract')
    Function = pool.get('mrk.function')
    Placement = pool.get('mrk.terminal.placement')
    Point = pool.get('mrk.point')
    User = pool.get('res.user')

    company = create_company('ООО «МРК»')
    head = make_user('head', 'head', company)
    manager = make_user('manager', 'manager', company)
    technician = make_user('technician', 'technician', company)
    User.write([head], {'name': 'Кузнецова Анна'})
    User.write([manager], {'name': 'Смирнова Ольга'})
    User.write([technician], {'name': 'Сидоров Семён'})
    Function.write(Function.search([]), {'owner': manager.id})

    config = Configuration(1)
    config.head = head
    config.cash_collection_email = 'cash@example.com'
    config.technical_service_email = 'tech@example.com'
    config.save()

    party = make_party('ООО «Ромашка»', manager=manager,
        legal_name='Общество с ограниченной ответственностью «Ромашка»')
    with set_company(company):
        contract = Contract(company=company, currency=company.currency,
            party=party, date=D(2025, 12, 20), start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31), rent_amount=Decimal('5000.00'))
        contract.save()
    point = make_point(party)
    Point.write([point], {
            'contract': contract.id,
            'notes': 'Вход со двора, терминал у кассы',
            })
    old, new, spare = make_terminals('SN-2001', 'SN-2002', 'SN-2003')
    Placement.install([old], point, D(2026, 1, 10), contract=contract)
    return SimpleNamespace(company=company, head=head, manager=manager,
        technician=technician, party=party, contract=contract, point=point,
        old=old, new=new, spare=spare)


def make_job(s, kind, terminals=(), new_terminals=(), **values):
    pool = Pool()
    FieldJob = pool.get('mrk.field_job')
    job, = FieldJob.create([dict({
                    'company': s.company.id,
                    'date': D(2026, 3, 2),
                    'kind': kind,
                    'point': s.point.id,
                    'terminals': [('add', [t.id for t in terminals])],
                    'new_terminals': [
                        ('add', [t.id for t in new_terminals])],
                    'description': 'Заменить терминал на новый',
                    'planned_date': D(2026, 3, 5),
                    'time_from': T(10, 0),
                    'time_to': T(12, 0),
                    'technician': s.technician.id,
                    }, **values)])
    return job


def issue(s, jobs):
    "Take the jobs through the workflow up to the issue to the technician"
    pool = Pool()
    FieldJob = pool.get('mrk.field_job')
    with Transaction().set_user(s.head.id):
        FieldJob.sign(jobs)
    FieldJob.register(jobs)
    FieldJob.agree(jobs)
    FieldJob.write(jobs, {'call_result': 'Ждут с 10:00'})
    FieldJob.confirm(jobs)
    # As the client manager clicks the button
    with Transaction().set_user(s.manager.id), \
            Transaction().set_context(_check_access=True):
        FieldJob.issue(jobs)
    return FieldJob.browse(jobs)


def attachments(job):
    Attachment = Pool().get('ir.attachment')
    return {a.name: bytes(a.data) for a in Attachment.search([
                ('resource', '=', str(job)),
                ], order=[('name', 'ASC')])}


class FieldJobReportsTestCase(DatabaseTestCase):
    "Printed documents of field jobs"
    modules = ['mrk_field_jobs']

    def setUp(self):
        super().setUp()
        # Agreeing a job e-mails the services when the transaction ends
        self.inbox = start_smtp_server(self)

    @with_transaction()
    def test_issue_attaches_sheet_and_acts(self):
        "Issuing a replacement attaches its sheet, removal and install acts"
        pool = Pool()
        HandoverAct = pool.get('mrk.terminal.handover_act', type='report')
        FieldJob = pool.get('mrk.field_job')
        s = setup_jobs()
        job = make_job(s, 'replacement', [s.old], [s.new],
            contact_phone='+7 495 765-43-21')
        job, = issue(s, [job])
        self.assertEqual(job.state, 'issued')
        number = job.number
        self.assertRegex(number, r'^Р-\d{4}-0001$')

        files = attachments(job)
        sheet_name = 'Заявка %s.pdf' % number
        removal_name = 'Акт снятия %s.pdf' % number
        install_name = 'Акт установки %s.pdf' % number
        self.assertEqual(sorted(files),
            sorted([sheet_name, removal_name, install_name]))
        for content in files.values():
            self.assertTrue(content.startswith(b'%PDF'))

        sheet = pdf_text(files[sheet_name])
        for phrase in [
                'ЗАЯВКА № %s' % number, 'на проведение работ',
                '«02» марта 2026 г.', 'Замена', 'ООО «Ромашка»',
                'Магазин на Мира', 'Москва, ул. Мира, д. 17',
                'пн–пт 9:00–21:00', '«05» марта 2026 г.', 'с 10:00 до 12:00',
                'Петров Пётр', '+7 495 765-43-21',
                'Снимаемые терминалы', 'Устанавливаемые терминалы',
                'SN-2001', 'SN-2002', 'Заменить терминал на новый',
                'Вход со двора, терминал у кассы',
                'Сидоров Семён', 'Смирнова Ольга', 'Кузнецова Анна',
                'руководитель коммерческой службы',
                'ОТМЕТКА О ВЫПОЛНЕНИИ', 'Что сделано / причина невыполнения',
                'Представитель точки']:
            self.assertIn(phrase, sheet)
        # No money on the technician's sheet
        self.assertNotRegex(sheet, r'руб|₽|5 ?000')
        self.assertLess(sheet.index('Снимаемые'), sheet.index('SN-2001'))
        self.assertLess(sheet.index('SN-2001'),
            sheet.index('Устанавливаемые'))
        self.assertLess(sheet.index('Устанавливаемые'),
            sheet.index('SN-2002'))

        for name, serial, other, phrase in [
                (removal_name, 'SN-2001', 'SN-2002', 'снятие терминала'),
                (install_name, 'SN-2002', 'SN-2001', 'установка терминала'),
                ]:
            with self.subTest(act=name):
                text = pdf_text(files[name])
                for expected in [
                        'АКТ ПРИЁМА-ПЕРЕДАЧИ ТЕРМИНАЛА № %s' % number,
                        phrase, serial, 'ООО «Ромашка»',
                        'Москва, ул. Мира, д. 17', '«05» марта 2026 г.',
                        'Сидоров Семён', s.contract.number]:
                    self.assertIn(expected, text)
                self.assertNotIn(other, text)

        # Done: the placements written by the job print its number
        with Transaction().set_context(mrk_date=D(2026, 3, 5)):
            FieldJob.write([job], {'report': 'Терминал заменён'})
            FieldJob.do([job])
        job = FieldJob(job.id)
        for placements, variant in [
                (job.removal_placements, 'removal'),
                (job.install_placements, 'install')]:
            doc, = HandoverAct.get_placement_documents(placements, variant)
            self.assertEqual(doc.number, number)
            self.assertEqual(doc.date_long, '«05» марта 2026 г.')
            self.assertIn('Сидоров Семён', doc.statements[2])

    @with_transaction()
    def test_reissue_replaces_attachments(self):
        "A job without act gets only its sheet; issuing again replaces it"
        pool = Pool()
        Sheet = pool.get('mrk.field_job.sheet', type='report')
        s = setup_jobs()
        job = make_job(s, 'painting', description='Покрасить корпус')
        job, = issue(s, [job])
        files = attachments(job)
        self.assertEqual(list(files), ['Заявка %s.pdf' % job.number])
        first = Pool().get('ir.attachment').search(
            [('resource', '=', str(job))])
        Sheet.attach([job])
        files = attachments(job)
        self.assertEqual(list(files), ['Заявка %s.pdf' % job.number])
        self.assertNotEqual(Pool().get('ir.attachment').search(
                [('resource', '=', str(job))]), first)
        self.assertIn('Покрасить корпус', pdf_text(
                files['Заявка %s.pdf' % job.number]))

    @with_transaction()
    def test_handover_act_from_job(self):
        "The act printed from a replacement holds its two acts"
        pool = Pool()
        Act = pool.get('mrk.field_job.handover_act', type='report')
        FieldJob = pool.get('mrk.field_job')
        s = setup_jobs()
        job = make_job(s, 'replacement', [s.old], [s.new])
        FieldJob.write([job], {'number': 'Р-2026-0042'})
        oext, content, _, name = Act.execute([job.id], {})
        self.assertEqual(oext, 'pdf')
        content = bytes(content)
        self.assertTrue(content.startswith(b'%PDF'))
        self.assertEqual(pdf_pages(content), 2)
        text = pdf_text(content)
        self.assertEqual(text.count(
                'АКТ ПРИЁМА-ПЕРЕДАЧИ ТЕРМИНАЛА № Р-2026-0042'), 2)
        self.assertLess(text.index('(снятие терминала с точки)'),
            text.index('(установка терминала на точке)'))
        for phrase in ['SN-2001', 'SN-2002', 'Магазин на Мира',
                'Москва, ул. Мира, д. 17', 'Общество с ограниченной '
                'ответственностью «Ромашка»', 'Сидоров Семён']:
            self.assertIn(phrase, text)

        repair = make_job(s, 'repair', [s.old])
        with self.assertRaisesRegex(UserError, 'handover act'):
            Act.execute([repair.id], {})

    @with_transaction()
    def test_journal_pdf_and_xlsx(self):
        "The journal lists the selected jobs by number with their result"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        Journal = pool.get('mrk.field_job.journal', type='report')
        JournalXLSX = pool.get('mrk.field_job.journal.xlsx', type='report')
        s = setup_jobs()
        done = make_job(s, 'install', [s.new])
        failed = make_job(s, 'removal', [s.old], date=D(2026, 3, 3))
        draft = make_job(s, 'repair', [s.old], planned_date=None,
            time_from=None, time_to=None, technician=None)
        FieldJob.write([done], {
                'number': 'Р-2026-0002', 'state': 'done',
                'done_date': D(2026, 3, 5),
                'report': 'Установлен, проверен платёж',
                })
        FieldJob.write([failed], {
                'number': 'Р-2026-0001', 'state': 'failed',
                'report': 'Точка закрыта на учёт',
                })
        jobs = [done, draft, failed]

        oext, content, _, name = Journal.execute(
            [j.id for j in jobs], {})
        self.assertEqual(oext, 'pdf')
        content = bytes(content)
        self.assertTrue(content.startswith(b'%PDF'))
        text = pdf_text(content)
        for phrase in [
                'ЖУРНАЛ РЕГИСТРАЦИИ ЗАЯВОК НА ПРОВЕДЕНИЕ РАБОТ',
                'Всего заявок: 3', 'Р-2026-0001', 'Р-2026-0002',
                'Установка', 'Снятие', 'Ремонт', 'ООО «Ромашка»',
                'Магазин на Мира', 'Москва, ул. Мира, д. 17', '05.03.2026',
                'с 10:00 до 12:00', 'Сидоров Семён', 'Выполнена',
                'Установлен, проверен платёж', 'Не выполнена',
                'Точка закрыта на учёт', 'дата открыта', 'На подписи']:
            self.assertIn(phrase, text)
        self.assertLess(text.index('Р-2026-0001'), text.index('Р-2026-0002'))
        self.assertLess(text.index('Р-2026-0002'), text.index('Ремонт'))

        oext, content, direct_print, name = JournalXLSX.execute(
            [j.id for j in jobs], {})
        self.assertEqual(oext, 'xlsx')
        self.assertFalse(direct_print)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        sheet = workbook.active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0][0],
            'Журнал регистрации заявок на проведение работ')
        self.assertEqual(rows[1], XLSX_HEADER)
        self.assertTrue(all(c.font.b for c in sheet[2]))
        self.assertEqual(sheet.freeze_panes, 'A3')
        self.assertEqual(sheet.auto_filter.ref, 'A2:M5')
        self.assertEqual(len(rows), 5)
        self.assertEqual([r[0] for r in rows[2:]],
            ['Р-2026-0001', 'Р-2026-0002', None])
        first, second, third = rows[2:]
        self.assertEqual(first[1], datetime.datetime(2026, 3, 3))
        self.assertEqual(first[2], 'Снятие')
        self.assertEqual(first[10], 'Не выполнена')
        self.assertEqual(first[11], 'Точка закрыта на учёт')
        self.assertEqual(second[6], datetime.datetime(2026, 3, 5))
        self.assertEqual(second[7], 'с 10:00 до 12:00')
        self.assertEqual(second[8], 'Сидоров Семён')
        self.assertEqual(second[9], datetime.datetime(2026, 3, 5))
        self.assertEqual(second[10], 'Выполнена')
        self.assertEqual(second[12], 'Выполнена')
        self.assertEqual(third[2], 'Ремонт')
        self.assertIsNone(third[6])
        self.assertEqual(third[12], 'На подписи')
