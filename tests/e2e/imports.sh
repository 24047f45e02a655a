#!/bin/bash
# CSV import: upload, the column mapping (guessed, then remembered), the
# checked preview, the job with its progress, duplicates (skip and update),
# the problems file, cancel with no half batch, and a runner stopped in the
# middle of a job that resumes without losing or doubling a row.
. "$(dirname "$0")/lib.sh"
IP=127.0.7.$(( $$ % 250 + 1 ))
RUN=$$
PW='imports come in rows 7'

for who in mia:manager max:manager sam:sales; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
mia_id=$($SQL -e "SELECT id FROM users WHERE email = 'mia-$RUN@example.com'")
# A contact already there, which the file repeats.
$SQL -e "INSERT INTO contacts (full_name, last_name, email, email_norm, owner_id) VALUES ('Old $RUN', 'Old $RUN', 'old-$RUN@example.com', 'old-$RUN@example.com', $mia_id)"
old=$($SQL -e "SELECT id FROM contacts WHERE email_norm = 'old-$RUN@example.com'")
M=$(printf %04d $((RUN % 10000)))     # phone numbers of this run

# wait_job ID: until the job has ended (30 s at most); prints its status.
wait_job() {
	for _ in $(seq 1 150); do
		s=$($SQL -e "SELECT status FROM imports WHERE id = $1")
		case $s in done|failed|cancelled) echo "$s"; return;; esac
		sleep 0.2
	done
	echo "$s (still)"
}
# upload FILE: posts it; leaves the job's id in $job.
upload() {
	curl -s -b "$TMP/mia" "$BASE/customers/imports" -o "$TMP/up.html"
	fetch -b "$TMP/mia" -F "csrf_token=$(csrf_of "$TMP/up.html")" -F "file=@$1;type=text/csv" "$BASE/customers/imports"
	job=$(grep -i '^location:' "$TMP/h" | sed 's|.*/customers/imports/||' | tr -d '\r')
}

expect_status "imports: a sales user may not import" 403 -b "$TMP/sam" "$BASE/customers/imports"
fetch -b "$TMP/mia" "$BASE/customers/imports"
[ "$STATUS" = 200 ] && ok "imports: a manager sees the import page" || fail "imports: page: $STATUS"
expect_valid_html "imports: the import page is valid HTML"
expect_body "imports: ... and it is in the customers navigation" 'href="/customers/imports" aria-current="page"'
T=$(csrf_of "$TMP/b")

fetch -b "$TMP/mia" -F "csrf_token=$T" "$BASE/customers/imports"
[ "$STATUS" = 422 ] && ok "imports: an upload without a file is refused with 422" || fail "imports: no file: $STATUS"
expect_body "imports: ... saying so next to the field" 'field-error">Choose a CSV file'
printf 'Name,Email\n"Ann \xff\xfe",ann@example.com\n' > "$TMP/latin1.csv"
fetch -b "$TMP/mia" -F "csrf_token=$T" -F "file=@$TMP/latin1.csv;type=text/csv" "$BASE/customers/imports"
[ "$STATUS" = 422 ] && ok "imports: a file that is not UTF-8 is refused with 422" || fail "imports: latin1: $STATUS"
expect_body "imports: ... saying where" 'not a CSV file in UTF-8.*row 2'
printf 'Name,Email\n' > "$TMP/empty.csv"
fetch -b "$TMP/mia" -F "csrf_token=$T" -F "file=@$TMP/empty.csv;type=text/csv" "$BASE/customers/imports"
expect_body "imports: a file of headings only is refused" 'headings but no rows'
expect_status "imports: an upload without the CSRF token is refused" 403 -b "$TMP/mia" -F "file=@$TMP/empty.csv" "$BASE/customers/imports"
n=$($SQL -e "SELECT COUNT(*) FROM imports WHERE user_id = $mia_id")
[ "$n" = 0 ] && ok "imports: ... and none of them left a job" || fail "imports: refused uploads left $n jobs"

