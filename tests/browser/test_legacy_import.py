"""The office administrator loads the legacy rent table in the web client
(5.1): she picks the .xlsx file in «Загрузка старой таблицы аренды», the
dry run reports what the import does and writes nothing, «Загрузить»
imports it."""
import io
import re
import secrets

import openpyxl
from playwright.sync_api import expect
from sao_pages import one_of

COMMERCIAL_SERVICE = ('Коммерческая служба',)
RENT = ('Аренда', 'Rent')
IMPORT = ('Загрузка старой таблицы аренды', 'Import Legacy Rent Table')
RUN = ('Выполнить', 'Run')
LOAD = ('Загрузить', 'Import')
HEADER = ['Контрагент', 'ИНН', 'КПП', 'Договор №', 'Дата договора',
    'Действует до', 'Адрес точки', 'Серийный № терминала', 'Дата установки',
    'Дата снятия', 'Сумма аренды, руб./мес.', 'База', 'Форма оплаты']


def table(number, serial):
    "A small legacy table: one contract over two terminals"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(['Таблица аренды терминалов'])
    sheet.append(HEADER)
    sheet.append(['ООО «Веб-загрузка»', '7728168971', '772801001', number,
            '01.02.2026', '31.12.2030', 'ул. Браузерная, 1', serial + '-1',
            '01.02.2026', None, '3 500,00', 'за договор', 'безнал'])
    sheet.append([None] * 7 + [serial + '-2', '15.02.2026'])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_office_imports_legacy_table(new_page, sao, rpc, tmp_path):
    office = rpc('office')
    token = secrets.token_hex(3).upper()
    number, serial = 'ВЕБ-%s' % token, 'WEB-%s' % token
    path = tmp_path / 'аренда.xlsx'
    path.write_bytes(table(number, serial))

    page = new_page()
    sao.login(page, 'office')
    sao.open_menu(page, COMMERCIAL_SERVICE, RENT, IMPORT)
    dialog = page.locator('.wizard-dialog').filter(
        has=page.locator('input[type="file"]'))
    expect(dialog).to_be_visible()
    dialog.locator('input[type="file"]').set_input_files(str(path))
    dialog.locator('.modal-footer button').filter(
        has_text=one_of(RUN)).click()

    # The dry run's report in the result view, nothing written
    dialog = page.locator('.wizard-dialog').filter(
        has=page.locator('textarea[name="report"]'))
    report = dialog.locator('textarea[name="report"]')
    expect(report).to_have_value(re.compile(
            r'^(Пробный прогон|Dry run of) аренда\.xlsx'))
    expect(report).to_have_value(re.compile(re.escape(number)))
    sao.screenshot(page, 'legacy-import-dry-run')
    assert office('model.mrk.contract.search_count',
        [('number', '=', number)]) == 0

    dialog.locator('.modal-footer button').filter(
        has_text=one_of(LOAD)).click()
    expect(report).to_have_value(re.compile(
            r'^(Загрузка аренда\.xlsx выполнена|Import of аренда\.xlsx done)'))
    sao.screenshot(page, 'legacy-import-done')
    contract, = office('model.mrk.contract.search_read',
        [('number', '=', number)], 0, None, None, ['state', 'rent_amount'])
    assert contract['state'] == 'active'
    assert office('model.mrk.terminal.search_count',
        [('serial_number', 'in', [serial + '-1', serial + '-2'])]) == 2
