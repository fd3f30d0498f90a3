"""Helpers for the models of the MRK modules."""
import datetime
import re
from decimal import Decimal
from functools import wraps

from trytond.i18n import gettext
from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import InputLimitError, WorkflowAccessError

__all__ = [
    'rec_name_domain', 'check_write_rule', 'WorkflowGuardMixin',
    'InputLimitsMixin']


def check_write_rule(func):
    """Decorate a button (above ``ModelView.button``) so that it is
    refused on the records the user may read but not write.

    trytond checks a button against the read rules of its records only:
    where a rule lets a user read more than he writes, the button would
    change what he only reads."""
    @wraps(func)
    def wrapper(cls, records, *args, **kwargs):
        transaction = Transaction()
        if transaction.user and transaction.check_access:
            Rule = Pool().get('ir.rule')
            Rule.check(cls.__name__,
                [r.id for r in records if r.id is not None and r.id >= 0],
                mode='write')
        return func(cls, records, *args, **kwargs)
    return wrapper


def rec_name_domain(clause, names):
    """The domain of a search_rec_name over several fields: a record
    matches when one of them does, or, for a negative operator ("not
    ilike", "!="), when none does."""
    _, operator, operand, *extra = clause
    if operator.startswith('!') or operator.startswith('not '):
        bool_op = 'AND'
    else:
        bool_op = 'OR'
    return [bool_op] + [(name, operator, operand, *extra) for name in names]


class WorkflowGuardMixin:
    """States, approvals and what they vouch for change only through the
    workflow's transitions.

    trytond does not enforce ``readonly`` nor the ``states`` of a field at
    the server: a field read-only in the client is written by any user who
    calls ``create`` or ``write`` over RPC with other values. The buttons
    (``ModelView.button``) and the wizards' transitions run without access
    check, as do the crons, so the changes refused here are only those
    called with access check, by users over RPC (``external`` in
    ``check_modification``, ``Transaction().check_access`` in ``create``).

    Each model declares in ``__setup__`` (other modules extend them):

    ``_workflow_fields``
        The fields set only by its transitions (state, approvers, dates of
        approval, computed amounts): a new record takes their defaults and
        a user never changes them.
    ``_frozen_fields``
        ``{state: fields}``: the fields that do not change while the record
        is in the state, typically every field an approval vouches for once
        approved.
    ``_deletable_states``
        The states in which a user may delete the record; ``None`` leaves
        deletion to the model.
    ``_guard_parent``
        For lines: the Many2One to the record whose state decides (the
        state of the line's parent, not of the line).
    """
    __slots__ = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._workflow_fields = set()
        cls._frozen_fields = {}
        cls._deletable_states = None
        cls._guard_parent = None

    def _guard_record(self):
        "The record whose state decides what is frozen"
        if self._guard_parent:
            return getattr(self, self._guard_parent)
        return self

    def _guard_state(self):
        record = self._guard_record()
        return record.state if record else None

    def _guard_state_string(self):
        record = self._guard_record()
        if not record:
            return ''
        selection = record.__class__.fields_get(['state'])['state'][
            'selection']
        return dict(selection).get(record.state, record.state)

    @classmethod
    def _guard_error(cls, message, record=None, field=None, **kwargs):
        names = cls.__names__(field)
        if record is not None:
            kwargs['record'] = record.rec_name
        return WorkflowAccessError(gettext(message,
                model=names['model'], field=names.get('field', ''),
                **kwargs))

    def _guard_changed(self, name, value):
        "Whether writing value to the field name changes the record"
        field = self._fields[name]
        if field._type in {'one2many', 'many2many'}:
            return bool(value)
        current = getattr(self, name)
        if isinstance(current, Model):
            if field._type == 'reference':
                current = str(current)
            else:
                current = current.id
        if isinstance(value, (list, tuple)) and field._type == 'reference':
            value = '%s,%s' % tuple(value)
        if current != value:
            # A number from a JSON client may come as float or str
            try:
                return current is None or value is None or (
                    type(current)(value) != current)
            except (TypeError, ValueError):
                return True
        return False

    @classmethod
    def create(cls, vlist):
        if Transaction().user and Transaction().check_access:
            names = set().union(*vlist) & cls._workflow_fields
            if names:
                defaults = cls.default_get(
                    list(names), with_rec_name=False)
                for values in vlist:
                    for name in sorted(names & set(values)):
                        field = cls._fields[name]
                        default = defaults.get(name)
                        value = values[name]
                        if field._type in {'one2many', 'many2many'}:
                            changed = bool(value)
                        else:
                            changed = value != default and not (
                                value in {None, False, ''}
                                and default in {None, False, ''})
                        if changed:
                            raise cls._guard_error(
                                'mrk_base.msg_workflow_field_create',
                                field=name)
        return super().create(vlist)

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if not external:
            return
        if mode == 'write':
            for record in records:
                frozen = cls._frozen_fields.get(record._guard_state(), set())
                for name, value in values.items():
                    if name in cls._workflow_fields:
                        if record._guard_changed(name, value):
                            raise cls._guard_error(
                                'mrk_base.msg_workflow_field_write',
                                record=record, field=name)
                    elif name in frozen:
                        if record._guard_changed(name, value):
                            raise cls._guard_error(
                                'mrk_base.msg_workflow_field_frozen',
                                record=record, field=name,
                                state=record._guard_state_string())
        elif mode == 'delete' and cls._deletable_states is not None:
            for record in records:
                if record._guard_state() not in cls._deletable_states:
                    raise cls._guard_error(
                        'mrk_base.msg_workflow_delete', record=record,
                        state=record._guard_state_string())

    @classmethod
    def copy(cls, records, default=None):
        "A copy starts its workflow again: its workflow fields are reset"
        default = default.copy() if default is not None else {}
        names = [n for n in cls._workflow_fields if n not in default]
        defaults = cls.default_get(names, with_rec_name=False)
        for name in names:
            if cls._fields[name]._type in {'one2many', 'many2many'}:
                default[name] = None
            else:
                default[name] = defaults.get(name)
        return super().copy(records, default=default)


