"""Who may print what (security review, item 4): the documents and Excel
lists of the contracts, terminals and rent answer a role that may not print
them with an access error that names the document, and print for the roles
that may (8.4, 8.5, 8.8 cash documents; 5.1 rent table; 1.1 expiring
contracts; 9.2 registry)."""
import io

import openpyxl

from trytond.i18n import gettext
from trytond.modules.mrk_base.exceptions import (
    ReportAccessError, ReportRecordsError)
from trytond.modules.mrk_base.tests.report_access import (
    check_every_report, run_report)
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from . import tools
from .test_cash import MARCH, as_user, setup_cash


class MrkRentReportAccessTestCase(tools.RentTestCase):
    "Access to the reports of mrk_rent and the modules it depends on"

    def action(self, xml_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        return ActionReport(ModelData.get_id('mrk_rent', xml_id))

    def delivered_runs(self, data):
        CashRun = Pool().get('mrk.rent.cash_run')
        runs = CashRun.generate(MARCH)
        CashRun.request(runs)
        with as_user(data['people']['head']):
            CashRun.approve(runs)
        CashRun.deliver(runs)
        return runs

    @with_transaction()
    def test_every_report_every_role(self):
        "Every report as every role answers with a document or a message"
        company, people = tools.setup_rent()
        results = check_every_report(self, people, company)
        # The cash documents are refused by name to the roles without them
        for role in ['courier', 'manager', 'monitoring', 'technician']:
            self.assertEqual(
                results[role, 'mrk.rent.cash_run.permit'],
                gettext('mrk_base.msg_report_access',
                    report=self.action('report_payment_permit').name))
        # The rent table prints for the roles its action names
        for role in ['head', 'senior', 'manager', 'office', 'accountant',
                'monitoring', 'admin']:
            self.assertEqual(
                results[role, 'mrk.rent.table.xlsx'], 'printed', msg=role)
        for role in ['courier', 'technician']:
            self.assertEqual(results[role, 'mrk.rent.table.xlsx'],
                gettext('mrk_base.msg_report_access',
                    report=self.action('report_rent_table_xlsx').name))

    @with_transaction()
    def test_cash_documents_by_role(self):
        """The payment permit and the inventory of a real run: refused by
        name to the courier, the manager and monitoring; printed for the
        accountant"""
        data = setup_cash()
        north, _ = self.delivered_runs(data)
        people = data['people']
        for report, xml_id in [
                ('mrk.rent.cash_run.permit', 'report_payment_permit'),
                ('mrk.rent.cash_run.inventory', 'report_cash_inventory')]:
            name = self.action(xml_id).name
            for role in ['courier', 'manager', 'monitoring']:
                for action in [{}, {'action_id': self.action(xml_id).id}]:
                    with self.assertRaises(ReportAccessError) as cm:
                        run_report(people[role], report, [north.id], action,
                            data['company'])
                    self.assertEqual(cm.exception.message, gettext(
                            'mrk_base.msg_report_access', report=name))
        oext, content, _, _ = run_report(people['accountant'],
            'mrk.rent.cash_run.permit', [north.id], {}, data['company'])
        self.assertEqual(oext, 'pdf')
        self.assertTrue(content.startswith(b'%PDF'))

    @with_transaction()
    def test_excel_lists_by_role(self):
        """The rent table of a courier or a technician is refused by name;
        the client manager gets it with the routes of the points, though
        he cannot read the routes themselves"""
        data = setup_cash()
        people = data['people']
        name = self.action('report_rent_table_xlsx').name
        for role in ['courier', 'technician']:
            with self.assertRaises(ReportAccessError) as cm:
                run_report(people[role], 'mrk.rent.table.xlsx', [], {},
                    data['company'])
            self.assertEqual(cm.exception.message,
                gettext('mrk_base.msg_report_access', report=name))
        for role in ['manager', 'monitoring']:
            oext, content, _, _ = run_report(people[role],
                'mrk.rent.table.xlsx', [data['contract2'].id], {},
                data['company'])
            self.assertEqual(oext, 'xlsx')
            rows = list(openpyxl.load_workbook(io.BytesIO(content))
                .active.iter_rows(values_only=True))
            self.assertIn('Север', rows[1], msg=role)
        for role in ['courier', 'technician']:
            for report in ['mrk.contract.expiring_xlsx',
                    'mrk.rent.registry.xlsx']:
                with self.assertRaises(ReportAccessError):
                    run_report(people[role], report, [], {},
                        data['company'])

    @with_transaction()
    def test_records_checked(self):
        """The accountant's permit for a run that does not exist, or for
        ids that are not ids, is refused by name; a document needs
        records"""
        data = setup_cash()
        north, _ = self.delivered_runs(data)
        people = data['people']
        name = self.action('report_payment_permit').name
        for ids in [[10 ** 9], [north.id, 10 ** 9], ['x']]:
            with self.assertRaises(ReportAccessError) as cm:
                run_report(people['accountant'], 'mrk.rent.cash_run.permit',
                    ids, {}, data['company'])
            self.assertIn(name, cm.exception.message)
        with self.assertRaises(ReportRecordsError) as cm:
            run_report(people['accountant'], 'mrk.rent.cash_run.permit',
                [], {}, data['company'])
        self.assertEqual(cm.exception.message,
            gettext('mrk_base.msg_report_no_records', report=name))
