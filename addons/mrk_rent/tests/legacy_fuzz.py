"""Malformed legacy rent tables made at random (seeded) for the fuzz tests
of the import: wrong types per column, huge strings, control and invisible
characters, missing headers, merged cells, formulas, dates out of range,
one contract number with two INN, empty sheets, bytes that are no
workbook."""
import datetime
import io
import random
import zipfile

import openpyxl

HEADER = ['Контрагент', 'ИНН', 'КПП', 'Договор №', 'Дата договора',
    'Действует до', 'Адрес точки', 'Серийный № терминала', 'Дата установки',
    'Дата снятия', 'Сумма аренды, руб./мес.', 'База', 'Форма оплаты',
    'Действует с', 'Маршрут', 'Примечание']
# Valid INN of organisations (check digits right)
INNS = ['7707083893', '7702070139', '7736207543', '7830002293',
    '5001007322', '7728168971', '7710140679', '7703270067']
KPP = '773601001'
BAD_VALUES = [True, False, 0, -1, 0.5, 3.14159, 1e20, 12345678901234567890,
    float('nan'), float('inf'), '', ' ', '\u200b', '\u200b\u200d\ufeff',
    'x' * 300, 'я' * 5000, 'z' * 32767, 'a\x00b', 'bell\x07', 'esc\x1b[0m',
    '#N/A', '#DIV/0!', '=1/0', '=A1+', 'нет', '01.01.0001', '15.06.0099',
    '31.12.9999', '00.00.0000', '29.02.2023', '2025-13-01',
    datetime.datetime(1900, 1, 1), datetime.datetime(9999, 12, 31),
    datetime.date(1, 1, 1), datetime.time(12, 30),
    datetime.timedelta(days=3), '0.001', '-5 000,00', '1e400', 'nan', 'inf',
    '5 000,005', 'наличные/безнал', 'за договор / за терминал',
    '0000000000', '000000000000', '7707083894', 'АБВГД', '\t\n', '№',
    '\u202e\u2066', '\ud7ff', '1' * 40]


def row(number, inn, serial, amount=5000):
    return ['ООО «Фирма %s»' % number, inn, KPP, 'Ф-%s' % number,
        '01.01.2025', '31.12.2025', 'ул. Тестовая, %s' % number,
        'FZ-%s' % serial, '15.01.2025', None, amount, 'за договор',
        'безнал', None, None, None]


def save(sheet_rows, merges=(), formulas=(), extra_sheets=0, title=None):
    book = openpyxl.Workbook()
    sheet = book.active
    if title is not None:
        sheet.title = title
    for number, cells in sheet_rows:
        for col, value in enumerate(cells, 1):
            if value is None:
                continue
            try:
                sheet.cell(number, col, value)
            except Exception:
                # Control characters: Excel writes them as _xHHHH_
                sheet.cell(number, col, ''.join(
                        '_x%04X_' % ord(c) if ord(c) < 32 else c
                        for c in value))
    for ref in merges:
        try:
            sheet.merge_cells(ref)
        except ValueError:
            pass
    for ref, formula in formulas:
        sheet[ref] = formula
    for index in range(extra_sheets):
        book.create_sheet('Пустой %s' % index)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _base(rng, rows):
    inns = rng.sample(INNS, min(rows, len(INNS)))
    return [(1, list(HEADER))] + [
        (i + 2, row(i + 1, inns[i % len(inns)], '%s-%s' % (i, rng.random())))
        for i in range(rows)]


def malformed(seed):
    """(kind, bytes) of the file of seed: a spreadsheet with one to three
    defects, or bytes that are no workbook"""
    rng = random.Random(seed)
    kind = rng.choice(['cells', 'cells', 'cells', 'cells', 'header',
            'merged', 'formula', 'duplicate', 'empty', 'bytes', 'far',
            'title', 'shifted'])
    sheet_rows = _base(rng, rng.randint(1, 6))
    merges, formulas = [], []
    if kind == 'cells':
        for _ in range(rng.randint(1, 3)):
            number, cells = rng.choice(sheet_rows[1:])
            cells[rng.randrange(len(HEADER))] = rng.choice(BAD_VALUES)
    elif kind == 'header':
        header = sheet_rows[0][1]
        for index in rng.sample(range(len(HEADER)), rng.randint(1, 8)):
            header[index] = rng.choice([None, 'Столбец', 'x' * 300,
                    '\u200b', 'ИНН'])
    elif kind == 'merged':
        last = sheet_rows[-1][0]
        for _ in range(rng.randint(1, 4)):
            col = rng.randint(1, len(HEADER))
            top = rng.randint(1, last)
            merges.append('%s%s:%s%s' % (
                    openpyxl.utils.get_column_letter(col), top,
                    openpyxl.utils.get_column_letter(
                        min(col + rng.randint(0, 2), len(HEADER))),
                    top + rng.randint(0, 3)))
        number, cells = rng.choice(sheet_rows[1:])
        cells[rng.randrange(len(HEADER))] = rng.choice(BAD_VALUES)
    elif kind == 'formula':
        last = sheet_rows[-1][0]
        for _ in range(rng.randint(1, 3)):
            formulas.append(('%s%s' % (
                        openpyxl.utils.get_column_letter(
                            rng.randint(1, len(HEADER))),
                        rng.randint(2, last)),
                    rng.choice(['=1/0', '=SUM(K2:K9)', '=A1', '=NOW()'])))
    elif kind == 'duplicate':
        number, cells = rng.choice(sheet_rows[1:])
        other = list(cells)
        other[1] = rng.choice([i for i in INNS if i != cells[1]])
        other[7] = 'FZ-dup-%s' % seed
        sheet_rows.append((sheet_rows[-1][0] + 1, other))
    elif kind == 'empty':
        return kind, save(rng.choice([[], [(1, [None])], [(5, ['   '])]]),
            extra_sheets=rng.randint(0, 2))
    elif kind == 'bytes':
        good = save(sheet_rows)
        choice = rng.randrange(6)
        if choice == 0:
            content = bytes(rng.randrange(256)
                for _ in range(rng.randint(0, 2000)))
        elif choice == 1:
            content = good[:rng.randint(1, len(good) - 1)]
        elif choice == 2:
            content = b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + bytes(512)
        elif choice == 3:
            output = io.BytesIO()
            with zipfile.ZipFile(output, 'w') as archive:
                archive.writestr('hello.txt', 'not a workbook')
            content = output.getvalue()
        elif choice == 4:
            content = 'Контрагент;ИНН\nООО;7707083893\n'.encode('cp1251')
        else:
            content = b''
        return kind, content
    elif kind == 'far':
        sheet_rows.append((rng.choice([2000, 60000, 1048576]),
                ['x', None, None, None]))
    elif kind == 'title':
        sheet_rows = [(1, ['Таблица аренды']), (2, [None])] + [
            (n + 2, c) for n, c in sheet_rows]
        number, cells = rng.choice(sheet_rows[3:])
        cells[rng.randrange(len(HEADER))] = rng.choice(BAD_VALUES)
    elif kind == 'shifted':
        # Rows of a contract with the contract cells blank, one cell wrong
        for extra in range(rng.randint(1, 3)):
            cells = [None] * len(HEADER)
            cells[7] = 'FZ-more-%s-%s' % (seed, extra)
            cells[rng.randrange(len(HEADER))] = rng.choice(BAD_VALUES)
            sheet_rows.append((sheet_rows[-1][0] + 1, cells))
    return kind, save(sheet_rows, merges, formulas)
