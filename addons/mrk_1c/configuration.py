"""Settings of the exchange with 1C (4.1-4.4): only the administrator of the
commercial service reads and edits them (ir.model.access), and the
password is read by nobody else (ir.model.field.access) nor logged."""
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pyson import Eval

from .client import Client


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "1C exchange settings"
    __name__ = 'mrk.onec.configuration'
    __string__ = "1C Exchange Settings"

    enabled = fields.Boolean("Exchange Enabled",
        help="When off, changes are still queued but nothing is sent "
        "nor received.")
    url = fields.Char("Web Service URL",
        states={'required': Eval('enabled', False)},
        help="The address of RentExchange.1cws on the 1C server, e.g. "
        "http://srv-1c.local/base/ws/RentExchange.1cws; the address "
        "written inside 1C's WSDL is never used.")
    soap_version = fields.Selection([
            ('1.1', "SOAP 1.1"),
            ('1.2', "SOAP 1.2"),
            ], "SOAP Version", required=True)
    login = fields.Char("Login")
    password = fields.Char("Password", strip=False)
    timeout = fields.Integer("Time-out (s)", required=True,
        domain=[('timeout', '>', 0), ('timeout', '<=', 600)],
        help="How long a call may wait for 1C's answer.")
    connect_timeout = fields.Integer("Connect Time-out (s)", required=True,
        domain=[('connect_timeout', '>', 0),
            ('connect_timeout', '<=', 120)])
    batch_size = fields.Integer("Batch Size", required=True,
        domain=[('batch_size', '>', 0), ('batch_size', '<=', 5000)],
        help="Counterparties sent in one call of UpsertCounterparties.")
    changes_until = fields.Timestamp("Payments Received Until",
        readonly=True,
        help="The Until of 1C's last answer to GetChanges: the Since "
        "of the next call.")

    @classmethod
    def default_enabled(cls):
        return False

    @classmethod
    def default_soap_version(cls):
        return '1.2'

    @classmethod
    def default_timeout(cls):
        return 30

    @classmethod
    def default_connect_timeout(cls):
        return 5

    @classmethod
    def default_batch_size(cls):
        return 200

    def get_client(self):
        "The RentExchange client of these settings"
        return Client.get(self.url, self.login or '', self.password or '',
            soap_version=self.soap_version, timeout=self.timeout,
            connect_timeout=self.connect_timeout)

    @classmethod
    def get_settings(cls):
        return cls(1)
