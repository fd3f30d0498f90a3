from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Id


def approver_field(string, help):
    """The setting of who receives one kind of approval: a user of the head
    group (the approval buttons are that group's), the head when empty."""
    return fields.Many2One(
        'res.user', string, ondelete='SET NULL',
        domain=[('groups', '=', Id('mrk_base', 'group_mrk_head'))],
        help=help + " When empty, the head of commercial service does. "
        "While the approver is absent, the deputy of the absence does, else "
        "the function's deputy in the responsibility matrix.")


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Commercial service settings"
    __name__ = 'mrk.configuration'
    __string__ = "Commercial Service Settings"

    head = fields.Many2One(
        'res.user', "Head of Commercial Service",
        help="Receives escalations and the approvals that have no approver "
        "set. When empty, the first active member of the head group does.")
    escalation_delay = fields.Integer(
        "Escalation Delay", required=True,
        domain=[('escalation_delay', '>=', 0)],
        help="Days an activity may stay overdue before it is escalated "
        "to the head.")

    @classmethod
    def default_escalation_delay(cls):
        return 0

    def get_approver(self, name):
        """Return the user who receives the approvals of the setting name
        (an approver field of a module's settings): the user set there,
        else the head (get_head).

        Approvals are decisions of a role, not of a person: the approver
        is a setting, not a function's owner in the matrix. While the
        approver is absent the activity goes to the deputy of the absence,
        else to the function's deputy in the matrix (mrk.activity.create).
        """
        user = getattr(self, name, None)
        if user and user.active:
            return user
        return self.get_head()

    def get_head(self):
        "Return the user who receives escalations"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        if self.head and self.head.active:
            return self.head
        group_id = ModelData.get_id('mrk_base', 'group_mrk_head')
        users = User.search([
                ('groups', '=', group_id),
                ], order=[('id', 'ASC')], limit=1)
        return users[0] if users else None
