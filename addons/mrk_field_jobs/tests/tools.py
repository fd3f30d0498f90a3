"Shared test helpers of mrk_field_jobs"
import datetime

from trytond.modules.company.tests import create_company
from trytond.modules.mrk_base.tests.tools import (
    Inbox, free_port, start_smtp_server)
from trytond.modules.mrk_contracts.tests.test_contract import (
    make_party, make_user)
from trytond.modules.mrk_terminals.tests.test_module import (
    make_point, make_terminals)
from trytond.pool import Pool

D = datetime.date
T = datetime.time
ROLES = ['head', 'senior', 'manager', 'office', 'technician', 'courier',
    'accountant', 'monitoring', 'admin']
CASH_COLLECTION = 'inkasso@service.test'
TECHNICAL_SERVICE = 'tech@service.test'

__all__ = ['D', 'T', 'make_party', 'make_point', 'make_terminals',
    'make_user', 'setup_service', 'make_job', 'agree_values', 'Inbox',
    'free_port', 'start_smtp_server']


def setup_service():
    """A company with one user per role (and a second technician and
    manager), the service e-mails configured; returns company and users."""
    pool = Pool()
    Function = pool.get('mrk.function')
    Configuration = pool.get('mrk.configuration')
    company = create_company()
    people = {r: make_user('mrk' + r if r == 'admin' else r, r, company)
        for r in ROLES}
    people['technician2'] = make_user('technician2', 'technician', company)
    people['manager2'] = make_user('manager2', 'manager', company)
    Function.write(Function.search([]), {'owner': people['senior'].id})
    config = Configuration(1)
    config.head = people['head']
    config.cash_collection_email = CASH_COLLECTION
    config.technical_service_email = TECHNICAL_SERVICE
    config.save()
    return company, people


def make_job(point, kind='install', terminals=(), **values):
    pool = Pool()
    FieldJob = pool.get('mrk.field_job')
    Company = pool.get('company.company')
    company, = Company.search([], limit=1)
    job, = FieldJob.create([dict({
                'company': company.id,
                'kind': kind,
                'point': point.id,
                'date': D(2026, 3, 2),
                'terminals': [('add', [t.id for t in terminals])],
                'description': 'Работы по заявке контрагента',
                }, **values)])
    return job


def agree_values(date=D(2026, 3, 10), technician=None):
    values = {
        'planned_date': date,
        'time_from': T(10, 0),
        'time_to': T(12, 0),
        }
    if technician:
        values['technician'] = technician.id
    return values
