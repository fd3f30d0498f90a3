from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RentTermError(ValidationError):
    pass


class RentError(UserError):
    pass
