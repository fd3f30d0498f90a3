"""The SOAP client of 1C's RentExchange web service (4.1–4.4).

The WSDL is the file shipped beside this module, never the one 1C serves:
its ``soap:address`` is whatever 1C believes its own host name is, so the
service is bound to the URL of the settings. Logins and passwords may be
Cyrillic and are sent as UTF-8 (requests encodes str in Latin-1, so bytes
are given). A connect and an operation time-out keep a hung 1C from hanging
the sender.

No Tryton here: the sender (message.py) and the benchmark use it alike.
"""
import os
import threading
from decimal import Decimal

import requests
from requests.auth import HTTPBasicAuth
from zeep import Client as ZeepClient
from zeep import Settings
from zeep.exceptions import Fault, TransportError
from zeep.transports import Transport

WSDL = os.path.join(os.path.dirname(__file__), 'RentExchange.wsdl')
NS = 'http://www.example.org/rent-exchange'
BINDINGS = {
    '1.1': '{%s}RentExchangeSoapBinding' % NS,
    '1.2': '{%s}RentExchangeSoap12Binding' % NS,
    }
# The fault texts of 1C that a later call cures
TRANSIENT_FAULTS = ('конфликт блокировок', 'lock conflict', 'блокировк')
# The fault texts of a reference 1C does not know
UNKNOWN_FAULTS = ('не найден',)

_clients = {}
_lock = threading.Lock()


class ExchangeError(Exception):
    """A call that did not reach 1C or that 1C refused as a whole.

    kind: 'transient' (time-out, refused, HTTP 5xx, lock conflict: retry
    later), 'unknown' (a reference 1C does not know: send the parent
    first) or 'fault' (any other SOAP fault: retry later too, 1C's text is
    kept)."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind
        self.message = message


def classify_fault(text):
    lower = (text or '').lower()
    if any(t in lower for t in UNKNOWN_FAULTS):
        return 'unknown'
    if any(t in lower for t in TRANSIENT_FAULTS):
        return 'transient'
    return 'fault'


class _Transport(Transport):
    """zeep's transport refusing an answer that is not SOAP (a 401 of a
    wrong login, a proxy's 502 page) before zeep tries to parse it"""

    def post(self, address, message, headers):
        response = super().post(address, message, headers)
        content_type = response.headers.get('Content-Type', '')
        if response.status_code != 200 and 'xml' not in content_type:
            raise TransportError(
                'HTTP %s' % response.status_code,
                status_code=response.status_code, content=response.content)
        return response


class Client:
    "A RentExchange service bound to url with the given login"

    def __init__(self, url, login, password, soap_version='1.2',
            timeout=30, connect_timeout=5):
        session = requests.Session()
        session.auth = HTTPBasicAuth(
            (login or '').encode('utf-8'), (password or '').encode('utf-8'))
        # The WSDL is read from the module's file: no call to 1C for it
        transport = _Transport(session=session,
            timeout=timeout, operation_timeout=(connect_timeout, timeout))
        self._zeep = ZeepClient(WSDL, transport=transport,
            settings=Settings(strict=False, xml_huge_tree=True))
        self.service = self._zeep.create_service(
            BINDINGS[soap_version], url)
        self.session = session

    @classmethod
    def get(cls, url, login, password, soap_version='1.2', timeout=30,
            connect_timeout=5):
        "A cached client (parsing the WSDL takes a while)"
        key = (url, login, password, soap_version, timeout, connect_timeout)
        with _lock:
            client = _clients.get(key)
            if client is None:
                if len(_clients) > 16:
                    _clients.clear()
                client = _clients[key] = cls(*key)
        return client

    def _call(self, operation, *args, **kwargs):
        try:
            return getattr(self.service, operation)(*args, **kwargs)
        except Fault as fault:
            raise ExchangeError(
                classify_fault(fault.message), fault.message) from fault
        except TransportError as error:
            raise ExchangeError('transient',
                'HTTP %s' % error.status_code) from error
        except requests.Timeout as error:
            raise ExchangeError('transient', 'timeout: %s' % error) from error
        except requests.ConnectionError as error:
            raise ExchangeError(
                'transient', 'connection: %s' % error) from error

    @staticmethod
    def _result(result):
        return {
            'ExternalId': result.ExternalId,
            'Ref': result.Ref,
            'Status': result.Status,
            'Message': result.Message,
            }

    def upsert_counterparty(self, counterparty):
        return self._result(
            self._call('UpsertCounterparty', Counterparty=counterparty))

    def upsert_counterparties(self, counterparties):
        result = self._call('UpsertCounterparties',
            Items={'Item': list(counterparties)})
        # zeep answers a list for a sequence of one repeated element
        items = result if isinstance(result, list) else (result.Item or [])
        return [self._result(r) for r in items]

    def upsert_contract(self, contract):
        return self._result(self._call('UpsertContract', Contract=contract))

    def upsert_terminal(self, terminal):
        return self._result(self._call('UpsertTerminal', Terminal=terminal))

    def attach_file(self, owner_ref, file_name, mime_type, data):
        return self._result(self._call('AttachFile', OwnerRef=owner_ref,
                FileName=file_name, MimeType=mime_type, Data=data))

    def get_changes(self, since):
        "Return (until, [payment dicts]) registered by 1C since since"
        result = self._call('GetChanges', Since=since)
        items = []
        for item in result.Item or []:
            items.append({
                    'ContractRef': item.ContractRef,
                    'DocumentRef': item.DocumentRef,
                    'Date': item.Date,
                    'Amount': Decimal(item.Amount),
                    'Status': item.Status,
                    })
        return result.Until, items
