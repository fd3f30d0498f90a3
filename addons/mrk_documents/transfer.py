"""Hand-over of originals to accounting (6.9–6.11).

The office administrator puts the returned originals and the received
invoices, acts and invoice-factura on a numbered transfer list (опись
передачи), prints it and hands the papers over; the accountant confirms
the receipt in the system, line by line where a paper is missing (the
exception goes back to the office). The contract shows its original «in
accounting» with the list's number and date.
"""
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.mrk_base.model import WorkflowGuardMixin
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id, If
from trytond.transaction import Transaction

from .document import IN_OFFICE, format_date
from .exceptions import DocumentError


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    transfer_sequence = fields.Many2One(
        'ir.sequence.strict', "Transfer List Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('mrk_documents', 'sequence_type_transfer')),
            ],
        help="Numbers the transfer lists to accounting without gaps.")

    @classmethod
    def default_transfer_sequence(cls):
        try:
            return Pool().get('ir.model.data').get_id(
                'mrk_documents', 'sequence_transfer')
        except KeyError:
            return None


class Transfer(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    "Transfer list of documents to accounting (опись передачи, 6.9–6.11)"
    __name__ = 'mrk.document.transfer'
    __string__ = "Transfer List"

    company = fields.Many2One('company.company', "Company", required=True,
        states={'readonly': Eval('state') != 'draft'})
    number = fields.Char("Number", readonly=True)
    date = fields.Date("Date", readonly=True)
    lines = fields.One2Many('mrk.document.transfer.line', 'transfer',
        "Documents",
        states={'readonly': ~Eval('state').in_(['draft', 'handed'])})
    handed_by = fields.Many2One('res.user', "Handed By", readonly=True)
    confirmed_by = fields.Many2One('res.user', "Confirmed By", readonly=True)
    confirmed_on = fields.Date("Confirmed On", readonly=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('handed', "Handed to Accounting"),
            ('confirmed', "Confirmed"),
            ('cancelled', "Cancelled"),
            ], "State", required=True, readonly=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'handed'),
            ('handed', 'confirmed'),
            ('draft', 'cancelled'),
            }
        cls._workflow_fields |= {'state', 'number', 'date', 'handed_by',
            'confirmed_by', 'confirmed_on'}
        cls._frozen_fields.update({
                'handed': {'company'},
                'confirmed': {'company', 'lines'},
                'cancelled': {'company', 'lines'},
                })
        cls._deletable_states = {'draft'}
        cls._buttons.update({
                'hand': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'handed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        if self.number:
            return '%s от %s' % (self.number, format_date(self.date))
        return '#%s' % self.id

    @classmethod
    @ModelView.button
    @Workflow.transition('handed')
    def hand(cls, transfers, date=None):
        """Number the lists, hand their documents to accounting"""
        pool = Pool()
        Document = pool.get('mrk.document')
        config = pool.get('mrk.configuration')(1)
        today = date or pool.get('ir.date').today()
        documents = []
        for transfer in transfers:
            if not transfer.lines:
                raise DocumentError(gettext(
                        'mrk_documents.msg_transfer_empty',
                        transfer=transfer.rec_name))
            for line in transfer.lines:
                if line.document.state not in IN_OFFICE:
                    raise DocumentError(gettext(
                            'mrk_documents.msg_transfer_document_state',
                            transfer=transfer.rec_name,
                            document=line.document.rec_name,
                            state=line.document.state_string))
                documents.append(line.document)
        for transfer in sorted(transfers, key=lambda t: t.id):
            transfer.number = config.transfer_sequence.get()
            transfer.date = today
            transfer.handed_by = Transaction().user
        cls.save(transfers)
        with Transaction().set_context(_check_access=False):
            Document.hand_over(documents, date=today)

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, transfers, date=None):
        """The accountant confirms the receipt (6.9): the lines marked as an
        exception go back to the office"""
        pool = Pool()
        Document = pool.get('mrk.document')
        today = date or pool.get('ir.date').today()
        back = {'returned': [], 'received': []}
        for transfer in transfers:
            for line in transfer.lines:
                if line.exception:
                    if not line.exception_note:
                        raise DocumentError(gettext(
                                'mrk_documents.msg_transfer_exception_note',
                                transfer=transfer.rec_name,
                                document=line.document.rec_name))
                    state = ('returned' if line.document.direction
                        == 'outgoing' else 'received')
                    back[state].append(line.document)
        cls.write(transfers, {
                'confirmed_by': Transaction().user,
                'confirmed_on': today,
                })
        # Not a transition of the document: accounting did not get it
        with Transaction().set_context(_check_access=False):
            for state, documents in back.items():
                if documents:
                    Document.write(documents, {
                            'state': state, 'handed_on': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, transfers):
        pass


class TransferLine(WorkflowGuardMixin, ModelSQL, ModelView):
    "Document on a transfer list"
    __name__ = 'mrk.document.transfer.line'
    __string__ = "Transfer List Line"

    transfer = fields.Many2One('mrk.document.transfer', "Transfer List",
        required=True, ondelete='CASCADE')
    document = fields.Many2One('mrk.document', "Document", required=True,
        ondelete='RESTRICT',
        # Checked when the list is handed, with a message naming the
        # document: a domain here would fail once the document moved on
        domain=[If(Eval('transfer_state') == 'draft',
                ('state', 'in', IN_OFFICE), ())],
        states={'readonly': Eval('transfer_state') != 'draft'})
    transfer_state = fields.Function(fields.Selection(
            'get_transfer_states', "List State"), 'on_change_with_transfer_state')
    exception = fields.Boolean("Not Received",
        states={'readonly': Eval('transfer_state') != 'handed'},
        help="Accounting did not get this document: it goes back to the "
        "office.")
    exception_note = fields.Char("Exception",
        states={'readonly': Eval('transfer_state') != 'handed'})

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._guard_parent = 'transfer'
        cls._frozen_fields.update({
                'handed': {'transfer', 'document'},
                'confirmed': {'transfer', 'document', 'exception',
                    'exception_note'},
                'cancelled': {'transfer', 'document', 'exception',
                    'exception_note'},
                })

    @classmethod
    def default_exception(cls):
        return False

    @classmethod
    def get_transfer_states(cls):
        return Pool().get('mrk.document.transfer').fields_get(
            ['state'])['state']['selection']

    @fields.depends('transfer', '_parent_transfer.state')
    def on_change_with_transfer_state(self, name=None):
        return self.transfer.state if self.transfer else None


class Contract(metaclass=PoolMeta):
    __name__ = 'mrk.contract'

    original_transfer = fields.Function(
        fields.Char("Original in Accounting"), 'get_original_transfer')

    @classmethod
    def get_original_transfer(cls, contracts, name):
        """«№ О-2026-0001 от 07.12.2026» of the list that took the
        contract's original to accounting (6.9)"""
        pool = Pool()
        Line = pool.get('mrk.document.transfer.line')
        result = {c.id: None for c in contracts}
        lines = Line.search([
                ('document.contract', 'in', [c.id for c in contracts]),
                ('document.kind', '=', 'contract'),
                ('document.state', 'in', ['accounting', 'archived']),
                ('transfer.state', 'in', ['handed', 'confirmed']),
                ('exception', '=', False),
                ], order=[('id', 'ASC')])
        for line in lines:
            result[line.document.contract.id] = line.transfer.rec_name
        return result
