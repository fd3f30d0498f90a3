"""Locators shared by the browser tests: the current tab of sao, its domain
tabs with their counts, the columns of a board, the rows of a list, and the
wait for sao's calls to the server to end."""
import re

from playwright.sync_api import expect


def one_of(labels):
    "A regular expression matching one of labels as the whole text"
    return re.compile(r'^\s*(%s)\s*$' % '|'.join(map(re.escape, labels)))


def english_words(text, words):
    "The words of words found whole in text"
    return [w for w in words
        if re.search(r'(?<!\w)%s(?!\w)' % re.escape(w), text)]


def current_tab(page):
    return page.locator('#tabcontent > .tab-pane.active')


def domain_tab(page, labels):
    "The tab (Overdue, Today...) above the list of the current tab"
    return current_tab(page).locator('.tab-domain .nav-tabs > li').filter(
        # The label, then the count: no \b, ASCII-only in JavaScript.
        has=page.locator('a', has_text=re.compile(
                    r'^\s*(%s)(\s|$)' % '|'.join(map(re.escape, labels)))))


def badge_count(tab):
    "The count shown on a domain tab, once sao has computed it"
    badge = tab.locator('.badge')
    expect(badge).to_have_text(re.compile(r'^\d+$'))
    return int(badge.inner_text())


def board_column(page, labels):
    "The list of the board's action titled one of labels"
    return current_tab(page).locator('.board-action').filter(
        has=page.locator('.panel-heading', has_text=one_of(labels)))


def rows(container):
    "The record rows of the lists in container (not sao's More row)"
    return container.locator('.treeview tbody tr:not(.more-row)')


# sao renders this many rows of a list, then a More row
DISPLAY_SIZE = 20


def expect_rows(container, count, message=None):
    """The list in container holds count records: sao renders at most
    DISPLAY_SIZE rows, and a More row when there are others"""
    expect(rows(container), message).to_have_count(min(count, DISPLAY_SIZE))
    more = container.locator('.treeview tbody tr.more-row')
    if count > DISPLAY_SIZE:
        expect(more, message).to_be_visible()
    else:
        expect(more, message).to_have_count(0)


# Counts sao's calls to the server in flight (sao calls through jQuery.ajax,
# whose global events tell when a call starts and ends)
_WATCH_CALLS = """() => {
    if (window.mrkCalls === undefined) {
        window.mrkCalls = 0;
        window.mrkCallsChanged = Date.now();
        jQuery(document).ajaxSend(() => {
            window.mrkCalls += 1;
            window.mrkCallsChanged = Date.now();
        }).ajaxComplete(() => {
            window.mrkCalls -= 1;
            window.mrkCallsChanged = Date.now();
        });
    }
}"""


def watch_calls(page):
    "Count sao's calls to the server from now on (see wait_calls)"
    page.evaluate(_WATCH_CALLS)


def wait_calls(page, quiet=150):
    """Wait until sao has no call to the server in flight and none started
    for quiet milliseconds: a list searches, and its domain tabs count,
    after the list is drawn, one call leading to the next"""
    page.wait_for_function(
        'quiet => window.mrkCalls === 0'
        ' && Date.now() - window.mrkCallsChanged >= quiet', arg=quiet)
