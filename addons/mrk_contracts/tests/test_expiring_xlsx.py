"""Expiring contracts in Excel (seed 1.1): the report that replaces the one
taken from 1C, opened back with openpyxl."""
import datetime
import io
from decimal import Decimal

import openpyxl

from trytond.modules.company.tests import create_company, set_company
from trytond.modules.currency.tests import add_currency_rate
from trytond.modules.mrk_contracts.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

HEADER = [
    '№ договора', 'Дата договора', 'Контрагент', 'ИНН', 'Начало',
    'Окончание', 'Дней до окончания', 'Автопролонгация',
    'Аренда в месяц, руб.', 'Менеджер', 'Состояние',
    ]


def setup_contracts():
    """Company in RUB, two counterparties with valid requisites and one
    without, a client manager and five contracts; returns them by key."""
    pool = Pool()
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    User = pool.get('res.user')
    Contract = pool.get('mrk.contract')
    Date = pool.get('ir.date')

    rub, = Currency.create([{
                'name': 'Российский рубль', 'code': 'RUB', 'symbol': '₽'}])
    add_currency_rate(rub, 1)
    company = create_company('ООО «МРК»', currency=rub)
    manager, = User.create([{
                'name': 'Смирнова Ольга', 'login': 'smirnova'}])
    alfa, beta, gamma = Party.create([{
                'name': 'ООО «Альфа»',
                'legal_form': 'ooo',
                'inn': '7707083893',
                'kpp': '773601001',
                'ogrn': '1027700132195',
                }, {
                'name': 'АО «Бета»',
                'legal_form': 'ao',
                'inn': '7702070139',
                'kpp': '784201001',
                'ogrn': '1027739609391',
                }, {
                'name': 'Магазин «Гамма»',
                }])
    today = Date.today()
    start = today - datetime.timedelta(days=300)
    days = datetime.timedelta

    def values(party, end, amount, auto=True, **extra):
        result = {
            'party': party.id,
            'date': start - days(5),
            'start_date': start,
            'end_date': today + end,
            'rent_amount': amount,
            'auto_prolongation': auto,
            'manager': manager.id,
            }
        result.update(extra)
        return result

    with set_company(company):
        contracts = Contract.create([
                values(alfa, days(100), Decimal('15000.00')),
                values(beta, days(20), Decimal('8000.50'), auto=False),
                values(gamma, days(50), Decimal('12345.67')),
                values(alfa, days(70), Decimal('1000.00')),
                values(beta, days(200), None, manager=None),
                ])
        Contract.activate(contracts[:4])
    keys = ['alfa_100', 'beta_20', 'gamma_50', 'alfa_70', 'beta_draft']
    return company, dict(zip(keys, contracts)), today


