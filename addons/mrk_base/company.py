from trytond.pool import PoolMeta

# The time zones of Russia, west to east, and UTC (issue 12, item 11): the
# company works in Russia, and Tryton's list of some 600 zones showed their
# English codes («Asia/Srednekolymsk») untranslated.
TIMEZONES = [
    ('Europe/Kaliningrad', "Kaliningrad (MSK-1)"),
    ('Europe/Moscow', "Moscow (MSK)"),
    ('Europe/Samara', "Samara (MSK+1)"),
    ('Asia/Yekaterinburg', "Yekaterinburg (MSK+2)"),
    ('Asia/Omsk', "Omsk (MSK+3)"),
    ('Asia/Krasnoyarsk', "Krasnoyarsk (MSK+4)"),
    ('Asia/Irkutsk', "Irkutsk (MSK+5)"),
    ('Asia/Yakutsk', "Yakutsk (MSK+6)"),
    ('Asia/Vladivostok', "Vladivostok (MSK+7)"),
    ('Asia/Magadan', "Magadan (MSK+8)"),
    ('Asia/Kamchatka', "Petropavlovsk-Kamchatsky (MSK+9)"),
    ('UTC', "UTC"),
    ]


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.timezone.selection = [(None, '')] + TIMEZONES
        cls.timezone.translate = True
