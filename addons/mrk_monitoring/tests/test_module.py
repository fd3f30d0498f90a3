"""Terminal downtime (7.1–7.4): the point work journal entered by hand and
by the monitoring feed, calls, escalation, repair and access per role."""
from trytond.exceptions import UserError
from trytond.model.exceptions import AccessButtonError, AccessError
from trytond.modules.mrk_base.exceptions import WorkflowAccessError
from trytond.modules.mrk_base.tests.tools import as_user
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction

from .tools import DT, setup_monitoring, start_smtp_server


def open_activities(record, code=None):
    Activity = Pool().get('mrk.activity')
    return Activity.open_for([record], [code] if code else None)


class MrkMonitoringTestCase(ModuleTestCase):
    "Test mrk_monitoring module"
    module = 'mrk_monitoring'

    def setUp(self):
        super().setUp()
        self.inbox = start_smtp_server(self)

    @with_transaction()
    def test_manual_entry_by_serial(self):
        """The monitoring operator enters a downtime by the terminal's
        serial: the point, the counterparty and the contract come from the
        placement (7.1); a second open downtime of the terminal is refused"""
        pool = Pool()
        Downtime = pool.get('mrk.monitoring.downtime')
        Terminal = pool.get('mrk.terminal')
        w = setup_monitoring()
        people = w['people']
        with as_user(people['monitoring']):
            terminal, = Terminal.search([('rec_name', 'ilike', '%1002%')])
            downtime, = Downtime.create([{
                        'company': w['company'].id,
                        'terminal': terminal.id,
                        'since': DT(2026, 3, 10, 8, 0),
                        }])
            self.assertEqual(downtime.point, w['point'])
            self.assertEqual(downtime.party, w['party'])
            self.assertEqual(downtime.source, 'operator')
            self.assertEqual(downtime.state, 'open')
            with self.assertRaises(UserError) as cm:
                Downtime.create([{
                            'company': w['company'].id,
                            'terminal': terminal.id,
                            'since': DT(2026, 3, 10, 9, 0),
                            }])
            self.assertIn('SN-1002', cm.exception.message)
            # The source is the workflow's: a user does not forge "feed"
            with self.assertRaises(WorkflowAccessError):
                Downtime.create([{
                            'company': w['company'].id,
                            'terminal': w['terminals'][0].id,
                            'since': DT(2026, 3, 10, 9, 0),
                            'source': 'feed',
                            }])
            with self.assertRaises(WorkflowAccessError):
                Downtime.write([downtime], {'state': 'closed'})
            Downtime.close([downtime])
        self.assertEqual(downtime.state, 'closed')
        self.assertEqual(downtime.closed_by, people['monitoring'])
        self.assertIsNotNone(downtime.until)


del ModuleTestCase
