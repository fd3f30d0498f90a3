"""The activities as users see them in sao: the Russian login, the client
manager's "My Activities" with its tabs and the Done button, the head's
board of overdue work. At 1280x800 and on a phone (390x844)."""
import re
from collections import Counter
from pathlib import Path

from playwright.sync_api import expect
from sao_pages import (
    badge_count, board_column, current_tab, domain_tab, english_words,
    DISPLAY_SIZE, expect_rows, one_of, rows)

from trytond.modules.mrk_base.demo import COUNTERPARTIES

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {'width': 1280, 'height': 800}
PHONE = {'width': 390, 'height': 844}

# Labels as (Russian, English): the tests find their way while a
# translation is missing; the Russian screens are checked by the
# screenshots and by test_login_page_is_russian.
COMMERCIAL_SERVICE = ('Коммерческая служба', 'Commercial Service')
MY_ACTIVITIES = ('Мои задачи', 'My Activities')
HEADS_BOARD = ('Доска руководителя', "Head's Board")
OVERDUE = ('Просрочено', 'Overdue')
TODAY = ('Сегодня', 'Today')
THIS_WEEK = ('На этой неделе', 'This Week')
DONE = ('Выполнено', 'Done')

# The head's board: each column and the activities it lists.
BOARD_COLUMNS = [
    (OVERDUE, [('due', '=', 'overdue')]),
    (TODAY, [('due', '=', 'today')]),
    (THIS_WEEK, [('due', 'in', ['today', 'week'])]),
    ]

# A counterparty of the second client manager's portfolio in the demo
# data: its activities are overdue for days, and nobody marks them done.
VOKZAL = next(name for name, manager, *_ in COUNTERPARTIES
    if 'Вокзал' in name)


def sao_translations():
    "msgid → msgstr of sao's Russian translation (web/locale/ru.po)"
    import polib
    return {e.msgid: e.msgstr
        for e in polib.pofile(str(ROOT / 'web' / 'locale' / 'ru.po'))
        if e.msgstr and not e.obsolete}


def test_login_page_is_russian(new_page, sao):
    "The login dialog and the password prompt speak Russian"
    ru = sao_translations()
    page = new_page()
    dialog = sao.open(page)

    expect(dialog.locator('.modal-title')).to_contain_text(ru['Login'])
    expect(dialog.locator('label[for=database]')).to_have_text(
        ru['Database'])
    expect(dialog.locator('label[for=login]')).to_have_text(ru['User name'])
    expect(dialog.locator('button[type=submit]')).to_have_text(ru['Login'])
    visible = page.locator('body').inner_text()
    assert not english_words(
        visible, ['Login', 'Password', 'User name', 'Database']), visible
    sao.screenshot(page, 'login')

    dialog.locator('#login').fill('manager')
    dialog.locator('button[type=submit]').click()
    prompt = page.locator('.ask-dialog label[for=ask-dialog-entry]')
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text('Пароль')
    expect(page.locator('.ask-dialog .modal-footer .btn-primary')
        ).to_have_text(ru['OK'])
    visible = page.locator('body').inner_text()
    assert not english_words(
        visible, ['Login', 'Password', 'Cancel', 'Reset']), visible
    sao.screenshot(page, 'login-password')


