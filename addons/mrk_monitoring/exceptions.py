from trytond.exceptions import UserError


class MonitoringError(UserError):
    pass


class FeedError(UserError):
    "A status of the monitoring feed or of its file cannot be read"
    pass
