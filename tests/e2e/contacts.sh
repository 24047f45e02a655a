#!/bin/bash
# Contacts, activities, tasks, the calendar and its feed, tags, the trash,
# lists (filters, sorts, keyset pages) and autocomplete, through pages and
# the API, as the roles that meet them.
. "$(dirname "$0")/lib.sh"
IP=127.0.5.$(( $$ % 250 + 1 ))
RUN=$$
PW='contacts are people 9'

for who in cat:sales dan:sales ada:admin; do
	echo "$PW" | $CTL user add --email "${who%%:*}-$RUN@example.com" --name "${who%%:*} $RUN" --role "${who#*:}" --password-stdin >/dev/null
	signin "$TMP/${who%%:*}" "${who%%:*}-$RUN@example.com"
done
cat_id=$($SQL -e "SELECT id FROM users WHERE email = 'cat-$RUN@example.com'")
$SQL -e "INSERT INTO accounts (name, owner_id) VALUES ('Contoso $RUN', $cat_id)"
acc=$($SQL -e "SELECT id FROM accounts WHERE name = 'Contoso $RUN'")

# Create: a Chinese name reads family name first; the account is named
# the way autocomplete fills it in; e-mail and phone are normalised.
curl -s -b "$TMP/cat" "$BASE/customers/contacts/new?account_id=$acc" -o "$TMP/new.html"
grep -q "value=\"Contoso $RUN #$acc\"" "$TMP/new.html" && ok "contacts: 'add a contact' from an account fills the account in" ||
	fail "contacts: account not filled in: $(grep -o 'id="account"[^>]*' "$TMP/new.html")"
T=$(csrf_of "$TMP/new.html")
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d first_name=秀英 -d last_name=张 \
	--data-urlencode "account=Contoso $RUN #$acc" -d "email=Zhang.XY-$RUN@Example.CN" \
	--data-urlencode "mobile=138 0013 8000" -d country=CN --data-urlencode "tags=vip, 北京" -d consent_email=1 \
	"$BASE/customers/contacts"
[ "$STATUS" = 303 ] && ok "contacts: a sales user creates a contact" || fail "contacts: create: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
ct=$($SQL -e "SELECT id FROM contacts WHERE email = 'Zhang.XY-$RUN@Example.CN'")
row=$($SQL -e "SELECT full_name, email_norm, mobile_e164, account_id FROM contacts WHERE id = $ct")
[ "$row" = "$(printf '张秀英\tzhang.xy-%s@example.cn\t+8613800138000\t%s' "$RUN" "$acc")" ] &&
	ok "contacts: name, e-mail and mobile are stored normalised (E.164)" || fail "contacts: stored as: $row"
fetch -b "$TMP/cat" "$BASE/customers/contacts/$ct"
expect_body "contacts: the page shows the name" 'id="contact-name">张秀英'
expect_body "contacts: ... the account" "id=\"contact-account\">Contoso $RUN"
expect_body "contacts: ... the tags" 'id="contact-tags">vip, 北京'
expect_body "contacts: ... and a QR code of the vCard" 'id="vcard-qr"'
expect_valid_html "contacts: the contact page is valid HTML"
fetch -b "$TMP/cat" "$BASE/customers/contacts/$ct/qr.svg"
expect_header "contacts: the QR code is an SVG image" '^Content-Type: image/svg\+xml'
expect_body "contacts: ... with its accessible name" 'aria-label="QR code of the contact'
expect_status "contacts: ... and not for someone out of reach" 404 -b "$TMP/dan" "$BASE/customers/contacts/$ct/qr.svg"
fetch -b "$TMP/cat" "$BASE/customers/contacts/$ct/vcard"
expect_header "contacts: the vCard downloads as text/vcard" '^Content-Type: text/vcard'
grep -q 'BEGIN:VCARD' "$TMP/b" && grep -q 'VERSION:4.0' "$TMP/b" && grep -q 'FN:张秀英' "$TMP/b" &&
	grep -q 'tel:+8613800138000' "$TMP/b" && ok "contacts: the vCard is 4.0 with the name and E.164 number" ||
	fail "contacts: vcard: $(head -c 300 "$TMP/b")"
