"""Helpers for the models of the MRK modules."""
from functools import wraps

from trytond.i18n import gettext
from trytond.model import Model
from trytond.pool import Pool
from trytond.transaction import Transaction

from .exceptions import WorkflowAccessError

__all__ = ['rec_name_domain', 'check_write_rule', 'WorkflowGuardMixin']


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