class InputLimitsMixin:
    """Sane ranges for what a user may store in the MRK models.

    Tryton checks the type of a value, its digits and the size of a Char
    that declares one; a rent of 10^15, a date of the year 1, a note of a
    million characters or a NUL byte (which PostgreSQL refuses with its own
    English text) went through or failed in the database. This mixin checks
    every value given to ``create`` and ``write`` of the ``mrk.*`` models
    and of the counterparty (``party.party``) before it reaches the
    database, and refuses a value out of range with an error that names
    the record, the field and the limit.

    It is given to every model by the ``[register_mixin]`` section of
    mrk_base's tryton.cfg (Tryton adds it to each ModelStorage class of the
    pool), so a model of any MRK module is covered without a line of its
    own; ``limited_models`` says which are checked.

    Defaults by type of field (``INPUT_LIMITS``): numbers within ±10^12,
    integers within ±10^9 (those stored as BIGINT within its range), dates between 1990-01-01 and 2100-12-31, codes
    (``CODE_FIELDS``) of 64 characters, other Char of 1 000 (or their
    ``size``), Text of 20 000; no control character but tab and line
    breaks in any text. A model overrides them per field with
    ``_input_limits = {'field': {'min': …, 'max': …, 'length': …}}``."""
    __slots__ = ()

    @classmethod
    def limited_models(cls):
        return cls.__name__.startswith('mrk.') or cls.__name__ in {
            'party.party',
            }

    @classmethod
    def create(cls, vlist):
        if cls.limited_models():
            vlist = list(vlist)
            for values in vlist:
                cls.check_input_limits(values)
        return super().create(vlist)

    @classmethod
    def write(cls, *args):
        if cls.limited_models():
            actions = iter(args)
            for records, values in zip(actions, actions):
                cls.check_input_limits(values, records)
        return super().write(*args)

    @classmethod
    def check_input_limits(cls, values, records=None):
        "Raise InputLimitError for the first value of values out of range"
        for name, value in values.items():
            field = cls._fields.get(name)
            if field is None or value is None:
                continue
            error = _limit_error(field, value, _field_limits(cls, name, field))
            if error:
                key, params = error
                raise InputLimitError(gettext(key,
                        record=_record_label(cls, records),
                        field=cls.__names__(name)['field'],
                        **params))