expect_status "contacts: another sales user gets 404" 404 -b "$TMP/dan" "$BASE/customers/contacts/$ct"
expect_status "contacts: ... and no vCard" 404 -b "$TMP/dan" "$BASE/customers/contacts/$ct/vcard"

# A refused form keeps what was typed and says why, next to each field.
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d first_name=Ann -d email=not-an-address \
	-d phone=12 -d birthday=2001-02-30 --data-urlencode "account=No such account $RUN" "$BASE/customers/contacts"
[ "$STATUS" = 422 ] && ok "contacts: bad values are refused with 422" || fail "contacts: bad values: $STATUS"
expect_body "contacts: ... the e-mail's message" 'field-error">Enter an e-mail address'
expect_body "contacts: ... the phone's" 'field-error">Enter the number with its country code'
expect_body "contacts: ... the birthday's" 'field-error">Enter the date as YYYY-MM-DD'
expect_body "contacts: ... the account's" 'field-error">Nothing by that name'
expect_body "contacts: ... with the input kept" 'value="not-an-address"'
n=$($SQL -e "SELECT COUNT(*) FROM contacts WHERE first_name = 'Ann' AND owner_id = $cat_id")
[ "$n" = 0 ] && ok "contacts: ... and nothing written" || fail "contacts: a refused form wrote $n rows"

# The API takes the same form with a token and answers JSON.
curl -s -b "$TMP/cat" "$BASE/account" -o "$TMP/acct.html"
curl -s -b "$TMP/cat" -o "$TMP/tok.html" --data-urlencode "csrf_token=$(csrf_of "$TMP/acct.html")" -d name=e2e -d days=7 "$BASE/account/tokens"
TOKEN=$(grep -o 'id="new-token">[^<]*' "$TMP/tok.html" | sed 's/.*>//')
fetch -H "Authorization: Bearer $TOKEN" -d first_name=James -d last_name="Api $RUN" -d "email=james-$RUN@example.com" \
	--data-urlencode "phone=(415) 555-0100" -d country=US "$BASE/api/v1/customers/contacts"
[ "$STATUS" = 303 ] && ok "contacts: the API creates a contact" || fail "contacts: API create: $STATUS $(head -c 300 "$TMP/b")"
api=$($SQL -e "SELECT id FROM contacts WHERE email = 'james-$RUN@example.com'")
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/contacts/$api"
expect_body "contacts: ... and reads it back as JSON with the E.164 number" '"phone_e164":"\+14155550100"'
fetch -H "Authorization: Bearer $TOKEN" -d first_name=James -d email=bad "$BASE/api/v1/customers/contacts"
[ "$STATUS" = 422 ] && grep -q '"errors":{' "$TMP/b" && grep -q '"email":' "$TMP/b" &&
	ok "contacts: the API's 422 names the bad field" || fail "contacts: API 422: $STATUS $(head -c 300 "$TMP/b")"

# Activities on the contact's timeline; a task shows in My tasks, overdue
# first; done takes it off; the account's timeline has the contact's too.
curl -s -b "$TMP/cat" "$BASE/customers/contacts/$ct" -o "$TMP/c.html"
T=$(csrf_of "$TMP/c.html")
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d contact_id=$ct -d kind=task \
	--data-urlencode "subject=Send the contract $RUN" -d at=2020-01-02T09:00 "$BASE/customers/activities"
[ "$STATUS" = 303 ] && ok "contacts: a task is added" || fail "contacts: task: $STATUS $(grep -o 'field-error">[^<]*' "$TMP/b")"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d contact_id=$ct -d kind=meeting \
	--data-urlencode "subject=Lunch $RUN" -d at=2030-03-04T12:30 -d ends_at=2030-03-04T13:30 "$BASE/customers/activities"
[ "$STATUS" = 303 ] && ok "contacts: a meeting is added" || fail "contacts: meeting: $STATUS"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d contact_id=$ct -d kind=meeting -d "subject=No time" "$BASE/customers/activities"
[ "$STATUS" = 422 ] && grep -q 'id="error-at"' "$TMP/b" && grep -q 'value="No time"' "$TMP/b" &&
	ok "contacts: a meeting without a time is refused on the contact's page, input kept" || fail "contacts: meeting without time: $STATUS"