def test_manager_marks_activity_done(new_page, sao, rpc):
    """The client manager sees her overdue work counted on the tabs of
    "My Activities" and marks an activity done"""
    manager = rpc('manager')
    mine = [('owner', '=', manager.user_id)]
    overdue = manager('model.mrk.activity.search_read',
        mine + [('due', '=', 'overdue')], 0, None, None, ['name'])
    assert overdue, "the demo data has an overdue activity for manager"
    activity = overdue[0]
    open_before = set(manager('model.mrk.activity.search',
        mine + [('state', '=', 'open')], 0, None, None))

    # On the phone: the list with its counted tabs.
    page = new_page(PHONE)
    sao.login(page, 'manager')
    sao.open_menu(page, COMMERCIAL_SERVICE, MY_ACTIVITIES)
    overdue_tab = domain_tab(page, OVERDUE)
    assert badge_count(overdue_tab) == len(overdue)
    expect(rows(current_tab(page)).filter(has_text=activity['name'])
        ).to_be_visible()
    sao.screenshot(page, 'manager-activities')

    # At the office: select the activity and press Done.
    page = new_page()
    sao.login(page, 'manager')
    sao.open_menu(page, COMMERCIAL_SERVICE, MY_ACTIVITIES)
    tab = current_tab(page)
    overdue_tab = domain_tab(page, OVERDUE)
    expect(overdue_tab).to_have_class(re.compile(r'\bactive\b'))
    count = badge_count(overdue_tab)
    assert count == len(overdue) >= 1
    for labels in [TODAY, THIS_WEEK]:
        badge_count(domain_tab(page, labels))
    row = rows(tab).filter(has_text=activity['name'])
    expect(row).to_have_count(1)
    row.locator('td.selection-state input[type=checkbox]').check()
    done = tab.locator('.tree-footer button[name="do"]')
    expect(done).to_be_enabled()
    expect(done).to_have_text(one_of(DONE))
    sao.screenshot(page, 'manager-activities')
    done.click()

    # The list is searched again at once: the activity leaves it and the
    # Overdue tab counts one less.
    expect(row).to_have_count(0)
    expect(overdue_tab.locator('.badge')).to_have_text(str(count - 1))
    sao.screenshot(page, 'manager-activities-done')

    record, = manager('model.mrk.activity.read',
        [activity['id']], ['state', 'done_by'])
    assert record['state'] == 'done'
    assert record['done_by'] == manager.user_id
    # Only that activity left her open work (others may have arrived)
    open_after = set(manager('model.mrk.activity.search',
        mine + [('state', '=', 'open')], 0, None, None))
    assert open_before - open_after == {activity['id']}


def test_head_sees_overdue_on_board(new_page, sao, rpc):
    """The head's board shows everybody's overdue activities in its first
    column, her escalations among today's, and each column keeps its
    filter when the board is refreshed"""
    head = rpc('head')
    expected = {labels: head('model.mrk.activity.search_read', domain,
            0, None, None, ['name'])
        for labels, domain in BOARD_COLUMNS}
    overdue = expected[OVERDUE]
    assert any(VOKZAL in a['name'] for a in overdue), overdue
    escalations = head('model.mrk.activity.search_read',
        [('kind', '=', 'escalation'), ('owner', '=', head.user_id),
            ('due', '=', 'today')], 0, None, None, ['name'])
    assert escalations, "the demo ran the escalation"

    def check_overdue(page):
        column = board_column(page, OVERDUE)
        expect_rows(column, len(overdue), "the overdue column lists the %s "
            "overdue activities" % len(overdue))
        assert len(overdue) <= DISPLAY_SIZE, "every overdue one on screen"
        for name, count in Counter(a['name'] for a in overdue).items():
            expect(rows(column).filter(has_text=name)).to_have_count(count)

    def check_other_columns(page):
        for labels, _ in BOARD_COLUMNS[1:]:
            expect_rows(board_column(page, labels), len(expected[labels]),
                "the column %s lists its %s activities, no more"
                % (labels[0], len(expected[labels])))
        expect(rows(board_column(page, TODAY)).filter(
                has_text=escalations[0]['name'])).to_have_count(1)

    for viewport in [DESKTOP, PHONE]:
        page = new_page(viewport)
        sao.login(page, 'head')
        sao.open_menu(page, COMMERCIAL_SERVICE, HEADS_BOARD)
        check_overdue(page)

        # An overdue activity of the demo data on screen: its subject (or
        # its counterparty, when the list shows it) names the counterparty.
        cell = rows(board_column(page, OVERDUE)).locator(
            'td', has_text=VOKZAL).first
        cell.scroll_into_view_if_needed()
        expect(cell).to_be_in_viewport()
        sao.screenshot(page, 'head-board')

        check_other_columns(page)
        if viewport == DESKTOP:
            current_tab(page).locator('button#reload').click()
            check_overdue(page)
            check_other_columns(page)
