"""Benchmark of the big printed documents: the non-cash registry (9.2, 9.3)
of a company of 10 000 contracts (about 4 000 lines), printed through its
LibreOffice template as one table and as tables of N lines, against the
same lines written by a direct PDF writer (reportlab).

    .venv/bin/python bench/reports.py [--size 10000] [--parts 200,1000,0]
        [--month YYYY-MM] [--uri postgresql://postgres@127.0.0.1:5432/]
        [--reuse] [--keep] [--repeat 1]

The database ``mrk_bench_<size>`` is the one of bench/rent.py (same
generator and seed); ``--reuse`` takes a kept one (e.g. from
``bench/rent.py --sizes 10000 --keep``) instead of generating it. The
registry of the month is generated in a transaction that is rolled back,
then printed with ``RegistryReport.execute`` as the web client prints it,
for each part size (0: the whole registry in one table). Printed per run:
lines, pages, wall seconds, CPU seconds of LibreOffice (the child
processes) and the peak memory of the process. reportlab (``pip install
-e .[bench]``) writes the same rows as one long table with the header
repeated on each page; it is measured, not used by the system.

Target (issue «Speed»): the registry of 4 000 lines printed in ≤ 10 s.
Not a test: it prints figures and runs outside CI.
"""
import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import rent  # noqa: E402 (bench/rent.py: the dataset and its database)

TARGET_S = 10


def _children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pages(content):
    result = subprocess.run(['pdfinfo', '-'], input=content,
        capture_output=True, check=True)
    for line in result.stdout.decode().splitlines():
        if line.startswith('Pages:'):
            return int(line.split()[1])


def reportlab_pdf(doc):
    """The registry's rows as one long table written by reportlab, the
    header repeated on every page (the direct-writer comparison)"""
    from io import BytesIO

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import (
        LongTable, Paragraph, SimpleDocTemplate, TableStyle)

    fonts = '/usr/share/fonts/truetype/dejavu/'
    if 'DejaVuSans' not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont('DejaVuSans', fonts + 'DejaVuSans.ttf'))
    style = ParagraphStyle('cell', fontName='DejaVuSans', fontSize=7,
        leading=8.5)
    title = ParagraphStyle('title', fontName='DejaVuSans', fontSize=12,
        leading=15)

    def cell(*texts):
        return Paragraph('<br/>'.join(t for t in texts if t), style)
    data = [[cell(h) for h in ['№', 'Получатель, ИНН', 'Договор',
                'Форма оплаты, счёт', 'Банковские реквизиты', 'Сумма, руб.',
                'Расчёт, отметки']]]
    for row in doc.rows:
        data.append([cell(row.index), cell(row.recipient, row.inn),
                cell(row.contract), cell(row.form, row.invoice),
                cell(row.bank), cell(row.amount),
                cell(row.explanation, row.notes)])
    table = LongTable(data, repeatRows=1, colWidths=[w * cm for w in [
                1, 5.5, 3.5, 3.5, 4.5, 2.5, 6.5]])
    table.setStyle(TableStyle([
                ('GRID', (0, 0), (-1, -1), 0.3, colors.black),
                ('VALIGN', (0, 0), (-1, -1), 'TOP'),
                ]))
    output = BytesIO()
    SimpleDocTemplate(output, pagesize=landscape(A4),
        leftMargin=1.5 * cm, rightMargin=1.2 * cm, topMargin=1.2 * cm,
        bottomMargin=1 * cm).build([
            Paragraph(doc.title, title), Paragraph(doc.subtitle, title),
            table, Paragraph(doc.total, title)])
    return output.getvalue()


