"""Documents the counterparties must issue (6.10, 6.11, questions 4 and 5).

Each contract says what its counterparty issues and how often: an invoice
for the rent paid by invoice, acts of work done and invoice-factura per
month or quarter. The daily run makes, from the 1st of the month, the
expected documents of the period (one query for the candidates, one for
those that exist, one insert: running it again makes nothing twice) and,
from the 5th working day, gives the client manager one activity per
document still missing. The non-cash registry (9.2) takes the invoice of a
line from this register: the invoice is entered once, when received.
"""
import datetime

from sql import Literal, Null
from sql.conditionals import Coalesce

from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.mrk_rent.exceptions import RegistryError
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction
from trytond.modules.mrk_base import codes

FREQUENCIES = [
    (None, ""),
    ('month', "Monthly"),
    ('quarter', "Quarterly"),
    ]
# The kinds issued after the work of the period, for the period past
AFTER_PERIOD = ['work_act', 'invoice_factura']
# The states in which an issued document is in the company's hands
RECEIVED = ['received', 'accounting', 'archived']
# The working day of the month from which missing documents are chased
CHASE_WORKING_DAY = 5


def month_start(date):
    return date.replace(day=1)


def add_months(date, months):
    month = date.month - 1 + months
    return date.replace(year=date.year + month // 12, month=month % 12 + 1,
        day=1)