# A file as another CRM or a Chinese spreadsheet writes it: headings are
# guessed ("手机" is the mobile), "Origin" is not.
cat > "$TMP/people.csv" <<CSV
Full Name,E-mail,手机,Company,Country,Tags,Origin
Ann Import $RUN,ann-$RUN@example.com,138 $M 8001,Import Co $RUN,cn,"imp$RUN, vip",fair
李 四$RUN,li-$RUN@example.com,138${M}8002,导入公司$RUN,CN,imp$RUN,
Bad Row $RUN,not-an-address,,,,imp$RUN,
Old Again $RUN,OLD-$RUN@example.com,,,,imp$RUN,
Ann Twice $RUN,ANN-$RUN@example.com,,,,imp$RUN,
CSV
upload "$TMP/people.csv"
[ "$STATUS" = 303 ] && [ -n "$job" ] && ok "imports: a CSV file uploads and opens its mapping" || fail "imports: upload: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
[ -f "$CRM_E2E_DIR/spool/import-$job.csv" ] && ok "imports: ... the file waits in the spool" || fail "imports: no spool file"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_valid_html "imports: the mapping page is valid HTML"
expect_body "imports: E-mail is guessed as the e-mail" 'name="col1"><option value="">[^<]*</option>(<option[^>]*>[^<]*</option>)*<option value="email" selected>'
expect_body "imports: 手机 is guessed as the mobile" 'name="col2"><option value="">[^<]*</option>(<option[^>]*>[^<]*</option>)*<option value="mobile" selected>'
expect_body "imports: Origin is not guessed" 'name="col6"><option value="" selected>'
expect_body "imports: the preview checks the first rows" 'class="row-problem"><td>4</td>'
expect_body "imports: ... naming the field and the problem" 'E-mail: Enter an e-mail address'
T=$(csrf_of "$TMP/b")
map="-d col0=name -d col1=email -d col2=mobile -d col3=account -d col4=country -d col5=tags"
fetch -b "$TMP/mia" -d "csrf_token=$T" $map -d col6=email -d duplicates=skip "$BASE/customers/imports/$job"
[ "$STATUS" = 422 ] && ok "imports: two columns for one field are refused with 422" || fail "imports: same field twice: $STATUS"
expect_body "imports: ... saying so" 'Two columns fill the same field'
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0= -d col1=email -d duplicates=skip "$BASE/customers/imports/$job"
expect_body "imports: a mapping without a name is refused" 'Choose the column that holds the name'
fetch -b "$TMP/mia" -d "csrf_token=$T" $map -d col6=source -d duplicates=sometimes "$BASE/customers/imports/$job"
[ "$STATUS" = 422 ] && ok "imports: an unknown duplicates choice is refused" || fail "imports: bad mode: $STATUS"
expect_status "imports: another user cannot see the job" 404 -b "$TMP/max" "$BASE/customers/imports/$job"
fetch -b "$TMP/mia" -d "csrf_token=$T" $map -d col6=source -d duplicates=skip -d start=1 "$BASE/customers/imports/$job"
[ "$STATUS" = 303 ] && ok "imports: the import starts" || fail "imports: start: $STATUS $(head -c 300 "$TMP/b")"
fetch -b "$TMP/mia" -d "csrf_token=$T" $map -d col6=source -d duplicates=skip "$BASE/customers/imports/$job"
[ "$STATUS" = 409 ] && ok "imports: its columns cannot change once it started (409)" || fail "imports: remap: $STATUS"
s=$(wait_job "$job")
[ "$s" = done ] && ok "imports: the job runner finishes it" || fail "imports: job ended as $s: $($SQL -e "SELECT error FROM imports WHERE id = $job")"
counts=$($SQL -e "SELECT rows_done, rows_created, rows_updated, rows_skipped, rows_failed FROM imports WHERE id = $job")
[ "$counts" = "$(printf '5\t2\t0\t2\t1')" ] && ok "imports: 2 created, 2 duplicates skipped, 1 refused" || fail "imports: counts $counts"
row=$($SQL -e "SELECT c.full_name, c.mobile_e164, c.country, a.name, c.source, c.owner_id FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE c.email_norm = 'ann-$RUN@example.com'")
[ "$row" = "$(printf 'Ann Import %s\t+86138%s8001\tCN\tImport Co %s\tfair\t%s' "$RUN" "$M" "$RUN" "$mia_id")" ] &&
	ok "imports: a row is stored normalised, with its account made and the importer as owner" || fail "imports: stored $row"
