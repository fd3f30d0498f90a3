"""Document delivery requests (6.1–6.4).

A request names the documents to carry, the address and contact of the
counterparty, the wanted date and the courier (a development manager). It
is registered in the delivery journal with a gapless number Д-YYYY-NNNN
(6.2), issued to the courier with its documents (6.3), reported by the
courier from his phone (delivered to whom, or why not, and whether the
signed documents came back) and accepted by the office (6.4), which moves
its documents on: at the counterparty, returned, or back in the office.
"""
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.mrk_base.model import (
    WorkflowGuardMixin, rec_name_domain)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, Id
from trytond.transaction import Transaction

from .exceptions import DocumentError

STATES = [
    ('draft', "Draft"),
    ('registered', "Registered"),
    ('issued', "Issued to the Courier"),
    ('reported', "Reported"),
    ('accepted', "Accepted"),
    ('cancelled', "Cancelled"),
    ]
REPORT_FIELDS = {'result', 'delivered_to', 'reason', 'signed_back'}


class Configuration(metaclass=PoolMeta):
    __name__ = 'mrk.configuration'

    delivery_sequence = fields.Many2One(
        'ir.sequence.strict', "Delivery Journal Sequence", required=True,
        domain=[
            ('sequence_type', '=',
                Id('mrk_documents', 'sequence_type_delivery')),
            ],
        help="Gives the journal numbers of delivery requests without gaps "
        "(6.2).")

    @classmethod
    def default_delivery_sequence(cls):
        try:
            return Pool().get('ir.model.data').get_id(
                'mrk_documents', 'sequence_delivery')
        except KeyError:
            return None