fetch -b "$TMP/cat" "$BASE/customers/contacts/$ct"
expect_body "contacts: the timeline shows the meeting first (newest first)" "Lunch $RUN.*|timeline"
grep -o "Lunch $RUN\|Send the contract $RUN" "$TMP/b" | head -1 | grep -q Lunch && ok "contacts: ... newest first" || fail "contacts: timeline order"
fetch -b "$TMP/cat" "$BASE/customers/accounts/$acc"
expect_body "contacts: the account's timeline has the contact's activities" "Send the contract $RUN"
expect_body "contacts: ... and lists the contact" '张秀英'
fetch -b "$TMP/cat" "$BASE/customers/tasks"
expect_body "contacts: My tasks shows the task as overdue" "class=\"overdue\".*Overdue.*Send the contract $RUN|Send the contract $RUN"
grep -q 'Overdue' "$TMP/b" && ok "contacts: ... marked overdue" || fail "contacts: not overdue"
task=$($SQL -e "SELECT id FROM activities WHERE subject = 'Send the contract $RUN'")
expect_status "contacts: another's form token is refused" 403 -b "$TMP/dan" \
	--data-urlencode "csrf_token=$(csrf_of "$TMP/new.html")" -d done=1 "$BASE/customers/activities/$task/done"
curl -s -b "$TMP/dan" "$BASE/customers" -o "$TMP/d.html"
expect_status "contacts: someone out of reach cannot close the task: 404" 404 -b "$TMP/dan" \
	--data-urlencode "csrf_token=$(csrf_of "$TMP/d.html")" -d done=1 "$BASE/customers/activities/$task/done"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d done=1 -d back=/customers/tasks "$BASE/customers/activities/$task/done"
[ "$STATUS" = 303 ] && grep -qi '^location: .*/customers/tasks?done=task-done' "$TMP/h" && ok "contacts: the owner marks it done" || fail "contacts: done: $STATUS"
fetch -b "$TMP/cat" "$BASE/customers/tasks"
grep -q "Send the contract $RUN" "$TMP/b" && fail "contacts: a done task is still in My tasks" || ok "contacts: ... and it leaves My tasks"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d done=1 -d back=https://evil.example/ "$BASE/customers/activities/$task/done"
grep -qi '^location: .*evil' "$TMP/h" && fail "contacts: back= leads off the site" || ok "contacts: back= never leads off the site"

# The calendar shows the meeting on its day; the feed carries it.
fetch -b "$TMP/cat" "$BASE/customers/calendar?view=week&date=2030-03-04"
expect_body "contacts: the week's calendar shows the meeting at its time" "12:30</span> <a href=\"/customers/contacts/$ct\">Lunch $RUN"
fetch -b "$TMP/cat" "$BASE/customers/calendar?view=month&date=2030-03-01"
expect_body "contacts: ... and so does the month" "Lunch $RUN"
expect_valid_html "contacts: the calendar is valid HTML"
curl -s -b "$TMP/cat" "$BASE/customers/calendar" -o "$TMP/cal.html"
fetch -b "$TMP/cat" --data-urlencode "csrf_token=$(csrf_of "$TMP/cal.html")" "$BASE/customers/calendar/link"
feed=$(grep -o 'id="feed-path">[^<]*' "$TMP/b" | sed 's/.*>//')
fetch "$BASE$feed"
[ "$STATUS" = 200 ] && grep -q 'BEGIN:VCALENDAR' "$TMP/b" && grep -q "SUMMARY:Lunch $RUN" "$TMP/b" &&
	grep -q 'DTSTART:20300304T' "$TMP/b" && ok "contacts: the private feed is iCalendar with the meeting" ||
	fail "contacts: feed $feed: $STATUS $(head -c 300 "$TMP/b")"
expect_header "contacts: ... served as text/calendar" '^Content-Type: text/calendar'
expect_status "contacts: a made-up feed link is 404" 404 "$BASE/customers/calendar/feed/nothing-here.ics"

# Lists: filter by tag and city, sort by city, page by keyset.
$SQL -e "INSERT INTO contacts (first_name, last_name, full_name, city, owner_id)
	SELECT 'P', CONCAT('Page ', LPAD(seq, 3, '0')), CONCAT('P Page ', LPAD(seq, 3, '0'), ' $RUN'), 'Pagetown $RUN', $cat_id
	FROM seq_1_to_75"
