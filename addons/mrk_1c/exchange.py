"""The exchange state of a record known to 1C (4.1-4.4): its stable
ExternalId given at creation, the Ref 1C returned, and the state and last
error of its latest message, read-only on the counterparty, contract and
terminal forms."""
import uuid

from sql import Null

from trytond.model import fields
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

STATES = [
    (None, ''),
    ('waiting', "Waiting"),
    ('error', "Error"),
    ('sent', "Sent"),
    ]


def new_external_id():
    return str(uuid.uuid4())


class ExchangeMixin:
    "A record sent to 1C"
    __slots__ = ()
    _onec_kind = None
    # The fields whose change 1C must know
    _onec_fields = set()

    onec_external_id = fields.Char("1C External ID", readonly=True,
        help="Our stable identifier of the record in 1C.")
    onec_ref = fields.Char("1C Ref", readonly=True,
        help="1C's identifier of the record, returned by 1C.")
    onec_state = fields.Function(
        fields.Selection(STATES, "1C Exchange"), 'get_onec_exchange')
    onec_error = fields.Function(
        fields.Text("1C Exchange Error"), 'get_onec_exchange')

    @classmethod
    def preprocess_values(cls, mode, values):
        # Not a field default: trytond computes the defaults once for all
        # the records of a create
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('onec_external_id'):
            values['onec_external_id'] = new_external_id()
        return values

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        # The records made before the module get their ExternalId now
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=table.onec_external_id == Null))
        for id_, in cursor.fetchall():
            cursor.execute(*table.update([table.onec_external_id],
                    [new_external_id()], where=table.id == id_))

    @classmethod
    def copy(cls, records, default=None):
        default = dict(default or {})
        # A copy is another object of 1C
        default.setdefault('onec_external_id', None)
        default.setdefault('onec_ref', None)
        return super().copy(records, default=default)

    @classmethod
    def get_onec_exchange(cls, records, names):
        pool = Pool()
        Message = pool.get('mrk.onec.message')
        result = {n: {r.id: None for r in records} for n in names}
        keys = {str(r): r.id for r in records}
        with without_check_access():
            messages = []
            keys_list = list(keys)
            for i in range(0, len(keys_list), 500):
                messages += Message.search([
                        ('record', 'in', keys_list[i:i + 500]),
                        ], order=[('id', 'ASC')])
        for message in messages:
            id_ = keys[str(message.record)]
            if 'onec_state' in result:
                result['onec_state'][id_] = message.state
            if 'onec_error' in result:
                result['onec_error'][id_] = (message.last_error
                    if message.state != 'sent' else None)
        return result

    def onec_sendable(self):
        "Whether 1C must know the record in its current state"
        return True

    @classmethod
    def onec_queue(cls, records):
        "Queue the records for 1C in this transaction; return the messages"
        Message = Pool().get('mrk.onec.message')
        records = [r for r in records if r.onec_sendable()]
        if records:
            with without_check_access():
                return Message.queue(cls._onec_kind, records)
        return []

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode == 'create' or (mode == 'write'
                and field_names and (field_names & cls._onec_fields)):
            cls.onec_queue(records)

    @staticmethod
    def onec_date(value):
        return value.isoformat() if value else None
