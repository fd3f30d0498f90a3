"""Assemble the web root served by trytond under var/www.

It holds sao's files from web/node_modules/tryton-sao, a node_modules/
beside them with sao's npm dependencies (as sao's index.html expects),
the project's Russian translation of sao (web/locale/ru.po compiled to
ru.json, since sao 8.0 ships an empty one) and custom.js/custom.css.
Run after "npm ci" in web/.
"""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / 'web'
SAO = WEB / 'node_modules' / 'tryton-sao'
TARGET = ROOT / 'var' / 'www'


def main():
    if not (SAO / 'index.html').exists():
        sys.exit('tryton-sao is not installed: run "npm ci" in web/')
    if TARGET.exists() or TARGET.is_symlink():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for name in ['dist', 'images', 'sounds', 'locale']:
        shutil.copytree(SAO / name, TARGET / name)
    index = (SAO / 'index.html').read_text(encoding='utf-8')
    index = index.replace('lang="en"', 'lang="ru"').replace(
        '<title>Tryton</title>', '<title>МРК</title>')
    (TARGET / 'index.html').write_text(index, encoding='utf-8')
    (TARGET / 'node_modules').symlink_to(WEB / 'node_modules')
    for name in ['custom.js', 'custom.css']:
        shutil.copy(WEB / name, TARGET / name)
    subprocess.run([sys.executable, str(ROOT / 'tools' / 'po2json.py'),
            str(WEB / 'locale' / 'ru.po'),
            str(TARGET / 'locale' / 'ru.json')], check=True)
    print('web root ready: %s' % TARGET)


if __name__ == '__main__':
    main()