fetch -b "$TMP/cat" "$BASE/customers/contacts?city=Pagetown%20$RUN"
n1=$(grep -o "P Page [0-9]* $RUN" "$TMP/b" | wc -l)
next=$(grep -o 'id="next-page" href="[^"]*"\|href="[^"]*" id="next-page"' "$TMP/b" | grep -o 'href="[^"]*"' | sed 's/href="//;s/"$//;s/&amp;/\&/g')
fetch -b "$TMP/cat" "$BASE$next"
n2=$(grep -o "P Page [0-9]* $RUN" "$TMP/b" | wc -l)
last1=$(grep -o "P Page [0-9]* $RUN" "$TMP/b" | head -1)
[ "$n1" = 50 ] && [ "$n2" = 25 ] && [ "$last1" = "P Page 051 $RUN" ] && ok "contacts: a filtered list pages by keyset: 50, then the other 25" ||
	fail "contacts: paging: $n1 then $n2 from '$last1' ($next)"
fetch -b "$TMP/cat" "$BASE/customers/contacts?tag=vip"
expect_body "contacts: the tag filter finds the tagged contact" '张秀英'
grep -q "P Page" "$TMP/b" && fail "contacts: the tag filter lets untagged ones through" || ok "contacts: ... and only tagged ones"
fetch -b "$TMP/cat" "$BASE/customers/contacts?sort=newest&city=Pagetown%20$RUN"
[ "$STATUS" = 200 ] && ok "contacts: newest first works" || fail "contacts: sort=newest: $STATUS"
expect_status "contacts: a nonsense sort is a 400" 400 -b "$TMP/cat" "$BASE/customers/contacts?sort=password"
expect_status "contacts: a nonsense date is a 400" 400 -b "$TMP/cat" "$BASE/customers/contacts?from=yesterday"

# Autocomplete: ten at most, in scope, "Name #id" values.
fetch -b "$TMP/cat" "$BASE/api/v1/customers/lookup/contacts?q=P%20Page"
n=$(grep -o '"value":' "$TMP/b" | wc -l)
[ "$n" = 10 ] && ok "contacts: autocomplete gives ten suggestions at most" || fail "contacts: lookup gave $n"
expect_body "contacts: ... as Name #id" '"value":"P Page 001 [0-9]+ #[0-9]+"'
fetch -b "$TMP/dan" "$BASE/api/v1/customers/lookup/accounts?q=Contoso%20$RUN"
grep -q '"items":\[\]' "$TMP/b" && ok "contacts: ... and only within the user's reach" || fail "contacts: lookup leaks: $(head -c 200 "$TMP/b")"

# The trash: only a role with customers.delete moves a record there and
# back; others see it gone; the audit log has both.
expect_status "contacts: a sales user may not delete" 403 -b "$TMP/cat" --data-urlencode "csrf_token=$T" "$BASE/customers/contacts/$ct/delete"
curl -s -b "$TMP/ada" "$BASE/customers/contacts/$ct" -o "$TMP/adm.html"
A=$(csrf_of "$TMP/adm.html")
expect_status "contacts: an admin moves it to the trash" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$A" "$BASE/customers/contacts/$ct/delete"
expect_status "contacts: its owner no longer finds it" 404 -b "$TMP/cat" "$BASE/customers/contacts/$ct"
fetch -b "$TMP/ada" "$BASE/customers/trash"
expect_body "contacts: the trash lists it" "张秀英"
fetch -b "$TMP/ada" "$BASE/customers/contacts/$ct"
expect_body "contacts: the admin sees it marked as in the trash" 'id="deleted-banner"'
expect_status "contacts: the admin restores it" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$A" "$BASE/customers/contacts/$ct/restore"
expect_status "contacts: restoring twice is a 409" 409 -b "$TMP/ada" --data-urlencode "csrf_token=$A" "$BASE/customers/contacts/$ct/restore"
expect_status "contacts: the owner has it back" 200 -b "$TMP/cat" "$BASE/customers/contacts/$ct"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND entity_id = $ct AND action IN ('delete', 'restore')")
[ "$n" = 2 ] && ok "contacts: delete and restore are in the audit log" || fail "contacts: audit rows: $n"