n=$($SQL -e "SELECT COUNT(*) FROM tag_links l JOIN tags t ON t.id = l.tag_id JOIN contacts c ON c.id = l.record_id AND l.entity = 'contact' WHERE t.name = 'imp$RUN'")
[ "$n" = 2 ] && ok "imports: ... tagged" || fail "imports: $n tagged"
row=$($SQL -e "SELECT full_name FROM contacts WHERE email_norm = 'li-$RUN@example.com'")
[ "$row" = "李 四$RUN" ] && ok "imports: a Chinese name stays as written" || fail "imports: Chinese name $row"
[ ! -f "$CRM_E2E_DIR/spool/import-$job.csv" ] && ok "imports: the spool file is gone once done" || fail "imports: spool file left"
fetch -b "$TMP/mia" "$BASE/customers/search?q=Ann+Import+$RUN"
expect_body "imports: imported contacts are searchable" "Ann Import $RUN"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_body "imports: the job page shows the counts" 'id="import-counts"'
expect_valid_html "imports: the job page is valid HTML"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job/problems.csv"
expect_header "imports: the problems download as CSV" '^Content-Type: text/csv'
expect_body "imports: ... each row with its reason" "^4,E-mail: Enter an e-mail address such as ann@example.com.,Bad Row $RUN,not-an-address"
expect_body "imports: ... a duplicate of a contact already there, naming it" "^5,\"A contact with this e-mail, phone or name is already there. \\(#$old\\)\",Old Again"
expect_body "imports: ... and a duplicate within the file" "^6,\"A contact with this e-mail, phone or name is already there. \\(#[0-9]+\\)\",Ann Twice"
a=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity_id = $job AND user_id = $mia_id")
[ "$a" = 1 ] && ok "imports: the batch is in the audit log" || fail "imports: $a audit rows"

# The same headings again: the choice made for Origin is remembered.
cat > "$TMP/update.csv" <<CSV
Full Name,E-mail,手机,Company,Country,Tags,Origin
Old Renamed $RUN,old-$RUN@example.com,139 $M 8003,,CN,imp$RUN,web
CSV
upload "$TMP/update.csv"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_body "imports: the last mapping is remembered for the same headings" 'name="col6"><option value="">[^<]*</option>(<option[^>]*>[^<]*</option>)*<option value="source" selected>'
fetch -b "$TMP/mia" -d "csrf_token=$T" $map -d col6=source -d duplicates=update -d start=1 "$BASE/customers/imports/$job"
s=$(wait_job "$job")
row=$($SQL -e "SELECT full_name, mobile_e164, source FROM contacts WHERE id = $old")
[ "$s" = done ] && [ "$row" = "$(printf 'Old %s\t+86139%s8003\tweb' "$RUN" "$M")" ] &&
	ok "imports: 'update' fills the contact already there and keeps its name" || fail "imports: update: $s $row"

