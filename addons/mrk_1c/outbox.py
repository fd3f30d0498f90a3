"""The outbox of the exchange with 1C and its sender (4.1-4.4).

A change 1C must know is queued in the transaction of the change itself
(``Message.queue``): it is committed or rolled back with it, so nothing
changed is forgotten and nothing rolled back is sent. A message names the
record, not its data: it is built from the record when it is sent, so ten
edits before the next send make one message carrying the latest state
(one waiting message per record).

The sender is an ir.cron run every minute rather than trytond's ir.queue:
it sends the queue in dependency order and in batches, which is one run
over many messages, not one task per message; a cron runs wherever the
server runs, without a worker to set up. Two senders never send one
message twice: each takes its messages with row locks (FOR UPDATE SKIP
LOCKED on PostgreSQL) held until the outcome is committed.
"""
import datetime
import mimetypes
import threading

from sql import For, Null
from sql.operators import Or

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.mrk_base.model import WorkflowGuardMixin
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.modules.mrk_base import codes

from .client import ExchangeError

KINDS = [
    ('counterparty', "Counterparty"),
    ('contract', "Contract"),
    ('terminal', "Terminal"),
    ('file', "Contract Scan"),
    ]
# The order of sending: a counterparty before its contracts, a contract
# before its terminals and files
ORDER = ['counterparty', 'contract', 'terminal', 'file']
MODELS = {
    'counterparty': 'party.party',
    'contract': 'mrk.contract',
    'terminal': 'mrk.terminal',
    'file': 'ir.attachment',
    }
# The function of the responsibility matrix of each kind
FUNCTIONS = {
    'counterparty': codes.REQUISITES_1C,
    'contract': codes.CONTRACT_1C,
    'terminal': codes.TERMINAL_1C,
    'file': codes.CONTRACT_SCAN_1C,
    }
# Contracts, terminals and files sent one per call, so many per transaction
CALLS_PER_BATCH = 20
RETRY_FIRST = datetime.timedelta(minutes=1)
# The records of the batch being sent, read together (per thread: two
# senders may run in one process)
_prefetched = threading.local()
RETRY_MAX = datetime.timedelta(hours=1)
ALERT_AFTER = datetime.timedelta(hours=24)


def backoff(attempts):
    "The delay before the next try after attempts failed: 1 min doubling"
    delay = RETRY_FIRST * (2 ** max(attempts - 1, 0))
    return min(delay, RETRY_MAX)


