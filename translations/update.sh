#!/usr/bin/env bash
# Refresh the message catalogue: extract msgids (Indonesian) into translations/messages.pot,
# then merge them into each locale's .po (created if missing). Translate what it reports,
# remove '#, fuzzy' once a guessed translation is checked, then `make translations` compiles.
# Usage: translations/update.sh            (locales: en; override with LOCALES="en xx")
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=translations/messages.pot
VERSION=$(sed -n 's/^version *= *"\(.*\)"/\1/p' pyproject.toml)

# babel.cfg paths are relative to the input directory, so extract from the repo root ('.').
# It maps only app/ and bot/; Babel never descends into dot-directories such as .venv.
"$PYBABEL" -q extract -F babel.cfg -k _l -k lazy_gettext --add-comments=TRANSLATORS: \
  --project=MejaData --version="${VERSION:-0}" --copyright-holder=MejaData \
  --width=76 -o "$POT" .
if grep -q '^#: .*\(\.venv\|site-packages\)' "$POT"; then
  echo "error: $POT picked up strings from the virtualenv" >&2
  exit 1
fi

for loc in ${LOCALES:-en}; do
  "$PYBABEL" -q update -i "$POT" -d translations -l "$loc" --init-missing --ignore-obsolete \
    --width=76
done

# What still needs a translator: empty or fuzzy entries, per locale.
.venv/bin/python - "$POT" ${LOCALES:-en} <<'PY'
import sys
from babel.messages.pofile import read_po
pot, locales = sys.argv[1], sys.argv[2:]
with open(pot, "rb") as f:
    print(f"{pot}: {sum(1 for m in read_po(f) if m.id)} msgids")
for loc in locales:
    path = f"translations/{loc}/LC_MESSAGES/messages.po"
    with open(path, "rb") as f:
        # A plural entry is a tuple of forms: every form needs a translation.
        todo = [m for m in read_po(f) if m.id and (m.fuzzy or not m.string or (
            isinstance(m.string, tuple) and not all(m.string)))]
    print(f"{path}: {len(todo)} to translate or check")
    for m in todo:
        where = " ".join(f"{p}:{n}" for p, n in m.locations)
        print(f"  {'fuzzy' if m.fuzzy else 'empty'}  {m.id!r}  [{where}]")
PY
