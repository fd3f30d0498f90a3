"Shared test helpers of mrk_documents"
from trytond.modules.mrk_rent.tests.tools import (
    D, Decimal, Inbox, make_contract, make_party, make_term, make_user,
    pdf_text, setup_rent, start_smtp_server)
from trytond.pool import Pool
from trytond.transaction import Transaction

__all__ = ['D', 'Decimal', 'Inbox', 'make_contract', 'make_party',
    'make_term', 'make_user', 'pdf_text', 'setup_rent', 'start_smtp_server',
    'make_document', 'add_email', 'PDF', 'PNG']

PDF = b'%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'
PNG = b'\x89PNG\r\n\x1a\n' + b'\x00' * 32


def make_document(party, contract=None, kind='contract',
        direction='outgoing', **values):
    Document = Pool().get('mrk.document')
    Company = Pool().get('company.company')
    company, = Company.search([], limit=1)
    document, = Document.create([dict({
                'company': company.id,
                'kind': kind,
                'direction': direction,
                'party': party.id,
                'contract': contract.id if contract else None,
                }, **values)])
    return document


def add_email(party, email):
    "Give party an e-mail address"
    ContactMechanism = Pool().get('party.contact_mechanism')
    with Transaction().set_context(_check_access=False):
        ContactMechanism.create([{
                    'party': party.id, 'type': 'email', 'value': email}])
