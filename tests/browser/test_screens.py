"""The head's other screens of the commercial service speak Russian:
the workload by user and by function, the responsibility matrix, the
absences and all activities."""
import re

import pytest

from playwright.sync_api import expect
from sao_pages import DISPLAY_SIZE, wait_calls, watch_calls

COMMERCIAL_SERVICE = ('Коммерческая служба', 'Commercial Service')
SCREENS = [
    (('Загрузка', 'Workload'), ('Загрузка по сотрудникам', 'Workload by User')),
    (('Загрузка по функциям', 'Workload by Function'),),
    (('Матрица ответственности', 'Responsibility Matrix'),),
    (('Отсутствия', 'Absences'),),
    (('Все задачи', 'All Activities'),),
    ]
# The English of the models, fields and tabs these screens show.
ENGLISH = ['Workload', 'Open', 'Overdue', 'Due Today', 'Oldest Deadline',
    'Function', 'Owner', 'Deputy', 'Role', 'Follows Portfolio',
    'Absences', 'From', 'To', 'Reason', 'State', 'Planned', 'Current',
    'Subject', 'Deadline', 'Counterparty', 'Unassigned', 'Escalations',
    'All', 'Today', 'This Week', 'Search', 'Filters', 'Name', 'Code']


def test_head_screens_are_russian(new_page, sao):
    page = new_page()
    sao.login(page, 'head')
    sao.menu_entry(page, COMMERCIAL_SERVICE).click()
    for path in SCREENS:
        sao.open_menu(page, *path)
        # The screen's own tab is open and in front.
        expect(page.locator('#tablist li.active')).to_contain_text(
            re.compile('|'.join(map(re.escape, path[-1]))))
        tab = page.locator('#tabcontent > .tab-pane.active')
        # The list or the graph is drawn.
        expect(tab.locator(
                '.treeview thead th:visible, .graph svg:visible').first
            ).to_be_visible()
        text = tab.inner_text()
        english = [w for w in ENGLISH if re.search(r'(?<!\w)%s(?!\w)'
                % re.escape(w), text)]
        name = path[-1][1].lower().replace(' ', '-')
        sao.screenshot(page, 'head-' + name)
        assert not english, (path[-1][0], english)


@pytest.mark.xfail(strict=False, reason=(
    "Known defect: opening every screen in turn logs sao's 'ColumnFactory is not a constructor' at «Настройки» since the new modules"))
def test_every_screen_opens(new_page, sao, rpc):
    """Every window of the MRK modules opens in sao for the head without a
    client error, and so does the form of its first record (a view sao
    cannot draw stops the whole screen with a script error). A failure
    inside a promise (an attribute sao cannot evaluate leaves the list
    empty) is only logged by sao, so the console is watched too, and a
    list must show the records its tab counts."""
    head = rpc('head')
    actions = head('model.ir.action.act_window.search_read', [
            ('res_model', 'like', 'mrk.%'),
            ], 0, None, [('id', 'ASC')], ['name', 'res_model', 'views'])
    assert len(actions) > 20, actions

    page = new_page()
    errors = []
    page.on('pageerror', lambda error: errors.append(str(error)))
    page.on('console', lambda message: errors.append(message.text)
        if 'Deferred exception' in message.text else None)
    sao.login(page, 'head')
    watch_calls(page)
    forms = 0
    for action in actions:
        page.evaluate('id => Sao.Action.execute(id, {}, {}, false)',
            action['id'])
        expect(page.locator('#tablist li.active')).to_contain_text(
            action['name'])
        tab = page.locator('#tabcontent > .tab-pane.active')
        # (an empty list-form has no height: attached is enough)
        expect(tab.locator(
                '.treeview, .list-form, .graph, .calendar, .board, .form'
                ).first).to_be_attached()
        # The list searches after it is drawn
        wait_calls(page)
        view_types = [t for _, t in action['views']]
        rows = tab.locator('.treeview tbody tr:not(.more-row)')
        count = tab.locator('.tab-domain .nav-tabs > li.active .badge')
        if view_types[:1] == ['tree'] and count.count() \
                and re.match(r'^\d+$', count.inner_text()):
            # The active tab's count and the rows drawn agree
            expect(rows, action['name']).to_have_count(
                min(int(count.inner_text()), DISPLAY_SIZE))
        if view_types[:1] == ['tree'] and 'form' in view_types \
                and rows.count():
            rows.first.locator('td.selection-state, td').first.click()
            tab.get_by_role('button', name='Переключить').first.click()
            try:
                expect(tab.locator('.form').first).to_be_visible()
            except AssertionError:
                raise AssertionError((action['name'], errors))
            forms += 1
            wait_calls(page)
        assert not errors, (action['name'], action['res_model'], errors)
        page.locator('#tablist li.active .close').click()
    assert forms > 10, forms
