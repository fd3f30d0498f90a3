"""Counterparties in 1C (4.1): created, their requisites or main bank
account changed, queued for UpsertCounterparties."""
from trytond.pool import Pool, PoolMeta

from .exchange import ExchangeMixin


class Party(ExchangeMixin, metaclass=PoolMeta):
    __name__ = 'party.party'
    _onec_kind = 'counterparty'
    _onec_fields = {
        'name', 'legal_name', 'legal_form', 'inn', 'kpp', 'ogrn',
        'addresses'}

    def onec_sendable(self):
        # 1C keys counterparties by INN: a party without one (our company,
        # an employee) is not a counterparty of 1C
        return bool(self.inn)

    def onec_payload(self):
        "The Counterparty of RentExchange"
        address = self.addresses[0] if self.addresses else None
        account = self.bank_account
        payload = {
            'ExternalId': self.onec_external_id,
            'Ref': self.onec_ref,
            'Name': self.name,
            'FullName': self.legal_name or self.name,
            'INN': self.inn,
            'KPP': self.kpp,
            'OGRN': self.ogrn,
            }
        if address:
            payload['Address'] = address.full_address.replace('\n', ', ')
        if account:
            payload['BankAccount'] = {
                'Number': account.account,
                'BIK': account.bik,
                'BankName': account.bank_name,
                'CorrAccount': account.correspondent_account,
                }
        return payload


class BankAccount(metaclass=PoolMeta):
    __name__ = 'mrk.party.bank_account'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        "A change of the main bank account is a change of the requisites"
        super().on_modification(mode, records, field_names=field_names)
        Party = Pool().get('party.party')
        Party.onec_queue(list({r.party for r in records if r.party}))
