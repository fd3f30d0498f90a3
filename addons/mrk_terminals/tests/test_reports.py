"""The handover act of terminals (seed 2.6), printed from placements in
its two variants, installation and removal, rendered to PDF through
LibreOffice and read back with pdftotext (poppler-utils)."""
import datetime
import shutil
from decimal import Decimal

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.mrk_base.tests.tools import pdf_pages, pdf_text
from trytond.modules.mrk_contracts.tests.test_contract import make_party
from trytond.modules.mrk_terminals.tests.test_module import (
    make_point, make_terminals)
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

D = datetime.date


def action_id(fs_id):
    return Pool().get('ir.model.data').get_id('mrk_terminals', fs_id)


def setup_placements():
    """ООО «МРК» with a signatory, ООО «Ромашка» with an active contract
    and a point where two terminals were installed on 10 January and
    removed on 1 March, and a third one still stands there."""
    pool = Pool()
    Party = pool.get('party.party')
    Contract = pool.get('mrk.contract')
    Placement = pool.get('mrk.terminal.placement')
    Point = pool.get('mrk.point')

    company = create_company('ООО «МРК»')
    Party.write([company.party], {
            'mrk_contacts': [('create', [{
                            'role': 'signatory',
                            'name': 'Петров Пётр Петрович',
                            'position': 'Генеральный директор',
                            'basis': 'Устава',
                            }])],
            })
    party = make_party('ООО «Ромашка»', legal_name='Общество с '
        'ограниченной ответственностью «Ромашка»')
    with set_company(company):
        contract = Contract(company=company, currency=company.currency,
            party=party, date=D(2025, 12, 20), start_date=D(2026, 1, 1),
            end_date=D(2026, 12, 31), rent_amount=Decimal('5000.00'))
        contract.save()
    point = make_point(party, opening_hours='пн–пт 9:00–21:00')
    Point.write([point], {'contract': contract.id})
    first, second, third = make_terminals(
        'SN-1001', 'SN-1002', 'SN-1003')
    placements = Placement.install(
        [first, second], point, D(2026, 1, 10), contract=contract)
    Placement.remove([first, second], point, D(2026, 3, 1))
    staying, = Placement.install([third], point, D(2026, 3, 1))
    return company, party, contract, point, placements, staying


class HandoverActTestCase(DatabaseTestCase):
    "Handover act of terminals printed from placements"
    modules = ['mrk_terminals']

    @with_transaction()
    def test_acts_pdf(self):
        "The installation and removal acts print the terminals and sides"
        pool = Pool()
        Act = pool.get('mrk.terminal.handover_act', type='report')
        company, party, contract, point, placements, staying = (
            setup_placements())
        self.assertTrue(shutil.which('pdftotext'),
            msg="pdftotext (Debian's poppler-utils) is missing")
        for fs_id, records, phrases in [
                ('report_handover_act_install', placements + [staying], [
                        '(установка терминалов на точке)',
                        '«10» января 2026 г.', '«01» марта 2026 г.',
                        'Арендатор передал, а Арендодатель принял',
                        'Всего: 2 (два) терминала.',
                        'Всего: 1 (один) терминал.',
                        'Работы по установке Оборудования',
                        'Режим работы: пн–пт 9:00–21:00']),
                ('report_handover_act_removal', placements, [
                        '(снятие терминалов с точки)',
                        '«01» марта 2026 г.',
                        'Арендодатель передал (возвратил), а Арендатор '
                        'принял',
                        'Всего: 2 (два) терминала.',
                        'не имеют друг к другу претензий']),
                ]:
            with self.subTest(action=fs_id):
                with set_company(company):
                    oext, content, _, name = Act.execute(
                        [p.id for p in records],
                        {'action_id': action_id(fs_id)})
                self.assertEqual(oext, 'pdf',
                    msg="LibreOffice did not convert the act to PDF")
                content = bytes(content)
                self.assertTrue(content.startswith(b'%PDF'))
                text = pdf_text(content)
                for phrase in [
                        'АКТ ПРИЁМА-ПЕРЕДАЧИ ТЕРМИНАЛОВ',
                        'SN-1001', 'SN-1002', 'ИН-1001', 'PAX S920',
                        'Магазин на Мира', 'Москва, ул. Мира, д. 17',
                        'ООО «Ромашка»', 'ООО «МРК»',
                        'Общество с ограниченной ответственностью '
                        '«Ромашка»',
                        'договор', contract.number,
                        'в рабочем (исправном) состоянии, в полной '
                        'комплектации, без видимых повреждений',
                        'Передал:', 'Принял:', 'Иванов И. И.',
                        'Петров П. П.'] + phrases:
                    self.assertIn(phrase, text)
                self.assertNotRegex(text, r'doc\.\w|relatorio')
                if fs_id.endswith('install'):
                    # Two acts: the one of 10 January, then the one of
                    # 1 March on its own page
                    self.assertIn('SN-1003', text)
                    self.assertLess(text.index('SN-1001'),
                        text.index('SN-1003'))
                    self.assertEqual(text.count('АКТ ПРИЁМА-ПЕРЕДАЧИ'), 2)
                    self.assertEqual(pdf_pages(content), 2)
                else:
                    self.assertNotIn('SN-1003', text)
                    self.assertEqual(pdf_pages(content), 1)

    @with_transaction()
    def test_removal_act_of_standing_terminal(self):
        "A terminal that still stands has no removal act"
        pool = Pool()
        Act = pool.get('mrk.terminal.handover_act', type='report')
        company, party, contract, point, placements, staying = (
            setup_placements())
        with self.assertRaisesRegex(UserError, 'SN-1003'):
            Act.execute([staying.id],
                {'action_id': action_id('report_handover_act_removal')})

    @with_transaction()
    def test_document_from_plain_values(self):
        "The data builder takes plain values and leaves blanks to fill"
        pool = Pool()
        Act = pool.get('mrk.terminal.handover_act', type='report')
        company, party, contract, point, placements, staying = (
            setup_placements())
        terminal = staying.terminal
        with set_company(company):
            doc = Act.get_document('install', D(2026, 4, 2),
                number='Р-2026-0007', point=point, party=party,
                contract=contract, terminals=[terminal],
                technician='Сидоров Семён')
        self.assertEqual(doc.title,
            'АКТ ПРИЁМА-ПЕРЕДАЧИ ТЕРМИНАЛА № Р-2026-0007')
        self.assertEqual(doc.date_long, '«02» апреля 2026 г.')
        self.assertEqual(doc.city, 'г. Москва')
        self.assertEqual(doc.giver.short_name, 'ООО «МРК»')
        self.assertEqual(doc.receiver.short_name, 'ООО «Ромашка»')
        self.assertEqual([(t.index, t.model, t.serial_number)
                for t in doc.terminals], [('1', 'PAX S920', 'SN-1003')])
        self.assertIn('Сидоров Семён', doc.statements[2])
        self.assertTrue(doc.handover.startswith(
                '1. В соответствии с договором аренды № %s'
                % contract.number))

        doc = Act.get_document('removal', terminals=[terminal])
        self.assertEqual(doc.title, 'АКТ ПРИЁМА-ПЕРЕДАЧИ ТЕРМИНАЛА')
        self.assertEqual(doc.date_long, '«___» ____________ 20___ г.')
        self.assertEqual(doc.contract, '')
        self.assertEqual(doc.giver.role, 'Арендодатель')
