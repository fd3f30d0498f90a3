"""Access to the documents and lists printed by the MRK modules.

Every report of the MRK modules (``mrk.*``) gets ``ReportAccessMixin``
through the ``[register_mixin]`` section of mrk_base's tryton.cfg: Tryton
puts the mixin before each report class of the pool, so a report added by
any module is covered without naming it here."""
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import (
    Transaction, check_access, inactive_records, without_check_access)

from .exceptions import ReportAccessError, ReportRecordsError

__all__ = ['ReportAccessMixin']


class ReportAccessMixin:
    """Refuse a report the user may not print with a message that names it,
    before Tryton's report code runs.

    Tryton's ``Report.execute`` looks for the report action as the user:
    the action of a report restricted to groups is hidden from the others
    by the rule on ``ir.action``, so a courier calling the payment permit
    got an ``AssertionError`` ("… not found") and the Excel lists a
    "not enough values to unpack". Here the action is found whatever the
    user (only an action of this report is accepted, so an ``action_id``
    of another report cannot lend its groups), then are checked in turn:
    the action's groups, the read access to the report's model and the
    record rules of the selected records. A document printed from records
    needs at least one; the Excel lists (``_records_required = False``)
    choose their records when none are selected."""
    __slots__ = ()

    @classmethod
    def execute(cls, ids, data):
        ids, data = cls.check_report_access(ids, data)
        return super().execute(ids, data)

    @classmethod
    def check_report_access(cls, ids, data):
        """Raise if the user may not print the report for ids; return the
        ids and the data with the action to print with.

        A report class that replaces ``execute`` (Tryton puts this mixin
        below the classes of the modules) calls it first."""
        data = dict(data or {})
        if not cls.__name__.startswith('mrk.'):
            return ids, data
        action = cls._access_action(data.get('action_id'))
        data['action_id'] = action.id
        ids = cls._access_records(action, ids, data)
        return ids, data

    @classmethod
    def _access_action(cls, action_id):
        "The report action to print with, when the user may print it"
        pool = Pool()
        ActionReport = pool.get('ir.action.report')
        User = pool.get('res.user')
        with without_check_access():
            actions = ActionReport.search([
                    ('report_name', '=', cls.__name__),
                    ], order=[('id', 'ASC')])
        if not actions:
            raise ReportAccessError(gettext(
                    'mrk_base.msg_report_access', report=cls.__name__))
        if action_id is not None:
            selected = [a for a in actions if str(a.id) == str(action_id)]
            if not selected:
                raise ReportAccessError(gettext(
                        'mrk_base.msg_report_access',
                        report=cls._action_name(actions[0])))
        else:
            selected = actions
        if Transaction().user == 0:
            return selected[0]
        groups = set(User.get_groups())
        for action in selected:
            action_groups = ActionReport.get_groups(cls.__name__, action.id)
            if not action_groups or groups & action_groups:
                return action
        raise ReportAccessError(gettext(
                'mrk_base.msg_report_access',
                report=cls._action_name(selected[0])))

    @classmethod
    def _action_name(cls, action):
        with without_check_access():
            return action.name

    @classmethod
    def _access_records(cls, action, ids, data):
        "The ids to print, when the user may read every one"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        model = action.model or getattr(cls, 'model', None)
        try:
            ids = [int(i) for i in ids or []]
            extra = [int(i) for i in data.get('ids') or []]
        except (TypeError, ValueError):
            raise ReportAccessError(gettext(
                    'mrk_base.msg_report_records_access',
                    report=cls._action_name(action),
                    count=_length(ids) + _length(data.get('ids'))))
        if not model:
            return ids
        Model = pool.get(model)
        if Transaction().user:
            with check_access():
                if not ModelAccess.check(
                        model, 'read', raise_exception=False):
                    raise ReportAccessError(gettext(
                            'mrk_base.msg_report_model_access',
                            report=cls._action_name(action),
                            model=Model.__names__()['model']))
        if (not ids and not extra
                and getattr(cls, '_records_required', True)):
            raise ReportRecordsError(gettext(
                    'mrk_base.msg_report_no_records',
                    report=cls._action_name(action)))
        if Transaction().user == 0:
            return ids
        with check_access(), inactive_records():
            wanted = set(ids) | set(extra)
            if wanted:
                readable = set()
                for sub_ids in _chunks(sorted(wanted)):
                    readable.update(
                        map(int, Model.search([('id', 'in', sub_ids)],
                                order=[])))
                refused = wanted - readable
                if refused:
                    raise ReportAccessError(gettext(
                            'mrk_base.msg_report_records_access',
                            report=cls._action_name(action),
                            count=len(refused)))
        return ids


def _length(ids):
    if not ids:
        return 0
    return len(ids) if isinstance(ids, (list, tuple)) else 1


def _chunks(ids, size=1000):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


# LibreOffice lays a table out again each time a row is added to it, so
# the time to convert one table grows faster than its rows (a registry of
# 4 000 lines: 31 s in one table, 7 s in tables of 200 rows; see
# bench/reports.py). Long tables are therefore printed as consecutive
# tables of this many rows, each starting on a new page under the
# repeated header.
TABLE_PART_ROWS = 200


def table_parts(rows, size=TABLE_PART_ROWS):
    """The rows cut into parts of at most size rows for the templates:
    each part has its rows and new_page (True except for the first)."""
    from types import SimpleNamespace
    rows = list(rows)
    parts = [SimpleNamespace(rows=rows[i:i + size], new_page=bool(i))
        for i in range(0, len(rows), size)]
    return parts or [SimpleNamespace(rows=[], new_page=False)]
