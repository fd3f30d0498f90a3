from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import AccessError, ValidationError


class AbsenceError(ValidationError):
    pass


class FunctionError(UserError):
    pass


class ActivityError(UserError):
    pass


class ActivityWarning(UserWarning):
    pass


class ReportAccessError(AccessError):
    pass


class ReportRecordsError(UserError):
    pass


class InputLimitError(ValidationError):
    pass
