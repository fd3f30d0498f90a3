"""«Вызвать техника» (7.4): a field job of the technical service from a
downtime or a counterparty's complaint."""
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateAction, StateView, Wizard

from .downtime import JOB_KINDS


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
