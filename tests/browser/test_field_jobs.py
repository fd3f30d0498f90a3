"""Field jobs as users see them in sao: the technician's jobs of the day on
his phone with the large Done button (2.10), and the head's board of field
jobs where she signs a request (2.2)."""
import re
from pathlib import Path

from playwright.sync_api import expect
from sao_pages import (
    badge_count, board_column, current_tab, domain_tab, english_words,
    one_of, rows)

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {'width': 1280, 'height': 800}
PHONE = {'width': 390, 'height': 844}

# The Russian labels (tuples: the helpers of the other browser tests take
# alternatives).
COMMERCIAL_SERVICE = ('Коммерческая служба',)
FIELD_JOBS = ('Заявки на работы',)
MY_JOBS_TODAY = ('Мои работы на сегодня',)
FIELD_JOBS_BOARD = ('Доска заявок на работы',)
TODAY = ('Сегодня',)
TO_SIGN = ('На подписи',)
DONE = ('Выполнено',)
SIGN = ('Подписать',)
# The English of the technician's phone and of the board.
ENGLISH = ['Field Jobs', 'My Jobs Today', 'Today', 'Coming', 'Reported',
    'Address', 'Planned Date', 'On-site Contact', 'Contact Phone',
    'Terminals', 'Work to Do', "Technician's Report", 'Problem on Site',
    "Head's Decision", 'Done', 'Not Done', 'Problem', 'Installation',
    'Removal', 'Repair', 'Reinforcement', 'Replacement', 'Painting',
    'Field Jobs Board', 'To Sign', 'Agreed', 'Issued', 'Journal Number',
    'Kind', 'Point', 'Technician', 'State', 'Sign', 'Services Notified',
    'Confirmed by Call', 'Issued to Technician', 'Re-agreement']


def english(text):
    return english_words(text, ENGLISH)


def card_of(page, address):
    """The card of the technician's list whose address is address (the
    fields are inputs: their values are not the card's text)"""
    cards = current_tab(page).locator('.list-form-item')
    for i in range(cards.count()):
        card = cards.nth(i)
        if card.locator('input[name="address"]').input_value() == address:
            return card
    raise AssertionError('no card with the address %s among %s' % (
            address, [cards.nth(i).locator('input[name="address"]')
                .input_value() for i in range(cards.count())]))


def today_jobs(technician):
    "The technician's issued jobs of today, as the server sees them"
    today = technician('model.ir.date.today')
    return today, technician('model.mrk.field_job.search_read', [
            ('technician', '=', technician.user_id),
            ('state', '=', 'issued'),
            ('planned_date', '<=', today),
            ], 0, None, [('time_from', 'ASC'), ('id', 'ASC')],
        ['rec_name', 'kind', 'address', 'time_window', 'contact_phone',
            'problem_state', 'point', 'terminals'])


def wait_reported(page, address):
    """Wait until the card of the job at address shows no report buttons
    (the list is searched again, so the card may move or leave the tab)"""
    page.wait_for_function('''address => Array.from(
        document.querySelectorAll('#tabcontent > .tab-pane.active '
            + '.list-form-item')).every(card => {
            const input = card.querySelector('input[name="address"]');
            if (!input || input.value !== address) {
                return true;
            }
            return ['do', 'fail'].every(name => {
                const button = card.querySelector(
                    'button[name="' + name + '"]');
                return !button || button.offsetParent === null;
            });
        })''', arg=address)