# Defaults by type of field, see InputLimitsMixin
INPUT_LIMITS = {
    'numeric': {'min': Decimal('-1000000000000'),
        'max': Decimal('1000000000000')},
    'float': {'min': -10 ** 12, 'max': 10 ** 12},
    'integer': {'min': -10 ** 9, 'max': 10 ** 9},
    'biginteger': {'min': -2 ** 63 + 1, 'max': 2 ** 63 - 1},
    'date': {'min': datetime.date(1990, 1, 1),
        'max': datetime.date(2100, 12, 31)},
    'char': {'length': 1000},
    'code': {'length': 64},
    'text': {'length': 20000},
    }
INPUT_LIMITS['datetime'] = INPUT_LIMITS['timestamp'] = INPUT_LIMITS['date']
# Char fields that hold a code or a number: shorter
CODE_FIELDS = {
    'code', 'number', 'reference', 'serial_number', 'inn', 'kpp', 'ogrn',
    'ogrnip', 'okpo', 'bik', 'account', 'account_number',
    'correspondent_account', 'invoice_number', 'receipt_number', 'phone',
    }
# Control characters but tab, line feed and carriage return
CONTROL_CHARACTERS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


def _field_limits(Model, name, field):
    type_ = field._type
    if type_ in {'char', 'text'}:
        if type_ == 'char' and (name in CODE_FIELDS
                or name.endswith(('_number', '_code', '_phone'))):
            type_ = 'code'
        limits = dict(INPUT_LIMITS[type_])
        size = getattr(field, 'size', None)
        if isinstance(size, int):
            limits['length'] = size
    else:
        if type_ == 'integer' and getattr(field, '_sql_type', None) == 'BIGINT':
            # An integer stored as BIGINT (party's code_digit): its range
            type_ = 'biginteger'
        limits = dict(INPUT_LIMITS.get(type_, {}))
    limits.update(getattr(Model, '_input_limits', {}).get(name, {}))
    return limits


def _limit_error(field, value, limits):
    "The message key and parameters of value out of limits, else None"
    type_ = field._type
    if type_ in {'char', 'text'}:
        if not isinstance(value, str):
            return
        match = CONTROL_CHARACTERS.search(value)
        if match:
            return 'mrk_base.msg_input_control_character', {
                'code': '%02X' % ord(match.group())}
        length = limits.get('length')
        if length is not None and len(value) > length:
            return 'mrk_base.msg_input_too_long', {
                'length': _format_number(length)}
    elif type_ in {'numeric', 'float', 'integer', 'biginteger'}:
        if isinstance(value, bool) or not isinstance(
                value, (int, float, Decimal)):
            return
        number = Decimal(str(value))
        minimum, maximum = limits.get('min'), limits.get('max')
        digits = 2 if type_ in {'numeric', 'float'} else 0
        if not number.is_finite() or (
                maximum is not None and number > maximum):
            return 'mrk_base.msg_input_too_big', {
                'limit': _format_number(maximum, digits)}
        if minimum is not None and number < minimum:
            return 'mrk_base.msg_input_too_small', {
                'limit': _format_number(minimum, digits)}
    elif type_ in {'date', 'datetime', 'timestamp'}:
        if not isinstance(value, datetime.date):
            return
        date = value.date() if isinstance(value, datetime.datetime) else value
        minimum, maximum = limits.get('min'), limits.get('max')
        if ((minimum is not None and date < minimum)
                or (maximum is not None and date > maximum)):
            return 'mrk_base.msg_input_date_range', {
                'min': minimum.strftime('%d.%m.%Y') if minimum else '…',
                'max': maximum.strftime('%d.%m.%Y') if maximum else '…',
                }


def _format_number(number, digits=0):
    "1 000 000 000 000,00: spaces between thousands, a decimal comma"
    if number is None:
        return '…'
    text = '{:,.{}f}'.format(Decimal(number), digits)
    return (text.replace(',', ' ').replace('.', ',')
        .replace('-', '\u2212'))


def _record_label(Model, records):
    "The model and name of the first record written, or of a new record"
    # Read with the user's access: the error names no record he may not read
    model = Model.__names__()['model']
    if records:
        name = Model(records[0].id).rec_name
        if name:
            return gettext('mrk_base.msg_input_record', model=model, name=name)
    return gettext('mrk_base.msg_input_new_record', model=model)
