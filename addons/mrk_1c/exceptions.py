from trytond.exceptions import UserError


class ExchangeConfigurationError(UserError):
    pass


class ExchangeMessageError(UserError):
    pass
