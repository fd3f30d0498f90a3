"""A fake 1C RentExchange service for the tests and the benchmark.

A WSGI application on loopback answering the operations of the module's
RentExchange.wsdl in SOAP 1.1 and 1.2, as 1C's administrators describe it
(the behaviour documented in docs/1c.md and the module README): HTTP Basic
authentication with a UTF-8 (Cyrillic) login, upserts kept by ExternalId
(same Ref the second time, status Updated), INN checked (item-level Error), an unknown
CounterpartyRef or ContractRef or OwnerRef refused with a fault, files
kept with their bytes, payments returned by GetChanges.

It can be told to fail: ``stop()`` (connection refused until ``start()``),
``lock_every = n`` (every n-th call answers the fault «Конфликт блокировок
при выполнении транзакции»), ``hang = seconds`` (every call waits that long
before answering).
"""
import base64
import collections
import datetime
import hashlib
import socket
import socketserver
import threading
import time
import uuid
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

from lxml import etree
from stdnum.ru import inn as stdnum_inn

NS = 'http://www.example.org/rent-exchange'
SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12 = 'http://www.w3.org/2003/05/soap-envelope'
LOCK_FAULT = 'Конфликт блокировок при выполнении транзакции'


def q(name):
    return '{%s}%s' % (NS, name)


def _children(element):
    "The element's children as {local name: text or element}"
    values = {}
    for child in element:
        name = etree.QName(child).localname
        nil = child.get('{http://www.w3.org/2001/XMLSchema-instance}nil')
        if len(child):
            values[name] = child
        elif nil in {'true', '1'}:
            values[name] = None
        else:
            values[name] = child.text or ''
    return values


class SoapFault(Exception):
    pass


class _Handler(WSGIRequestHandler):
    def setup(self):
        super().setup()
        # wsgiref writes the headers and the body apart: without this the
        # client's delayed ACK holds every answer 40 ms
        self.connection.setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass


class _Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


