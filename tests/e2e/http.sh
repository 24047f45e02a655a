#!/bin/bash
# HTTP through the real nginx.conf to the real modules and MariaDB.
. "$(dirname "$0")/lib.sh"

expect_status "home page answers 200" 200 "$BASE/"
expect_body "home page is in the layout" '<a class="brand" href="/">CRM</a>'
expect_body "home page lists the modules" '<h2>Customers</h2>'
expect_valid_html "home page is valid HTML"
expect_header "CSP forbids inline script" "^Content-Security-Policy: .*script-src 'self'"
expect_header "nosniff header" '^X-Content-Type-Options: nosniff'
expect_header "frame-ancestors none" "frame-ancestors 'none'"
expect_header "Referrer-Policy header" '^Referrer-Policy: same-origin'
expect_header "request id header" '^X-Request-Id: [0-9a-f]{16,}'

expect_status "health page answers 200" 200 "$BASE/admin/health"
expect_body "health page sees the database" 'id="health-db">reachable<'
expect_body "health page shows the migration level" 'id="health-migration">[1-9][0-9]* \([0-9]+ applied\)<'
expect_valid_html "health page is valid HTML"

expect_status "health API answers 200" 200 "$BASE/api/v1/admin/health"
expect_header "health API is JSON" '^Content-Type: application/json'
expect_body "health API reports ok" '"status":"ok"'
expect_body "health API reports the worker count" '"workers":[0-9]+'
expect_body "health API gives the migration level as a number" '"migration_level":[1-9][0-9]*[,}]'
expect_body "health API has no page chrome" '^\{' 
if grep -q '"app"' "$TMP/b"; then fail "health API leaks layout keys"; else ok "health API leaks no layout keys"; fi

expect_status "static CSS served by nginx" 200 "$BASE/static/css/crm.css"
expect_header "static CSS has its type" '^Content-Type: text/css'

expect_status "unknown page is 404" 404 "$BASE/no/such/page"
expect_body "404 page is readable" 'There is no such page'
expect_body "404 page is in the layout" '<a class="brand"'
expect_valid_html "404 page is valid HTML"
expect_status "unknown API path is 404" 404 "$BASE/api/v1/admin/nothing"
expect_body "API errors are JSON with a stable shape" '^\{"error":\{"status":404,"message":"[^"]+","request_id":"[0-9a-f]+"\}\}$'

expect_status "POST to a GET page is 405" 405 -X POST -d x=1 "$BASE/admin/health"
expect_header "405 names the allowed methods" '^Allow: GET, HEAD'
expect_status "unknown method is 405" 405 -X BREW "$BASE/admin/health"
expect_status "HEAD works" 200 -I "$BASE/admin/health"

expect_status "bad percent-encoding in the query is 400" 400 "$BASE/admin/health?a=%zz"
expect_body "400 page says what was wrong" 'query string is not valid'
expect_status "truncated percent-encoding is 400" 400 "$BASE/admin/health?a=%4"
expect_status "encoded NUL in the query is 400" 400 "$BASE/admin/health?a=%00"
expect_status "invalid UTF-8 in the query is 400" 400 "$BASE/admin/health?a=%C0%AF"
expect_status "invalid UTF-8 in the path is 400" 400 "$BASE/admin/%ff"
expect_status "a malformed cookie is 400" 400 -H 'Cookie: a b=c' "$BASE/admin/health"
expect_status "too many query fields is 413" 413 "$BASE/admin/health?$(seq -s '&' 1 400 | sed 's/\([0-9]*\)/f\1=1/g')"
expect_status "an escaped value is fine" 200 "$BASE/admin/health?q=%E4%B8%AD%E6%96%87+x"
expect_status "a body over nginx's limit is 413" 413 -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @<(head -c 21000000 /dev/zero) "$BASE/admin/health"

# The page and the log: no database error text reaches a user.
expect_status "XSS in the path is escaped on the 404 page" 404 "$BASE/%3Cscript%3Ealert(1)%3C/script%3E"
if grep -q '<script>alert' "$TMP/b"; then fail "404 page echoes markup"; else ok "404 page echoes no markup"; fi