def child_print(args):
    "Generate the month's registry and print it each way; roll back"
    from trytond.pool import Pool
    from trytond.transaction import Transaction

    database = os.environ['DB_NAME']
    month = datetime.date.fromisoformat(args.month + '-01')
    Pool(database).init()
    results = []
    with Transaction().start(database, 0) as transaction:
        pool = Pool()
        company, = pool.get('company.company').search([])
        with transaction.set_context(company=company.id):
            Registry = pool.get('mrk.rent.registry')
            Report = pool.get('mrk.rent.registry.document', type='report')
            start = time.perf_counter()
            registry = Registry.generate(month)
            generated = time.perf_counter() - start
            start = time.perf_counter()
            doc = Report.get_document(registry)
            documented = time.perf_counter() - start
            for size in [int(s) for s in args.parts.split(',') if s]:
                Report.table_part_rows = size or 10 ** 9
                best = None
                for _ in range(args.repeat):
                    cpu = _children_cpu()
                    start = time.perf_counter()
                    oext, content, _, _ = Report.execute([registry.id], {})
                    elapsed = time.perf_counter() - start
                    cpu = _children_cpu() - cpu
                    if oext != 'pdf':
                        sys.exit('the registry was not converted to PDF')
                    if best is None or elapsed < best[0]:
                        best = (elapsed, cpu, _pages(content))
                results.append({'way': 'LibreOffice, %s' % (
                            'tables of %d lines' % size if size
                            else 'one table'),
                        'part': size, 'seconds': best[0],
                        'office_cpu': best[1], 'pages': best[2]})
            try:
                __import__('reportlab')
            except ImportError:
                results.append({'way': 'reportlab: not installed '
                        '(pip install -e .[bench])'})
            else:
                start = time.perf_counter()
                content = reportlab_pdf(doc)
                results.append({'way': 'reportlab, one long table',
                        'seconds': time.perf_counter() - start,
                        'office_cpu': 0, 'pages': _pages(content)})
        transaction.rollback()
    return {'lines': len(doc.rows) + len(doc.excluded),
        'generate_s': generated, 'document_s': documented,
        'results': results,
        'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--size', type=int, default=10000,
        help='contracts of the dataset (default 10000)')
    parser.add_argument('--parts', default='200,1000,0',
        help='lines per table to compare; 0 is one table '
        '(default 200,1000,0)')
    parser.add_argument('--month',
        help='the month of the registry YYYY-MM (default: next month)')
    parser.add_argument('--uri', default=rent.DEFAULT_URI)
    parser.add_argument('--reuse', action='store_true',
        help='print from a kept mrk_bench_<size> instead of generating it')
    parser.add_argument('--keep', action='store_true',
        help='keep the database mrk_bench_<size>')
    parser.add_argument('--repeat', type=int, default=1,
        help='prints per way, the best is kept (default 1)')
    parser.add_argument('--child', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.month:
        today = datetime.date.today()
        args.month = rent._months(today.replace(day=1), 1).strftime('%Y-%m')
    if args.child:
        print('RESULT ' + json.dumps(child_print(args)))
        return

    name = 'mrk_bench_%d' % args.size
    try:
        if not (args.reuse and rent._exists(args.uri, name)):
            rent._drop(args.uri, name)
            print('%d contracts: generating %s' % (args.size, name),
                flush=True)
            rent._child(argparse.Namespace(uri=args.uri, month=args.month,
                    seed=5, repeat=1, sample=50, memory=False),
                'generate', args.size)
        env = dict(os.environ, TRYTOND_DATABASE_URI=args.uri, DB_NAME=name)
        env.pop('DB_CACHE', None)
        process = subprocess.run([sys.executable, os.path.abspath(__file__),
                '--child', 'print', '--month', args.month, '--parts',
                args.parts, '--repeat', str(args.repeat)],
            env=env, stdout=subprocess.PIPE, text=True)
    finally:
        if not args.keep:
            rent._drop(args.uri, name)
    result = None
    for line in process.stdout.splitlines():
        if line.startswith('RESULT '):
            result = json.loads(line[len('RESULT '):])
        else:
            print(line)
    if process.returncode or result is None:
        sys.exit('printing failed (exit %s)' % process.returncode)

    print('\nNon-cash registry of %s, %d contracts: %d lines '
        '(generated in %.1f s, rows computed in %.1f s)' % (
            args.month, args.size, result['lines'], result['generate_s'],
            result['document_s']))
    print('| way | pages | seconds | LibreOffice CPU s |')
    print('|---|---:|---:|---:|')
    for row in result['results']:
        if 'seconds' not in row:
            print('| %s | | | |' % row['way'])
            continue
        print('| %s | %d | %.1f | %.1f |' % (row['way'], row['pages'],
                row['seconds'], row['office_cpu']))
    print('peak memory of the printing process: %.0f MB' % result['rss_mb'])
    default = [r for r in result['results']
        if r.get('part') == rent_part_rows()]
    if default:
        seconds = default[0]['seconds']
        print('%s: the registry of %d lines printed in %.1f s with the '
            'default tables of %d lines (target ≤ %d s)' % (
                'PASS' if seconds <= TARGET_S else 'MISS',
                result['lines'], seconds, rent_part_rows(), TARGET_S))
        if seconds > TARGET_S:
            sys.exit(1)


def rent_part_rows():
    from trytond.modules.mrk_base.report import TABLE_PART_ROWS
    return TABLE_PART_ROWS


if __name__ == '__main__':
    main()
