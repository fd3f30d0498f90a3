"""Sane ranges at the server for field jobs (security review, items 4 and
6; 2.1 requests, 2.5 reports): dates of the year 1 or 9999, texts of a
million characters and NUL bytes are refused with an error naming the job
and the field, and the job keeps what it had."""
import datetime

from trytond.modules.mrk_base.exceptions import InputLimitError
from trytond.modules.mrk_base.tests.tools import DatabaseTestCase
from trytond.pool import Pool
from trytond.tests.test_tryton import with_transaction
from trytond.transaction import Transaction

from .tools import make_job, make_party, make_point, setup_service

NOTE = 'я' * 1_000_000


class FieldJobInputLimitsTestCase(DatabaseTestCase):
    "Input limits on field jobs"
    modules = ['mrk_field_jobs']

    @with_transaction()
    def test_field_job(self):
        "Dates and texts of a field job, over RPC as the manager"
        pool = Pool()
        FieldJob = pool.get('mrk.field_job')
        company, people = setup_service()
        party = make_party(manager=people['manager'])
        point = make_point(party)
        job = make_job(point)
        name = '%s %s' % (job.__names__()['model'], job.rec_name)
        refused = [
            ({'date': datetime.date(1, 1, 1)}, 'Request Date', '01.01.1990'),
            ({'date': datetime.date(9999, 12, 31)}, 'Request Date', '31.12.2100'),
            ({'description': NOTE}, 'Work to Do', '20 000'),
            ({'description': 'Установка\x00'}, 'Work to Do', '00'),
            ({'contact_phone': '8' * 65}, 'Contact Phone', '64'),
            ({'contact_name': NOTE}, 'On-site Contact', '1 000'),
            ]
        with Transaction().set_user(people['manager'].id), \
                Transaction().set_context(
                    _check_access=True, company=company.id):
            for values, field, limit in refused:
                with self.assertRaises(InputLimitError, msg=values) as cm:
                    FieldJob.write([job], values)
                message = cm.exception.message
                self.assertTrue(message.startswith(name + ': '), message)
                self.assertIn('"%s"' % field, message)
                self.assertIn(limit, message)
            with self.assertRaises(InputLimitError) as cm:
                FieldJob.create([{
                            'company': company.id, 'kind': 'repair',
                            'point': point.id,
                            'date': datetime.date(1, 1, 1)}])
            self.assertTrue(cm.exception.message.startswith(
                    'Field Job (new record): '), cm.exception.message)
        job = FieldJob(job.id)
        self.assertEqual(job.date, datetime.date(2026, 3, 2))
        self.assertEqual(job.description, 'Работы по заявке контрагента')
        self.assertEqual(FieldJob.search_count([]), 1)
