#!/usr/bin/env python3
"""List the Russian strings of Tryton core modules that upstream leaves
untranslated, in the "override" format loaded from
addons/mrk_base/locale/override/ru.po, and check or regenerate that file.

Tryton loads ``locale/override/<lang>.po`` of every module.  An entry whose
msgctxt ends with ``MODULE.fs_id`` (``MODULE.`` for entries without a record)
replaces the translation of that other module::

    upstream (party/locale/ru.po)          override (mrk_base)
    field:party.party,name:                field:party.party,name:party.
    model:ir.ui.menu,name:menu_party       model:ir.ui.menu,name:party.menu_party

trytond looks the overridden translation up with ``translation, = search(...)``,
so every override entry must match an entry of the upstream module's own
<lang>.po (same msgctxt and msgid) whose record really exists; otherwise the
module activation fails.  This script therefore starts from the upstream
files only.

An upstream entry is a candidate when its msgstr is empty (any plural form
empty), when it is marked fuzzy (trytond ignores fuzzy translations) or when
its msgstr is just a copy of the English msgid (proper names listed in
KEEP_AS_IS excepted).  The override file may also correct upstream
translations that are wrong; such entries are not candidates but --check
accepts them as long as they match an upstream entry.

Fuzzy trap: trytond 8.0 only applies an override (and clears the fuzzy flag)
when its text differs from the stored one.  An override whose text equals
the fuzzy upstream text is silently ignored and the English source stays on
screen.  For entries without a record (field, help, selection, view, model
name, ...) --merge therefore adds a plain "shadow" entry (msgctxt without the
module prefix, e.g. ``field:ir.action,action:``): it becomes a non-fuzzy
translation owned by mrk_base, which trytond uses since it ignores fuzzy
ones.  Record entries (menus, actions, messages, ...) cannot be shadowed:
their Russian text must be worded differently from the fuzzy upstream text;
--check reports them.

Usage::

    # candidates with empty msgstr (upstream fuzzy text shown as a comment)
    python tools/core_override_candidates.py > /tmp/candidates.po

    # regenerate the override file after a trytond upgrade: keeps the
    # translations that still apply, adds new candidates with an empty
    # msgstr, drops (and reports) entries that no longer match upstream and
    # recomputes the shadow entries
    python tools/core_override_candidates.py \\
        --merge addons/mrk_base/locale/override/ru.po -o /tmp/ru.po

    # check an override file: exit status 1 when an entry does not match
    # upstream, has an empty msgstr or broken placeholders, or would be
    # ignored by trytond; also lists candidates the file does not cover
    python tools/core_override_candidates.py \\
        --check addons/mrk_base/locale/override/ru.po
"""

import argparse
import configparser
import os
import re
import sys
import xml.etree.ElementTree as ET

try:
    import polib
except ImportError:  # pragma: no cover
    sys.exit("the 'polib' package is required")

DEFAULT_MODULES = ['ir', 'res', 'country', 'currency', 'party', 'company']

PLURAL_FORMS = {
    'ru': ('nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && '
        'n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);'),
    }

# msgids that are legitimately left identical in Russian
KEEP_AS_IS = {'Skype', 'SIP', 'IRC', 'ID', 'URL', 'UUID', 'XML ID', 'REST API',
    'Message-ID', 'Cookie', 'OK'}

PLACEHOLDER = re.compile(
    r'%\([a-zA-Z_][a-zA-Z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]'
    r'|%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]'
    r'|\$\{[^}]*\}'
    r'|\{\}'
    r'|\[\d+:')

SHADOW_COMMENT = ('same text as the fuzzy upstream translation, which trytond '
    'would keep fuzzy: plain entry supplying a non-fuzzy one')


def trytond_dir():
    try:
        import trytond
    except ImportError:
        sys.exit('trytond is not importable, use --trytond DIR')
    return os.path.dirname(trytond.__file__)


def module_dir(root, module):
    if module in ('ir', 'res'):
        return os.path.join(root, module)
    return os.path.join(root, 'modules', module)


def module_fs_ids(path):
    "Return the set of XML ids defined by the module"
    config = configparser.ConfigParser()
    config.read(os.path.join(path, 'tryton.cfg'))
    xml_files = config.get('tryton', 'xml', fallback='').split()
    ids = set()
    for filename in xml_files:
        tree = ET.parse(os.path.join(path, filename))
        for element in tree.iter():
            if element.tag in ('record', 'menuitem') and element.get('id'):
                ids.add(element.get('id'))
    return ids


