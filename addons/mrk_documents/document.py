"""Register of the papers of the commercial service (6.5–6.11).

Every paper that leaves for a counterparty or comes from one is a document
with a kind, a direction, a state and, while it is at the counterparty, a
return deadline. Scans are attachments (6.8). A contract made active gets
its «original awaiting return» by itself. The daily run reminds the
counterparties of what is due (6.6), gives the client manager a call and
escalates what stays overdue beyond the grace (6.7).
"""
import datetime
import html

from sql import Null

from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, rec_name_domain)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id, If
from trytond.transaction import Transaction
from trytond.modules.mrk_base import codes

from .exceptions import DocumentError, ScanError

KINDS = [
    ('contract', "Contract Original"),
    ('amendment', "Supplementary Agreement"),
    ('price_protocol', "Price Agreement Protocol"),
    ('handover_act', "Handover Act"),
    ('termination', "Termination Agreement"),
    ('invoice', "Invoice for Payment"),
    ('work_act', "Act of Work Done"),
    ('invoice_factura', "Invoice-Factura"),
    ('other', "Other"),
    ]
# What the counterparty issues (6.10, 6.11): expected, then received
ISSUED_KINDS = ['invoice', 'work_act', 'invoice_factura']
STATES = [
    ('expected', "Expected"),
    ('prepared', "Prepared"),
    ('courier', "With the Courier"),
    ('counterparty', "At the Counterparty"),
    ('returned', "Returned"),
    ('received', "Received"),
    ('accounting', "Handed to Accounting"),
    ('archived', "Archived"),
    ('cancelled', "Cancelled"),
    ]
# The states in which the paper is in the office, ready for accounting
IN_OFFICE = ['returned', 'received']
SCAN_EXTENSIONS = {
    'pdf': b'%PDF',
    'jpg': b'\xff\xd8\xff',
    'jpeg': b'\xff\xd8\xff',
    'png': b'\x89PNG\r\n\x1a\n',
    }


def format_date(date):
    return date.strftime('%d.%m.%Y') if date else ''


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    document_return_days = fields.Integer(
        "Document Return Days", required=True,
        domain=[('document_return_days', '>', 0)],
        help="The days a counterparty has to return a signed document, "
        "for the kinds without their own term (6.5).")
    document_reminder_days = fields.Integer(
        "Reminder Days Before Deadline", required=True,
        domain=[('document_reminder_days', '>=', 0)],
        help="The first reminder goes this many days before the return "
        "deadline, the second on it, then one a week (6.6).")
    document_return_grace = fields.Integer(
        "Return Grace Days", required=True,
        domain=[('document_return_grace', '>=', 0)],
        help="A document overdue by more days is escalated to the owner "
        "of function 6.7 in the responsibility matrix.")
    document_scan_max_size = fields.Integer(
        "Scan Size Limit (MB)", required=True,
        domain=[('document_scan_max_size', '>', 0)],
        help="Scans larger than this are refused (6.8).")

    @classmethod
    def default_document_return_days(cls):
        return 14

    @classmethod
    def default_document_reminder_days(cls):
        return 3

    @classmethod
    def default_document_return_grace(cls):
        return 7

    @classmethod
    def default_document_scan_max_size(cls):
        return 10


