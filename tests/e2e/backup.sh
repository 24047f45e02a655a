#!/bin/bash
# crmctl backup and restore: a backup of the running stack (records, a
# ticket's attachment, a spool file) restored into a second, private
# MariaDB in a fresh datadir, then every table's CHECKSUM TABLE and every
# file compared; and the refusals: a damaged or truncated dump, a
# non-empty target, a backup whose dump fails.
. "$(dirname "$0")/lib.sh"
IP=127.0.40.$(( $$ % 250 + 1 ))
RUN=$$
PW='backups are for restoring 40'
ME=$(id -un)
D2=$TMP/db2
SQL2ROOT="mariadb --no-defaults -S $D2/mysql.sock -u $ME -N"
SQL2="$SQL2ROOT crm"
stop_db2() {
	[ -f "$D2/mysql.pid" ] && kill "$(cat "$D2/mysql.pid")" 2>/dev/null
	i=0
	while [ -f "$D2/mysql.pid" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	rm -rf "$TMP"
}
trap stop_db2 EXIT

# Checksums of every base table, "name sum" sorted, as one database sees them.
sums() { # SQL-command
	tabs=$($1 -e "SELECT GROUP_CONCAT(CONCAT('\`', table_name, '\`') ORDER BY table_name) FROM information_schema.tables
		WHERE table_schema = 'crm' AND table_type = 'BASE TABLE'")
	$1 -e "CHECKSUM TABLE $tabs" | sed 's/^crm\.//' | sort
}

# The data: a contact, a ticket with an attached file, a file in the spool.
echo "$PW" | $CTL user add --email "ops-bk$RUN@example.com" --name "Ops bk$RUN" --role admin --password-stdin >/dev/null
signin "$TMP/ops" "ops-bk$RUN@example.com"
ME_ID=$($SQL -e "SELECT id FROM users WHERE email = 'ops-bk$RUN@example.com'")
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, owner_id) VALUES ('Bea', 'Bk$RUN', 'Bea Bk$RUN 备份', $ME_ID)"
CONTACT=$($SQL -e "SELECT id FROM contacts WHERE last_name = 'Bk$RUN'")
curl -s -b "$TMP/ops" "$BASE/service" -o "$TMP/t.html"
curl -s -b "$TMP/ops" -D "$TMP/h" -o /dev/null --data-urlencode "csrf_token=$(csrf_of "$TMP/t.html")" \
	--data-urlencode "subject=Backup me bk$RUN" --data-urlencode "description=with a file" \
	--data-urlencode "contact=Bea Bk$RUN 备份 #$CONTACT" -d priority=normal -d channel=phone "$BASE/service/tickets"
T=$(sed -n 's/^location: .*\/service\/tickets\/\([0-9]*\).*/\1/ip' "$TMP/h" | tr -d '\r')
head -c 3000 /dev/urandom | base64 > "$TMP/notes.txt"
curl -s -b "$TMP/ops" "$BASE/service" -o "$TMP/t.html"
STATUS=$(curl -s -b "$TMP/ops" -o "$TMP/b" -w '%{http_code}' -F "csrf_token=$(csrf_of "$TMP/t.html")" -F kind=internal \
	-F "body=log bk$RUN" -F "file=@$TMP/notes.txt" "$BASE/service/tickets/$T/messages")
A=$($SQL -e "SELECT id FROM ticket_attachments WHERE ticket_id = '$T'")
[ "$STATUS" = 303 ] && [ -n "$A" ] && [ -f "$CRM_E2E_DIR/attachments/$A" ] && ok "backup: the test's ticket and attachment are there" ||
	fail "backup: making the data: ticket '$T' attachment '$A' status $STATUS"
SPOOL=$CRM_E2E_DIR/spool/ops-bk$RUN.txt
echo "waiting in the spool bk$RUN" > "$SPOOL"

# The backup, while a writer keeps adding rows to a table of its own:
# the dump and the manifest must still agree (one snapshot).
$SQL -e "CREATE TABLE bk_writes$RUN (id INT AUTO_INCREMENT PRIMARY KEY, at DATETIME(6) NOT NULL DEFAULT NOW(6))"
(while [ ! -f "$TMP/stop" ]; do $SQL -e "INSERT INTO bk_writes$RUN () VALUES ()"; done) &
WRITER=$!
until [ "$($SQL -e "SELECT COUNT(*) FROM bk_writes$RUN")" -gt 5 ]; do sleep 0.05; done
# A spool file deleted while the dump runs (an import that finishes and
# removes its upload): the backup has it as it was when the snapshot began.
GONE=$CRM_E2E_DIR/spool/gone-bk$RUN.txt
echo "finished with during the dump bk$RUN" > "$GONE"
(
	for _ in $(seq 3000); do
		for d in "$TMP"/bk/.crm-*.partial; do
			if [ -f "$d/crm.sql" ]; then
				rm -f "$GONE"
				[ -f "$d/manifest.json" ] || touch "$TMP/gone-early"
				exit 0
			fi
		done
		sleep 0.01
	done
) &
DELETER=$!
before=$(sums "$SQL")
out=$($CTL backup --to "$TMP/bk" 2>&1); rc=$?
after=$(sums "$SQL")
touch "$TMP/stop"
wait $WRITER $DELETER
B=$(ls -d "$TMP"/bk/crm-* 2>/dev/null | head -1)
M=$B/manifest.json
[ $rc = 0 ] && [ -n "$B" ] && [ -f "$M" ] && [ -f "$B/crm.sql" ] && echo "$out" | grep -q "^backup $B: " &&
	ok "backup: crmctl backup writes a directory named by the time with the dump and a manifest" || fail "backup: rc=$rc $out"
[ "$(ls -A "$TMP/bk" | grep -c partial)" = 0 ] && ok "backup: ... and leaves no temporary directory" || fail "backup: left $(ls -A "$TMP/bk")"
[ "$(stat -c %a "$B/crm.sql")" = 600 ] && ok "backup: ... the dump readable by its owner only" || fail "backup: dump mode $(stat -c %a "$B/crm.sql")"
[ "$(jq -r '.dump.sha256' "$M")" = "$(sha256sum "$B/crm.sql" | cut -d' ' -f1)" ] && [ "$(jq -r '.dump.bytes' "$M")" = "$(stat -c %s "$B/crm.sql")" ] &&
	ok "backup: the manifest has the dump's size and sha256" || fail "backup: dump hash in the manifest"
[ "$(jq -r '.migration.version' "$M")" = "$($SQL -e "SELECT MAX(version) FROM schema_migrations")" ] &&
	ok "backup: ... the migration level" || fail "backup: migration $(jq -c .migration "$M")"
tail -1 "$B/crm.sql" | grep -q '^-- Dump completed' && grep -q 'CREATE TABLE `contacts`' "$B/crm.sql" && grep -q 'TRIGGER' "$B/crm.sql" &&
	ok "backup: the dump is complete, with the tables and their triggers" || fail "backup: dump ends $(tail -1 "$B/crm.sql")"
! grep -q "$(sed -n 's/^password = //p' "$CRM_E2E_DIR/crm.conf")" "$B/crm.sql" "$M" && ! echo "$out" | grep -q "$(sed -n 's/^password = //p' "$CRM_E2E_DIR/crm.conf")" &&
	ok "backup: the database password is nowhere in the backup or its output" || fail "backup: the password leaked"
[ "$(ls "$(sed -n 's/^tmpdir = //p' "$CRM_E2E_DIR/crm.conf")" | grep -c crmctl-my)" = 0 ] &&
	ok "backup: ... and its defaults file is gone" || fail "backup: a defaults file was left in tmpdir"
# Every table is in the manifest; every table the test saw unchanged
# across the backup has the checksum the test saw (an independent check
# that the manifest describes the data, not itself).
[ "$(jq -r '.tables[].name' "$M" | sort | tr '\n' ' ')" = "$($SQL -e "SELECT table_name FROM information_schema.tables WHERE table_schema = 'crm'" | sort | tr '\n' ' ')" ] &&
	ok "backup: the manifest lists every table" || fail "backup: tables differ from information_schema"
jq -r '.tables[] | select(.type == "table" and .checksum != null) | "\(.name)\t\(.checksum)"' "$M" | sort > "$TMP/manifest.sums"
stable=$(comm -12 <(echo "$before") <(echo "$after"))
wrong=$(comm -23 <(echo "$stable" | grep -v "^$") "$TMP/manifest.sums" | cut -f1 | tr '\n' ' ')
n_stable=$(echo "$stable" | grep -c .)
[ -z "$wrong" ] && [ "$n_stable" -gt 90 ] && ok "backup: the manifest's checksums are the database's ($n_stable tables unchanged meanwhile)" ||
	fail "backup: manifest checksums differ for: $wrong (stable $n_stable)"
[ "$(jq -r '.tables[] | select(.name == "contacts") | .rows' "$M")" = "$($SQL -e "SELECT COUNT(*) FROM contacts")" ] &&
	ok "backup: ... and row counts" || fail "backup: contacts rows $(jq -c '.tables[] | select(.name == "contacts")' "$M")"
[ "$(jq -r ".files[] | select(.path == \"attachments/$A\") | .sha256" "$M")" = "$(sha256sum "$TMP/notes.txt" | cut -d' ' -f1)" ] &&
	cmp -s "$B/attachments/$A" "$TMP/notes.txt" && cmp -s "$B/spool/ops-bk$RUN.txt" "$SPOOL" &&
	ok "backup: the attachment and the spool file are copied, with their sha256 in the manifest" || fail "backup: files $(jq -c .files "$M" | head -c 300)"

[ -f "$TMP/gone-early" ] && [ ! -f "$GONE" ] && [ "$(cat "$B/spool/gone-bk$RUN.txt" 2>/dev/null)" = "finished with during the dump bk$RUN" ] &&
	[ -z "$(ls -A "$CRM_E2E_DIR/spool" | grep crmctl-backup)" ] &&
	ok "backup: a spool file deleted while the dump ran is in the backup as it was (and the hold is gone)" ||
	fail "backup: deleted spool file: early $([ -f "$TMP/gone-early" ] && echo yes), in backup: $(ls "$B/spool"), spool: $(ls -A "$CRM_E2E_DIR/spool" | tr '\n' ' ')"
echo "$out" | grep -q "^commits were held for [0-9]* ms while the dump began" &&
    [ "$(jq -r ".tables[] | select(.name == \"bk_writes$RUN\") | .checksum" "$M")" != null ] &&
    ! echo "$out" | grep -q "were written while the backup began" &&
	ok "backup: commits held while the dump began ($(echo "$out" | grep -o 'held for [0-9]* ms')): even the table written all through has its checksum" ||
	fail "backup: hold: $(echo "$out" | tail -2) bk_writes $(jq -c ".tables[] | select(.name == \"bk_writes$RUN\")" "$M")"

# A second MariaDB in a fresh datadir, with the crm database and user
# made as INSTALL says, and a crm.conf pointing at it and at empty
# directories.
mkdir -p "$D2" "$TMP/att2" "$TMP/spool2" "$TMP/tmp2"
mariadb-install-db --no-defaults --datadir="$D2/data" --user="$ME" --auth-root-authentication-method=socket \
	--skip-test-db >"$TMP/install.log" 2>&1
setsid mariadbd --no-defaults --datadir="$D2/data" --user="$ME" --socket="$D2/mysql.sock" --pid-file="$D2/mysql.pid" \
	--skip-networking --log-error="$D2/mysql.log" --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
	--innodb-buffer-pool-size=64M --plugin-load-add=ha_mroonga --loose-mroonga-match-escalation-threshold=-1 \
	</dev/null >/dev/null 2>&1 &
i=0
until mariadb-admin --no-defaults -S "$D2/mysql.sock" -u "$ME" ping >/dev/null 2>&1 || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
PW2="second-$RUN-pw"
$SQL2ROOT -e "CREATE DATABASE crm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER 'crm'@'localhost' IDENTIFIED BY '$PW2'; GRANT ALL PRIVILEGES ON crm.* TO 'crm'@'localhost'" &&
	ok "backup: a second MariaDB starts in a fresh datadir" || fail "backup: second MariaDB: $(tail -5 "$D2/mysql.log" "$TMP/install.log")"
sed -e "s|^socket = .*|socket = $D2/mysql.sock|" -e "s|^password = .*|password = $PW2|" -e "s|^spool = .*|spool = $TMP/spool2|" \
	-e "s|^attachments = .*|attachments = $TMP/att2|" -e "s|^tmpdir = .*|tmpdir = $TMP/tmp2|" "$CRM_E2E_DIR/crm.conf" > "$TMP/crm2.conf"
CTL2="$TOP/cgi-bin/crmctl --config $TMP/crm2.conf"

# The damaged backups are refused before anything is written.
cp -r "$B" "$TMP/short"
head -c $(( $(stat -c %s "$B/crm.sql") / 2 )) "$B/crm.sql" > "$TMP/short/crm.sql"
out=$($CTL2 restore --from "$TMP/short" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "damaged or truncated" && [ "$($SQL2 -e "SHOW TABLES" | wc -l)" = 0 ] &&
	ok "backup: a truncated dump is refused, saying why, and nothing is loaded" || fail "backup: truncated: rc=$rc $out"
cp "$B/crm.sql" "$TMP/short/crm.sql"
printf 'X' | dd of="$TMP/short/crm.sql" bs=1 seek=5000 conv=notrunc 2>/dev/null
out=$($CTL2 restore --from "$TMP/short" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "damaged or truncated" && ok "backup: a dump with one changed byte is refused" || fail "backup: corrupt: rc=$rc $out"
cp "$B/crm.sql" "$TMP/short/crm.sql"
echo tampered >> "$TMP/short/attachments/$A"
out=$($CTL2 restore --from "$TMP/short" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "attachments/$A is damaged" && ok "backup: a damaged attachment is refused" || fail "backup: damaged file: rc=$rc $out"
rm "$TMP/short/manifest.json"
out=$($CTL2 restore --from "$TMP/short" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "not a complete backup" && ok "backup: a directory without a manifest is refused" || fail "backup: no manifest: rc=$rc $out"
[ -z "$(ls -A "$TMP/att2")" ] && ok "backup: ... and no file was written by the refusals" || fail "backup: refusals wrote $(ls "$TMP/att2")"

# The restore, then every table and file compared independently.
out=$($CTL2 restore --from "$B" 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q "^verified: " && ok "backup: crmctl restore loads the backup and verifies it" || fail "backup: restore: rc=$rc $out"
restored=$(sums "$SQL2")
wrong=$(comm -23 "$TMP/manifest.sums" <(echo "$restored") | cut -f1 | tr '\n' ' ')
[ -z "$wrong" ] && [ "$(wc -l < "$TMP/manifest.sums")" -gt 90 ] &&
	ok "backup: every table's CHECKSUM TABLE in the new datadir is the manifest's ($(wc -l < "$TMP/manifest.sums") tables)" ||
	fail "backup: restored checksums differ for: $wrong"
same=$(comm -12 <(echo "$stable") <(echo "$restored") | grep -c .)
[ "$same" = "$n_stable" ] && ok "backup: ... and the source's, table by table" || fail "backup: $same of $n_stable tables match the source"
[ "$($SQL2 -e "SELECT full_name FROM contacts WHERE id = $CONTACT")" = "Bea Bk$RUN 备份" ] &&
	[ "$($SQL2 -e "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = 'crm'")" = "$($SQL -e "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = 'crm'")" ] &&
	ok "backup: the records come back, Chinese text and triggers too" || fail "backup: restored contact or triggers"
cmp -s "$TMP/att2/$A" "$TMP/notes.txt" && cmp -s "$TMP/spool2/ops-bk$RUN.txt" "$SPOOL" &&
    [ "$(cat "$TMP/spool2/gone-bk$RUN.txt")" = "finished with during the dump bk$RUN" ] &&
	ok "backup: the attachment and spool file come back byte for byte" || fail "backup: restored files $(ls "$TMP/att2" "$TMP/spool2")"
w_rows=$(jq -r ".tables[] | select(.name == \"bk_writes$RUN\") | .rows // \"unchecked\"" "$M")
[ "$($SQL2 -e "SELECT COUNT(*) FROM bk_writes$RUN")" = "$w_rows" ] &&
	[ "$($SQL -e "SELECT COUNT(*) FROM bk_writes$RUN")" -gt "$($SQL2 -e "SELECT COUNT(*) FROM bk_writes$RUN")" ] &&
	ok "backup: a table written all through the backup comes back as of the snapshot the manifest describes ($w_rows rows)" ||
	fail "backup: written table: manifest $w_rows, restored $($SQL2 -e "SELECT COUNT(*) FROM bk_writes$RUN"), source $($SQL -e "SELECT COUNT(*) FROM bk_writes$RUN")"
$CTL2 migrate --status >/dev/null 2>&1 && ok "backup: the restored schema is at a level crmctl migrate accepts" || fail "backup: migrate --status on the restore"

# A second restore onto it: refused, then allowed with --force, which
# also removes what was not in the backup.
out=$($CTL2 restore --from "$B" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q "is not empty" && ok "backup: a restore into a non-empty database is refused" || fail "backup: non-empty: rc=$rc $out"
$SQL2 -e "CREATE TABLE stray_bk (id INT PRIMARY KEY); DELETE FROM ticket_attachments"
out=$($CTL2 restore --from "$B" --force 2>&1); rc=$?
[ $rc = 0 ] && [ "$($SQL2 -e "SHOW TABLES LIKE 'stray_bk'")" = "" ] && [ "$($SQL2 -e "SELECT COUNT(*) FROM ticket_attachments WHERE id = $A")" = 1 ] &&
	ok "backup: --force replaces the database with the backup's" || fail "backup: force: rc=$rc $out"

# Without the RELOAD privilege there is no hold: the backup still works,
# says what it could not do, and checks what the two snapshots agree on.
$SQL -e "REVOKE RELOAD ON *.* FROM 'crm'@'localhost'"
out=$($CTL backup --to "$TMP/nohold" 2>&1); rc=$?
$SQL -e "GRANT RELOAD ON *.* TO 'crm'@'localhost'"
B2=$(ls -d "$TMP"/nohold/crm-* 2>/dev/null | head -1)
[ $rc = 0 ] && [ -n "$B2" ] && echo "$out" | grep -q "^crmctl: note: cannot hold commits while the dump begins (.*RELOAD" &&
    ! echo "$out" | grep -q "commits were held" &&
    [ "$(jq -r ".tables[] | select(.name == \"contacts\") | .rows" "$B2/manifest.json")" -gt 0 ] &&
	ok "backup: without RELOAD the backup still completes, saying it could not hold commits" ||
	fail "backup: without RELOAD: rc=$rc $out"

# A dump that dies half way (mariadb-dump cut short, then failing) leaves
# nothing that looks like a backup.
mkdir -p "$TMP/fakebin"
printf '#!/bin/sh\n%s "$@" | head -c 100000\nexit 2\n' "$(command -v mariadb-dump)" > "$TMP/fakebin/mariadb-dump"
chmod +x "$TMP/fakebin/mariadb-dump"
out=$(PATH="$TMP/fakebin:$PATH" $CTL backup --to "$TMP/bad" 2>&1); rc=$?
[ $rc != 0 ] && [ -z "$(ls -A "$TMP/bad" 2>/dev/null)" ] && echo "$out" | grep -q "mariadb-dump failed" &&
	ok "backup: a failing dump leaves nothing that looks like a backup, and says so" || fail "backup: failed dump: rc=$rc $(ls -A "$TMP/bad") $out"
rm -f "$SPOOL" "$GONE"
$SQL -e "DROP TABLE bk_writes$RUN"
