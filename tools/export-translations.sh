#!/bin/sh
# Regenerate addons/<module>/locale/ru.po from the module's current models,
# views and data, keeping the translations it already has. Exporting needs a
# database whose default language is English, so a throw-away SQLite one is
# made under a temporary folder.
#   tools/export-translations.sh mrk_base [mrk_contracts …]
set -e
[ $# -gt 0 ] || { echo "usage: $0 MODULE [MODULE…]" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '[database]\nlanguage = en\n' > "$tmp/trytond.conf"
echo "admin-export" > "$tmp/pass"
touch "$tmp/export.sqlite"
export TRYTOND_DATABASE__URI=sqlite:// TRYTOND_DATABASE__PATH="$tmp" TRYTONPASSFILE="$tmp/pass"
"$top/.venv/bin/trytond-admin" -c "$tmp/trytond.conf" -d export -u "$@" \
    --activate-dependencies -l ru --email admin@example.com
"$top/.venv/bin/trytond-admin" -c "$tmp/trytond.conf" -d export -u "$@" \
    -l ru --export-translations
# Entries that mrk_base's override file already carries for the core modules
# come back in the export as the module's own: keep them in one place only.
for module in "$@"; do
    "$top/.venv/bin/python" - "$top/addons/$module/locale/ru.po" \
        "$top/addons/mrk_base/locale/override/ru.po" <<'PY'
import sys
import polib
po = polib.pofile(sys.argv[1])
override = {(e.msgctxt, e.msgid) for e in polib.pofile(sys.argv[2])}
for entry in [e for e in po if (e.msgctxt, e.msgid) in override]:
    po.remove(entry)
po.save(sys.argv[1])
PY
done