def test_technician_reports_job_done(new_page, sao, rpc):
    """On his phone the technician finds today's jobs with the address, the
    time window and the phone, and reports an installation done with the
    large Done button: the terminal stands at the point from today"""
    technician = rpc('technician')
    head = rpc('head')
    today, jobs = today_jobs(technician)
    assert len(jobs) >= 3, "the demo issues three jobs for today"
    assert any(j['problem_state'] == 'open' for j in jobs), (
        "one of today's jobs waits for the head's decision")
    job = next(j for j in jobs
        if j['kind'] == 'install' and j['problem_state'] != 'open')
    assert job['terminals']

    page = new_page(PHONE)
    sao.login(page, 'technician')
    sao.open_menu(page, COMMERCIAL_SERVICE, FIELD_JOBS, MY_JOBS_TODAY)
    tab = current_tab(page)
    today_tab = domain_tab(page, TODAY)
    expect(today_tab).to_have_class(re.compile(r'\bactive\b'))
    assert badge_count(today_tab) == len(jobs)
    cards = tab.locator('.list-form-item')
    expect(cards).to_have_count(len(jobs))

    card = card_of(page, job['address'])
    card.scroll_into_view_if_needed()
    expect(card.locator('input[name="address"]')).to_be_visible()
    expect(card.locator('input[name="time_window"]')).to_have_value(
        job['time_window'])
    expect(card.locator('input[name="contact_phone"]')).to_have_value(
        job['contact_phone'])
    sao.screenshot(page, 'technician-jobs-today')

    # He taps the job, writes what he did and taps the large Done.
    card.locator('input[name="rec_name"]').click()
    expect(card).to_have_class(re.compile(r'\blist-group-item-selected\b'))
    report = "Терминал установлен, тестовая оплата прошла."
    card.locator('textarea[name="report"]').fill(report)
    done = card.locator('button[name="do"]')
    expect(done).to_have_text(one_of(DONE))
    done.scroll_into_view_if_needed()
    box = done.bounding_box()
    assert box['height'] >= 44 and box['width'] >= 0.8 * PHONE['width'], (
        "Done is a large, full-width button on the phone: %s" % box)
    sao.screenshot(page, 'technician-job-before-done')
    done.click()

    # Reported: the job's card has no buttons any more (the list is
    # searched again, so the card may move or leave the tab).
    wait_reported(page, job['address'])
    sao.screenshot(page, 'technician-job-done')

    record, = head('model.mrk.field_job.read', [job['id']],
        ['state', 'done_date', 'report', 'install_placements'])
    assert record['state'] == 'done'
    assert record['done_date'] == today
    assert record['report'] == report
    placements = head('model.mrk.terminal.placement.read',
        record['install_placements'],
        ['terminal', 'point', 'installed_on', 'removed_on'])
    assert sorted(p['terminal'] for p in placements) == sorted(
        job['terminals'])
    for placement in placements:
        assert placement['point'] == job['point']
        assert placement['installed_on'] == today
        assert placement['removed_on'] is None
    for terminal in head('model.mrk.terminal.read', job['terminals'],
            ['state', 'point']):
        assert terminal['state'] == 'installed'
        assert terminal['point'] == job['point']

    # Another job of the day, not selected: one tap on its Done is enough.
    # The list is searched again after the report and the done job leaves
    # the tab: the cards are taken once it has (card_of holds a position).
    expect(cards).to_have_count(len(jobs) - 1)
    page.wait_for_load_state('networkidle')
    other = next(j for j in jobs
        if j['id'] != job['id'] and j['problem_state'] != 'open')
    card = card_of(page, other['address'])
    expect(card).not_to_have_class(
        re.compile(r'\blist-group-item-selected\b'))
    done = card.locator('button[name="do"]')
    done.scroll_into_view_if_needed()
    done.click()
    wait_reported(page, other['address'])
    expect(cards).to_have_count(len(jobs) - 2)
    record, = head('model.mrk.field_job.read', [other['id']], ['state'])
    assert record['state'] == 'done'


def test_head_signs_on_board(new_page, sao, rpc):
    """The head's board of field jobs lists the requests to sign; she
    signs one from its row and it leaves the column"""
    head = rpc('head')
    drafts = head('model.mrk.field_job.search_read',
        [('state', '=', 'draft')], 0, None, None, ['kind', 'point'])
    assert len(drafts) >= 3, "the demo has three requests to sign"
    job = drafts[0]
    point, = head('model.mrk.point.read', [job['point']], ['name'])

    page = new_page(DESKTOP)
    sao.login(page, 'head')
    sao.open_menu(page, COMMERCIAL_SERVICE, FIELD_JOBS, FIELD_JOBS_BOARD)
    column = board_column(page, TO_SIGN)
    expect(rows(column)).to_have_count(len(drafts))
    row = rows(column).filter(has_text=point['name'])
    expect(row).to_have_count(1)
    sao.screenshot(page, 'head-field-jobs-board')

    # One tap on the row's Sign button selects the row and signs.
    sign = row.locator('button[name="sign"]')
    expect(sign).to_have_text(re.compile(
                '|'.join(map(re.escape, SIGN)), re.IGNORECASE))
    sign.click()

    # The column is searched again: the signed request leaves it.
    expect(rows(column).filter(has_text=point['name'])).to_have_count(0)
    expect(rows(column)).to_have_count(len(drafts) - 1)
    sao.screenshot(page, 'head-field-jobs-board-signed')

    record, = head('model.mrk.field_job.read', [job['id']],
        ['state', 'signed_by'])
    assert record['state'] == 'signed'
    assert record['signed_by'] == head.user_id


