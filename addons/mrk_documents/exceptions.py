from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class DocumentError(UserError):
    pass


class ScanError(ValidationError):
    pass
