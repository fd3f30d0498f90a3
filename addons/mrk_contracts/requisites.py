"""Validation of the requisites of a Russian counterparty.

Seed code 1.4 ("проверка реквизитов договора"): before a contract is signed
the manager checks the counterparty's INN, KPP, OGRN/OGRNIP and bank
details; seed code 4.1: the same requisites are printed on the contract and
its appendices, so a wrong digit must be caught when they are entered.

This module is pure Python and imports nothing from Tryton, so it can be
unit-tested without a database.  Every validator accepts a string that may
contain spaces, dashes or non-breaking spaces, returns the cleaned string
and raises RequisiteError otherwise.  A RequisiteError carries a message id
(the key of MESSAGES, also the id of the ir.message record of the Tryton
layer) and the parameters that fill the message placeholders.

Algorithms:

* INN: check digits of the Federal Tax Service (weights 2,4,10,3,5,9,4,6,8
  for 10 digits; 7,2,4,10,3,5,9,4,6,8 and 3,7,2,4,10,3,5,9,4,6,8 for 12
  digits; sum mod 11 mod 10).  python-stdnum's stdnum.ru.inn implements it
  correctly and is used for the check digits.
* OGRN (13 digits): check digit = (first 12 digits as a number mod 11)
  mod 10.
* OGRNIP (15 digits): check digit = last digit of (first 14 digits as a
  number mod 13).
* KPP: 9 characters, \\d{4}[\\dA-Z]{2}\\d{3}.
* BIK: 9 digits starting with "04" (country code of Russia).
* Bank accounts: control key of the Bank of Russia; weights 7,1,3 repeating
  over 23 digits, the sum must be a multiple of 10.  For a settlement
  account the 23 digits are the last 3 digits of the BIK followed by the
  account; for a correspondent account they are "0", BIK digits 5-6 and the
  account.
"""
import re

from stdnum.ru import inn as _stdnum_inn

__all__ = [
    'RequisiteError', 'MESSAGES', 'KINDS',
    'clean',
    'validate_inn', 'validate_kpp',
    'validate_ogrn', 'validate_ogrnip', 'validate_ogrn_any',
    'validate_bik',
    'validate_settlement_account', 'validate_correspondent_account',
    ]

ORGANISATION = 'organisation'
INDIVIDUAL = 'individual'
KINDS = (ORGANISATION, INDIVIDUAL)

