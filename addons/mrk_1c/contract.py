"""Contracts in 1C (4.2): activated, amended, prolonged or terminated,
queued for UpsertContract with the counterparty's Ref."""
from trytond.model import fields
from trytond.pool import Pool, PoolMeta

from .exchange import ExchangeMixin

# The states of a contract 1C knows
SENT_STATES = {'active', 'terminated', 'expired'}


class Contract(ExchangeMixin, metaclass=PoolMeta):
    __name__ = 'mrk.contract'
    _onec_kind = 'contract'
    _onec_fields = {
        'state', 'number', 'date', 'party', 'start_date', 'end_date',
        'rent_amount'}

    onec_payments = fields.One2Many(
        'mrk.onec.payment', 'contract', "Paid in 1C", readonly=True)

    def onec_sendable(self):
        return self.state in SENT_STATES

    def onec_payload(self):
        "The Contract of RentExchange"
        amount = self.current_rent_amount
        if amount is None:
            amount = self.rent_amount or 0
        payment_form = getattr(self, 'rent_payment_form', None) or ''
        return {
            'ExternalId': self.onec_external_id,
            'Number': self.number or str(self.id),
            'Date': self.date,
            'CounterpartyRef': self.party.onec_ref,
            'Amount': '%.2f' % amount,
            'PaymentForm': payment_form,
            'ValidFrom': self.start_date,
            'ValidTo': self.end_date,
            }


class RentTerm(metaclass=PoolMeta):
    """A new rent or payment form of a contract (an amendment's price
    change, 5.4) changes the Amount and PaymentForm 1C knows (4.2)"""
    __name__ = 'mrk.rent.term'

    @classmethod
    def on_modification(cls, mode, terms, field_names=None):
        super().on_modification(mode, terms, field_names=field_names)
        if mode == 'write' and not (field_names & {
                    'amount', 'payment_form', 'valid_from', 'valid_to'}):
            return
        Contract = Pool().get('mrk.contract')
        Contract.onec_queue(list({t.contract for t in terms if t.contract}))
