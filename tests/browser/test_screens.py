"""The head's other screens of the commercial service speak Russian:
the workload by user and by function, the responsibility matrix, the
absences and all activities."""
import re

from playwright.sync_api import expect

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