# National phone numbers read with the import's country.
printf '姓名,手机\n周 一%s,139%s0007\n' "$RUN" "$M" > "$TMP/national.csv"
upload "$TMP/national.csv"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_body "imports: a national number without a country is flagged in the preview" 'Mobile: Enter the number with its country code'
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=mobile -d duplicates=skip -d country=C1 "$BASE/customers/imports/$job"
[ "$STATUS" = 422 ] && ok "imports: a bad default country is refused with 422" || fail "imports: bad country: $STATUS"
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=mobile -d duplicates=skip -d country=cn "$BASE/customers/imports/$job"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_body "imports: ... with CN for rows without a country, the preview is clean" 'id="import-preview">.*<td>Ready</td>|<td>Ready</td>'
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=mobile -d duplicates=skip -d country=CN -d start=1 "$BASE/customers/imports/$job"
s=$(wait_job "$job")
row=$($SQL -e "SELECT mobile_e164, country FROM contacts WHERE full_name = '周 一$RUN'")
[ "$s" = done ] && [ "$row" = "$(printf '+86139%s0007\tCN' "$M")" ] &&
	ok "imports: ... and the number is stored as E.164" || fail "imports: national: $s $row"

# A custom field is a column like any other: guessed from its label,
# checked by its type, stored with the contact. (Deactivated afterwards,
# so other tests' forms do not meet it.)
$SQL -e "INSERT INTO custom_fields (entity, label, type) VALUES ('contact', 'Budget $RUN', 'number')"
cf=$($SQL -e "SELECT id FROM custom_fields WHERE label = 'Budget $RUN'")
printf 'Name,budget %s\nCustom One %s,"1,200.50"\nCustom Two %s,1200.50\n' "$RUN" "$RUN" "$RUN" > "$TMP/custom.csv"
upload "$TMP/custom.csv"
fetch -b "$TMP/mia" "$BASE/customers/imports/$job"
expect_body "imports: a custom field's column is guessed from its label" "name=\"col1\"><option value=\"\">[^<]*</option>(<option[^>]*>[^<]*</option>)*<option value=\"cf_$cf\" selected>"
expect_body "imports: ... and its values are checked by type in the preview" "Budget $RUN: Enter a number"
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=cf_$cf -d duplicates=skip -d start=1 "$BASE/customers/imports/$job"
s=$(wait_job "$job")
row=$($SQL -e "SELECT v.value_text, v.value_num FROM contacts c JOIN custom_values v ON v.entity = 'contact' AND v.record_id = c.id AND v.field_id = $cf WHERE c.full_name = 'Custom Two $RUN'")
counts=$($SQL -e "SELECT rows_created, rows_failed FROM imports WHERE id = $job")
[ "$s" = done ] && [ "$row" = "$(printf '1200.5\t1200.500000')" ] && [ "$counts" = "$(printf '1\t1')" ] &&
	ok "imports: ... and stored with the contact, the bad one refused" || fail "imports: custom: $s $row $counts"
$SQL -e "UPDATE custom_fields SET active = FALSE WHERE id = $cf"

# The whole import through the API with a token: upload, columns as a
# JSON array, start, and the job's progress as JSON.
curl -s -b "$TMP/mia" "$BASE/account" -o "$TMP/acct.html"
curl -s -b "$TMP/mia" -o "$TMP/tok.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/acct.html")" -d name=e2e -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/tok.html" | sed 's/.*>//')
printf 'Name,Email\nApi Import %s,api-import-%s@example.com\n' "$RUN" "$RUN" > "$TMP/api.csv"
fetch -H "Authorization: Bearer $TOKEN" -F "file=@$TMP/api.csv;type=text/csv" "$BASE/api/v1/customers/imports"
job=$(grep -i '^location:' "$TMP/h" | sed 's|.*/customers/imports/||' | tr -d '\r')
[ "$STATUS" = 303 ] && [ -n "$job" ] && ok "imports: the API uploads a file" || fail "imports: API upload: $STATUS $(head -c 200 "$TMP/b")"
fetch -H "Authorization: Bearer $TOKEN" --data-urlencode 'mapping=["name","email"]' -d duplicates=skip -d start=1 \
	"$BASE/api/v1/customers/imports/$job"
[ "$STATUS" = 303 ] && ok "imports: ... maps its columns and starts it" || fail "imports: API start: $STATUS $(head -c 200 "$TMP/b")"
s=$(wait_job "$job")
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/imports/$job"
expect_body "imports: ... and reads the finished job as JSON" '"rows_created": ?1'

