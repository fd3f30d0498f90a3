"Shared test helpers of mrk_monitoring"
import datetime

from trytond.modules.mrk_field_jobs.tests.tools import (
    D, Inbox, T, agree_values, free_port, make_job, make_party, make_point,
    make_terminals, make_user, setup_service, start_smtp_server)
from trytond.pool import Pool

DT = datetime.datetime

__all__ = ['D', 'DT', 'T', 'Inbox', 'agree_values', 'free_port', 'make_job',
    'make_party', 'make_point', 'make_terminals', 'make_user',
    'setup_service', 'start_smtp_server', 'install', 'setup_monitoring']


def install(terminals, point, date=D(2026, 3, 1)):
    "Place the terminals at the point"
    Placement = Pool().get('mrk.terminal.placement')
    Placement.install(terminals, point, date)


def setup_monitoring():
    """The service of mrk_field_jobs' tools, a counterparty of the first
    client manager with a point and two terminals there, a counterparty
    of the second one with one terminal"""
    company, people = setup_service()
    party = make_party('ООО «Ромашка»', manager=people['manager'])
    point = make_point(party)
    other_party = make_party('ООО «Лютик»', manager=people['manager2'])
    other_point = make_point(other_party, name='Аптека')
    t1, t2, t3 = make_terminals('SN-1001', 'SN-1002', 'SN-2001')
    install([t1, t2], point)
    install([t3], other_point)
    return {
        'company': company, 'people': people,
        'party': party, 'point': point, 'terminals': [t1, t2],
        'other_party': other_party, 'other_point': other_point,
        'other_terminal': t3,
        }
