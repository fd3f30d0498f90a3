from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class PlacementError(ValidationError):
    pass


class TerminalError(UserError):
    pass


class PointError(UserError):
    pass