# The API: the job as JSON, and a cancel before it starts.
upload "$TMP/update.csv"
fetch -b "$TMP/mia" -H 'Accept: application/json' "$BASE/api/v1/customers/imports/$job"
expect_body "imports: the API shows the job with its suggested mapping" '"status": ?"mapping"'
fetch -b "$TMP/mia" -d "csrf_token=$T" "$BASE/customers/imports/$job/cancel"
s=$($SQL -e "SELECT status FROM imports WHERE id = $job")
[ "$STATUS" = 303 ] && [ "$s" = cancelled ] && [ ! -f "$CRM_E2E_DIR/spool/import-$job.csv" ] &&
	ok "imports: a job not started yet is cancelled and its file removed" || fail "imports: cancel: $STATUS $s"
expect_status "imports: ... and cannot be cancelled twice (409)" 409 -b "$TMP/mia" -d "csrf_token=$T" "$BASE/customers/imports/$job/cancel"

# A big file cancelled while it runs: whole batches only.
{
	echo "Name,Email,Tags"
	for i in $(seq 1 20000); do echo "Bulk $i $RUN,bulk-$i-$RUN@example.com,bulk$RUN"; done
} > "$TMP/bulk.csv"
upload "$TMP/bulk.csv"
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=email -d col2=tags -d duplicates=skip -d start=1 "$BASE/customers/imports/$job"
for _ in $(seq 1 100); do
	[ "$($SQL -e "SELECT rows_done FROM imports WHERE id = $job")" -gt 0 ] && break
	sleep 0.05
done
fetch -b "$TMP/mia" -d "csrf_token=$T" "$BASE/customers/imports/$job/cancel"
s=$(wait_job "$job")
read -r done created <<<"$($SQL -e "SELECT rows_done, rows_created FROM imports WHERE id = $job")"
n=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE email_norm LIKE 'bulk-%-$RUN@example.com'")
[ "$s" = cancelled ] && [ $((done % 100)) = 0 ] && [ "$n" = "$created" ] && [ "$n" -lt 20000 ] &&
	ok "imports: a cancelled import stops after a whole batch ($n rows), none half-written" ||
	fail "imports: cancel while running: $s, $done done, $created created, $n stored"

# The runner stopped in the middle of a job: the next one resumes it and
# every row is there exactly once.
{
	echo "Name,Email"
	for i in $(seq 1 20000); do echo "Resume $i $RUN,resume-$i-$RUN@example.com"; done
} > "$TMP/resume.csv"
upload "$TMP/resume.csv"
fetch -b "$TMP/mia" -d "csrf_token=$T" -d col0=name -d col1=email -d duplicates=create -d start=1 "$BASE/customers/imports/$job"
PIDF="$CRM_E2E_DIR/run/crm-customers-jobs.pid"
for _ in $(seq 1 100); do
	[ "$($SQL -e "SELECT rows_done FROM imports WHERE id = $job")" -gt 0 ] && break
	sleep 0.05
done
kill -TERM "$(cat "$PIDF")"
for _ in $(seq 1 100); do [ -f "$PIDF" ] || break; sleep 0.1; done
s=$($SQL -e "SELECT status FROM imports WHERE id = $job")
[ "$s" = queued ] && ok "imports: a stopping runner hands its job back" || fail "imports: after TERM the job is $s"
setsid "$TOP/cgi-bin/crm-customers" --config "$CRM_E2E_DIR/crm.conf" jobs --pidfile "$PIDF" \
	</dev/null >>"$CRM_E2E_DIR/log/crm-customers-jobs.log" 2>&1 &
s=$(wait_job "$job")
n=$($SQL -e "SELECT COUNT(*), COUNT(DISTINCT email_norm) FROM contacts WHERE email_norm LIKE 'resume-%-$RUN@example.com'")
[ "$s" = done ] && [ "$n" = "$(printf '20000\t20000')" ] &&
	ok "imports: the next runner resumes it: 20000 rows, each once" || fail "imports: resume: $s, $n"
