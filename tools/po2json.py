#!/usr/bin/env python3
"""Convert a gettext .po file into the JSON file loaded by sao (Tryton web client).

Usage:
    python tools/po2json.py IN.po OUT.json [--allow-untranslated]

The output reproduces what sao's own build (grunt-po2json, format "raw") writes
into sao/locale/<lang>.json:

* key "" holds the header of the .po file as an object whose keys are the
  header names in lower case ("content-type", "language", "plural-forms", ...);
* every other key is the msgid (prefixed by "msgctxt\\u0004" when the entry has
  a context) and its value is a list: the first element is msgid_plural (or
  null), followed by the msgstr forms (one for a simple entry, one per plural
  form for a plural entry);
* fuzzy and obsolete entries are left out.

By default the script refuses to produce a file with holes: it exits with
status 1 and names every msgid whose msgstr (or any plural form) is empty or
which is marked fuzzy.  --allow-untranslated keeps such entries the way
grunt-po2json does (empty strings kept, fuzzy entries dropped), which is only
useful to compare the output with sao's own locale files.
"""

import argparse
import json
import sys

try:
    import polib
except ImportError:  # pragma: no cover
    sys.exit("po2json: the 'polib' package is required (pip install polib)")


def parse_header(po):
    """Return the header as sao expects it: lower-case keys, stripped values."""
    headers = {}
    for key, value in po.metadata.items():
        key = key.strip().lower()
        if not key:
            continue
        headers[key] = value.strip()
    return headers


def plural_forms(entry):
    return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]


def convert(po, allow_untranslated=False):
    """Return (data, problems) for a polib.POFile."""
    data = {}
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid == '' and not entry.msgctxt:
            # header (polib normally moves it into po.metadata)
            continue
        fuzzy = 'fuzzy' in entry.flags
        if entry.msgid_plural:
            forms = plural_forms(entry)
            empty = not forms or any(not f for f in forms)
        else:
            forms = [entry.msgstr]
            empty = not entry.msgstr
        if fuzzy or empty:
            problems.append((entry, 'fuzzy' if fuzzy else 'empty msgstr'))
        if fuzzy:
            continue
        key = entry.msgid
        if entry.msgctxt is not None:
            key = entry.msgctxt + '\u0004' + key
        data[key] = [entry.msgid_plural or None] + forms
    result = {'': parse_header(po)}
    result.update((k, v) for k, v in data.items() if k != '')
    return result, problems


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Convert a .po file into sao's locale JSON format.")
    parser.add_argument('input', metavar='IN.po')
    parser.add_argument('output', metavar='OUT.json')
    parser.add_argument(
        '--allow-untranslated', action='store_true',
        help="do not fail on empty or fuzzy entries "
        "(mimic grunt-po2json exactly)")
    args = parser.parse_args(argv)

    try:
        po = polib.pofile(args.input, encoding='utf-8')
    except (OSError, IOError, ValueError) as exc:
        print('po2json: cannot read %s: %s' % (args.input, exc),
            file=sys.stderr)
        return 2

    data, problems = convert(po, args.allow_untranslated)
    if problems and not args.allow_untranslated:
        for entry, reason in problems:
            ctx = ' (msgctxt %r)' % entry.msgctxt if entry.msgctxt else ''
            print('po2json: %s: %s for msgid %r%s' % (
                    args.input, reason, entry.msgid, ctx), file=sys.stderr)
        print('po2json: %d untranslated entr%s, %s not written' % (
                len(problems), 'y' if len(problems) == 1 else 'ies',
                args.output), file=sys.stderr)
        return 1

    with open(args.output, 'w', encoding='utf-8') as fp:
        json.dump(data, fp, ensure_ascii=False, separators=(',', ':'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