class Fake1C:
    def __init__(self, login='Обмен', password='Пароль1', port=0):
        self.login = login
        self.password = password
        self.port = port
        self.lock = threading.RLock()
        self.counterparties = {}   # ExternalId -> dict (with Ref)
        self.contracts = {}
        self.terminals = {}
        self.files = []            # dicts: OwnerRef, FileName, size, sha256
        self.payments = []         # dicts: ContractRef, DocumentRef, Date…
        self.calls = []            # (operation, number of items)
        # How many times each ExternalId was received in an upsert
        self.upserts = collections.Counter()
        self.versions = []         # SOAP versions of the calls
        self.lock_every = 0
        self.hang = 0
        self.unauthorized = 0
        self._count = 0
        self._server = None
        self._thread = None

    # -- life ---------------------------------------------------------------

    def start(self):
        self._server = _Server(('127.0.0.1', self.port), _Handler)
        self._server.set_app(self.app)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        "1C down: connections are refused until start()"
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self):
        return 'http://127.0.0.1:%s/base/ws/RentExchange.1cws' % self.port

    @property
    def requests(self):
        "The number of SOAP calls received (refused ones included)"
        return self._count

    @property
    def refs(self):
        "Every Ref of every kind"
        refs = {}
        for store in [self.counterparties, self.contracts, self.terminals]:
            for value in store.values():
                refs[value['Ref']] = value
        return refs

    def add_payment(self, contract_ref, document_ref, amount, date=None,
            status='Оплачен'):
        with self.lock:
            self.payments.append({
                    'ContractRef': contract_ref,
                    'DocumentRef': document_ref,
                    'Date': date or datetime.datetime(2026, 12, 1, 10, 0),
                    'Amount': amount,
                    'Status': status,
                    'Registered': datetime.datetime.now().replace(
                        microsecond=0),
                    })

    # -- WSGI ---------------------------------------------------------------

    def _authorized(self, environ):
        header = environ.get('HTTP_AUTHORIZATION', '')
        if not header.startswith('Basic '):
            return False
        try:
            decoded = base64.b64decode(header[6:]).decode('utf-8')
        except (ValueError, UnicodeDecodeError):
            return False
        return decoded == '%s:%s' % (self.login, self.password)

    def app(self, environ, start_response):
        if not self._authorized(environ):
            with self.lock:
                self.unauthorized += 1
            start_response('401 Unauthorized', [
                    ('WWW-Authenticate', 'Basic realm="1C"'),
                    ('Content-Type', 'text/plain')])
            return [b'Unauthorized']
        length = int(environ.get('CONTENT_LENGTH') or 0)
        body = environ['wsgi.input'].read(length)
        if self.hang:
            time.sleep(self.hang)
        envelope = etree.fromstring(body)
        soap = etree.QName(envelope).namespace
        if soap not in {SOAP11, SOAP12}:
            start_response('400 Bad Request', [])
            return [b'']
        request = envelope.find('{%s}Body' % soap)[0]
        operation = etree.QName(request).localname
        with self.lock:
            self._count += 1
            count = self._count
            self.versions.append('1.1' if soap == SOAP11 else '1.2')
        try:
            if self.lock_every and count % self.lock_every == 0:
                raise SoapFault(LOCK_FAULT)
            with self.lock:
                response = getattr(self, 'op_' + operation)(request)
        except SoapFault as fault:
            return self._reply(start_response, soap,
                self._fault(soap, str(fault)), '500 Internal Server Error')
        return self._reply(start_response, soap, response, '200 OK')

    def _reply(self, start_response, soap, body, status):
        envelope = etree.Element('{%s}Envelope' % soap,
            nsmap={'soap': soap, 'm': NS})
        etree.SubElement(envelope, '{%s}Body' % soap).append(body)
        content = etree.tostring(
            envelope, xml_declaration=True, encoding='UTF-8')
        content_type = ('text/xml; charset=utf-8' if soap == SOAP11
            else 'application/soap+xml; charset=utf-8')
        start_response(status, [('Content-Type', content_type),
                ('Content-Length', str(len(content)))])
        return [content]

    def _fault(self, soap, text):
        fault = etree.Element('{%s}Fault' % soap)
        if soap == SOAP11:
            etree.SubElement(fault, 'faultcode').text = 'soap:Server'
            etree.SubElement(fault, 'faultstring').text = text
        else:
            code = etree.SubElement(fault, '{%s}Code' % soap)
            etree.SubElement(code, '{%s}Value' % soap).text = 'soap:Receiver'
            reason = etree.SubElement(fault, '{%s}Reason' % soap)
            text_ = etree.SubElement(reason, '{%s}Text' % soap)
            text_.set('{http://www.w3.org/XML/1998/namespace}lang', 'ru')
            text_.text = text
        return fault

    @staticmethod
    def _result(parent, external_id, ref, status, message=None):
        result = etree.SubElement(parent, q('return') if parent.tag.endswith(
                'Response') else q('Item'))
        if external_id is not None:
            etree.SubElement(result, q('ExternalId')).text = external_id
        ref_ = etree.SubElement(result, q('Ref'))
        if ref is None:
            ref_.set('{http://www.w3.org/2001/XMLSchema-instance}nil', 'true')
        else:
            ref_.text = ref
        etree.SubElement(result, q('Status')).text = status
        if message:
            etree.SubElement(result, q('Message')).text = message
        return result

    # -- operations ---------------------------------------------------------

    def _upsert(self, store, values):
        external_id = values['ExternalId']
        self.upserts[external_id] += 1
        old = store.get(external_id)
        values = dict(values)
        if old:
            values['Ref'] = old['Ref']
            store[external_id] = values
            return values['Ref'], 'Updated'
        values['Ref'] = str(uuid.uuid4())
        store[external_id] = values
        return values['Ref'], 'Created'

    def _counterparty(self, element):
        values = _children(element)
        bank = values.pop('BankAccount', None)
        if bank is not None:
            values['BankAccount'] = _children(bank)
        values.pop('Ref', None)
        inn = values.get('INN') or ''
        if not stdnum_inn.is_valid(inn):
            return values['ExternalId'], None, 'Error', (
                'Некорректный ИНН %s' % inn)
        ref, status = self._upsert(self.counterparties, values)
        return values['ExternalId'], ref, status, None

    def op_UpsertCounterparty(self, request):
        self.calls.append(('UpsertCounterparty', 1))
        response = etree.Element(q('UpsertCounterpartyResponse'))
        self._result(response, *self._counterparty(
                request.find(q('Counterparty'))))
        return response

    def op_UpsertCounterparties(self, request):
        items = request.find(q('Items')).findall(q('Item'))
        self.calls.append(('UpsertCounterparties', len(items)))
        response = etree.Element(q('UpsertCounterpartiesResponse'))
        result = etree.SubElement(response, q('return'))
        for item in items:
            self._result(result, *self._counterparty(item))
        return response

    def op_UpsertContract(self, request):
        self.calls.append(('UpsertContract', 1))
        values = _children(request.find(q('Contract')))
        ref = values.get('CounterpartyRef')
        if ref not in {c['Ref'] for c in self.counterparties.values()}:
            raise SoapFault('Контрагент %s не найден' % ref)
        ref, status = self._upsert(self.contracts, values)
        response = etree.Element(q('UpsertContractResponse'))
        self._result(response, values['ExternalId'], ref, status)
        return response

    def op_UpsertTerminal(self, request):
        self.calls.append(('UpsertTerminal', 1))
        values = _children(request.find(q('Terminal')))
        ref = values.get('ContractRef')
        if ref and ref not in {c['Ref'] for c in self.contracts.values()}:
            raise SoapFault('Договор %s не найден' % ref)
        ref, status = self._upsert(self.terminals, values)
        response = etree.Element(q('UpsertTerminalResponse'))
        self._result(response, values['ExternalId'], ref, status)
        return response

    def op_AttachFile(self, request):
        self.calls.append(('AttachFile', 1))
        values = _children(request)
        if values['OwnerRef'] not in self.refs:
            raise SoapFault('Объект %s не найден' % values['OwnerRef'])
        data = base64.b64decode(values['Data'])
        ref = str(uuid.uuid4())
        self.files.append({
                'Ref': ref,
                'OwnerRef': values['OwnerRef'],
                'FileName': values['FileName'],
                'MimeType': values['MimeType'],
                'size': len(data),
                'sha256': hashlib.sha256(data).hexdigest(),
                })
        response = etree.Element(q('AttachFileResponse'))
        self._result(response, None, ref, 'Created')
        return response

    def op_GetChanges(self, request):
        self.calls.append(('GetChanges', 1))
        since = datetime.datetime.fromisoformat(
            _children(request)['Since'][:19])
        until = datetime.datetime.now().replace(microsecond=0)
        response = etree.Element(q('GetChangesResponse'))
        result = etree.SubElement(response, q('return'))
        etree.SubElement(result, q('Until')).text = until.isoformat()
        for payment in self.payments:
            if not (since <= payment['Registered'] < until + datetime.timedelta(
                        seconds=1)):
                continue
            item = etree.SubElement(result, q('Item'))
            for name in ['ContractRef', 'DocumentRef']:
                etree.SubElement(item, q(name)).text = payment[name]
            etree.SubElement(item, q('Date')).text = (
                payment['Date'].isoformat())
            etree.SubElement(item, q('Amount')).text = '%.2f' % (
                payment['Amount'])
            etree.SubElement(item, q('Status')).text = payment['Status']
        return response


def refused_port():
    "A loopback port where nothing listens"
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def main():
    "Run the fake 1C alone (for the benchmark): prints its URL"
    import argparse
    parser = argparse.ArgumentParser(description="Fake 1C RentExchange")
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--login', default='Обмен')
    parser.add_argument('--password', default='Пароль1')
    options = parser.parse_args()
    fake = Fake1C(options.login, options.password, options.port).start()
    print(fake.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == '__main__':
    main()