class Message(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    "Message to 1C"
    __name__ = 'mrk.onec.message'
    __string__ = "Message to 1C"

    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    kind_string = kind.translated('kind')
    record = fields.Reference("Record", selection='get_records',
        required=True, readonly=True)
    party = fields.Many2One('party.party', "Counterparty", readonly=True,
        ondelete='SET NULL')
    state = fields.Selection([
            ('waiting', "Waiting"),
            ('error', "Error"),
            ('sent', "Sent"),
            ], "State", required=True, readonly=True, sort=False)
    attempts = fields.Integer("Attempts", readonly=True)
    next_try = fields.DateTime("Next Try", readonly=True)
    first_failure = fields.DateTime("Failing Since", readonly=True)
    last_error = fields.Text("Last Error", readonly=True)
    sent_at = fields.DateTime("Sent At", readonly=True)
    ref = fields.Char("1C Ref", readonly=True)
    alerted = fields.Boolean("Alerted", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.record, Index.Equality()),
                    where=t.state.in_(['waiting', 'error'])),
                Index(t, (t.kind, Index.Equality()),
                    (t.next_try, Index.Range()),
                    where=t.state == 'waiting'),
                })
        cls._order = [('create_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('error', 'waiting'),
            }
        cls._workflow_fields |= {
            'kind', 'record', 'party', 'state', 'attempts', 'next_try',
            'first_failure', 'last_error', 'sent_at', 'ref', 'alerted'}
        cls._deletable_states = set()
        cls._buttons.update({
                'send_now': {
                    'invisible': Eval('state') == 'sent',
                    'depends': ['state'],
                    },
                'retry': {
                    'invisible': Eval('state') != 'error',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'waiting'

    @classmethod
    def default_attempts(cls):
        return 0

    @classmethod
    def default_alerted(cls):
        return False

    @classmethod
    def get_records(cls):
        pool = Pool()
        IrModel = pool.get('ir.model')
        return [(None, '')] + [
            (m, IrModel.get_name(m)) for m in MODELS.values()]

    @property
    def target(self):
        "The record of the message, read with the others of its batch"
        target = getattr(_prefetched, 'targets', {}).get(self.id)
        if target is not None and target._transaction is Transaction():
            return target
        return self.record

    @property
    def origin(self):
        "The record a user corrects when 1C refuses the message"
        if self.kind == 'file':
            return self.target.resource
        return self.target

    @classmethod
    def prefetch(cls, messages):
        """Browse the records of the messages together, model by model, so
        that their fields are read for the whole batch at once"""
        pool = Pool()
        ids = {}
        for message in messages:
            model, id_ = str(message.record).split(',')
            ids.setdefault(model, []).append(int(id_))
        records = {}
        for model, model_ids in ids.items():
            for record in pool.get(model).browse(model_ids):
                records[str(record)] = record
        _prefetched.targets = {
            m.id: records[str(m.record)] for m in messages}

    def get_rec_name(self, name):
        record = self.record
        return '%s: %s' % (self.kind_string,
            record.rec_name if record and record.id >= 0 else '-')

    # -- queueing -----------------------------------------------------------

    @classmethod
    def queue(cls, kind, records):
        """Queue the records of kind for 1C in the current transaction;
        return their pending messages.

        A record that has a waiting message keeps it (the message is built
        from the latest state when sent); one in error is queued again, as
        its correction is what was waited for."""
        records = [r for r in records if r and r.id is not None and r.id >= 0]
        if not records:
            return []
        pending = {}
        for sub in _slices([str(r) for r in records]):
            for message in cls.search([
                        ('record', 'in', sub),
                        ('state', 'in', ['waiting', 'error']),
                        ]):
                pending[str(message.record)] = message
        to_create, to_requeue, kept = [], [], []
        seen = set()
        for record in records:
            key = str(record)
            if key in seen:
                continue
            seen.add(key)
            message = pending.get(key)
            if message is None:
                to_create.append({
                        'kind': kind,
                        'record': key,
                        'party': _party_of(kind, record),
                        })
            elif message.state == 'error':
                to_requeue.append(message)
            else:
                kept.append(message)
        if to_requeue:
            cls._requeue(to_requeue)
        messages = cls.create(to_create) if to_create else []
        return messages + to_requeue + kept

    @classmethod
    def _requeue(cls, messages):
        # The correction requeues without a user's button: the workflow's
        # transition runs as it would from the «Повторить» button.
        with Transaction().set_context(_check_access=False):
            cls.write(messages, {
                    'state': 'waiting',
                    'attempts': 0,
                    'next_try': None,
                    'first_failure': None,
                    'alerted': False,
                    })

    # -- buttons ------------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def retry(cls, messages):
        "«Повторить»: back to the queue, to be sent at the next run"
        cls.write(messages, {
                'attempts': 0,
                'next_try': None,
                'first_failure': None,
                'alerted': False,
                })

    @classmethod
    @ModelView.button
    def send_now(cls, messages):
        "«Отправить сейчас»: send these messages (and what they need) now"
        messages = [m for m in messages if m.state != 'sent']
        errors = [m for m in messages if m.state == 'error']
        if errors:
            cls.retry(errors)
        messages = cls._with_parents(messages)
        cls.write([m for m in messages if m.state == 'waiting'],
            {'next_try': None})
        cls.send_queue(only=messages)

    @classmethod
    def _with_parents(cls, messages):
        """The messages and those of the records they need in 1C first
        (the counterparty of a contract, the contract of a terminal or a
        scan), queued when they have no 1C Ref"""
        result = list(messages)
        todo = list(messages)
        while todo:
            parents = []
            for message in todo:
                record = message.record
                if message.kind == 'contract':
                    parents.append(record.party)
                elif message.kind == 'terminal':
                    placement = record.onec_placement()
                    if placement and placement.contract:
                        parents.append(placement.contract)
                elif message.kind == 'file':
                    parents.append(record.resource)
            parents = [p for p in parents if p and not p.onec_ref
                and p.onec_sendable()]
            todo = []
            for parent in parents:
                for message in parent.__class__.onec_queue([parent]):
                    if message not in result:
                        result.append(message)
                        todo.append(message)
        return result

    # -- sending ------------------------------------------------------------

    @classmethod
    def _now(cls):
        return datetime.datetime.now().replace(microsecond=0)

    @classmethod
    def lock_waiting(cls, kind, now, limit, only=None, after=0):
        """Return up to limit waiting messages of kind due at now, after the
        id after, locked for this transaction; on PostgreSQL the rows
        another sender holds are skipped rather than waited for."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        where = ((table.state == 'waiting') & (table.kind == kind)
            & Or([table.next_try == Null, table.next_try <= now])
            & (table.id > after))
        if only is not None:
            ids = [m.id for m in only]
            if not ids:
                return []
            where &= table.id.in_(ids)
        query = table.select(table.id, where=where,
            order_by=[table.id.asc], limit=limit)
        if backend.name == 'postgresql':
            query.for_ = _ForUpdateSkipLocked()
        cursor.execute(*query)
        ids = [i for i, in cursor]
        messages = cls.browse(ids)
        # The state read again under the lock: a sender that committed
        # meanwhile sent them already
        messages = [m for m in messages if m.state == 'waiting']
        cls.prefetch(messages)
        return messages

    @classmethod
    def send_queue(cls, now=None, only=None, commit=False):
        """Send the waiting messages due at now to 1C, counterparties first
        (in batches of the settings), then contracts, terminals and files
        (4.1-4.4); each message is taken once per run.

        With commit, each batch is locked, sent and committed in a
        transaction of its own: the Refs 1C returned are kept whatever
        happens later, and the locks are held no longer than a batch.
        Returns the number of messages delivered. Does nothing while the
        exchange is off."""
        pool = Pool()
        Configuration = pool.get('mrk.onec.configuration')
        config = Configuration(1)
        if not config.enabled or not config.url:
            return 0
        if now is None:
            now = cls._now()
        client = config.get_client()
        delivered = 0
        try:
            for kind in ORDER:
                size = (config.batch_size if kind == 'counterparty'
                    else CALLS_PER_BATCH)
                after = 0
                while True:
                    result = cls._run_batch(
                        client, kind, now, size, only, after, commit)
                    if result is None:
                        break
                    after, count = result
                    delivered += count
        except _Down:
            # 1C unreachable: the rest waits for the next run
            pass
        return delivered

    @classmethod
    def _run_batch(cls, client, kind, now, size, only, after, commit):
        """Lock and send one batch; return (last id, delivered) or None
        when nothing is left"""
        def batch():
            messages = cls.lock_waiting(kind, now, size, only=only,
                after=after)
            if not messages:
                return None
            last = max(m.id for m in messages)
            if kind == 'counterparty':
                return last, cls._send_counterparties(client, messages, now)
            answered = []
            try:
                for message in messages:
                    result = getattr(cls, '_send_' + kind)(
                        client, message, now)
                    if result is not None:
                        answered.append((message, result))
            finally:
                # What 1C answered is stored even when it went down since
                count = cls._results(
                    [m for m, _ in answered], [r for _, r in answered], now)
            return last, count

        if not commit:
            return batch()
        with Transaction().new_transaction() as transaction:
            try:
                result = batch()
            except _Down:
                transaction.commit()
                raise
            except backend.DatabaseOperationalError:
                # Another sender changed the rows since this transaction
                # began: they are his
                transaction.rollback()
                return None
            transaction.commit()
            return result

    @classmethod
    def send_queue_cron(cls):
        "ir.cron: send the queue, committing batch by batch"
        return cls.send_queue(commit=True)

    @classmethod
    def _send_counterparties(cls, client, messages, now):
        payloads = [m.target.onec_payload() for m in messages]
        try:
            if len(payloads) == 1:
                results = [client.upsert_counterparty(payloads[0])]
            else:
                results = client.upsert_counterparties(payloads)
        except ExchangeError as error:
            cls._failed(messages, error, now)
            raise _Down() from error
        return cls._results(messages, results, now)

    @classmethod
    def _results(cls, messages, results, now):
        """Store the Refs 1C returned and stop the refused messages.

        A file's own Ref is kept on its message only."""
        pool = Pool()
        Activity = pool.get('mrk.activity')
        delivered = 0
        errors = []
        done = []
        writes = {}
        for message, result in zip(messages, results):
            if result['Status'] in {'Created', 'Updated'} and result['Ref']:
                record = message.target
                if message.kind != 'file' and (
                        record.onec_ref != result['Ref']):
                    writes.setdefault(record.__class__, []).extend(
                        [[record], {'onec_ref': result['Ref']}])
                message.state = 'sent'
                message.ref = result['Ref']
                message.sent_at = now
                message.last_error = None
                message.next_try = None
                done.append(message)
                delivered += 1
            else:
                message.state = 'error'
                message.last_error = result['Message'] or result['Status']
                message.attempts = (message.attempts or 0) + 1
                if not message.first_failure:
                    message.first_failure = now
                errors.append(message)
        for Model, args in writes.items():
            Model.write(*args)
        if messages:
            cls.save(messages)
        for message in errors:
            Activity.schedule(FUNCTIONS[message.kind], [message.origin],
                note=gettext('mrk_1c.msg_exchange_error_note',
                    record=message.target.rec_name,
                    error=message.last_error))
        for kind in {m.kind for m in done}:
            Activity.close([m.origin for m in done if m.kind == kind],
                [FUNCTIONS[kind]])
        return delivered

    @classmethod
    def _failed(cls, messages, error, now):
        "A call that failed as a whole: retried later, 1 min doubling to 1 h"
        for message in messages:
            message.attempts = (message.attempts or 0) + 1
            message.next_try = now + backoff(message.attempts)
            message.last_error = error.message
            if not message.first_failure:
                message.first_failure = now
        cls.save(messages)
        cls.alert(messages, now)

    @classmethod
    def alert(cls, messages, now):
        """After 24 h of failures, tell the administrator and the head once
        (the bell of the web client)"""
        pool = Pool()
        Configuration = pool.get('mrk.configuration')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        late = [m for m in messages if m.first_failure and not m.alerted
            and now - m.first_failure >= ALERT_AFTER]
        if not late:
            return
        users = set(User.search([
                    ('groups', '=', ModelData.get_id(
                            'mrk_base', 'group_mrk_admin')),
                    ]))
        head = Configuration(1).get_head()
        if head:
            users.add(head)
        description = '\n'.join('%s: %s' % (m.rec_name, m.last_error)
            for m in late[:20])
        for user in users:
            cls.notify_user(late, 'tryton-warning',
                gettext('mrk_1c.msg_exchange_failing', count=len(late)),
                description=description, user=user)
        cls.write(late, {'alerted': True})

    @classmethod
    def _parent_missing(cls, message, parent_kind, parent, now):
        """The parent has no 1C Ref yet: queue it and let the message wait
        for it (the parent is sent first at the next run)"""
        parent.__class__.onec_queue([parent])
        message.next_try = None
        message.last_error = gettext('mrk_1c.msg_waiting_parent',
            parent=parent.rec_name)
        message.save()

    @classmethod
    def _send_one(cls, client, message, method, payload, now, parent=None):
        try:
            result = getattr(client, method)(*payload)
        except ExchangeError as error:
            if error.kind == 'unknown' and parent:
                # 1C does not know the parent (it lost it, or its Ref is
                # stale): the parent is sent again before the message
                parent_kind, parent_record = parent
                parent_record.__class__.onec_queue([parent_record])
                cls._failed([message], error, now)
                message.next_try = None
                message.save()
                return None
            cls._failed([message], error, now)
            if error.kind == 'transient':
                raise _Down() from error
            return None
        return result

    @classmethod
    def _send_contract(cls, client, message, now):
        contract = message.target
        party = contract.party
        if not party.onec_ref:
            return cls._parent_missing(message, 'counterparty', party, now)
        return cls._send_one(client, message, 'upsert_contract',
            [contract.onec_payload()], now,
            parent=('counterparty', party))

    @classmethod
    def _send_terminal(cls, client, message, now):
        terminal = message.target
        placement = terminal.onec_placement()
        contract = placement.contract if placement else None
        if contract and not contract.onec_ref:
            return cls._parent_missing(message, 'contract', contract, now)
        return cls._send_one(client, message, 'upsert_terminal',
            [terminal.onec_payload()], now,
            parent=('contract', contract) if contract else None)

    @classmethod
    def _send_file(cls, client, message, now):
        attachment = message.target
        contract = attachment.resource
        if not contract.onec_ref:
            return cls._parent_missing(message, 'contract', contract, now)
        mime = (mimetypes.guess_type(attachment.name or '')[0]
            or 'application/octet-stream')
        return cls._send_one(client, message, 'attach_file',
            [contract.onec_ref, attachment.name, mime,
                attachment.data or b''], now,
            parent=('contract', contract))


class _Down(Exception):
    "1C unreachable: stop this run"


class _ForUpdateSkipLocked(For):
    "FOR UPDATE SKIP LOCKED of python-sql's select (PostgreSQL)"
    __slots__ = ()

    def __init__(self):
        super().__init__('UPDATE')

    def __str__(self):
        return super().__str__() + ' SKIP LOCKED'


def _slices(values, size=500):
    for i in range(0, len(values), size):
        yield values[i:i + size]


def _party_of(kind, record):
    if kind == 'counterparty':
        return record.id
    if kind == 'contract':
        return record.party.id if record.party else None
    if kind == 'terminal':
        placement = record.onec_placement()
        return (placement.contract.party.id
            if placement and placement.contract else None)
    if kind == 'file':
        contract = record.resource
        return contract.party.id if contract and contract.party else None

