from trytond.exceptions import UserError


class FieldJobError(UserError):
    pass
