#!/bin/bash
# crmctl against the test stack's database: migrations and accounts.
. "$(dirname "$0")/lib.sh"
CONF=$CRM_E2E_DIR/crm.conf
CTL="$TOP/cgi-bin/crmctl --config $CONF"
last=$(ls "$TOP/sql/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -1)

out=$($CTL migrate 2>&1)
if echo "$out" | grep -q "schema at level $last (0 applied now)"; then ok "crmctl migrate is idempotent"
else fail "migrate again: $out"; fi
out=$($CTL migrate --status 2>&1)
if echo "$out" | grep -q "schema at level $last"; then ok "crmctl migrate --status reports the level"
else fail "status: $out"; fi

cp -r "$TOP/sql/migrations" "$TMP/mig"
echo "-- edited" >> "$TMP/mig/001_users.sql"
out=$($CTL migrate --dir "$TMP/mig" 2>&1); rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q '001_users.sql was changed after it was applied'; then
	ok "crmctl refuses a changed, already-applied migration"
else fail "changed migration: rc=$rc $out"; fi

cp "$TOP/sql/migrations/001_users.sql" "$TMP/mig/"
printf 'CREATE TABLE e2e_probe (id INT PRIMARY KEY);\nINSERT INTO e2e_probe VALUES (1);\n' > "$TMP/mig/900_probe.sql"
out=$($CTL migrate --dir "$TMP/mig" 2>&1)
if echo "$out" | grep -q 'applying 900_probe.sql' && echo "$out" | grep -q 'schema at level 900 (1 applied now)'; then
	ok "crmctl applies a new multi-statement migration and records it"
else fail "new migration: $out"; fi
printf 'SELECT 1;\nNOT SQL;\n' > "$TMP/mig/901_broken.sql"
out=$($CTL migrate --dir "$TMP/mig" 2>&1); rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q '901_broken.sql failed: You have an error in your SQL syntax'; then
	ok "a failing migration stops with the server's message"
else fail "broken migration: rc=$rc $out"; fi
out=$($CTL migrate --status --dir "$TMP/mig" 2>&1)
if echo "$out" | grep -q 'schema at level 900'; then ok "a failed migration is not recorded"
else fail "after failure: $out"; fi

out=$($CTL user add --admin --email first@example.com --if-none 2>&1)
if echo "$out" | grep -q 'a user exists already'; then ok "user add --if-none leaves an existing install alone"
else fail "--if-none: $out"; fi
out=$($CTL user add --email ops@example.com --name Ops 2>&1)
if echo "$out" | grep -q 'created read-only ops@example.com' && echo "$out" | grep -qE '^password: [A-Za-z2-9]{20}$'; then
	ok "user add prints a generated password once"
else fail "user add: $out"; fi
out=$($CTL user add --email ops@example.com 2>&1); rc=$?
if [ $rc -ne 0 ] && echo "$out" | grep -q 'exists already'; then ok "a duplicate e-mail is refused"
else fail "duplicate: rc=$rc $out"; fi
out=$(echo short | $CTL user add --email x@example.com --password-stdin 2>&1); rc=$?
if [ $rc -eq 2 ] && echo "$out" | grep -q 'at least 10 characters'; then ok "a short password is refused"
else fail "short password: rc=$rc $out"; fi
hash=$(mariadb --no-defaults -S "$CRM_E2E_DIR/run/mysql.sock" -u "$(id -un)" -N crm \
	-e "SELECT password_hash FROM users WHERE email='ops@example.com'")
case $hash in
'$argon2id$'*) ok "passwords are stored as argon2id hashes" ;;
*) fail "password hash: $hash" ;;
esac

# Leave the stack's schema as the repository has it, for the tests after.
mariadb --no-defaults -S "$CRM_E2E_DIR/run/mysql.sock" -u "$(id -un)" crm \
	-e "DROP TABLE IF EXISTS e2e_probe; DELETE FROM schema_migrations WHERE version >= 900;"
