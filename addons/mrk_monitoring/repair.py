"""«Вызвать техника» (7.4): a field job of the technical service from a
downtime or a counterparty's complaint."""
from trytond.model import ModelView, fields
from trytond.model.exceptions import AccessButtonError
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

JOB_KINDS = [
    ('repair', "Repair"),
    ('replacement', "Replacement"),
    ('painting', "Painting"),
    ('reinforcement', "Reinforcement"),
    ]


def check_call_technician(Model, records):
    """The wizard runs without the checks of a button: the user must be
    allowed the button «Вызвать техника» and write the records (rules)"""
    pool = Pool()
    Button = pool.get('ir.model.button')
    Rule = pool.get('ir.rule')
    User = pool.get('res.user')
    transaction = Transaction()
    if not transaction.user or not transaction.check_access:
        return
    groups = Button.get_groups(Model.__name__, 'call_technician')
    if groups and not groups & set(User.get_groups()):
        raise AccessButtonError(Model.__names__()['model'])
    Rule.check(Model.__name__, [r.id for r in records], mode='write')


class CallTechnicianStart(ModelView):
    "Call a technician"
    __name__ = 'mrk.monitoring.call_technician.start'
    __string__ = "Call a Technician"

    kind = fields.Selection(JOB_KINDS, "Work", required=True)
    description = fields.Text("Work to Do",
        help="Empty: the terminal, the downtime and its cause.")

    @classmethod
    def default_kind(cls):
        return 'repair'


class CallTechnician(Wizard):
    """Create the field job of the chosen kind for the terminal and the
    point of the downtime or complaint, linked both ways, in the 2.x flow
    (it goes to its signer first)"""
    __name__ = 'mrk.monitoring.call_technician'
    __string__ = "Call a Technician"

    start = StateView('mrk.monitoring.call_technician.start',
        'mrk_monitoring.call_technician_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Create Field Job", 'create_', 'tryton-ok', default=True),
            ])
    create_ = StateAction('mrk_field_jobs.act_field_job_form')

    def do_create_(self, action):
        Model = Pool().get(self.model.__name__)
        records = Model.browse([r.id for r in self.records])
        jobs = Model.start_repair(records, self.start.kind,
            description=self.start.description)
        action['res_id'] = [j.id for j in jobs]
        return action, {}
