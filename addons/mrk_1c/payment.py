"""Payments back from 1C (4.1-4.4, 9.3): GetChanges polled from the last
Until, each payment stored once by its DocumentRef against its contract
and shown as «Оплачено в 1С» on the contract and on the registry and
cash-run lines of its month."""
import datetime

from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.modules.mrk_base import codes

from .client import ExchangeError

EPOCH = datetime.datetime(2000, 1, 1)
# Days into its month after which an approved line unpaid in 1C is chased
UNPAID_DAYS = 10


class Payment(ModelSQL, ModelView):
    "Payment in 1C"
    __name__ = 'mrk.onec.payment'
    __string__ = "Payment in 1C"

    contract = fields.Many2One('mrk.contract', "Contract", readonly=True,
        ondelete='RESTRICT')
    party = fields.Function(fields.Many2One('party.party', "Counterparty"),
        'get_party', searcher='search_party')
    contract_ref = fields.Char("Contract 1C Ref", readonly=True)
    document_ref = fields.Char("Payment Document", required=True,
        readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    amount = fields.Numeric("Amount", digits=(16, 2), required=True,
        readonly=True)
    status = fields.Char("Status in 1C", readonly=True)
    received_at = fields.DateTime("Received At", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('document_ref_unique', Unique(t, t.document_ref),
                'mrk_1c.msg_payment_document_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.contract, Index.Equality()),
                (t.date, Index.Range())))
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    def get_party(self, name):
        if self.contract and self.contract.party:
            return self.contract.party.id

    @classmethod
    def search_party(cls, name, clause):
        return [('contract.party' + clause[0][len(name):], *clause[1:])]

    def get_rec_name(self, name):
        return '%s %s' % (self.document_ref, self.amount)

    @classmethod
    def fetch_changes(cls, now=None):
        """Poll 1C's GetChanges from the last Until watermark and store the
        payments once each (idempotent by DocumentRef). Returns the new
        payments; a failed call leaves the watermark for the next run."""
        pool = Pool()
        Configuration = pool.get('mrk.onec.configuration')
        Contract = pool.get('mrk.contract')
        config = Configuration(1)
        if not config.enabled or not config.url:
            return []
        if now is None:
            now = datetime.datetime.now().replace(microsecond=0)
        since = config.changes_until or EPOCH
        try:
            until, items = config.get_client().get_changes(since)
        except ExchangeError:
            return []
        refs = {i['DocumentRef'] for i in items}
        existing = {}
        refs_list = list(refs)
        for i in range(0, len(refs_list), 500):
            for payment in cls.search([
                        ('document_ref', 'in', refs_list[i:i + 500])]):
                existing[payment.document_ref] = payment
        contract_refs = list({i['ContractRef'] for i in items})
        contracts = {}
        for i in range(0, len(contract_refs), 500):
            for contract in Contract.search([
                        ('onec_ref', 'in', contract_refs[i:i + 500])]):
                contracts[contract.onec_ref] = contract
        to_create, to_save = [], []
        for item in items:
            values = {
                'contract': contracts.get(item['ContractRef']),
                'contract_ref': item['ContractRef'],
                'date': _naive(item['Date']),
                'amount': item['Amount'],
                'status': item['Status'],
                }
            payment = existing.get(item['DocumentRef'])
            if payment is None:
                payment = cls(document_ref=item['DocumentRef'],
                    received_at=now, **values)
                existing[item['DocumentRef']] = payment
                to_create.append(payment)
            else:
                # 1C may send a document again with a new status
                for name, value in values.items():
                    setattr(payment, name, value)
                to_save.append(payment)
        cls.save(to_create + to_save)
        config.changes_until = _naive(until)
        config.save()
        return to_create


def _naive(value):
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value is not None and value.tzinfo is not None:
        value = value.replace(tzinfo=None)
    return value


def _month_end(month):
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(
        day=1)


class PaidLineMixin:
    "«Оплачено в 1С» on a line of a month's payment for a contract"
    __slots__ = ()

    onec_paid = fields.Function(
        fields.Char("Paid in 1C",
            help="The payments 1C registered on the contract in the "
            "month: date and amount."),
        'get_onec_paid')

    def _onec_month(self):
        raise NotImplementedError

    @classmethod
    def onec_payments_of(cls, lines):
        "{line id: [payments of its contract in its month]}"
        Payment = Pool().get('mrk.onec.payment')
        result = {l.id: [] for l in lines}
        by_contract = {}
        for line in lines:
            month = line._onec_month()
            if line.contract and month:
                by_contract.setdefault(line.contract.id, []).append(
                    (line, month))
        if not by_contract:
            return result
        ids = list(by_contract)
        for i in range(0, len(ids), 500):
            for payment in Payment.search([
                        ('contract', 'in', ids[i:i + 500]),
                        ], order=[('date', 'ASC')]):
                for line, month in by_contract[payment.contract.id]:
                    if month <= payment.date.date() < _month_end(month):
                        result[line.id].append(payment)
        return result

    @classmethod
    def get_onec_paid(cls, lines, name):
        pool = Pool()
        Lang = pool.get('ir.lang')
        lang = Lang.get()
        result = {}
        for id_, payments in cls.onec_payments_of(lines).items():
            result[id_] = '; '.join('%s %s' % (
                    lang.strftime(p.date.date()),
                    lang.format_number(p.amount, digits=2))
                for p in payments) or None
        return result


class RegistryLine(PaidLineMixin, metaclass=PoolMeta):
    __name__ = 'mrk.rent.registry.line'

    def _onec_month(self):
        return self.registry.month if self.registry else None

    @classmethod
    def check_unpaid(cls, date=None):
        """A registry line approved but unpaid in 1C 10 days into its month
        raises an activity (9.3) once per line; run every morning."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        Date = pool.get('ir.date')
        Lang = pool.get('ir.lang')
        if date is None:
            date = Date.today()
        month = date.replace(day=1)
        if date < month + datetime.timedelta(days=UNPAID_DAYS):
            return []
        lines = cls.search([
                ('registry.state', 'in', ['approved', 'exported']),
                ('registry.month', '=', month),
                ])
        paid = cls.onec_payments_of(lines)
        unpaid = [l for l in lines if not paid[l.id]]
        if not unpaid:
            return []
        already = {a.origin for a in Activity.open_for(unpaid, [codes.REGISTRY_RECONCILIATION])}
        unpaid = [l for l in unpaid if l not in already]
        lang = Lang.get()
        activities = []
        for line in unpaid:
            activities += Activity.schedule(codes.REGISTRY_RECONCILIATION, [line],
                note=gettext('mrk_1c.msg_registry_unpaid_note',
                    line=line.rec_name, date=lang.strftime(date)))
        return activities


class CashRunLine(PaidLineMixin, metaclass=PoolMeta):
    __name__ = 'mrk.rent.cash_run.line'

    def _onec_month(self):
        return self.run.month if self.run else None


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('mrk.onec.message|send_queue_cron', "Send the Queue to 1C"),
                ('mrk.onec.payment|fetch_changes',
                    "Receive the Payments from 1C"),
                ('mrk.rent.registry.line|check_unpaid',
                    "Check the Registry Lines Unpaid in 1C"),
                ])
