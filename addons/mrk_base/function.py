from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields)

from .exceptions import FunctionError

SECTIONS = [
    ('1', "Contract work"),
    ('2', "Terminal installation and removal"),
    ('3', "Documents"),
    ('4', "Entry into 1C"),
    ('5', "Rent table"),
    ('6', "Document delivery"),
    ('7', "Terminal monitoring"),
    ('8', "Cash rent delivery"),
    ('9', "Non-cash rent payments"),
    ]


class Function(DeactivableMixin, ModelSQL, ModelView):
    """Responsibility matrix: a function of the commercial service.

    One record per code of the users' own list (1.1 … 9.3): which role
    carries it, its default owner and deputy, and whether it follows the
    counterparty's portfolio (seed problems 1–3, questions 1–3).
    """
    __name__ = 'mrk.function'
    __string__ = "Function"
    _rec_name = 'name'

    sequence = fields.Integer("Sequence")
    code = fields.Char("Code", required=True, readonly=True)
    name = fields.Char("Name", required=True, translate=True)
    section = fields.Selection(SECTIONS, "Section", required=True,
        readonly=True)
    group = fields.Many2One(
        'res.group', "Role", required=True, ondelete='RESTRICT',
        help="The role (group) that carries this function.")
    owner = fields.Many2One(
        'res.user', "Owner", ondelete='RESTRICT',
        help="Receives the function's activities unless the function "
        "follows the portfolio.")
    deputy = fields.Many2One(
        'res.user', "Deputy", ondelete='RESTRICT',
        help="Receives the activities when there is no owner, and those of "
        "an absent user whose absence names no deputy.")
    follows_portfolio = fields.Boolean(
        "Follows Portfolio",
        help="Activities go to the client manager of the counterparty.")
    delay = fields.Integer(
        "Deadline (days)", required=True,
        domain=[('delay', '>=', 0)],
        help="Default number of days to the deadline of a new activity.")
    description = fields.Text("Description", translate=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_uniq', Unique(t, t.code), 'mrk_base.msg_function_code_unique'),
            ]
        cls._order = [('sequence', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_delay(cls):
        return 1

    def get_rec_name(self, name):
        return '%s %s' % (self.code, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        code_value = operand
        if operator.endswith('like') and isinstance(operand, str):
            code_value = operand.strip('%') + '%'
        return [bool_op,
            ('code', operator, code_value, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def get(cls, code):
        "Return the function of the code or raise a clear error"
        functions = cls.search([('code', '=', code)], limit=1)
        if not functions:
            raise FunctionError(gettext(
                    'mrk_base.msg_function_unknown', code=code))
        return functions[0]

    def resolve_owner(self, party=None):
        """Return the user who should carry this function.

        The portfolio's client manager when the function follows the
        portfolio and the counterparty has one, otherwise the owner, then
        the deputy. Absences are applied when the activity is created
        (mrk.activity.create, mrk.absence.resolve).
        """
        if self.follows_portfolio and party and party.mrk_manager:
            return party.mrk_manager
        return self.owner or self.deputy
