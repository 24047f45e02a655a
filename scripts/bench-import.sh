#!/bin/sh
# make bench, part three: a CSV import of BENCH_IMPORT_ROWS (default a
# million) contacts through the import job (checks, normalising, duplicate
# lookups, accounts found or made, batches of 100 in transactions, the
# search index), next to MariaDB's own LOAD DATA of the same file into a
# table of the same shape and indexes, which checks nothing. Both run on a
# fresh database in var/bench-import, removed afterwards.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
V=$TOP/var/bench-import
PORT=${CRM_BENCH_PORT3:-18092}
ROWS=${BENCH_IMPORT_ROWS:-1000000}
FILE=$TOP/build/bench-import.csv

sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true
rm -rf "$V"
CRM_DEMO=no CRM_INNODB_BUFFER=${CRM_INNODB_BUFFER:-1G} sh scripts/stack.sh start "$V" "$PORT" \
	>"$TOP/build/bench-import-stack.log" 2>&1 || { cat "$TOP/build/bench-import-stack.log"; exit 1; }
trap '[ -n "${BENCH_KEEP:-}" ] || { sh scripts/stack.sh stop "$V" >/dev/null 2>&1 || true; rm -rf "$V"; }' EXIT
# The stack's own runner would take the job: this one is timed alone.
sh -c ". scripts/pidfile.sh; stop_pid '$V/run/crm-customers-jobs.pid'"
SQL="mariadb --no-defaults -S $V/run/mysql.sock -u $(id -un) -N crm"

# Chinese and Latin names, a company for every 50 rows, unique e-mails and mobiles,
# and one row in a thousand with a bad e-mail.
awk -v n="$ROWS" 'BEGIN {
	split("王 李 张 刘 陈 杨 黄 赵 吴 周", fam, " "); split("伟 芳 娜 敏 静 丽 强 磊 军 洋", giv, " ")
	split("James Mary Robert Linda Wei Anna Peter Sara Tom Lucy", fn, " ")
	split("Smith Jones Brown Taylor Wilson Evans Thomas Roberts Walker Wright", ln, " ")
	split("Beijing Shanghai Shenzhen London Berlin Paris Boston Austin Sydney Tokyo", city, " ")
	print "First Name,Last Name,E-mail,Mobile,Company,City,Country"
	for (i = 1; i <= n; i++) {
		if (i % 2) { f = giv[i % 10 + 1]; l = fam[int(i / 10) % 10 + 1]; c = "CN" }
		else { f = fn[i % 10 + 1]; l = ln[int(i / 10) % 10 + 1] " " i; c = "GB" }
		mail = (i % 1000 == 0) ? "bad-address-" i : "person" i "@example.com"
		mob = (c == "CN") ? sprintf("139%08d", i) : sprintf("+447700%06d", i)
		printf "%s,%s,%s,%s,Company %d Ltd,%s,%s\n", f, l, mail, mob, int(i / 50), city[i % 10 + 1], c
	}
}' > "$FILE"
echo "import bench: $ROWS rows, $(du -m "$FILE" | cut -f1) MB"

# LOAD DATA: the same columns into a copy of the contacts table.
$SQL -e "CREATE TABLE contacts_load LIKE contacts"
t0=$(date +%s.%N)
$SQL --local-infile=1 -e "LOAD DATA LOCAL INFILE '$FILE' INTO TABLE contacts_load
	CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\n'
	IGNORE 1 LINES (first_name, last_name, email, mobile, @company, city, country)
	SET full_name = CONCAT(first_name, ' ', last_name), email_norm = LOWER(email), owner_id = 1"
t1=$(date +%s.%N)
load=$(echo "$t1 $t0" | awk '{printf "%.1f", $1 - $2}')
$SQL -e "DROP TABLE contacts_load"

out=$("$TOP/cgi-bin/crm-customers" --config "$V/crm.conf" import "$FILE" --user admin@example.com \
	--duplicates skip 2>"$TOP/build/bench-import.log")
echo "$out"
ours=$(echo "$out" | sed -n 's/.* in \([0-9.]*\) s$/\1/p')
printf 'import of %s rows: %s s (%s rows/s) through the import job; LOAD DATA of the same file: %s s (%.1fx faster, no checks)\n' \
	"$ROWS" "$ours" "$(awk -v r="$ROWS" -v t="$ours" 'BEGIN {printf "%d", r / t}')" "$load" \
	"$(awk -v a="$ours" -v b="$load" 'BEGIN {print a / b}')"
