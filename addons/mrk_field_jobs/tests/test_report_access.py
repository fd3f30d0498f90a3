"""Who may print the field jobs' documents and journal (security review,
item 4; 2.3 journal, 2.5 job sheet): every report of mrk_field_jobs and of
the modules it depends on, run by every role over RPC, answers with the
document or with an access error that names it."""
import io

import openpyxl

from trytond.i18n import gettext
from trytond.modules.mrk_base.exceptions import ReportAccessError
from trytond.modules.mrk_base.tests.report_access import (
    check_every_report, run_report)
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction

from .tools import setup_service


class FieldJobReportAccessTestCase(DatabaseTestCase):
    "Access to the reports of mrk_field_jobs"
    modules = ['mrk_field_jobs']

    @with_transaction()
    def test_every_report_every_role(self):
        "Every report as every role answers with a document or a message"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActionReport = pool.get('ir.action.report')
        company, people = setup_service()
        results = check_every_report(self, people, company)
        journal = ActionReport(ModelData.get_id(
                'mrk_field_jobs', 'report_journal_xlsx'))
        for role, user in people.items():
            result = results[role, 'mrk.field_job.journal.xlsx']
            if result == 'printed':
                oext, content, _, _ = run_report(user,
                    'mrk.field_job.journal.xlsx', [], {}, company)
                self.assertEqual(oext, 'xlsx')
                self.assertTrue(openpyxl.load_workbook(io.BytesIO(content)))
            else:
                with self.assertRaises(ReportAccessError, msg=role):
                    run_report(user, 'mrk.field_job.journal.xlsx', [], {},
                        company)
                self.assertIn(journal.name, result)
        self.assertEqual(results['courier', 'mrk.contract.expiring_xlsx'],
            gettext('mrk_base.msg_report_model_access',
                report=ActionReport(ModelData.get_id(
                        'mrk_contracts',
                        'report_contract_expiring_xlsx')).name,
                model=pool.get('mrk.contract').__names__()['model']))
