from trytond.exceptions import UserError, UserWarning
from trytond.model.exceptions import ValidationError


class RequisitesError(ValidationError):
    pass


class DuplicateRequisitesWarning(UserWarning):
    pass


class ContractError(UserError):
    pass


class AmendmentError(ValidationError):
    pass


class ChangeRequestError(UserError):
    pass


class DocumentError(UserError):
    pass


class CompanyCardError(UserError):
    pass
