"""Russian everywhere a user looks: the web client's own strings and the
core modules' strings that upstream leaves in English."""
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[1]
SAO = ROOT / 'web' / 'node_modules' / 'tryton-sao'


def test_web_client_catalogue_is_complete():
    "Every string of sao has its Russian, with the same placeholders"
    catalogue = {e.msgid: e for e in polib.pofile(
            str(ROOT / 'web' / 'locale' / 'ru.po'))}
    missing = []
    for entry in polib.pofile(str(SAO / 'locale' / 'messages.pot')):
        translated = catalogue.get(entry.msgid)
        if (not translated or 'fuzzy' in translated.flags
                or not (translated.msgstr or all(
                        translated.msgstr_plural.values()))):
            missing.append(entry.msgid)
            continue
        for placeholder in ['%1', '%2', '%s', '%d']:
            text = translated.msgstr or translated.msgstr_plural[0]
            if placeholder in entry.msgid:
                assert placeholder in text, (entry.msgid, text)
    assert not missing, missing


def test_web_root_serves_russian_catalogue():
    "The built web root carries the Russian catalogue sao loads"
    built = ROOT / 'var' / 'www' / 'locale' / 'ru.json'
    assert built.exists(), "run make webroot"
    subprocess.run([sys.executable, str(ROOT / 'tools' / 'po2json.py'),
            str(ROOT / 'web' / 'locale' / 'ru.po'), '/dev/stdout'],
        check=True, stdout=subprocess.DEVNULL)
    assert '"Сохранить"' in built.read_text(encoding='utf-8')


def test_core_overrides_match_upstream():
    """The override file covers every core string upstream leaves empty,
    and each entry matches an upstream one (else activation would fail)"""
    result = subprocess.run([sys.executable,
            str(ROOT / 'tools' / 'core_override_candidates.py'),
            '--check', str(ROOT / 'addons' / 'mrk_base' / 'locale'
                / 'override' / 'ru.po')],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '0 not covered' in result.stdout, result.stdout
    assert '0 errors' in result.stdout, result.stdout


def test_modules_catalogues_are_complete():
    """Every entry of the modules' Russian catalogues is translated, keeps
    its placeholders, and every message of their XML files has its entry"""
    import re
    import xml.etree.ElementTree as ET
    placeholder = re.compile(r'%\([a-z_]+\)[sd]|%[sd]')
    problems = []
    for po_path in sorted(ROOT.glob('addons/*/locale/ru.po')):
        module = po_path.parent.parent.name
        po = polib.pofile(str(po_path))
        for entry in po:
            if not entry.msgstr or 'fuzzy' in entry.flags:
                problems.append('%s: %s %r untranslated' % (
                        module, entry.msgctxt, entry.msgid))
            elif (sorted(placeholder.findall(entry.msgid))
                    != sorted(placeholder.findall(entry.msgstr))):
                problems.append('%s: %s placeholders differ' % (
                        module, entry.msgctxt))
        contexts = {e.msgctxt for e in po}
        for xml_path in sorted(po_path.parent.parent.glob('*.xml')):
            for record in ET.parse(str(xml_path)).iter('record'):
                if record.get('model') != 'ir.message':
                    continue
                context = 'model:ir.message,text:%s' % record.get('id')
                if context not in contexts:
                    problems.append('%s: %s missing' % (module, context))
    assert not problems, '\n'.join(problems)
