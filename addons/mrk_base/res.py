from trytond.pool import PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    def get_status_bar(self, name):
        status = super().get_status_bar(name)
        # One company in roubles: its sign reads better than "[RUB]".
        if self.company and self.company.currency.symbol:
            code = ' [%s]' % self.company.currency.code
            if status.endswith(code):
                status = status[:-len(code)] + ' [%s]' % (
                    self.company.currency.symbol)
        return status