def read_xlsx(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


class ExpiringXLSXTestCase(DatabaseTestCase):
    "Expiring contracts exported to XLSX"

    @with_transaction()
    def test_selected_contracts_in_end_date_order(self):
        "The selection is exported in end-date order, typed and formatted"
        pool = Pool()
        Report = pool.get('mrk.contract.expiring_xlsx', type='report')
        Amendment = pool.get('mrk.contract.amendment')
        company, contracts, today = setup_contracts()
        # The current rent, not the contract's first one, is exported
        with set_company(company):
            price, = Amendment.create([{
                        'contract': contracts['alfa_100'].id,
                        'kind': 'price_change',
                        'effective_date': today - datetime.timedelta(days=10),
                        'new_amount': Decimal('16500.00'),
                        }])
            Amendment.confirm([price])

            selected = [contracts[k]
                for k in ['alfa_100', 'beta_draft', 'gamma_50', 'beta_20']]
            ext, content, direct_print, name = Report.execute(
                [c.id for c in selected], {})

        self.assertEqual(ext, 'xlsx')
        self.assertFalse(direct_print)
        self.assertIn(today.strftime('%d.%m.%Y'), name)
        self.assertTrue(content.startswith(b'PK'))

        sheet, rows = read_xlsx(content)
        self.assertEqual(rows[0], HEADER)
        self.assertTrue(all(c.font.b for c in sheet[1]))
        self.assertEqual(sheet.freeze_panes, 'A2')
        self.assertEqual(sheet.auto_filter.ref, 'A1:K5')
        self.assertGreater(sheet.column_dimensions['C'].width, 30)

        expected = ['beta_20', 'gamma_50', 'alfa_100', 'beta_draft']
        self.assertEqual([r[0] for r in rows[1:]],
            [contracts[k].number for k in expected])
        self.assertEqual(len(rows), 5)

        start = today - datetime.timedelta(days=300)
        beta = rows[1]
        self.assertEqual(beta[1].date(), start - datetime.timedelta(days=5))
        self.assertEqual(beta[2], 'АО «Бета»')
        self.assertEqual(beta[3], '7702070139')
        self.assertEqual(beta[4].date(), start)
        self.assertEqual(beta[5].date(), today + datetime.timedelta(days=20))
        self.assertEqual(beta[6], 20)
        self.assertEqual(beta[7], 'нет')
        self.assertEqual(beta[8], 8000.5)
        self.assertEqual(beta[9], 'Смирнова Ольга')
        self.assertEqual(beta[10], 'Действует')

        gamma = rows[2]
        self.assertEqual(gamma[2], 'Магазин «Гамма»')
        self.assertIsNone(gamma[3])
        self.assertEqual(gamma[6], 50)
        self.assertEqual(gamma[7], 'да')
        self.assertEqual(gamma[8], 12345.67)

        alfa = rows[3]
        self.assertEqual(alfa[6], 100)
        self.assertEqual(alfa[8], 16500.0)

        draft = rows[4]
        self.assertEqual(draft[5].date(),
            today + datetime.timedelta(days=200))
        self.assertIsNone(draft[6])
        self.assertIsNone(draft[8])
        self.assertIsNone(draft[9])
        self.assertEqual(draft[10], 'Черновик')

        for column in 'BEF':
            self.assertEqual(sheet['%s2' % column].number_format, 'dd.mm.yyyy')
        self.assertEqual(sheet['I2'].number_format, '#,##0.00')

    @with_transaction()
    def test_without_selection_exports_active(self):
        "Without a selection every active contract is exported"
        pool = Pool()
        Report = pool.get('mrk.contract.expiring_xlsx', type='report')
        company, contracts, today = setup_contracts()
        with set_company(company):
            _, content, _, _ = Report.execute([], {})
            # The clients send the selection in data too
            _, by_data, _, _ = Report.execute([], {
                    'model': 'mrk.contract',
                    'ids': [contracts['alfa_70'].id],
                    })
        _, rows = read_xlsx(content)
        self.assertEqual([r[0] for r in rows[1:]], [
                contracts[k].number
                for k in ['beta_20', 'gamma_50', 'alfa_70', 'alfa_100']])
        _, rows = read_xlsx(by_data)
        self.assertEqual([r[0] for r in rows[1:]],
            [contracts['alfa_70'].number])

    @with_transaction()
    def test_empty_selection_of_nothing(self):
        "With no active contract the sheet has its header only"
        pool = Pool()
        Report = pool.get('mrk.contract.expiring_xlsx', type='report')
        _, content, _, _ = Report.execute([], {})
        sheet, rows = read_xlsx(content)
        self.assertEqual(rows, [HEADER])

    @with_transaction()
    def test_in_print_menu_of_contracts(self):
        "The export is in the print menu of the contracts"
        pool = Pool()
        Keyword = pool.get('ir.action.keyword')
        ActionReport = pool.get('ir.action.report')
        ModelData = pool.get('ir.model.data')
        report = ActionReport(ModelData.get_id(
                'mrk_contracts', 'report_contract_expiring_xlsx'))
        self.assertEqual(report.report_name, 'mrk.contract.expiring_xlsx')
        self.assertEqual(report.model, 'mrk.contract')
        keywords = Keyword.search([
                ('keyword', '=', 'form_print'),
                ('model', '=', 'mrk.contract,-1'),
                ])
        self.assertIn(report.action, [k.action for k in keywords])
