#!/bin/sh
# For make check: the translations are complete and safe. Prints one line
# per check, "ok - i18n: ..." or "FAIL - i18n: ..." with what is wrong
# indented below (as scripts/codecheck.sh does), and exits non-zero on any
# failure:
#   - po/crm.pot lists the strings the sources hold now (else run
#     scripts/i18n-extract.sh);
#   - every po/<lang>.po compiles with msgfmt --check;
#   - every msgid has a finished translation in it: not missing, empty or
#     fuzzy;
#   - no translation of a template string brings in <, >, &, quotes or
#     "{{" its msgid lacks: crm_tmpl inserts translations unescaped.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
export LC_ALL=C
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
failed=0

# result NAME FILE: FAIL with FILE's lines when it is not empty.
result() {
	if [ -s "$2" ]; then
		echo "FAIL - i18n: $1"
		sed 's/^/    /' "$2"
		failed=1
	else
		echo "ok - i18n: $1"
	fi
}

# Entries of a PO file (written with --no-wrap) as tab-separated lines:
# references, msgid, msgstr; strings keep their PO escapes.
entries() {
	awk '
	function unq(s) { return substr(s, 2, length(s) - 2) }
	function flush() {
		if (id != "")
			printf "%s\t%s\t%s\n", refs, id, str
		refs = ""; id = ""; str = ""; state = ""
	}
	/^#~/ { next }
	/^#:/ { refs = refs (refs == "" ? "" : " ") substr($0, 4); next }
	/^#/ { next }
	/^msgid / { state = "id"; id = unq(substr($0, 7)); next }
	/^msgstr / { state = "str"; str = unq(substr($0, 8)); next }
	/^"/ { if (state == "id") id = id unq($0); else if (state == "str") str = str unq($0); next }
	/^$/ { flush() }
	END { flush() }' "$1"
}

# What the sources hold now, compared without references and dates so
# that moving a line in a template does not make the file stale.
norm() { msgcat --no-location --sort-output --no-wrap "$1" | sed '/^"POT-Creation-Date:/d'; }
: > "$TMP/stale"
if ! sh scripts/i18n-extract.sh --pot "$TMP/crm.pot" 2>"$TMP/extract"; then
	cat "$TMP/extract" > "$TMP/stale"
	echo "scripts/i18n-extract.sh failed" >> "$TMP/stale"
elif [ ! -f po/crm.pot ]; then
	echo "po/crm.pot is missing: run scripts/i18n-extract.sh" > "$TMP/stale"
else
	norm po/crm.pot > "$TMP/old"
	norm "$TMP/crm.pot" > "$TMP/new"
	if ! cmp -s "$TMP/old" "$TMP/new"; then
		echo "po/crm.pot does not match the sources: run scripts/i18n-extract.sh" > "$TMP/stale"
		diff "$TMP/old" "$TMP/new" | grep '^[<>] msgid' >> "$TMP/stale"
	fi
fi
result "po/crm.pot is up to date" "$TMP/stale"
[ -f "$TMP/crm.pot" ] || exit 1

for po in po/*.po; do
	[ -f "$po" ] || continue
	lang=$(basename "$po" .po)

	msgfmt --check -o /dev/null "$po" > "$TMP/fmt" 2>&1
	result "$lang: $po compiles" "$TMP/fmt"

	# Keep only finished translations, then lay them over the current
	# template: whatever is left untranslated is missing, empty or fuzzy.
	msgattrib --translated --no-fuzzy --no-obsolete -o "$TMP/done.po" "$po" 2>/dev/null
	msgmerge --quiet --no-fuzzy-matching --no-wrap -o "$TMP/merged.po" "$TMP/done.po" "$TMP/crm.pot"
	entries "$TMP/merged.po" | awk -F '\t' '$3 == "" { printf "\"%s\" (%s)\n", $2, $1 }' > "$TMP/missing"
	result "$lang: every string has a finished translation" "$TMP/missing"

	entries "$TMP/merged.po" | awk -F '\t' '
	$1 ~ /html\/templates\// && $3 != "" {
		bad = ""
		n = split("< > & \\\" '\''", chars, " ")
		for (i = 1; i <= n; i++)
			if (index($3, chars[i]) && !index($2, chars[i]))
				bad = bad " " chars[i]
		if (index($3, "{{"))
			bad = bad " {{"
		if (bad != "")
			printf "\"%s\" -> \"%s\" adds%s (%s)\n", $2, $3, bad, $1
	}' > "$TMP/html"
	result "$lang: template translations add no markup" "$TMP/html"
done

exit $failed