def values_of(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def is_untranslated(entry):
    if 'fuzzy' in entry.flags:
        return True
    if entry.msgid_plural:
        return (not entry.msgstr_plural
            or any(not v for v in entry.msgstr_plural.values()))
    if not entry.msgstr:
        return True
    # English text copied as translation
    return (entry.msgstr == entry.msgid
        and entry.msgid not in KEEP_AS_IS
        and re.search('[a-z]{2,}', entry.msgid) is not None)


def override_ctxt(msgctxt, module):
    ttype, name, res_id = msgctxt.split(':')
    return '%s:%s:%s.%s' % (ttype, name, module, res_id)


def split_ctxt(msgctxt):
    "Return (type, name, module or None, res_id)"
    ttype, name, res_id = msgctxt.split(':')
    if '.' in res_id:
        module, res_id = res_id.split('.', 1)
        return ttype, name, module, res_id
    return ttype, name, None, res_id


def upstream_entries(root, modules, lang):
    """Yield (module, upstream entry, override msgctxt, fs_id_ok) for every
    entry of the upstream <lang>.po of modules"""
    for module in modules:
        path = module_dir(root, module)
        po_path = os.path.join(path, 'locale', '%s.po' % lang)
        if not os.path.exists(po_path):
            print('warning: %s does not exist' % po_path, file=sys.stderr)
            continue
        fs_ids = module_fs_ids(path)
        for entry in polib.pofile(po_path):
            if entry.obsolete or not entry.msgctxt:
                continue
            ttype, name, res_id = entry.msgctxt.split(':')
            ok = not res_id or res_id in fs_ids
            yield module, entry, override_ctxt(entry.msgctxt, module), ok


def is_noop(upstream, entry):
    """An override identical to a fuzzy upstream translation is ignored by
    trytond (the fuzzy flag is only reset when the text changes)"""
    return ('fuzzy' in upstream.flags
        and values_of(entry) == values_of(upstream))


def copy_entry(entry, msgctxt):
    new = polib.POEntry(msgctxt=msgctxt, msgid=entry.msgid,
        flags=[f for f in entry.flags if f != 'fuzzy'])
    if entry.msgid_plural:
        new.msgid_plural = entry.msgid_plural
        new.msgstr_plural = dict(entry.msgstr_plural)
    else:
        new.msgstr = entry.msgstr
    return new


def new_entry(upstream, msgctxt, nplurals):
    flags = [f for f in upstream.flags if f != 'fuzzy']
    entry = polib.POEntry(msgctxt=msgctxt, msgid=upstream.msgid, flags=flags)
    if upstream.msgid_plural:
        entry.msgid_plural = upstream.msgid_plural
        entry.msgstr_plural = {i: '' for i in range(nplurals)}
    else:
        entry.msgstr = ''
    old = (upstream.msgstr if not upstream.msgid_plural
        else ' | '.join(upstream.msgstr_plural.values()))
    if old and old != upstream.msgid:
        entry.comment = 'upstream fuzzy: %s' % old
    return entry


def new_pofile(lang):
    po = polib.POFile(wrapwidth=78)
    po.metadata = {
        'Language': lang,
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Transfer-Encoding': '8bit',
        }
    if lang in PLURAL_FORMS:
        po.metadata['Plural-Forms'] = PLURAL_FORMS[lang]
    return po


def nplurals_of(lang):
    match = re.search(r'nplurals=(\d+)', PLURAL_FORMS.get(lang, ''))
    return int(match.group(1)) if match else 2


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


def check_entry(entry):
    "Return a list of problems of a translated entry"
    problems = []
    values = values_of(entry)
    if not values or any(not v for v in values):
        problems.append('EMPTY MSGSTR')
    if 'fuzzy' in entry.flags:
        problems.append('FUZZY')
    expected = placeholders(entry.msgid)
    for value in values:
        if not value:
            continue
        if entry.msgid_plural:
            # a plural form may drop the number, never add a placeholder
            allowed = set(expected + placeholders(entry.msgid_plural))
            if not set(placeholders(value)) <= allowed:
                problems.append('PLACEHOLDERS DIFFER (%r)' % value)
        elif placeholders(value) != expected:
            problems.append('PLACEHOLDERS DIFFER (%r)' % value)
    return problems


class Upstream:

    def __init__(self, root, modules, lang):
        self.modules = modules
        self.by_override = {}  # (override msgctxt, msgid) -> (module, entry)
        self.by_plain = {}  # (upstream msgctxt, msgid) -> [(module, entry)]
        self.order = {}
        self.candidates = []
        for i, (module, entry, ctxt, ok) in enumerate(
                upstream_entries(root, modules, lang)):
            if not ok:
                # the record is gone: trytond skips the upstream entry,
                # an override would fail
                continue
            key = (ctxt, entry.msgid)
            self.by_override[key] = (module, entry)
            self.by_plain.setdefault(
                (entry.msgctxt, entry.msgid), []).append((module, entry))
            self.order[key] = i
            if is_untranslated(entry):
                self.candidates.append((module, entry, ctxt))

    def lookup(self, entry):
        "Return (module, upstream entry, is_shadow) or None"
        key = (entry.msgctxt, entry.msgid)
        if key in self.by_override:
            return self.by_override[key] + (False,)
        ttype, name, module, res_id = split_ctxt(entry.msgctxt)
        if module is None and not res_id and key in self.by_plain:
            return self.by_plain[key][0] + (True,)
        return None

    def sort_key(self, entry):
        found = self.lookup(entry)
        if not found:
            return (len(self.order), 0)
        module, up, shadow = found
        return (self.order[(override_ctxt(up.msgctxt, module), up.msgid)],
            1 if shadow else 0)


def check(upstream, path):
    errors = 0
    seen = set()
    overrides = {}
    shadows = set()
    counts = {}
    for entry in polib.pofile(path):
        if entry.obsolete:
            continue
        where = '%s %r' % (entry.msgctxt, entry.msgid)
        found = upstream.lookup(entry)
        if not found:
            print('NO UPSTREAM ENTRY: %s' % where)
            errors += 1
            continue
        module, up, shadow = found
        if (up.msgid_plural or None) != (entry.msgid_plural or None):
            print('PLURAL MISMATCH: %s' % where)
            errors += 1
        for problem in check_entry(entry):
            print('%s: %s' % (problem, where))
            errors += 1
        if shadow:
            shadows.add((entry.msgctxt, entry.msgid))
        else:
            key = (entry.msgctxt, entry.msgid)
            seen.add(key)
            overrides[key] = (up, entry)
            counts[module] = counts.get(module, 0) + 1
    nshadow = 0
    for key, (up, entry) in overrides.items():
        if not is_noop(up, entry):
            continue
        ttype, name, module, res_id = split_ctxt(entry.msgctxt)
        where = '%s %r' % key
        if res_id:
            print('IGNORED BY TRYTOND (same text as fuzzy upstream, '
                'reword it): %s' % where)
            errors += 1
        elif (up.msgctxt, up.msgid) not in shadows:
            print('IGNORED BY TRYTOND (same text as fuzzy upstream, '
                'shadow entry missing, use --merge): %s' % where)
            errors += 1
        else:
            nshadow += 1
    missing = [(m, e, c) for m, e, c in upstream.candidates
        if (c, e.msgid) not in seen]
    for module, entry, ctxt in missing:
        print('not covered: %s %r' % (ctxt, entry.msgid))
    ncorrections = len(seen) - (len(upstream.candidates) - len(missing))
    print('override entries per module: %s' % ', '.join(
            '%s %d' % (m, counts.get(m, 0)) for m in upstream.modules))
    print('%d candidates, %d not covered, %d corrections of translated '
        'upstream entries, %d shadow entries, %d errors' % (
            len(upstream.candidates), len(missing), ncorrections,
            len(shadows), errors))
    return 1 if errors else 0


def merge(upstream, path, lang):
    nplurals = nplurals_of(lang)
    existing = {}
    if path:
        for entry in polib.pofile(path):
            if entry.obsolete:
                continue
            found = upstream.lookup(entry)
            if found and found[2]:
                continue  # shadow entries are recomputed
            existing[(entry.msgctxt, entry.msgid)] = entry
    po = new_pofile(lang)
    entries = []
    used = set()
    for module, up, ctxt in upstream.candidates:
        key = (ctxt, up.msgid)
        entry = existing.get(key)
        if entry is not None and (entry.msgid_plural or None) == (
                up.msgid_plural or None):
            used.add(key)
            entry.comment = ''
            entries.append(entry)
        else:
            entries.append(new_entry(up, ctxt, nplurals))
    for key, entry in existing.items():
        if key in used:
            continue
        found = upstream.lookup(entry)
        if found and (found[1].msgid_plural or None) == (
                entry.msgid_plural or None):
            # correction of a translated upstream entry
            entries.append(entry)
        else:
            print('dropped (no longer upstream): %s %r' % key,
                file=sys.stderr)
    for entry in list(entries):
        found = upstream.lookup(entry)
        if not found or not all(values_of(entry)):
            continue
        module, up, _ = found
        if not is_noop(up, entry):
            continue
        ttype, name, _, res_id = split_ctxt(entry.msgctxt)
        if res_id:
            print('reword (same text as fuzzy upstream, would be ignored): '
                '%s %r' % (entry.msgctxt, entry.msgid), file=sys.stderr)
            continue
        shadow = copy_entry(entry, up.msgctxt)
        shadow.comment = SHADOW_COMMENT
        entries.append(shadow)
    entries.sort(key=upstream.sort_key)
    po.extend(entries)
    return po


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--trytond', help='trytond package directory '
        '(default: the importable trytond)')
    parser.add_argument('--lang', default='ru')
    parser.add_argument('--modules', nargs='+', default=DEFAULT_MODULES)
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--merge', metavar='OVERRIDE.po',
        help='fill the candidates with the translations of this file')
    group.add_argument('--check', metavar='OVERRIDE.po',
        help='check this override file against upstream')
    parser.add_argument('-o', '--output', help='write here instead of stdout')
    args = parser.parse_args(argv)

    upstream = Upstream(
        args.trytond or trytond_dir(), args.modules, args.lang)

    if args.check:
        return check(upstream, args.check)

    po = merge(upstream, args.merge, args.lang)
    if args.merge:
        header = polib.pofile(args.merge).header
        if header:
            po.header = header
    text = str(po) + '\n'
    if args.output:
        with open(args.output, 'w', encoding='utf-8') as fp:
            fp.write(text)
    else:
        sys.stdout.write(text)
    print('%d candidates' % len(upstream.candidates), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