def quarter_start(date):
    return date.replace(month=(date.month - 1) // 3 * 3 + 1, day=1)


def working_day(date):
    "The number of date among the working days (Monday–Friday) of its month"
    day = date.replace(day=1)
    count = 0
    while day <= date:
        if day.weekday() < 5:
            count += 1
        day += datetime.timedelta(days=1)
    return count


def expected_periods(month):
    """[(kind, frequency, period, period_kind)] expected in the month:
    invoices of the month (of the quarter in its first month), acts and
    invoice-factura of the month past (of the quarter past in the first
    month of a quarter)"""
    previous = add_months(month, -1)
    periods = [
        ('invoice', 'month', month, 'month'),
        ('work_act', 'month', previous, 'month'),
        ('invoice_factura', 'month', previous, 'month'),
        ]
    if month == quarter_start(month):
        periods += [
            ('invoice', 'quarter', month, 'quarter'),
            ('work_act', 'quarter', add_months(month, -3), 'quarter'),
            ('invoice_factura', 'quarter', add_months(month, -3),
                'quarter'),
            ]
    return periods


class Contract(metaclass=PoolMeta):
    __name__ = 'mrk.contract'

    invoice_frequency = fields.Selection(FREQUENCIES,
        "Invoices from the Counterparty",
        help="How often the counterparty issues its invoice for the rent. "
        "A month with a rent term paid by invoice expects one anyway "
        "(question 4).")
    act_frequency = fields.Selection(FREQUENCIES,
        "Acts and Invoice-Factura",
        help="How often the counterparty issues its act of work done and "
        "invoice-factura, for the period past (question 5).")


class Document(metaclass=PoolMeta):
    __name__ = 'mrk.document'

    @classmethod
    def expected_candidates(cls, month):
        """The (company, party, contract, kind, period, period_kind) of the
        documents the month expects, from one query over the contracts and
        the rent terms paid by invoice"""
        pool = Pool()
        Contract = pool.get('mrk.contract')
        RentTerm = pool.get('mrk.rent.term')
        contract = Contract.__table__()
        term = RentTerm.__table__()
        cursor = Transaction().connection.cursor()
        month_end = add_months(month, 1) - datetime.timedelta(days=1)
        by_invoice = term.select(term.contract,
            where=(term.payment_form == 'invoice')
            & (term.valid_from <= month_end)
            & ((term.valid_to == Null) | (term.valid_to >= month)))
        earliest = add_months(month, -3)
        cursor.execute(*contract.select(
                contract.id, contract.company, contract.party,
                contract.start_date, contract.end_date,
                contract.invoice_frequency, contract.act_frequency,
                contract.id.in_(by_invoice),
                where=contract.state.in_(['active', 'terminated', 'expired'])
                & (contract.start_date <= month_end)
                & (Coalesce(contract.end_date, Literal(month_end))
                    >= earliest)
                & ((contract.invoice_frequency != Null)
                    | (contract.act_frequency != Null)
                    | contract.id.in_(by_invoice))))
        rows = []
        periods = expected_periods(month)
        for (contract_id, company, party, start, end, invoice_frequency,
                act_frequency, paid_by_invoice) in cursor:
            start = _date(start)
            end = _date(end)
            for kind, frequency, period, period_kind in periods:
                wanted = (invoice_frequency if kind == 'invoice'
                    else act_frequency)
                if (kind == 'invoice' and paid_by_invoice
                        and not invoice_frequency):
                    wanted = 'month'
                if wanted != frequency:
                    continue
                period_end = add_months(period,
                    3 if period_kind == 'quarter' else 1
                    ) - datetime.timedelta(days=1)
                if start > period_end or (end and end < period):
                    continue
                rows.append((company, party, contract_id, kind, period,
                        period_kind))
        return rows

    @classmethod
    def generate_expected(cls, date=None):
        """Make the expected documents of the month of date (6.10, 6.11):
        those that exist for the contract, kind and period (in any state)
        are not made again. Returns the number made."""
        pool = Pool()
        Date = pool.get('ir.date')
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        today = date or Date.today()
        month = month_start(today)
        candidates = cls.expected_candidates(month)
        if not candidates:
            return 0
        periods = sorted({c[4] for c in candidates})
        cursor.execute(*table.select(
                table.contract, table.kind, table.period,
                where=table.period.in_(periods)
                & table.kind.in_(['invoice'] + AFTER_PERIOD)
                & (table.contract != Null)))
        existing = {(c, k, _date(p)) for c, k, p in cursor}
        new = [c for c in candidates
            if (c[2], c[3], c[4]) not in existing]
        if not new:
            return 0
        # One insert for the month (the ORM would validate each of
        # thousands of records in turn); the values are those of a record
        # created by a user, state "expected"
        user = Transaction().user
        now = datetime.datetime.now()
        columns = [table.company, table.party, table.contract, table.kind,
            table.period, table.period_kind, table.direction, table.state,
            table.copies, table.reminder_count, table.create_uid,
            table.create_date]
        for i in range(0, len(new), 1000):
            cursor.execute(*table.insert(columns, [
                        list(row) + ['incoming', 'expected', 1, 0, user, now]
                        for row in new[i:i + 1000]]))
        return len(new)

    @classmethod
    def chase_expected(cls, date=None):
        """From the 5th working day of the month, one activity per expected
        document still missing (the invoices of the month and before, the
        acts and invoice-factura of the months past), to the client
        manager (function 6.10 for invoices, 6.11 for acts and
        invoice-factura: both follow the portfolio). Returns the documents
        chased."""
        pool = Pool()
        Date = pool.get('ir.date')
        Activity = pool.get('mrk.activity')
        today = date or Date.today()
        if working_day(today) < CHASE_WORKING_DAY:
            return []
        month = month_start(today)
        # Invoices of the month and before, acts of the months past
        with Transaction().set_context(_check_access=False):
            missing = cls.search([
                    ('state', '=', 'expected'),
                    ['OR', [
                            ('kind', '=', 'invoice'),
                            ('period', '<=', month),
                            ], [
                            ('kind', 'in', AFTER_PERIOD),
                            ('period', '<', month),
                            ]],
                    ], order=[('id', 'ASC')])
        if not missing:
            return []
        chased = {a.origin.id for a in Activity.open_for(
                missing, [codes.INVOICES_TO_ACCOUNTING, codes.ACTS_TO_ACCOUNTING])}
        missing = [d for d in missing if d.id not in chased]
        for code, kinds in [
                (codes.INVOICES_TO_ACCOUNTING, {'invoice'}), (codes.ACTS_TO_ACCOUNTING, set(AFTER_PERIOD))]:
            documents = [d for d in missing if d.kind in kinds]
            if documents:
                Activity.schedule(code, documents, deadline=today,
                    note=gettext('mrk_documents.msg_expected_missing_note'))
        return missing

    @classmethod
    def run_expected(cls, date=None):
        "The daily cron of the expected documents: make them, chase them"
        cls.generate_expected(date)
        cls.chase_expected(date)

    @classmethod
    def receive(cls, documents, date=None):
        super().receive(documents, date=date)
        Pool().get('mrk.rent.registry').fill_invoices(
            [d for d in documents if d.kind == 'invoice'])


def _date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


class Registry(metaclass=PoolMeta):
    __name__ = 'mrk.rent.registry'

    @classmethod
    def invoices_received(cls, lines):
        """{line id: document} of the received invoices of the lines paid
        by invoice: the invoice of the contract for the registry's month or
        its quarter (question 4)"""
        pool = Pool()
        Document = pool.get('mrk.document')
        lines = [l for l in lines if l.payment_form == 'invoice']
        if not lines:
            return {}
        periods = set()
        for line in lines:
            periods |= {line.registry.month, quarter_start(line.registry.month)}
        with Transaction().set_context(_check_access=False):
            documents = Document.search([
                    ('kind', '=', 'invoice'),
                    ('state', 'in', RECEIVED),
                    ('contract', 'in', list({l.contract.id for l in lines})),
                    ('period', 'in', sorted(periods)),
                    ], order=[('id', 'ASC')])
        found = {}
        for document in documents:
            key = (document.contract.id, document.period, document.period_kind)
            found[key] = document
        result = {}
        for line in lines:
            month = line.registry.month
            document = (found.get((line.contract.id, month, 'month'))
                or found.get((line.contract.id, quarter_start(month),
                        'quarter')))
            if document:
                result[line.id] = document
        return result

    @classmethod
    def fill_invoices(cls, documents):
        """Copy the number and date of the received invoices onto the open
        registry lines of their contracts and periods"""
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        if not documents:
            return
        with Transaction().set_context(_check_access=False):
            lines = Line.search([
                    ('contract', 'in', list({
                                d.contract.id for d in documents
                                if d.contract})),
                    ('payment_form', '=', 'invoice'),
                    ('registry.state', 'in', [
                            'draft', 'monitoring_checked',
                            'accounting_checked']),
                    ])
        cls._write_invoices(lines)

    @classmethod
    def _write_invoices(cls, lines):
        Line = Pool().get('mrk.rent.registry.line')
        received = cls.invoices_received(lines)
        to_write = []
        for line in lines:
            document = received.get(line.id)
            values = {
                'invoice_number': document.number if document else None,
                'invoice_date': document.date if document else None,
                }
            if (line.invoice_number, line.invoice_date) != (
                    values['invoice_number'], values['invoice_date']):
                to_write.extend([[line], values])
        if to_write:
            # Written by the register, not by the user who received the
            # invoice (the fields are closed to users)
            with Transaction().set_context(_check_access=False):
                Line.write(*to_write)

    @classmethod
    def generate(cls, month, company=None):
        registry = super().generate(month, company=company)
        if registry:
            cls._write_invoices(list(registry.lines))
        return registry

    @classmethod
    def approve(cls, registries):
        """The lines paid by invoice need their invoice received in the
        register of documents (question 4)"""
        pool = Pool()
        Line = pool.get('mrk.rent.registry.line')
        lines = Line.search([
                ('registry', 'in', [r.id for r in registries]),
                ('excluded', '=', False),
                ('payment_form', '=', 'invoice'),
                ])
        received = cls.invoices_received(lines)
        missing = [l for l in lines if l.id not in received]
        if missing:
            raise RegistryError(gettext(
                    'mrk_documents.msg_registry_invoice_not_received',
                    registry=', '.join(r.rec_name for r in registries),
                    lines=', '.join(l.contract.rec_name for l in missing)))
        cls._write_invoices(lines)
        super().approve(registries)


class RegistryLine(metaclass=PoolMeta):
    __name__ = 'mrk.rent.registry.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Entered once, in the register of documents
        cls._workflow_fields |= {'invoice_number', 'invoice_date'}
        for name in ['invoice_number', 'invoice_date']:
            field = getattr(cls, name)
            field.states = field.states.copy()
            field.states['readonly'] = True
            field.help = ("Taken from the counterparty's invoice received "
                "in the register of documents.")