class Delivery(WorkflowGuardMixin, Workflow, ModelSQL, ModelView):
    "Document delivery request (заявка на доставку документов, 6.1–6.4)"
    __name__ = 'mrk.delivery'
    __string__ = "Delivery Request"

    _draft = {'readonly': Eval('state') != 'draft'}
    _report = {'readonly': Eval('state') != 'issued'}

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    number = fields.Char("Journal Number", readonly=True)
    date = fields.Date("Request Date", required=True, states=_draft)
    party = fields.Many2One(
        'party.party', "Counterparty", required=True, ondelete='RESTRICT',
        states=_draft)
    address = fields.Char("Address", required=True, states=_draft)
    contact_name = fields.Char("Contact", states=_draft)
    contact_phone = fields.Char("Contact Phone", states=_draft)
    wanted_date = fields.Date("Wanted Date", required=True, states=_draft)
    courier = fields.Many2One(
        'res.user', "Courier", ondelete='RESTRICT',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_courier'))],
        states={
            'readonly': ~Eval('state').in_(['draft', 'registered']),
            'required': Eval('state').in_(['issued', 'reported', 'accepted']),
            })
    documents = fields.One2Many(
        'mrk.document', 'delivery', "Documents",
        add_remove=[
            ('party', '=', Eval('party', -1)),
            ('state', '=', 'prepared'),
            ],
        states=_draft)
    documents_text = fields.Function(
        fields.Text("Documents"), 'get_documents_text')
    result = fields.Selection([
            (None, ""),
            ('delivered', "Delivered"),
            ('not_delivered', "Not Delivered"),
            ], "Result", states=_report)
    delivered_to = fields.Char("Delivered To", states={
            'readonly': _report['readonly'],
            'invisible': Eval('result') != 'delivered',
            })
    reason = fields.Char("Reason", states={
            'readonly': _report['readonly'],
            'invisible': Eval('result') != 'not_delivered',
            })
    signed_back = fields.Boolean("Signed Documents Taken Back", states={
            'readonly': _report['readonly'],
            'invisible': Eval('result') != 'delivered',
            })
    accepted_on = fields.Date("Accepted On", readonly=True)
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    del _draft, _report

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.courier, Index.Equality()),
                    (t.wanted_date, Index.Range())),
                Index(t, (t.number, Index.Similarity())),
                })
        cls._order = [('wanted_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'registered'),
            ('registered', 'issued'),
            ('issued', 'reported'),
            ('reported', 'issued'),
            ('reported', 'accepted'),
            ('draft', 'cancelled'),
            ('registered', 'cancelled'),
            }
        cls._workflow_fields |= {'state', 'number', 'accepted_on'}
        fixed = {'company', 'date', 'party', 'address', 'contact_name',
            'contact_phone', 'wanted_date', 'documents'}
        for state, _ in STATES:
            frozen = cls._frozen_fields.setdefault(state, set())
            if state != 'draft':
                frozen |= fixed
            if state not in {'draft', 'registered'}:
                frozen.add('courier')
            if state != 'issued':
                frozen |= REPORT_FIELDS
        cls._deletable_states = {'draft'}
        cls._buttons.update({
                'register': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'issue': {
                    'invisible': Eval('state') != 'registered',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'report': {
                    'invisible': Eval('state') != 'issued',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': Eval('state') != 'reported',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'accept': {
                    'invisible': Eval('state') != 'reported',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'registered']),
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

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_signed_back(cls):
        return False

    @fields.depends('party', 'address', 'contact_phone')
    def on_change_party(self):
        if not self.party:
            return
        if not self.address:
            address = self.party.address_get()
            if address:
                self.address = address.full_address.replace('\n', ', ')
        if not self.contact_phone:
            self.contact_phone = self.party.phone

    def get_documents_text(self, name):
        return '\n'.join(d.rec_name for d in self.documents)

    def get_rec_name(self, name):
        number = self.number or '#%s' % self.id
        return '%s: %s' % (number, self.party.rec_name if self.party else '')

    @classmethod
    def search_rec_name(cls, name, clause):
        return rec_name_domain(clause, ['number', 'party.rec_name'])

    @classmethod
    @ModelView.button
    @Workflow.transition('registered')
    def register(cls, deliveries):
        "Register the requests in the delivery journal (6.2)"
        pool = Pool()
        config = pool.get('mrk.configuration')(1)
        for delivery in deliveries:
            if not delivery.documents:
                raise DocumentError(gettext(
                        'mrk_documents.msg_delivery_no_documents',
                        delivery=delivery.rec_name))
        # One by one in the order of the list: the numbers follow it
        for delivery in sorted(deliveries, key=lambda d: d.id):
            if not delivery.number:
                delivery.number = config.delivery_sequence.get()
        cls.save(deliveries)

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def issue(cls, deliveries):
        "Hand the request and its documents to the courier (6.3)"
        pool = Pool()
        Document = pool.get('mrk.document')
        to_give = []
        for delivery in deliveries:
            if not delivery.courier:
                raise DocumentError(gettext(
                        'mrk_documents.msg_delivery_no_courier',
                        delivery=delivery.rec_name))
            for document in delivery.documents:
                if document.state == 'prepared':
                    to_give.append(document)
                    document.courier = delivery.courier
        with Transaction().set_context(_check_access=False):
            Document.save(to_give)
            Document.give_courier(to_give)

    @classmethod
    @ModelView.button
    @Workflow.transition('reported')
    def report(cls, deliveries):
        "The courier reports the stop from his phone"
        for delivery in deliveries:
            if (not delivery.result
                    or (delivery.result == 'delivered'
                        and not delivery.delivered_to)
                    or (delivery.result == 'not_delivered'
                        and not delivery.reason)):
                raise DocumentError(gettext(
                        'mrk_documents.msg_delivery_report',
                        delivery=delivery.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('issued')
    def reopen(cls, deliveries):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('accepted')
    def accept(cls, deliveries, date=None):
        """The office accepts the completed request and what came back
        (6.4): documents delivered are at the counterparty (their return
        deadline runs), or returned when the courier took them back
        signed; undelivered ones are back in the office."""
        pool = Pool()
        Document = pool.get('mrk.document')
        today = date or pool.get('ir.date').today()
        delivered, signed, undelivered = [], [], []
        for delivery in deliveries:
            documents = [d for d in delivery.documents
                if d.state == 'courier']
            if delivery.result == 'delivered':
                delivered.extend(documents)
                if delivery.signed_back:
                    signed.extend(documents)
            else:
                undelivered.extend(documents)
        with Transaction().set_context(_check_access=False):
            if delivered:
                Document.send(delivered, date=today)
            if signed:
                Document.return_(signed, date=today)
            if undelivered:
                Document.take_back(undelivered)
        cls.write(deliveries, {'accepted_on': today})

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, deliveries):
        pass


class Document(metaclass=PoolMeta):
    __name__ = 'mrk.document'

    delivery = fields.Many2One(
        'mrk.delivery', "Delivery Request", ondelete='SET NULL',
        readonly=True)
