#!/bin/sh
# Regenerates po/POTFILES.in from the sources and merges po/zh_CN.po against
# the current messages; prints what is left to translate.
set -eu
cd "$(dirname "$0")/.."
grep -rlE '_\("|N_\("|C_\("|ngettext \(|translatable="yes"' src data | grep -v '\.h$' | sort > po/POTFILES.in
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS -k_ -kN_ -kC_:1c,2 -kNC_:1c,2 \
  -kngettext:1,2 -kg_dngettext:2,3 -kdngettext:2,3 -f po/POTFILES.in -o po/upgrade-planner.pot
msgmerge -q --no-fuzzy-matching --update --backup=none po/zh_CN.po po/upgrade-planner.pot
rm -f po/upgrade-planner.pot
msgfmt --check --statistics -o /dev/null po/zh_CN.po