# Reassign by the autocomplete's value.
dan=$($SQL -e "SELECT id FROM users WHERE email = 'dan-$RUN@example.com'")
expect_status "contacts: the owner gives the contact to Dan" 303 -b "$TMP/cat" --data-urlencode "csrf_token=$T" \
	--data-urlencode "owner=dan $RUN #$dan" "$BASE/customers/contacts/$ct/owner"
expect_status "contacts: now Dan reaches it" 200 -b "$TMP/dan" "$BASE/customers/contacts/$ct"

# Export: the list view's filters, streamed CSV with a BOM, audited.
fetch -b "$TMP/cat" "$BASE/customers/contacts/export.csv?city=Pagetown%20$RUN&sort=newest"
expect_header "contacts: the export is CSV" '^Content-Type: text/csv'
expect_header "contacts: ... as a download" '^Content-Disposition: attachment; filename="contacts.csv"'
n=$(grep -c "Pagetown $RUN" "$TMP/b")
head -c 3 "$TMP/b" | od -An -tx1 | grep -q 'ef bb bf' && [ "$n" = 75 ] && [ "$(wc -l < "$TMP/b")" = 76 ] &&
	ok "contacts: the export has the header and exactly the filtered 75 rows" || fail "contacts: export rows $n, lines $(wc -l < "$TMP/b")"
fetch -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/customers/contacts/export.csv?city=Pagetown%20$RUN"
[ "$(grep -c "Pagetown $RUN" "$TMP/b")" = 75 ] && ok "contacts: ... and through the API" || fail "contacts: API export: $STATUS"
fetch -b "$TMP/dan" "$BASE/customers/contacts/export.csv?city=Pagetown%20$RUN"
[ "$(grep -c "Pagetown $RUN" "$TMP/b")" = 0 ] && ok "contacts: another user's export holds none of them" || fail "contacts: export leaks"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND user_id = $cat_id")
[ "$n" -ge 2 ] && ok "contacts: exports are in the audit log" || fail "contacts: export audit rows: $n"
$SQL -e "INSERT INTO role_field_rules (role_id, entity, field, access) SELECT id, 'contacts', 'email', 'hidden' FROM roles WHERE name = 'sales'"
signin "$TMP/cat2" "cat-$RUN@example.com"
fetch -b "$TMP/cat2" "$BASE/customers/contacts/export.csv?city=Pagetown%20$RUN"
head -1 "$TMP/b" | grep -q ',email,' && fail "contacts: a hidden field is exported" || ok "contacts: a field hidden from the role is not exported"
$SQL -e "DELETE FROM role_field_rules WHERE entity = 'contacts'"

# Duplicates and merge: two records of one person, found by normalised
# e-mail; the merge keeps picked values, moves activities and tags, and
# leaves the other in the trash pointing at the survivor.
for n in 1 2; do
	fetch -b "$TMP/cat" --data-urlencode "csrf_token=$T" -d first_name=Dup -d "last_name=Twin $RUN" \
		-d "email=$( [ $n = 1 ] && echo twin-$RUN@example.com || echo TWIN-$RUN@Example.com )" \
		--data-urlencode "phone=+44 20 7946 09$((10 + n))" -d "tags=twin$n" "$BASE/customers/contacts"
done
d1=$($SQL -e "SELECT MIN(id) FROM contacts WHERE last_name = 'Twin $RUN'")
d2=$($SQL -e "SELECT MAX(id) FROM contacts WHERE last_name = 'Twin $RUN'")
$SQL -e "INSERT INTO activities (kind, subject, contact_id, at, assignee_id, created_by)
	VALUES ('note', 'Twin note $RUN', $d2, UTC_TIMESTAMP(), $cat_id, $cat_id)"
