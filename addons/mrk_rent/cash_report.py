"""Printed documents of the cash runs (8.3, 8.4, 8.5, 8.8): the preliminary
cash request to accounting, the payment permit of a route approved by the
head and the inventory (опись) of the receipts handed to accounting.

As for the other documents of the MRK modules, every string is computed
here into ``doc`` namespaces and the Flat ODT templates print them; the
documents are in Russian whatever the user's language.
"""
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from trytond.modules.mrk_contracts.amount import (
    amount_in_words, format_amount, format_date, format_date_long,
    format_month, plural)
from trytond.modules.mrk_contracts.report import DocumentReport
from trytond.pool import Pool
from trytond.report import Report

BLANK = '_' * 20
BLANK_DATE = '«___» ____________ 20___ г.'
RECEIPT_KINDS = {
    'receipt_note': 'Расписка',
    'cash_order': 'ПКО',
    'till_receipt': 'Кассовый чек',
    }


def month_text(month):
    "март 2026 г."
    return '%s г.' % format_month(month)


def user_name(user):
    return (user.name or user.login) if user else ''


def _company_name(company):
    return company.party.name if company and company.party else ''


def _sorted_runs(runs):
    return sorted(runs, key=lambda r: (r.month, r.route.name, r.id))


def _total(amount):
    return '%s (%s)' % (format_amount(amount), amount_in_words(amount))


class CashRunReport(Report):
    "Base of the documents of cash runs"

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        CashRun = pool.get('mrk.rent.cash_run')
        context = super().get_context(records, header, data)
        runs = _sorted_runs(CashRun.browse([int(r) for r in records]))
        context['docs'] = cls.get_documents(runs)
        return context

    @classmethod
    def get_documents(cls, runs):
        return [cls.get_document(run) for run in runs]

    @classmethod
    def _city(cls, company):
        return DocumentReport.get_city(company) if company else ''


class CashRequest(CashRunReport):
    """Preliminary cash request to accounting (8.3): for the month, the
    routes, their development managers, the number of stops and the cash
    to issue, with the grand total in figures and in words. The selected
    runs print one request per month."""
    __name__ = 'mrk.rent.cash_run.request'

    @classmethod
    def get_documents(cls, runs):
        by_month = defaultdict(list)
        for run in runs:
            by_month[(run.company.id, run.month)].append(run)
        return [cls.get_document(month_runs)
            for _, month_runs in sorted(by_month.items(),
                key=lambda i: (i[0][1], i[0][0]))]

    @classmethod
    def get_document(cls, runs):
        pool = Pool()
        Date = pool.get('ir.date')
        run = runs[0]
        company = run.company
        doc = SimpleNamespace()
        doc.title = 'ПРЕДВАРИТЕЛЬНАЯ ЗАЯВКА'
        doc.subtitle = ('на получение наличных денежных средств для выплаты '
            'арендной платы за %s' % month_text(run.month))
        doc.to = 'В бухгалтерию %s' % _company_name(company)
        doc.city = cls._city(company)
        dates = [r.requested_on for r in runs if r.requested_on]
        doc.date = format_date_long(max(dates) if dates else Date.today())
        doc.intro = ('Прошу выдать наличные денежные средства для выплаты '
            'арендной платы контрагентам за %s по маршрутам развозки:'
            % month_text(run.month))
        doc.rows = []
        total = Decimal('0.00')
        stops = 0
        for index, run in enumerate(runs, 1):
            doc.rows.append(SimpleNamespace(
                    index=str(index),
                    route=run.route.name,
                    courier=user_name(run.courier) or '—',
                    stops=str(run.stop_count),
                    amount=format_amount(run.total_due),
                    ))
            total += run.total_due
            stops += run.stop_count
        doc.total = format_amount(total)
        doc.stops = str(stops)
        doc.total_text = 'Итого к выдаче: %s' % _total(total)
        doc.count_text = 'Всего маршрутов: %d, точек: %d.' % (
            len(runs), stops)
        signers = [r.requested_by for r in runs if r.requested_by]
        doc.signer = user_name(signers[0]) if signers else BLANK
        return doc


