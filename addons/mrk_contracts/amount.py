"""Amounts, numbers and dates as Russian documents write them (3.1).

Pure functions, no database:

    >>> amount_in_words(Decimal('5000'))
    'Пять тысяч рублей 00 копеек'
    >>> format_amount(Decimal('5000'))
    '5\\xa0000,00'
    >>> format_date_long(datetime.date(2026, 3, 1))
    '«01» марта 2026 г.'
    >>> format_date(datetime.date(2026, 3, 1))
    '01.03.2026'
    >>> format_month(datetime.date(2026, 3, 1))
    'март 2026'
    >>> format_month_in(datetime.date(2026, 3, 1))
    'марте 2026'

Every module writes dates, amounts and month names with these.
"""
import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from num2words import num2words

NBSP = '\u00a0'
CENT = Decimal('0.01')

MONTHS = [
    'январь', 'февраль', 'март', 'апрель', 'май', 'июнь',
    'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь',
    ]
MONTHS_GENITIVE = [
    'января', 'февраля', 'марта', 'апреля', 'мая', 'июня',
    'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря',
    ]
MONTHS_PREPOSITIONAL = [
    'январе', 'феврале', 'марте', 'апреле', 'мае', 'июне',
    'июле', 'августе', 'сентябре', 'октябре', 'ноябре', 'декабре',
    ]


def plural(number, one, few, many):
    """The Russian form of a noun for a count:
    plural(1, 'рубль', 'рубля', 'рублей') == 'рубль',
    2–4 → few, 0, 5–20 and 11–14 → many."""
    number = abs(int(number))
    if number % 100 in {11, 12, 13, 14}:
        return many
    if number % 10 == 1:
        return one
    if number % 10 in {2, 3, 4}:
        return few
    return many


def _to_decimal(amount):
    if isinstance(amount, Decimal):
        value = amount
    elif isinstance(amount, float):
        # The shortest repr: 2.675 stays 2.675, not 2.67499999...
        value = Decimal(repr(amount))
    else:
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError, ValueError) as error:
            raise ValueError('Not an amount: %r' % (amount,)) from error
    if not value.is_finite():
        raise ValueError('Not an amount: %r' % (amount,))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def amount_in_words(amount):
    """The amount in rubles written out as on a contract:
    Decimal('21.01') → 'Двадцать один рубль 01 копейка'.

    Rounded half up to kopecks; negative amounts raise ValueError."""
    value = _to_decimal(amount)
    if value < 0:
        raise ValueError('Negative amount: %s' % value)
    rubles = int(value)
    kopecks = int((value - rubles) * 100)
    words = num2words(rubles, lang='ru')
    words = words[:1].upper() + words[1:]
    return '%s %s %02d %s' % (
        words, plural(rubles, 'рубль', 'рубля', 'рублей'),
        kopecks, plural(kopecks, 'копейка', 'копейки', 'копеек'))


def number_in_words(number):
    "A whole number in words: 30 → 'тридцать'"
    return num2words(int(number), lang='ru')


def count_with_words(number, one, few, many):
    """A count in figures and words as contracts write terms:
    count_with_words(30, 'день', 'дня', 'дней') == '30 (тридцать) дней'"""
    return '%s (%s) %s' % (
        number, number_in_words(number), plural(number, one, few, many))


def format_amount(amount):
    """The amount in figures: Decimal('5000') → '5 000,00' with a no-break
    space (U+00A0) between thousands and a decimal comma."""
    if amount is None:
        return ''
    value = _to_decimal(amount)
    sign = '-' if value < 0 else ''
    integer, fraction = ('%.2f' % abs(value)).split('.')
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    return '%s%s,%s' % (sign, NBSP.join(groups), fraction)


def format_date_long(date):
    "«01» марта 2026 г."
    if date is None:
        return ''
    return '«%02d» %s %d г.' % (
        date.day, MONTHS_GENITIVE[date.month - 1], date.year)


def format_date(date):
    "01.03.2026"
    if date is None:
        return ''
    if isinstance(date, datetime.datetime):
        date = date.date()
    return '%02d.%02d.%04d' % (date.day, date.month, date.year)


def format_month(date):
    "март 2026"
    if not date:
        return ''
    return '%s %s' % (MONTHS[date.month - 1], date.year)


def format_month_in(date):
    "марте 2026 (в марте 2026)"
    if not date:
        return ''
    return '%s %s' % (MONTHS_PREPOSITIONAL[date.month - 1], date.year)
