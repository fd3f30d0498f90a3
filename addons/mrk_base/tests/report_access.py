"""A check shared by the MRK modules' tests: every report of the activated
MRK modules, run by every role the way the client runs it over RPC, answers
with a document or with a message of its own (an access error that names
the document, or a request to select records), never with Python's text."""
from trytond.modules.mrk_base.exceptions import (
    ReportAccessError, ReportRecordsError)
from trytond.modules.mrk_base.report import ReportAccessMixin
from trytond.pool import Pool
from trytond.transaction import Transaction

__all__ = ['check_every_report', 'run_report']


def run_report(user, report_name, ids, data=None, company=None):
    "Execute the report as user through the access checks of an RPC call"
    Report = Pool().get(report_name, type='report')
    context = {'_check_access': True}
    if company:
        context['company'] = company.id
    with Transaction().set_user(user.id), \
            Transaction().set_context(**context):
        return Report.execute(ids, dict(data or {}))


def check_every_report(test, people, company=None):
    """Run every MRK report as each user of people without records, with
    and without its action, and with the action of another report: each
    answers with a document or with an MRK message naming the document.

    Returns {(role, report name): 'printed' or the message} of the runs
    without action."""
    pool = Pool()
    ActionReport = pool.get('ir.action.report')
    actions = ActionReport.search([('report_name', 'like', 'mrk.%')],
        order=[('id', 'ASC')])
    test.assertTrue(actions)
    names = {}
    for action in actions:
        names.setdefault(action.report_name, []).append(action.name)
    results = {}
    for action in actions:
        Report = pool.get(action.report_name, type='report')
        test.assertTrue(issubclass(Report, ReportAccessMixin),
            msg=action.report_name)
        foreign = next(a for a in actions
            if a.report_name != action.report_name)
        for role, user in people.items():
            for data in [{}, {'action_id': action.id},
                    {'action_id': foreign.id}]:
                msg = '%s %s %s' % (role, action.report_name, data)
                try:
                    result = run_report(
                        user, action.report_name, [], data, company)
                except (ReportAccessError, ReportRecordsError) as exception:
                    text = exception.message
                    test.assertTrue(
                        any(n in text for n in names[action.report_name]),
                        msg='%s: %s' % (msg, text))
                    if not data:
                        results[role, action.report_name] = text
                else:
                    # Another report's action lends it nothing
                    test.assertNotEqual(
                        data.get('action_id'), foreign.id, msg=msg)
                    test.assertTrue(result[1], msg=msg)
                    if not data:
                        results[role, action.report_name] = 'printed'
    return results