class PaymentPermit(CashRunReport):
    """Payment permit of a route (8.4, 8.5): the stops with the
    counterparty, the address, the computation and the amount, the total in
    words, and «Утверждаю» with the approver's name (who approved it, else
    the payment permit approver of the settings) and the approval date."""
    __name__ = 'mrk.rent.cash_run.permit'

    @classmethod
    def get_document(cls, run):
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        company = run.company
        doc = SimpleNamespace()
        doc.company = _company_name(company)
        if run.approved_by:
            doc.approver = user_name(run.approved_by)
            doc.approved_on = format_date_long(run.approved_on)
        else:
            approver = Configuration(1).get_approver(
                'payment_permit_approver')
            doc.approver = user_name(approver) or BLANK
            doc.approved_on = BLANK_DATE
        doc.title = 'РАЗРЕШЕНИЕ НА ОПЛАТУ'
        doc.subtitle = 'арендной платы наличными за %s' % month_text(
            run.month)
        doc.city = cls._city(company)
        doc.date = format_date_long(run.requested_on or run.month)
        doc.route = run.route.name
        doc.courier = user_name(run.courier) or BLANK
        doc.requester = user_name(run.requested_by) or BLANK
        doc.rows = [SimpleNamespace(
                index=str(line.sequence or i),
                party=line.party.name if line.party else '',
                point=line.point.name,
                address=line.address or '',
                explanation=(line.explanation or '').splitlines(),
                amount=format_amount(line.amount),
                ) for i, line in enumerate(run.lines, 1)]
        doc.total = format_amount(run.total_due)
        doc.total_text = 'Итого к выплате: %s' % _total(run.total_due)
        doc.count_text = '%d %s' % (len(run.lines), plural(
                len(run.lines), 'точка', 'точки', 'точек'))
        return doc


class CashInventory(CashRunReport):
    """Inventory (опись) of the receipts handed to accounting (8.8): the
    paid stops numbered, with the counterparty, the kind and number of the
    receipt and the amount; the totals; «Сдал» the development manager and
    the office administrator, «Принял» the accountant."""
    __name__ = 'mrk.rent.cash_run.inventory'

    @classmethod
    def get_document(cls, run):
        pool = Pool()
        Date = pool.get('ir.date')
        company = run.company
        doc = SimpleNamespace()
        doc.title = 'ОПИСЬ'
        doc.subtitle = ('документов об оплате аренды наличными за %s'
            % month_text(run.month))
        doc.city = cls._city(company)
        doc.date = format_date_long(run.handed_on or Date.today())
        doc.company = _company_name(company)
        doc.route = run.route.name
        doc.courier = user_name(run.courier) or BLANK
        paid = [l for l in run.lines if l.state == 'paid']
        not_paid = [l for l in run.lines if l.state == 'not_paid']
        doc.rows = [SimpleNamespace(
                index=str(i),
                party=line.party.name if line.party else '',
                address=line.address or '',
                kind=RECEIPT_KINDS.get(line.receipt_kind, ''),
                number=line.receipt_number or '',
                date=format_date(line.paid_on),
                amount=format_amount(line.amount),
                ) for i, line in enumerate(paid, 1)]
        total = sum((l.amount for l in paid), Decimal('0.00'))
        doc.total = format_amount(total)
        doc.total_text = 'Всего %d %s на сумму %s' % (
            len(paid), plural(len(paid), 'документ', 'документа',
                'документов'), _total(total))
        returned = sum((l.amount for l in not_paid), Decimal('0.00'))
        if not_paid:
            doc.returned_text = ('Не оплачено точек: %d на сумму %s; '
                'денежные средства возвращены в кассу.' % (
                    len(not_paid), _total(returned)))
        else:
            doc.returned_text = 'Все точки маршрута оплачены.'
        doc.office = user_name(run.handed_by) or BLANK
        doc.accountant = user_name(run.closed_by) or BLANK
        return doc
