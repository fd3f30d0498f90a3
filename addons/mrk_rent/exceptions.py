from trytond.exceptions import UserError
from trytond.model.exceptions import ValidationError


class RentTermError(ValidationError):
    pass


class RentError(UserError):
    pass


class RouteError(ValidationError):
    pass


class CashRunError(UserError):
    pass


class RegistryError(UserError):
    pass


class RegistryLineError(ValidationError):
    pass


class LegacyImportError(UserError):
    pass