# A custom value only the other has (the field inactive, so other forms
# do not meet it).
$SQL -e "INSERT INTO custom_fields (entity, label, type, active) VALUES ('contact', 'Twin field $RUN', 'text', FALSE)"
tf=$($SQL -e "SELECT id FROM custom_fields WHERE label = 'Twin field $RUN'")
$SQL -e "INSERT INTO custom_values (entity, record_id, field_id, value_text) VALUES ('contact', $d2, $tf, 'kept $RUN')"
fetch -b "$TMP/ada" "$BASE/customers/duplicates?kind=email"
expect_body "contacts: the duplicates page groups the two by e-mail" "twin-$RUN@example.com"
expect_status "contacts: a sales user may not merge" 403 -b "$TMP/cat" "$BASE/customers/contacts/merge?a=$d1&b=$d2"
fetch -b "$TMP/ada" "$BASE/customers/contacts/merge?a=$d1&b=$d2"
expect_body "contacts: the merge form shows both values side by side" "\+44 20 7946 0911.*|id=\"merge-form\""
grep -q '+44 20 7946 0912' "$TMP/b" && ok "contacts: ... each record's own phone" || fail "contacts: merge form lacks the second phone"
expect_status "contacts: the admin merges, keeping the second's phone" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$A" \
	-d a=$d1 -d b=$d2 -d phone=b "$BASE/customers/contacts/merge"
row=$($SQL -e "SELECT phone_e164 FROM contacts WHERE id = $d1")
[ "$row" = "+442079460912" ] && ok "contacts: the survivor has the picked phone" || fail "contacts: survivor phone: $row"
row=$($SQL -e "SELECT contact_id FROM activities WHERE subject = 'Twin note $RUN'")
[ "$row" = "$d1" ] && ok "contacts: the other's activities moved to the survivor" || fail "contacts: activity on $row"
row=$($SQL -e "SELECT COUNT(*) FROM tag_links WHERE entity = 'contact' AND record_id = $d1")
[ "$row" = 2 ] && ok "contacts: ... and its tags" || fail "contacts: survivor tags: $row"
row=$($SQL -e "SELECT value_text FROM custom_values WHERE entity = 'contact' AND record_id = $d1 AND field_id = $tf")
[ "$row" = "kept $RUN" ] && ok "contacts: ... and its custom values" || fail "contacts: survivor custom value: $row"
row=$($SQL -e "SELECT merged_into FROM contacts WHERE id = $d2 AND deleted_at IS NOT NULL")
[ "$row" = "$d1" ] && ok "contacts: the other is in the trash, pointing at the survivor" || fail "contacts: merged_into: $row"
fetch -b "$TMP/cat" "$BASE/customers/contacts/$d2"
[ "$STATUS" = 301 ] && grep -qi "^location: .*/customers/contacts/$d1" "$TMP/h" && ok "contacts: the old link leads to the survivor" || fail "contacts: old link: $STATUS"
n=$($SQL -e "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND ((entity_id = $d1 AND action = 'merge') OR (entity_id = $d2 AND action = 'merged-into'))")
[ "$n" = 2 ] && ok "contacts: the merge is in the audit log" || fail "contacts: merge audit rows: $n"
expect_status "contacts: merging it again is refused" 404 -b "$TMP/ada" --data-urlencode "csrf_token=$A" -d a=$d1 -d b=$d2 "$BASE/customers/contacts/merge"

