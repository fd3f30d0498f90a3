from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Commercial service settings"
    __name__ = 'mrk.configuration'
    __string__ = "Commercial Service Settings"

    head = fields.Many2One(
        'res.user', "Head of Commercial Service",
        help="Receives escalations. When empty, the first active member "
        "of the head group does.")
    escalation_delay = fields.Integer(
        "Escalation Delay", required=True,
        domain=[('escalation_delay', '>=', 0)],
        help="Days an activity may stay overdue before it is escalated "
        "to the head.")

    @classmethod
    def default_escalation_delay(cls):
        return 0

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
