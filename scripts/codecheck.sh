#!/bin/sh
# Static checks in the spirit of fossil's codecheck1: fail on SQL built with
# printf, raw mustache outside the allow-list, and malloc in module code.
set -u
cd "$(dirname "$0")/.."

check() {
	name=$1
	shift
	hits=$("$@" 2>/dev/null)
	if [ -n "$hits" ]; then
		echo "FAIL - codecheck: $name"
		echo "$hits" | sed 's/^/    /'
	else
		echo "ok - codecheck: $name"
	fi
}

# SQL is a constant in stmts.c: never formatted.
check "no SQL built with printf" \
	grep -rnE 'printf\([^)]*"[^"]*\b(SELECT|INSERT|UPDATE|DELETE|REPLACE)\b' lib modules
# {{{x}}} and {{&x}} skip escaping; only files listed in
# html/templates/RAW-ALLOWED may use them.
check "no raw mustache outside the allow-list" sh -c '
	for f in $(find html/templates -name "*.mustache"); do
		grep -qxF "${f#html/templates/}" html/templates/RAW-ALLOWED 2>/dev/null && continue
		grep -nE "\{\{\{|\{\{&" "$f" | sed "s|^|$f:|"
	done'
# Handlers allocate from the request arena.
check "no malloc or free in modules" \
	grep -rnE '\b(malloc|calloc|realloc|free|strdup)\(' modules --include=*.c --exclude-dir=crmctl
# Every route names a permission: a literal or a PERM constant.
check "every route names a permission" sh -c '
	grep -hnE "^\s*\{ \"(GET|POST|PUT|PATCH|DELETE|OPTIONS|PROPFIND|REPORT|PROPPATCH)\"" modules/*/main.c |
	grep -vE "\"(GET|POST|PUT|PATCH|DELETE|OPTIONS|PROPFIND|REPORT|PROPPATCH)\", \"[^\"]+\", (CRM_PERM_[A-Z_]+|\"[a-z]+\.[a-z_.]+\")," || true'