# The search box: Chinese, e-mail, phone digits, company; only records in
# reach; a deleted record drops out; operators in the input are harmless.
# (The contact is Dan's now; the account was made in SQL, so only the
# rebuild at the end puts it in the index.)
fetch -b "$TMP/dan" "$BASE/api/v1/customers/search?q=%E5%BC%A0%E7%A7%80%E8%8B%B1"
expect_body "search: a Chinese name finds the contact" "\"id\":$ct,"
fetch -b "$TMP/dan" "$BASE/api/v1/customers/search?q=zhang.xy-$RUN@example.cn"
expect_body "search: ... so does the e-mail" "\"id\":$ct,"
fetch -b "$TMP/dan" "$BASE/api/v1/customers/search?q=13800138"
expect_body "search: ... and the start of the mobile number" "\"id\":$ct,"
fetch -b "$TMP/dan" "$BASE/api/v1/customers/search?q=%E5%BC%A0%E7%A7%80%E8%8B%B1%20zhang"
grep -q "\"id\":$ct," "$TMP/b" && ok "search: Dan, who now owns the contact, finds it" || fail "search: new owner: $(head -c 300 "$TMP/b")"
fetch -b "$TMP/cat" "$BASE/api/v1/customers/search?q=%E5%BC%A0%E7%A7%80%E8%8B%B1%20zhang"
grep -q "\"id\":$ct," "$TMP/b" && fail "search: the old owner still finds it" || ok "search: the old owner no longer does"
fetch -b "$TMP/cat" "$BASE/customers/search?q=-ann%20(x%20OR%20%22"
[ "$STATUS" = 200 ] && ok "search: operators and quotes in the input are harmless" || fail "search: operator input: $STATUS"
fetch -b "$TMP/cat" "$BASE/customers/search?q=a"
expect_body "search: a single letter asks for more" 'Type a little more'
expect_valid_html "search: the results page is valid HTML"
curl -s -b "$TMP/ada" "$BASE/customers/contacts/$d1" -o "$TMP/adm.html"
expect_status "search: an admin deletes the merged twin" 303 -b "$TMP/ada" --data-urlencode "csrf_token=$(csrf_of "$TMP/adm.html")" "$BASE/customers/contacts/$d1/delete"
fetch -b "$TMP/ada" "$BASE/api/v1/customers/search?q=olga%20twin$RUN"
fetch -b "$TMP/ada" "$BASE/api/v1/customers/search?q=twin-$RUN@example.com"
grep -q "\"id\":$d1," "$TMP/b" && fail "search: a deleted contact is still found" || ok "search: a deleted contact is not found"
n=$($SQL -e "SELECT COUNT(*) FROM search_index WHERE entity = 1 AND id = $d1")
[ "$n" = 0 ] && ok "search: ... and left the index" || fail "search: index row of a deleted contact"
out=$($CTL search rebuild)
case $out in "search index rebuilt: "*) ok "search: crmctl search rebuild ($out)" ;; *) fail "search: rebuild: $out" ;; esac
fetch -b "$TMP/cat" "$BASE/api/v1/customers/search?q=Contoso%20$RUN"
expect_body "search: the rebuilt index finds the account" "\"entity\":2,\"id\":$acc,"

# Saved views: a named list query, per user; nothing but list filters.
fetch -b "$TMP/cat" "$BASE/customers/contacts?city=Pagetown%20$RUN&sort=newest"
q=$(grep -o 'name="query" value="[^"]*"' "$TMP/b" | sed 's/.*value="//;s/"$//;s/&amp;/\&/g')
# Each worker keeps a user's views until one is saved or deleted: every
# worker's list offers the new one at once.
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/cat" -o /dev/null "$BASE/customers/contacts"; done
expect_status "views: a user saves the list as a view" 303 -b "$TMP/cat" --data-urlencode "csrf_token=$T" \
	-d entity=contact --data-urlencode "name=Pagetown $RUN" --data-urlencode "query=$q" "$BASE/customers/views"
fresh=0
for _ in 1 2 3 4 5 6; do curl -s -b "$TMP/cat" "$BASE/customers/contacts" | grep -q "Pagetown $RUN</a>" && fresh=$((fresh + 1)); done
[ "$fresh" = 6 ] && ok "views: every worker's list offers the new view at once" || fail "views: $fresh of 6 lists offer the new view"
fetch -b "$TMP/cat" "$BASE/customers/contacts"
expect_body "views: the list offers it" "Pagetown $RUN</a>"
link=$(grep -o "href=\"[^\"]*\">Pagetown $RUN</a>" "$TMP/b" | sed 's/href="//;s/">.*//;s/&amp;/\&/g')
fetch -b "$TMP/cat" "$BASE$link"
[ "$(grep -o "P Page [0-9]* $RUN" "$TMP/b" | head -1)" = "P Page 075 $RUN" ] && ok "views: it opens the list as saved (newest first)" || fail "views: $link"
fetch -b "$TMP/dan" "$BASE/customers/contacts"
grep -q "Pagetown $RUN</a>" "$TMP/b" && fail "views: another user sees the view" || ok "views: views are per user"
expect_status "views: a view of anything but list filters is refused" 422 -b "$TMP/cat" --data-urlencode "csrf_token=$T" \
	-d entity=contact -d name=bad --data-urlencode "query=csrf_token=x&password=y" "$BASE/customers/views"