class ReturnTerm(ModelSQL, ModelView):
    """Return deadline of a kind of document (6.5): the days the
    counterparty has to return it signed."""
    __name__ = 'mrk.document.return_term'
    __string__ = "Document Return Term"

    kind = fields.Selection(KINDS, "Kind", required=True)
    days = fields.Integer("Days", required=True,
        domain=[('days', '>', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('kind_unique', Unique(t, t.kind),
                'mrk_documents.msg_return_term_unique'),
            ]

    @classmethod
    def days_by_kind(cls):
        "{kind: days} of every kind, the configured default for the others"
        config = Pool().get('mrk.configuration')(1)
        days = {k: config.document_return_days for k, _ in KINDS}
        days.update({t.kind: t.days for t in cls.search([])})
        return days


class Document(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    """Document (register «Документы», 6.5–6.11): a paper sent to a
    counterparty for signature or received from it, where it is now and
    when it must come back."""
    __name__ = 'mrk.document'
    __string__ = "Document"

    _open = {'readonly': Eval('state').in_(
            ['accounting', 'archived', 'cancelled'])}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_open)
    kind = fields.Selection(KINDS, "Kind", required=True, states=_open)
    kind_string = kind.translated('kind')
    direction = fields.Selection([
            ('outgoing', "To the Counterparty for Signature"),
            ('incoming', "From the Counterparty"),
            ], "Direction", required=True, states=_open)
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        states=_open)
    inn = fields.Function(fields.Char("INN"), 'get_inn',
        searcher='search_inn')
    contract = fields.Many2One(
        'mrk.contract', "Contract", ondelete='RESTRICT',
        domain=[If(Bool(Eval('party')),
                ('party', '=', Eval('party', -1)), ())],
        states=_open)
    manager = fields.Function(fields.Many2One(
            'res.user', "Client Manager"), 'get_manager',
        searcher='search_manager')
    period = fields.Date("Period",
        states=_open,
        help="The first day of the month or quarter an invoice or an act "
        "is for.")
    period_kind = fields.Selection([
            (None, ""),
            ('month', "Month"),
            ('quarter', "Quarter"),
            ], "Period Kind", states=_open)
    number = fields.Char("Number", states=_open)
    date = fields.Date("Date", states=_open)
    copies = fields.Integer("Copies", required=True,
        domain=[('copies', '>', 0)], states=_open)
    description = fields.Text("Description")
    courier = fields.Many2One(
        'res.user', "Courier", ondelete='RESTRICT',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_courier'))],
        states={
            'readonly': ~Eval('state').in_(['prepared']),
            },
        help="The development manager who carries the document.")
    sent_on = fields.Date("Sent On", readonly=True)
    return_deadline = fields.Date("Return Deadline", readonly=True,
        help="When the counterparty must return the signed document (6.5).")
    returned_on = fields.Date("Returned On", readonly=True)
    received_on = fields.Date("Received On", readonly=True)
    handed_on = fields.Date("Handed to Accounting On", readonly=True)
    next_reminder_on = fields.Date("Next Reminder On", readonly=True)
    reminder_count = fields.Integer("Reminders Sent", readonly=True)
    escalated_on = fields.Date("Escalated On", readonly=True)
    return_status = fields.Function(fields.Selection([
                (None, ""),
                ('overdue', "Overdue"),
                ('week', "Due This Week"),
                ('later', "Due Later"),
                ], "Return"), 'get_return_status',
        searcher='search_return_status')
    overdue_days = fields.Function(
        fields.Integer("Days Overdue"), 'get_return_status')
    # 1 per document, for the graph to count them
    one = fields.Function(fields.Integer("Documents"), 'get_one')
    reminders = fields.One2Many(
        'mrk.document.reminder', 'document', "Reminders", readonly=True)
    scans = fields.One2Many('ir.attachment', 'resource', "Scans",
        help="PDF, JPEG or PNG scans of the document (6.8).")
    scanned = fields.Function(fields.Boolean("Scanned"), 'get_scanned')
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    del _open

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.contract, Index.Equality())),
                Index(t, (t.number, Index.Similarity())),
                Index(t, (t.next_reminder_on, Index.Range()),
                    where=t.state == 'counterparty'),
                Index(t, (t.return_deadline, Index.Range()),
                    where=(t.state == 'counterparty')
                    & (t.escalated_on == Null)),
                Index(t, (t.contract, Index.Equality()),
                    (t.kind, Index.Equality()),
                    (t.period, Index.Equality())),
                })
        cls._order = [
            ('date', 'DESC NULLS FIRST'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('prepared', 'courier'),
            ('courier', 'prepared'),
            ('prepared', 'counterparty'),
            ('courier', 'counterparty'),
            ('counterparty', 'returned'),
            ('expected', 'received'),
            ('returned', 'accounting'),
            ('received', 'accounting'),
            ('returned', 'archived'),
            ('accounting', 'archived'),
            ('expected', 'cancelled'),
            ('prepared', 'cancelled'),
            ('courier', 'cancelled'),
            ('counterparty', 'cancelled'),
            }
        cls._workflow_fields |= {
            'state', 'sent_on', 'return_deadline', 'returned_on',
            'received_on', 'handed_on', 'next_reminder_on',
            'reminder_count', 'escalated_on'}
        fixed = {'company', 'kind', 'direction', 'party', 'contract',
            'period', 'period_kind', 'number', 'date', 'copies'}
        for state in ['accounting', 'archived', 'cancelled']:
            cls._frozen_fields.setdefault(state, set()).update(fixed)
        for state, _ in STATES:
            if state != 'prepared':
                cls._frozen_fields.setdefault(state, set()).add('courier')
        cls._deletable_states = {'prepared', 'expected'}
        cls._buttons.update({
                'give_courier': {
                    'invisible': Eval('state') != 'prepared',
                    'readonly': ~Eval('courier'),
                    'icon': 'tryton-forward',
                    'depends': ['state', 'courier'],
                    },
                'take_back': {
                    'invisible': Eval('state') != 'courier',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'send': {
                    'invisible': ~Eval('state').in_(['prepared', 'courier']),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'return_': {
                    'invisible': Eval('state') != 'counterparty',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'receive': {
                    'invisible': Eval('state') != 'expected',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'hand_over': {
                    'invisible': ~Eval('state').in_(IN_OFFICE),
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'archive': {
                    'invisible': ~Eval('state').in_(
                        ['returned', 'accounting']),
                    'icon': 'tryton-archive',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(
                        ['expected', 'prepared', 'courier', 'counterparty']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'prepared'

    @classmethod
    def default_direction(cls):
        return 'outgoing'

    @classmethod
    def default_kind(cls):
        return 'contract'

    @classmethod
    def default_copies(cls):
        return 2

    @classmethod
    def default_reminder_count(cls):
        return 0

    @fields.depends('contract', 'party', '_parent_contract.party')
    def on_change_contract(self):
        if self.contract and not self.party:
            self.party = self.contract.party

    def get_inn(self, name):
        return getattr(self.party, 'inn', None) if self.party else None

    @classmethod
    def search_inn(cls, name, clause):
        return [('party.inn',) + tuple(clause[1:])]

    def get_manager(self, name):
        "The client manager of the counterparty, else of the contract"
        if self.party and self.party.mrk_manager:
            return self.party.mrk_manager.id
        if self.contract and self.contract.manager:
            return self.contract.manager.id

    @classmethod
    def search_manager(cls, name, clause):
        _, operator, value = clause[:3]
        return ['OR',
            ('party.mrk_manager',) + tuple(clause[1:]),
            [('party.mrk_manager', '=', None),
                ('contract.manager',) + tuple(clause[1:])],
            ]

    @classmethod
    def get_return_status(cls, documents, names):
        today = Pool().get('ir.date').today()
        week_end = today + datetime.timedelta(days=6 - today.weekday())
        result = {n: {} for n in names}
        for document in documents:
            status = days = None
            deadline = document.return_deadline
            if document.state == 'counterparty' and deadline:
                if deadline < today:
                    status = 'overdue'
                    days = (today - deadline).days
                elif deadline <= week_end:
                    status = 'week'
                else:
                    status = 'later'
            if 'return_status' in result:
                result['return_status'][document.id] = status
            if 'overdue_days' in result:
                result['overdue_days'][document.id] = days
        return result

    def get_one(self, name):
        return 1

    @classmethod
    def search_return_status(cls, name, clause):
        # Computed on the server: the client's Date() may be a day off
        # for the company's time zone
        _, operator, value = clause[:3]
        today = Pool().get('ir.date').today()
        week_end = today + datetime.timedelta(days=6 - today.weekday())
        due = [('state', '=', 'counterparty'),
            ('return_deadline', '!=', None)]
        ranges = {
            'overdue': due + [('return_deadline', '<', today)],
            'week': due + [('return_deadline', '>=', today),
                ('return_deadline', '<=', week_end)],
            'later': due + [('return_deadline', '>', week_end)],
            }
        if operator in {'=', '!='}:
            values = {value}
        elif operator in {'in', 'not in'}:
            values = set(value or [])
        else:
            return []
        if operator in {'!=', 'not in'}:
            values = set(ranges) - values
        domain = ['OR'] + [ranges[v] for v in values if v in ranges]
        if len(domain) == 1:
            domain = [('id', '=', None)]
        return domain

    @classmethod
    def get_scanned(cls, documents, name):
        "Whether a document has a scan: one query for the list"
        pool = Pool()
        Attachment = pool.get('ir.attachment')
        attachment = Attachment.__table__()
        cursor = Transaction().connection.cursor()
        result = {d.id: False for d in documents}
        resources = ['%s,%s' % (cls.__name__, d.id) for d in documents]
        for i in range(0, len(resources), 1000):
            cursor.execute(*attachment.select(attachment.resource,
                    where=attachment.resource.in_(resources[i:i + 1000]),
                    group_by=[attachment.resource]))
            for resource, in cursor:
                result[int(resource.split(',')[1])] = True
        return result

    def get_rec_name(self, name):
        kind = self.kind_string if self.kind else ''
        number = (' № %s' % self.number) if self.number else ''
        party = self.party.rec_name if self.party else ''
        return '%s%s: %s' % (kind, number, party)

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, [
                'number',
                'party.rec_name',
                'contract.rec_name',
                ])

    @classmethod
    def create(cls, vlist):
        documents = super().create(vlist)
        # What comes from the counterparty is expected until received
        incoming = [d for d in documents
            if d.direction == 'incoming' and d.state == 'prepared']
        if incoming:
            cls.write(incoming, {'state': 'expected'})
        return documents

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('reminders')
        default.setdefault('scans')
        default.setdefault('reminder_count', 0)
        return super().copy(documents, default=default)

    # -- transitions -------------------------------------------------------

    @classmethod
    @ModelView.button
    @Workflow.transition('courier')
    def give_courier(cls, documents):
        "Hand the documents to their courier (6.3)"
        for document in documents:
            if not document.courier:
                raise DocumentError(gettext(
                        'mrk_documents.msg_document_no_courier',
                        document=document.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('prepared')
    def take_back(cls, documents):
        "The courier brought the documents back undelivered (6.4)"
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('counterparty')
    def send(cls, documents, date=None):
        """The counterparty has the documents: those sent for signature get
        their return deadline (6.5) and the date of the first reminder."""
        pool = Pool()
        Date = pool.get('ir.date')
        ReturnTerm = pool.get('mrk.document.return_term')
        config = pool.get('mrk.configuration')(1)
        today = date or Date.today()
        days = ReturnTerm.days_by_kind()
        before = datetime.timedelta(days=config.document_reminder_days)
        to_write = []
        for document in documents:
            values = {'sent_on': today}
            if document.direction == 'outgoing':
                deadline = today + datetime.timedelta(
                    days=days[document.kind])
                values['return_deadline'] = deadline
                values['next_reminder_on'] = max(today, deadline - before)
            to_write.extend([[document], values])
        if to_write:
            cls.write(*to_write)

    @classmethod
    @ModelView.button
    @Workflow.transition('returned')
    def return_(cls, documents, date=None):
        "The signed document came back (6.5): its reminders stop"
        today = date or Pool().get('ir.date').today()
        cls.write(documents, {
                'returned_on': today,
                'next_reminder_on': None,
                })
        Pool().get('mrk.activity').close(documents, [codes.DOCUMENT_RETURN_CONTROL, codes.DOCUMENT_RETURN_REMINDER, codes.DOCUMENT_RETURN_DELAY])

    @classmethod
    @ModelView.button
    @Workflow.transition('received')
    def receive(cls, documents, date=None):
        """The counterparty's invoice, act or invoice-factura came
        (6.10, 6.11): its number and date are required."""
        for document in documents:
            if not document.number or not document.date:
                raise DocumentError(gettext(
                        'mrk_documents.msg_document_receive_number',
                        document=document.rec_name))
        today = date or Pool().get('ir.date').today()
        cls.write(documents, {'received_on': today})
        Pool().get('mrk.activity').close(documents, [codes.INVOICES_TO_ACCOUNTING, codes.ACTS_TO_ACCOUNTING])

    @classmethod
    @ModelView.button
    @Workflow.transition('accounting')
    def hand_over(cls, documents, date=None):
        "The originals went to accounting (6.9–6.11)"
        today = date or Pool().get('ir.date').today()
        cls.write(documents, {'handed_on': today})

    @classmethod
    @ModelView.button
    @Workflow.transition('archived')
    def archive(cls, documents):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, documents):
        cls.write(documents, {'next_reminder_on': None})
        Pool().get('mrk.activity').close(documents, [codes.DOCUMENT_RETURN_CONTROL, codes.DOCUMENT_RETURN_REMINDER, codes.DOCUMENT_RETURN_DELAY])

    # -- return control (6.5–6.7) ---------------------------------------------

    @classmethod
    def remind_returns(cls, date=None):
        """Daily run of the return control (6.6, 6.7).

        The documents to remind are one indexed search (the next reminder
        is stored on the document): each gets an e-mail to its counterparty
        (before the deadline, on it, then weekly), a line in its reminders
        and, from the deadline, one call activity of function 6.6. The
        documents overdue beyond the grace and not yet escalated are a
        second search and get an activity of function 6.7."""
        pool = Pool()
        Date = pool.get('ir.date')
        Activity = pool.get('mrk.activity')
        config = pool.get('mrk.configuration')(1)
        today = date or Date.today()
        week = datetime.timedelta(days=7)

        with Transaction().set_context(_check_access=False):
            due = cls.search([
                    ('state', '=', 'counterparty'),
                    ('next_reminder_on', '<=', today),
                    ], order=[('id', 'ASC')])
        if due:
            cls._send_reminders(due, today)
            to_write = []
            for document in due:
                if today < document.return_deadline:
                    following = document.return_deadline
                else:
                    following = today + week
                to_write.extend([[document], {
                            'next_reminder_on': following,
                            'reminder_count': (
                                document.reminder_count or 0) + 1,
                            }])
            cls.write(*to_write)
            overdue = [d for d in due if d.return_deadline <= today]
            if overdue:
                called = {a.origin.id for a in Activity.open_for(
                        overdue, [codes.DOCUMENT_RETURN_REMINDER])}
                to_call = [d for d in overdue if d.id not in called]
                if to_call:
                    Activity.schedule(codes.DOCUMENT_RETURN_REMINDER, to_call, deadline=today,
                        note=gettext('mrk_documents.msg_document_call_note'))

        limit = today - datetime.timedelta(days=config.document_return_grace)
        with Transaction().set_context(_check_access=False):
            late = cls.search([
                    ('state', '=', 'counterparty'),
                    ('escalated_on', '=', None),
                    ('return_deadline', '<', limit),
                    ], order=[('id', 'ASC')])
        if late:
            # One call for the documents of one deadline: one save each
            by_deadline = {}
            for document in late:
                by_deadline.setdefault(document.return_deadline, []
                    ).append(document)
            for deadline, documents in sorted(by_deadline.items()):
                Activity.schedule(codes.DOCUMENT_RETURN_DELAY, documents, deadline=today,
                    note=gettext('mrk_documents.msg_document_escalation_note',
                        days=(today - deadline).days,
                        deadline=format_date(deadline)))
            cls.write(late, {'escalated_on': today})
        return due, late

    @classmethod
    def _send_reminders(cls, documents, today):
        """E-mail each counterparty its reminder in Russian (6.6) and log it
        on the document; a counterparty without e-mail is logged too, so
        the call covers it."""
        pool = Pool()
        Email = pool.get('ir.email')
        Reminder = pool.get('mrk.document.reminder')
        reminders = []
        for document in documents:
            deadline = document.return_deadline
            if today < deadline:
                stage = 'before'
            elif today == deadline:
                stage = 'deadline'
            else:
                stage = 'after'
            to = document.party.email if document.party else None
            if to:
                subject = gettext('mrk_documents.msg_reminder_subject',
                    document=document.rec_name)
                body = '<br/>'.join(html.escape(line) for line in gettext(
                        'mrk_documents.msg_reminder_body_%s' % stage,
                        document=document.rec_name,
                        contract=(document.contract.rec_name
                            if document.contract else '—'),
                        sent=format_date(document.sent_on),
                        deadline=format_date(deadline),
                        days=(today - deadline).days,
                        ).splitlines())
                Email.send(to=to, subject=subject, body=body,
                    record=(cls.__name__, document.id))
            reminders.append({
                    'document': document.id,
                    'date': today,
                    'stage': stage,
                    'email': to,
                    })
        Reminder.create(reminders)


class Reminder(ModelSQL, ModelView):
    "Reminder of a document's return sent to the counterparty (6.6)"
    __name__ = 'mrk.document.reminder'
    __string__ = "Document Reminder"

    document = fields.Many2One(
        'mrk.document', "Document", required=True, ondelete='CASCADE',
        readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    stage = fields.Selection([
            ('before', "Before the Deadline"),
            ('deadline', "On the Deadline"),
            ('after', "Overdue"),
            ], "Stage", required=True, readonly=True)
    email = fields.Char("E-mail", readonly=True,
        help="Empty when the counterparty has no e-mail: the call remains.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]


class Contract(metaclass=PoolMeta):
    __name__ = 'mrk.contract'

    documents = fields.One2Many(
        'mrk.document', 'contract', "Documents", readonly=True)
    original_state = fields.Function(fields.Selection(
            [(None, "")] + STATES, "Original"), 'get_original')
    original_scanned = fields.Function(
        fields.Boolean("Original Scanned"), 'get_original')

    @classmethod
    def get_original(cls, contracts, names):
        """Where the signed original is and whether it is scanned (6.8,
        6.9): the last original of each contract, one search for the list."""
        pool = Pool()
        Document = pool.get('mrk.document')
        result = {n: {c.id: None for c in contracts} for n in names}
        if 'original_scanned' in result:
            result['original_scanned'] = {c.id: False for c in contracts}
        originals = Document.search([
                ('contract', 'in', [c.id for c in contracts]),
                ('kind', '=', 'contract'),
                ('state', '!=', 'cancelled'),
                ], order=[('id', 'ASC')])
        scanned = Document.get_scanned(originals, 'scanned')
        for document in originals:
            contract_id = document.contract.id
            if 'original_state' in result:
                result['original_state'][contract_id] = document.state
            if 'original_scanned' in result:
                result['original_scanned'][contract_id] = scanned[document.id]
        return result

    @classmethod
    def activate(cls, contracts):
        super().activate(contracts)
        cls._create_originals(contracts)

    @classmethod
    def _create_originals(cls, contracts):
        """A contract made active gets its «original awaiting return»
        (6.5) unless the original is already registered."""
        pool = Pool()
        Document = pool.get('mrk.document')
        with Transaction().set_context(_check_access=False):
            registered = {d.contract.id for d in Document.search([
                        ('contract', 'in', [c.id for c in contracts]),
                        ('kind', '=', 'contract'),
                        ('state', '!=', 'cancelled'),
                        ])}
            new = [c for c in contracts if c.id not in registered]
            if not new:
                return
            documents = Document.create([{
                        'company': c.company.id,
                        'kind': 'contract',
                        'direction': 'outgoing',
                        'party': c.party.id,
                        'contract': c.id,
                        'number': c.number,
                        'date': c.date,
                        } for c in new])
            Document.send(documents)


class Attachment(metaclass=PoolMeta):
    __name__ = 'ir.attachment'

    @classmethod
    def validate(cls, attachments):
        super().validate(attachments)
        cls.check_document_scans(attachments)

    @classmethod
    def check_document_scans(cls, attachments):
        """The scans of a document are PDF, JPEG or PNG files within the
        configured size (6.8)"""
        pool = Pool()
        config = pool.get('mrk.configuration')(1)
        limit = config.document_scan_max_size * 1024 * 1024
        for attachment in attachments:
            resource = attachment.resource
            if not resource or resource.__name__ != 'mrk.document':
                continue
            name = attachment.name or ''
            extension = name.rsplit('.', 1)[-1].lower() if '.' in name else ''
            data = attachment.data or b''
            if (attachment.type != 'data'
                    or extension not in SCAN_EXTENSIONS
                    or not bytes(data).startswith(
                        SCAN_EXTENSIONS[extension])):
                raise ScanError(gettext(
                        'mrk_documents.msg_scan_type',
                        name=name, document=resource.rec_name))
            if len(data) > limit:
                raise ScanError(gettext(
                        'mrk_documents.msg_scan_size',
                        name=name, document=resource.rec_name,
                        size=config.document_scan_max_size))


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('mrk.document|remind_returns',
                    "Remind of Documents Due Back"),
                ('mrk.document|run_expected',
                    "Make and Chase the Expected Documents"),
                ])
