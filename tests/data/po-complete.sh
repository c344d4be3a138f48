#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 the purple-wagateway authors
# Every translation is complete against the strings the sources mark today:
# a fresh template from POTFILES, then msgcmp for each language in LINGUAS.
# TAP output; usage: po-complete.sh SOURCE_ROOT
set -u
src=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
if ! command -v xgettext >/dev/null || ! command -v msgcmp >/dev/null; then
	echo "1..0 # SKIP gettext tools not installed (package gettext)"
	exit 0
fi
cd "$src" || exit 1
grep -v '^#' po/POTFILES.in | grep . > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments=TRANSLATORS: --keyword=_ --keyword=N_ \
	--keyword=g_dngettext:2,3 --files-from="$tmp/files" -o "$tmp/t.pot" 2>"$tmp/err" \
	|| { echo "Bail out! xgettext failed: $(cat "$tmp/err")"; exit 1; }
langs=$(grep -v '^#' po/LINGUAS)
echo "1..$(echo $langs | wc -w)"
n=0
for l in $langs; do
	n=$((n + 1))
	out=$(msgcmp "po/$l.po" "$tmp/t.pot" 2>&1 && msgfmt --check -o /dev/null "po/$l.po" 2>&1)
	if [ $? -eq 0 ] && ! grep -q '^#, fuzzy' "po/$l.po"; then
		echo "ok $n - $l complete"
	else
		echo "not ok $n - $l incomplete"
		echo "$out" | sed 's/^/# /'
	fi
done
