"""The development manager's phone (8.7): «Мой развоз» lists the stops of
his cash run being delivered, in the order of the round, with the address,
the counterparty and the amount; he taps the large «Оплачено», enters the
number of the receipt and sees the stop paid."""
import re

from playwright.sync_api import expect
from sao_pages import badge_count, current_tab, domain_tab, one_of

PHONE = {'width': 390, 'height': 844}

# The Russian labels, with the English as long as the module's strings
# are not translated.
COMMERCIAL_SERVICE = ('Коммерческая служба',)
RENT = ('Аренда', 'Rent')
MY_CASH_RUN = ('Мой развоз', 'My Cash Run')
TO_REPORT = ('К отчёту', 'To Report')
REPORTED = ('Отчитано', 'Reported')
PAID = ('Оплачено', 'Paid')
RECEIPT_NUMBER = '4711'


def cards(page):
    return current_tab(page).locator('.list-form-item')


def card_of(page, address):
    """The card of the courier's list whose address is address (the fields
    are inputs: their values are not the card's text)"""
    items = cards(page)
    for i in range(items.count()):
        card = items.nth(i)
        if card.locator('input[name="address"]').input_value() == address:
            return card
    raise AssertionError('no card with the address %s among %s' % (
            address, [items.nth(i).locator('input[name="address"]')
                .input_value() for i in range(items.count())]))


def card_of_eventually(page, address):
    "The card of address, once the list shows it"
    page.wait_for_function('''address => Array.from(document.querySelectorAll(
        '#tabcontent > .tab-pane.active .list-form-item input[name="address"]'
        )).some(e => e.value === address)''', arg=address)
    return card_of(page, address)


def pending_stops(courier):
    "The courier's stops to report, as the server sees them"
    return courier('model.mrk.rent.cash_run.line.search_read', [
            ('run.courier', '=', courier.user_id),
            ('run.state', '=', 'delivering'),
            ('state', '=', 'pending'),
            ], 0, None, [('run', 'ASC'), ('sequence', 'ASC'), ('id', 'ASC')],
        ['address', 'amount', 'party', 'point', 'run'])


def test_courier_reports_stop_paid(new_page, sao, rpc):
    """On his phone the courier finds the stops to report and reports the
    first one paid with the receipt note's number: the stop leaves the
    list and is paid with the receipt"""
    courier = rpc('courier')
    senior = rpc('senior')
    stops = pending_stops(courier)
    assert len(stops) >= 3, "the demo hands a run with stops to the courier"
    stop = stops[0]
    addresses = [s['address'] for s in stops]
    assert addresses.count(stop['address']) == 1

    page = new_page(PHONE)
    sao.login(page, 'courier')
    sao.open_menu(page, COMMERCIAL_SERVICE, RENT, MY_CASH_RUN)
    to_report = domain_tab(page, TO_REPORT)
    expect(to_report).to_have_class(re.compile(r'\bactive\b'))
    assert badge_count(to_report) == len(stops)
    expect(cards(page)).to_have_count(len(stops))

    card = card_of(page, stop['address'])
    card.scroll_into_view_if_needed()
    expect(card.locator('input[name="address"]')).to_be_visible()
    party, = senior('model.party.party.read', [stop['party']], ['rec_name'])
    expect(card.locator('input[name="party"]')).to_have_value(
        party['rec_name'])
    # No contract on the courier's phone
    expect(card.locator('[name="contract"]')).to_have_count(0)
    sao.screenshot(page, 'courier-cash-run')

    paid = card.locator('button[name="pay"]')
    expect(paid).to_have_text(one_of(PAID))
    box = paid.bounding_box()
    assert box['height'] >= 44 and box['width'] >= 0.4 * PHONE['width'], (
        "Paid is a large button on the phone: %s" % box)
    # One tap, even on a card not selected yet
    paid.click()

    dialog = page.locator('.wizard-dialog').filter(
        has=page.locator('input[name="receipt_number"]'))
    expect(dialog).to_be_visible()
    # The wizard's defaults are on screen (they would overwrite the number)
    expect(dialog.locator('select[name="receipt_kind"]')).not_to_have_value(
        re.compile(r'^(""|null)?$'))
    number = dialog.locator('input[name="receipt_number"]')
    number.fill(RECEIPT_NUMBER)
    expect(number).to_have_value(RECEIPT_NUMBER)
    sao.screenshot(page, 'courier-cash-stop-receipt')
    dialog.locator('.modal-footer button').filter(
        has_text=one_of(PAID)).click()
    expect(dialog).to_be_hidden()

    # The reported stop leaves the tab of the stops to report at once
    expect(cards(page)).to_have_count(len(stops) - 1)
    page.wait_for_function('''address => !Array.from(
        document.querySelectorAll('#tabcontent > .tab-pane.active '
            + '.list-form-item input[name="address"]')
        ).some(e => e.value === address)''', arg=stop['address'])
    sao.screenshot(page, 'courier-cash-stop-paid')
    line, = senior('model.mrk.rent.cash_run.line.read', [stop['id']],
        ['state', 'receipt_kind', 'receipt_number', 'reported_by',
            'visited'])
    assert line['state'] == 'paid'
    assert line['receipt_kind'] == 'receipt_note'
    assert line['receipt_number'] == RECEIPT_NUMBER
    assert line['reported_by'] == courier.user_id
    assert line['visited']

    # The stop is among the reported ones, paid with its receipt
    domain_tab(page, REPORTED).locator('a').click()
    expect(domain_tab(page, REPORTED)).to_have_class(
        re.compile(r'\bactive\b'))
    card = card_of_eventually(page, stop['address'])
    expect(card.locator('input[name="receipt_number"]')).to_have_value(
        RECEIPT_NUMBER)
    expect(card.locator('select[name="state"] option:checked')).to_have_text(
        one_of(PAID))
    expect(card.locator('button[name="pay"]')).to_be_hidden()
    expect(card.locator('button[name="not_pay"]')).to_be_hidden()
    domain_tab(page, TO_REPORT).locator('a').click()
    expect(cards(page)).to_have_count(len(stops) - 1)
    assert badge_count(domain_tab(page, TO_REPORT)) == len(stops) - 1
