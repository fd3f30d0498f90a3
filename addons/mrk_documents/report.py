"""Printed documents of mrk_documents: the delivery sheet the courier
carries (6.3).

As for the other documents of the MRK modules, every string is computed
here into ``doc`` namespaces and the Flat ODT template prints them; the
documents are in Russian whatever the user's language."""
from types import SimpleNamespace

from trytond.modules.mrk_contracts.amount import (
    format_date, format_date_long, plural)
from trytond.modules.mrk_contracts.report import DocumentReport
from trytond.pool import Pool
from trytond.report import Report
from trytond.transaction import Transaction

BLANK = '_' * 20
KINDS = {
    'contract': 'Договор аренды (оригинал)',
    'amendment': 'Дополнительное соглашение',
    'price_protocol': 'Протокол согласования цены',
    'handover_act': 'Акт приёма-передачи терминала',
    'termination': 'Соглашение о расторжении',
    'invoice': 'Счёт на оплату',
    'work_act': 'Акт выполненных работ',
    'invoice_factura': 'Счёт-фактура',
    'other': 'Прочий документ',
    }


def user_name(user):
    return (user.name or user.login) if user else ''


class DeliverySheet(Report):
    """Delivery sheet (6.3): the request's journal number, the counterparty,
    address, contact and wanted date, the documents numbered with their
    copies, the marks of delivery and the signatures of the office, the
    courier and the counterparty."""
    __name__ = 'mrk.delivery.sheet'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Delivery = pool.get('mrk.delivery')
        context = super().get_context(records, header, data)
        deliveries = sorted(Delivery.browse([int(r) for r in records]),
            key=lambda d: (d.number or '', d.id))
        context['docs'] = [cls.get_document(d) for d in deliveries]
        return context

    @classmethod
    def get_document(cls, delivery):
        pool = Pool()
        Date = pool.get('ir.date')
        User = pool.get('res.user')
        doc = SimpleNamespace()
        doc.title = 'ЗАЯВКА НА ДОСТАВКУ ДОКУМЕНТОВ № %s' % (
            delivery.number or '—')
        doc.subtitle = 'лист доставки'
        doc.city = (DocumentReport.get_city(delivery.company)
            if delivery.company else '')
        doc.date = format_date_long(delivery.date or Date.today())
        doc.company = (delivery.company.party.name
            if delivery.company and delivery.company.party else '')
        doc.party = delivery.party.name if delivery.party else ''
        doc.address = delivery.address or ''
        doc.contact = ', '.join(filter(None, [
                    delivery.contact_name, delivery.contact_phone])) or BLANK
        doc.wanted_date = format_date(delivery.wanted_date)
        doc.courier = user_name(delivery.courier) or BLANK
        doc.office = user_name(User(Transaction().user)) or BLANK
        doc.rows = [SimpleNamespace(
                index=str(i),
                kind=KINDS.get(document.kind, ''),
                contract=document.contract.rec_name if document.contract
                else '',
                number=document.number or '',
                date=format_date(document.date),
                copies=str(document.copies or ''),
                ) for i, document in enumerate(delivery.documents, 1)]
        count = len(doc.rows)
        doc.total_text = 'Всего %d %s' % (count,
            plural(count, 'документ', 'документа', 'документов'))
        return doc


class TransferReport(Report):
    """Transfer list (опись передачи) to accounting (6.9–6.11): the
    documents numbered with their contract, number, date and copies,
    «Сдал» the office administrator, «Принял» the accountant."""
    __name__ = 'mrk.document.transfer.report'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Transfer = pool.get('mrk.document.transfer')
        context = super().get_context(records, header, data)
        transfers = sorted(Transfer.browse([int(r) for r in records]),
            key=lambda t: (t.number or '', t.id))
        context['docs'] = [cls.get_document(t) for t in transfers]
        return context

    @classmethod
    def get_document(cls, transfer):
        pool = Pool()
        Date = pool.get('ir.date')
        doc = SimpleNamespace()
        doc.title = 'ОПИСЬ ПЕРЕДАЧИ № %s' % (transfer.number or '—')
        doc.subtitle = 'документов в бухгалтерию'
        doc.city = (DocumentReport.get_city(transfer.company)
            if transfer.company else '')
        doc.date = format_date_long(transfer.date or Date.today())
        doc.company = (transfer.company.party.name
            if transfer.company and transfer.company.party else '')
        doc.rows = []
        for i, line in enumerate(transfer.lines, 1):
            document = line.document
            doc.rows.append(SimpleNamespace(
                    index=str(i),
                    kind=KINDS.get(document.kind, ''),
                    party=document.party.name if document.party else '',
                    contract=(document.contract.rec_name
                        if document.contract else ''),
                    number=document.number or '',
                    date=format_date(document.date),
                    copies=str(document.copies or ''),
                    ))
        count = len(doc.rows)
        doc.total_text = 'Всего %d %s' % (count,
            plural(count, 'документ', 'документа', 'документов'))
        doc.office = user_name(transfer.handed_by) or BLANK
        doc.accountant = user_name(transfer.confirmed_by) or BLANK
        return doc
