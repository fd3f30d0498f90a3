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


class PortfolioAccessError(AccessError):
    pass


class WorkflowAccessError(AccessError):
    "A change that only the transitions of a workflow make"
    pass


class ReportAccessError(AccessError):
    pass


class ReportRecordsError(UserError):
    pass


class InputLimitError(ValidationError):
    pass