def test_field_job_screens_are_russian(new_page, sao, rpc):
    "The technician's phone and the head's board speak Russian"
    page = new_page(PHONE)
    sao.login(page, 'technician')
    sao.open_menu(page, COMMERCIAL_SERVICE, FIELD_JOBS, MY_JOBS_TODAY)
    expect(current_tab(page).locator('.list-form-item').first
        ).to_be_visible()
    text = current_tab(page).inner_text()
    sao.screenshot(page, 'technician-jobs-today-russian')
    assert not english(text), english(text)

    page = new_page(DESKTOP)
    sao.login(page, 'head')
    sao.open_menu(page, COMMERCIAL_SERVICE, FIELD_JOBS, FIELD_JOBS_BOARD)
    expect(rows(board_column(page, TO_SIGN)).first).to_be_visible()
    text = current_tab(page).inner_text()
    assert not english(text), english(text)


TERMINALS = ('Терминалы',)
POINTS = ('Точки',)
JOURNAL = ('Журнал регистрации заявок',)
CALENDAR = ('Календарь техников',)
# The English of the journal, a job's form, the calendar and the forms of
# points and terminals.
OFFICE_ENGLISH = ENGLISH + ['Request Date', 'Done On', 'Result',
    'Registered On', 'Agreement', 'Report', 'Visits', 'Placements',
    'Installed On', 'Removed On', 'Serial Number', 'Inventory Number',
    'Model', 'Opening Hours', 'Terminals Here', 'Field Jobs', 'Notes',
    'Counterparty', 'Contract', 'In Stock', 'Installed', 'Week', 'Month']


def wait_for_tab(page, title):
    "The tab titled title is open and in front"
    expect(page.locator('#tablist li.active')).to_contain_text(title)


def close_tab(page):
    "Close the current tab: the next screen's lists are the only ones"
    count = page.locator('#tablist li').count()
    page.locator('#tablist li.active .close').click()
    expect(page.locator('#tablist li')).to_have_count(count - 1)


def open_first_row(page, column):
    """Open the first record of the current list in its form, by its
    column's cell (a link cell would open the linked record)"""
    first = rows(current_tab(page)).first
    expect(first).to_be_visible()
    first.locator('td[data-title^="%s"]' % column).first.dblclick()
    form = current_tab(page).locator('.form').first
    expect(form).to_be_visible()
    return form


def test_office_screens_of_field_jobs(new_page, sao, rpc):
    """The client manager's journal and job form, the technicians'
    calendar, a point with its terminals and placement history and a
    terminal with its own, all in Russian"""
    manager = rpc('manager')
    registered = manager('model.mrk.field_job.search_count',
        [('number', '!=', None)])
    assert registered

    page = new_page(DESKTOP)
    sao.login(page, 'manager')
    sao.open_menu(page, COMMERCIAL_SERVICE, FIELD_JOBS, JOURNAL)
    expect(rows(current_tab(page)).first).to_contain_text('Р-')
    sao.screenshot(page, 'manager-field-job-journal')
    text = current_tab(page).inner_text()
    assert not english_words(text, OFFICE_ENGLISH), text

    form = open_first_row(page, 'Дата заявки')
    expect(form.locator('input[name="number"]')).to_have_value(
        re.compile('^Р-'))
    expect(form).to_contain_text('Номер в журнале')
    expect(form).to_contain_text('Выезды')
    sao.screenshot(page, 'manager-field-job-form')
    text = current_tab(page).inner_text()
    assert not english_words(text, OFFICE_ENGLISH), text

    close_tab(page)
    sao.open_menu(page, CALENDAR)
    wait_for_tab(page, CALENDAR[0])
    expect(current_tab(page).locator('.fc-event').first).to_be_visible()
    sao.screenshot(page, 'manager-technicians-calendar')

    close_tab(page)
    sao.open_menu(page, TERMINALS, POINTS)
    wait_for_tab(page, POINTS[0])
    form = open_first_row(page, 'Город')
    expect(form.locator('input[name="address"]')).not_to_have_value('')
    expect(form).to_contain_text('Терминалы на точке')
    expect(form).to_contain_text('Размещения')
    sao.screenshot(page, 'manager-point-form')
    text = current_tab(page).inner_text()
    assert not english_words(text, OFFICE_ENGLISH), text

    close_tab(page)
    # The list "Терминалы" inside the folder of the same name
    page.locator('#menu tbody tr:has(.column-char[title="%s"])'
        % TERMINALS[0]).nth(1).click()
    wait_for_tab(page, TERMINALS[0])
    form = open_first_row(page, 'Серийный номер')
    expect(form.locator('input[name="serial_number"]')).not_to_have_value(
        '')
    expect(rows(form).first).to_be_visible()  # its placement history
    sao.screenshot(page, 'manager-terminal-form')
    text = current_tab(page).inner_text()
    assert not english_words(text, OFFICE_ENGLISH), text