MESSAGES = {
    # INN
    'msg_inn_not_digits': (
        'The INN "%(value)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_inn_length': (
        'The INN "%(value)s" has %(length)s digits: an INN has 10 digits '
        'for an organisation or 12 digits for an individual entrepreneur '
        'or an individual. Check the number on the counterparty\'s '
        'documents.'),
    'msg_inn_length_organisation': (
        'The INN "%(value)s" has %(length)s digits: the INN of an '
        'organisation has 10 digits. Check the number on the '
        'counterparty\'s documents, or change the counterparty type if it '
        'is an individual entrepreneur.'),
    'msg_inn_length_individual': (
        'The INN "%(value)s" has %(length)s digits: the INN of an '
        'individual entrepreneur or an individual has 12 digits. Check the '
        'number on the counterparty\'s documents, or change the '
        'counterparty type if it is an organisation.'),
    'msg_inn_checksum': (
        'The INN "%(value)s" has a wrong check digit: check the number on '
        'the counterparty\'s documents.'),
    # KPP
    'msg_kpp_length': (
        'The KPP "%(value)s" has %(length)s characters: a KPP has 9. '
        'Check the code on the counterparty\'s documents.'),
    'msg_kpp_format': (
        'The KPP "%(value)s" is malformed: a KPP has 4 digits, then 2 digits '
        'or capital Latin letters, then 3 digits. Check the code on the '
        'counterparty\'s documents.'),
    # OGRN / OGRNIP
    'msg_ogrn_not_digits': (
        'The OGRN "%(value)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_ogrn_length': (
        'The OGRN "%(value)s" has %(length)s digits: the OGRN of an '
        'organisation has 13 digits. Check the number on the '
        'counterparty\'s documents.'),
    'msg_ogrn_checksum': (
        'The OGRN "%(value)s" has a wrong check digit: check the number on '
        'the counterparty\'s documents.'),
    'msg_ogrnip_not_digits': (
        'The OGRNIP "%(value)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_ogrnip_length': (
        'The OGRNIP "%(value)s" has %(length)s digits: the OGRNIP of an '
        'individual entrepreneur has 15 digits. Check the number on the '
        'counterparty\'s documents.'),
    'msg_ogrnip_checksum': (
        'The OGRNIP "%(value)s" has a wrong check digit: check the number on '
        'the counterparty\'s documents.'),
    'msg_ogrn_any_length': (
        'The registration number "%(value)s" has %(length)s digits: enter '
        'the 13-digit OGRN of an organisation or the 15-digit OGRNIP of an '
        'individual entrepreneur.'),
    'msg_ogrn_expected_organisation': (
        'The number "%(value)s" has 15 digits, so it is the OGRNIP of an '
        'individual entrepreneur, but the counterparty is an organisation: '
        'enter its 13-digit OGRN or change the counterparty type.'),
    'msg_ogrn_expected_individual': (
        'The number "%(value)s" has 13 digits, so it is the OGRN of an '
        'organisation, but the counterparty is an individual entrepreneur: '
        'enter the 15-digit OGRNIP or change the counterparty type.'),
    # BIK
    'msg_bik_not_digits': (
        'The BIK "%(value)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_bik_length': (
        'The BIK "%(value)s" has %(length)s digits: a BIK has 9. '
        'Check the bank details on the counterparty\'s documents.'),
    'msg_bik_prefix': (
        'The BIK "%(value)s" does not start with 04, the code of Russia: '
        'check the bank details on the counterparty\'s documents.'),
    # Settlement account
    'msg_settlement_account_not_digits': (
        'The settlement account "%(account)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_settlement_account_length': (
        'The settlement account "%(account)s" has %(length)s digits: '
        'a bank account has 20. Check the bank details on the '
        'counterparty\'s documents.'),
    'msg_settlement_account_key': (
        'The settlement account "%(account)s" does not match the BIK '
        '"%(bik)s" (wrong control key): check both the account and the BIK '
        'on the counterparty\'s documents.'),
    # Correspondent account
    'msg_correspondent_account_not_digits': (
        'The correspondent account "%(account)s" must contain digits only: '
        'remove letters and other characters.'),
    'msg_correspondent_account_length': (
        'The correspondent account "%(account)s" has %(length)s digits: '
        'a bank account has 20. Check the bank details on the '
        'counterparty\'s documents.'),
    'msg_correspondent_account_prefix': (
        'The correspondent account "%(account)s" does not start with 301: '
        'check that it is not the settlement account and copy it from the '
        'bank details on the counterparty\'s documents.'),
    'msg_correspondent_account_key': (
        'The correspondent account "%(account)s" does not match the BIK '
        '"%(bik)s" (wrong control key): check both the account and the BIK '
        'on the counterparty\'s documents.'),
    }


class RequisiteError(ValueError):
    """A requisite is invalid.

    message_id is a key of MESSAGES; params maps the placeholders of the
    message to strings.
    """

    def __init__(self, message_id, params=None):
        params = {str(k): str(v) for k, v in (params or {}).items()}
        super().__init__(message_id, params)
        self.message_id = message_id
        self.params = params

    @property
    def message(self):
        return self.format()

    def format(self, template=None):
        "Return the message formatted with params (template: a translation)"
        if template is None:
            template = MESSAGES.get(self.message_id, self.message_id)
        return template % self.params

    def __str__(self):
        return self.format()


# Spaces (all Unicode white space, NBSP and narrow NBSP included) and the
# dashes people type or paste between groups of digits.
_SEPARATORS = re.compile(r'[\s\u00a0\u202f\u2007\-\u2010\u2011\u2012\u2013'
    r'\u2014\u2212]+')
_DIGITS = re.compile(r'[0-9]+')
_KPP = re.compile(r'[0-9]{4}[0-9A-Z]{2}[0-9]{3}')


def clean(value):
    "Return value without spaces, dashes and non-breaking spaces"
    if value is None:
        return ''
    return _SEPARATORS.sub('', str(value))


def _isdigits(value):
    # str.isdigit() would accept other Unicode digits such as '²' or '٣'
    return bool(_DIGITS.fullmatch(value))


def _check_kind(kind):
    if kind is not None and kind not in KINDS:
        raise ValueError('kind must be None or one of %s, not %r'
            % (', '.join(KINDS), kind))


def _digits(value, prefix, key='value'):
    "Clean value and check that it is made of digits"
    value = clean(value)
    if value and not _isdigits(value):
        raise RequisiteError('msg_%s_not_digits' % prefix, {key: value})
    return value


def validate_inn(value, kind=None):
    """Return the cleaned INN or raise RequisiteError.

    kind: 'organisation' (10 digits), 'individual' (12 digits: individual
    entrepreneurs and individuals) or None (either).
    """
    _check_kind(kind)
    value = _digits(value, 'inn')
    params = {'value': value, 'length': len(value)}
    expected = {ORGANISATION: (10,), INDIVIDUAL: (12,), None: (10, 12)}[kind]
    if len(value) not in expected:
        message_id = 'msg_inn_length'
        if kind:
            message_id += '_' + kind
        raise RequisiteError(message_id, params)
    if len(value) == 10:
        check = _stdnum_inn.calc_company_check_digit(value[:9])
        ok = check == value[9]
    else:
        check = _stdnum_inn.calc_personal_check_digits(value[:10])
        ok = check == value[10:]
    if not ok:
        raise RequisiteError('msg_inn_checksum', params)
    return value


def validate_kpp(value):
    "Return the cleaned, uppercased KPP or raise RequisiteError"
    value = clean(value).upper()
    params = {'value': value, 'length': len(value)}
    if len(value) != 9:
        raise RequisiteError('msg_kpp_length', params)
    if not _KPP.fullmatch(value):
        raise RequisiteError('msg_kpp_format', params)
    return value


def _ogrn_check_digit(value):
    "Check digit of a 13-digit OGRN"
    return str(int(value[:12]) % 11 % 10)


def _ogrnip_check_digit(value):
    "Check digit of a 15-digit OGRNIP"
    # The check digit is the LAST DIGIT of the remainder mod 13: when the
    # remainder is 10, 11 or 12 the check digit is 0, 1 or 2.
    # python-stdnum 2.2 (stdnum.ru.ogrn.calc_check_digit) compares the whole
    # remainder, str(n % 13), with the last digit, so it rejects every valid
    # OGRNIP whose remainder is 10-12 (e.g. 304500116000202); hence this
    # rule is implemented here rather than taken from stdnum.
    return str(int(value[:14]) % 13 % 10)


def validate_ogrn(value):
    "Return the cleaned 13-digit OGRN of an organisation or raise"
    value = _digits(value, 'ogrn')
    params = {'value': value, 'length': len(value)}
    if len(value) != 13:
        raise RequisiteError('msg_ogrn_length', params)
    if _ogrn_check_digit(value) != value[12]:
        raise RequisiteError('msg_ogrn_checksum', params)
    return value


def validate_ogrnip(value):
    "Return the cleaned 15-digit OGRNIP of an individual entrepreneur or raise"
    value = _digits(value, 'ogrnip')
    params = {'value': value, 'length': len(value)}
    if len(value) != 15:
        raise RequisiteError('msg_ogrnip_length', params)
    if _ogrnip_check_digit(value) != value[14]:
        raise RequisiteError('msg_ogrnip_checksum', params)
    return value


def validate_ogrn_any(value, kind=None):
    """Return the cleaned OGRN (13 digits) or OGRNIP (15 digits) or raise.

    kind: 'organisation' requires an OGRN, 'individual' an OGRNIP, None
    accepts either.
    """
    _check_kind(kind)
    if kind == ORGANISATION:
        value = _digits(value, 'ogrn')
        if len(value) == 15:
            raise RequisiteError('msg_ogrn_expected_organisation',
                {'value': value})
        return validate_ogrn(value)
    if kind == INDIVIDUAL:
        value = _digits(value, 'ogrnip')
        if len(value) == 13:
            raise RequisiteError('msg_ogrn_expected_individual',
                {'value': value})
        return validate_ogrnip(value)
    value = _digits(value, 'ogrn')
    if len(value) == 13:
        return validate_ogrn(value)
    if len(value) == 15:
        return validate_ogrnip(value)
    raise RequisiteError('msg_ogrn_any_length',
        {'value': value, 'length': len(value)})


def validate_bik(value):
    "Return the cleaned 9-digit BIK of a Russian bank or raise"
    value = _digits(value, 'bik')
    params = {'value': value, 'length': len(value)}
    if len(value) != 9:
        raise RequisiteError('msg_bik_length', params)
    if not value.startswith('04'):
        raise RequisiteError('msg_bik_prefix', params)
    return value


_KEY_WEIGHTS = (7, 1, 3)


def _control_key_ok(digits):
    "Bank of Russia control key: weighted sum (7, 1, 3, ...) mod 10 == 0"
    return sum(int(d) * _KEY_WEIGHTS[i % 3]
        for i, d in enumerate(digits)) % 10 == 0


def settlement_account_with_key(account, bik):
    """The settlement account with its 9th digit set to the control key that
    matches the BIK: for generated demo and benchmark data."""
    for key in '0123456789':
        candidate = account[:8] + key + account[9:]
        if _control_key_ok(bik[-3:] + candidate):
            return candidate


def _account(account, bik, prefix):
    account = _digits(account, prefix, key='account')
    bik = validate_bik(bik)
    params = {'account': account, 'bik': bik, 'length': len(account)}
    if len(account) != 20:
        raise RequisiteError('msg_%s_length' % prefix, params)
    return account, bik, params


def validate_settlement_account(account, bik):
    """Return the cleaned 20-digit settlement account or raise.

    The BIK is validated first (its errors are raised as they are); then the
    control key is checked over the last 3 digits of the BIK followed by
    the account.
    """
    account, bik, params = _account(account, bik, 'settlement_account')
    if not _control_key_ok(bik[-3:] + account):
        raise RequisiteError('msg_settlement_account_key', params)
    return account


def validate_correspondent_account(account, bik):
    """Return the cleaned 20-digit correspondent account or raise.

    The BIK is validated first; the account must start with 301 and the
    control key is checked over "0" + BIK digits 5-6 followed by the account.
    """
    account, bik, params = _account(account, bik, 'correspondent_account')
    if not account.startswith('301'):
        raise RequisiteError('msg_correspondent_account_prefix', params)
    if not _control_key_ok('0' + bik[4:6] + account):
        raise RequisiteError('msg_correspondent_account_key', params)
    return account
