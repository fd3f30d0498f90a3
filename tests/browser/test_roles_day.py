"""Every role's day in sao (issue 12): each role lands on its working
screen after login; the head's boards at 1366×768 (her approval board with a
column per kind of decision; the owner and deadline columns of «Доска
руководителя» on screen, no filter text above them); the technician's phone
card with «Выполнено» on screen and a phone number that dials. Screenshots
are kept in var/screenshots/."""
import re

import pytest

from playwright.sync_api import expect
from sao_pages import current_tab, domain_tab

LAPTOP = {'width': 1366, 'height': 768}
PHONE = {'width': 390, 'height': 844}


def tab_titles(page):
    "The titles of sao's open tabs"
    tabs = page.locator('#tablist > li > a')
    tabs.last.wait_for(state='visible')
    return [t.strip() for t in tabs.all_inner_texts()]


def wait_tabs(page, titles):
    "Wait until every one of titles is an open tab"
    for title in titles:
        expect(page.locator('#tablist > li > a', has_text=title)
            ).to_have_count(1)


def assert_inside(container, viewport):
    """Every visible column header and button of container ends inside the
    window (no horizontal overflow)"""
    outside = []
    for element in container.locator(
            '.board-action thead th:visible, .board-action tbody '
            'button:visible').all():
        box = element.bounding_box()
        if box and box['width'] and (
                box['x'] + box['width'] > viewport['width'] + 1):
            outside.append((element.inner_text().strip(), box))
    assert not outside, outside


@pytest.mark.xfail(strict=False, reason=(
    "Known defect: the two columns mrk_monitoring adds to the head's board (downtime over 24 h, overdue complaints) are wider than 1366×768"))
def test_head_lands_on_her_boards(new_page, sao):
    """The head opens on «Доска руководителя» and «Доска согласований»: the
    approval board has its six columns, the task board's owner and deadline
    headers are inside the window, no column shows filter text"""
    page = new_page(LAPTOP)
    sao.login(page, 'head')
    wait_tabs(page, ['Доска руководителя', 'Доска согласований'])
    board = current_tab(page)
    titles = board.locator('.board-action .panel-heading')
    expect(titles).to_have_count(6)
    assert titles.all_inner_texts() == [
        'Нестандартные договоры', 'Предложения об изменении условий',
        'Заявки на подпись', 'Проблемы на объекте', 'Разрешения на оплату',
        'Реестры безналичных платежей'], titles.all_inner_texts()
    expect(board.locator('.board-action tbody tr').first).to_be_visible()
    assert_inside(board, LAPTOP)
    sao.screenshot(page, 'head-approval-board')

    page.locator('#tablist > li > a', has_text='Доска руководителя').click()
    board = current_tab(page)
    # Overdue, today, this week; with mrk_monitoring the downtime over 24 h
    # and the overdue complaints
    expect(board.locator('.board-action')).to_have_count(5)
    assert_inside(board, LAPTOP)
    for label in ['Исполнитель', 'Срок']:
        headers = board.locator('.board-action thead th', has_text=label)
        expect(headers.first).to_be_visible()
        for i in range(headers.count()):
            box = headers.nth(i).bounding_box()
            assert box and box['x'] + box['width'] <= LAPTOP['width'], (
                label, box)
    for box in board.locator('.board-action .filter-box').all():
        expect(box).to_be_hidden()
    assert 'Срочность:' not in board.inner_text()
    sao.screenshot(page, 'head-task-board')


def test_accountant_lands_on_registries_waiting(new_page, sao):
    """The accountant opens on the registries waiting for accounting, on
    that tab, and on the cash runs handed to accounting"""
    page = new_page(LAPTOP)
    sao.login(page, 'accountant')
    wait_tabs(page, ['Реестры на проверку бухгалтерии',
            'Развозы для бухгалтерии'])
    page.locator('#tablist > li > a',
        has_text='Реестры на проверку бухгалтерии').click()
    expect(domain_tab(page, ['Ждут бухгалтерии'])).to_have_class(
        re.compile(r'\bactive\b'))
    sao.screenshot(page, 'accountant-registries')


def test_technician_lands_on_jobs_with_done_and_phone(new_page, sao, rpc):
    """On his phone the technician opens on today's jobs; the first card's
    «Выполнено» is on screen without scrolling, its phone is a tel: link"""
    page = new_page(PHONE)
    sao.login(page, 'technician')
    wait_tabs(page, ['Мои работы на сегодня'])
    card = current_tab(page).locator('.list-form-item').first
    done = card.locator('button[name="do"]')
    expect(done).to_be_visible()
    box = done.bounding_box()
    assert box['y'] + box['height'] <= PHONE['height'], box
    link = card.locator('.form-callto a')
    expect(link).to_have_attribute('href', re.compile(r'^tel:\+?\d+$'))
    sao.screenshot(page, 'technician-landing')
