#!/bin/bash
# The module binary as a process manager: workers, crash replacement,
# graceful reload under load, graceful stop, and the other ways to start it
# (spawn-fcgi, systemd socket activation, plain CGI).
. "$(dirname "$0")/lib.sh"
V=$CRM_E2E_DIR
BIN=$TOP/cgi-bin/crm-admin
CONF=$V/crm.conf
MASTER=$(cat "$V/run/crm-admin.pid")

workers() { pgrep -P "$1" | sort; }
wait_workers() { # master count: waits until it has count workers
	for _ in $(seq 100); do
		[ "$(workers "$1" | wc -l)" -eq "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# FastCGI request straight to a socket, without nginx.
fcgi_get() { # socket path
	env -i REQUEST_METHOD=GET DOCUMENT_URI="$2" REQUEST_URI="$2" QUERY_STRING= \
		cgi-fcgi -bind -connect "$1" 2>/dev/null
}

# --routes prints the table the route-walk tests use.
if "$BIN" --routes | grep -qx 'GET /admin/health public admin/health'; then
	ok "--routes prints method, pattern, permission and template"
else fail "--routes output: $("$BIN" --routes | head -3)"; fi

if "$BIN" --config "$CONF" --check >/dev/null; then ok "--check accepts the configuration"
else fail "--check rejects the configuration"; fi
printf '[server]\nworkerz = 2\n' > "$TMP/bad.conf"
msg=$("$BIN" --config "$TMP/bad.conf" --check 2>&1); rc=$?
if [ $rc -eq 78 ] && echo "$msg" | grep -q 'unknown key "workerz" in \[server\]'; then
	ok "a bad configuration key is named and refused"
else fail "bad key: rc=$rc $msg"; fi
printf '[server]\nmax_body = lots\n' > "$TMP/bad.conf"
msg=$("$BIN" --config "$TMP/bad.conf" --check 2>&1)
if echo "$msg" | grep -q 'max_body = "lots": expected a size'; then ok "a bad configuration value is named"
else fail "bad value: $msg"; fi
msg=$(CRM_SERVER_WORKERS=0 "$BIN" --config "$CONF" --check 2>&1)
if echo "$msg" | grep -q 'environment: \[server\] workers = "0"'; then ok "environment overrides are validated too"
else fail "env override: $msg"; fi

# Plain CGI: no socket, one request, exit.
out=$(env -i CRM_CONF="$CONF" REQUEST_METHOD=GET DOCUMENT_URI=/api/v1/admin/health "$BIN" </dev/null)
if echo "$out" | head -1 | grep -q '^Status: 200' && echo "$out" | grep -q '"status":"ok"'; then
	ok "plain CGI answers one request and exits"
else fail "CGI: $(echo "$out" | head -3)"; fi

# Workers: as many as configured, replaced when one crashes.
if wait_workers "$MASTER" 2; then ok "the master keeps 2 workers"; else fail "workers: $(workers "$MASTER" | wc -l)"; fi
victim=$(workers "$MASTER" | head -1)
kill -SEGV "$victim"
sleep 0.5
if wait_workers "$MASTER" 2 && ! workers "$MASTER" | grep -qx "$victim"; then
	ok "a crashed worker is replaced"
else fail "crashed worker not replaced: $(workers "$MASTER" | tr '\n' ' ')"; fi
expect_status "the module serves after a crash" 200 "$BASE/admin/health"

# Ten SIGHUPs under load: wrk must see no error and no non-2xx answer.
before=$(workers "$MASTER" | tr '\n' ' ')
wrk -t2 -c16 -d6s "$BASE/admin/health" >"$TMP/wrk" 2>&1 &
wrkpid=$!
sleep 0.5
for _ in $(seq 10); do kill -HUP "$MASTER"; sleep 0.45; done
wait $wrkpid
reqs=$(awk '/requests in/ {print $1}' "$TMP/wrk")
if [ -n "$reqs" ] && [ "$reqs" -gt 100 ] && ! grep -qE 'Socket errors|Non-2xx' "$TMP/wrk"; then
	ok "ten SIGHUPs under load lose no request ($reqs requests)"
else fail "reload under load: $(tr '\n' ' ' < "$TMP/wrk")"; fi
wait_workers "$MASTER" 2
after=$(workers "$MASTER" | tr '\n' ' ')
if [ "$before" != "$after" ] && [ "$(workers "$MASTER" | wc -l)" -eq 2 ]; then
	ok "a reload replaces every worker"
else fail "reload: before [$before] after [$after]"; fi

# A reload that cannot start (broken template) keeps the old workers serving.
mkdir -p "$TMP/tpl"
cp -r "$TOP/html/templates/." "$TMP/tpl/"
sed "s|^templates = .*|templates = $TMP/tpl|" "$CONF" > "$TMP/own.conf"
"$BIN" --config "$TMP/own.conf" --listen "unix:$TMP/own.sock" --workers 2 \
	--pidfile "$TMP/own.pid" 2>"$TMP/own.log" &
for _ in $(seq 100); do [ -S "$TMP/own.sock" ] && break; sleep 0.05; done
own=$(cat "$TMP/own.pid")
wait_workers "$own" 2
if fcgi_get "$TMP/own.sock" /admin/health | grep -q 'Status: 200'; then ok "--listen unix: serves FastCGI"
else fail "--listen unix: no answer"; fi
old=$(workers "$own" | tr '\n' ' ')
echo '{{#broken}}' > "$TMP/tpl/admin/health.mustache"
kill -HUP "$own"
sleep 2
if [ "$(workers "$own" | tr '\n' ' ')" = "$old" ] && grep -q 'reload failed' "$TMP/own.log" &&
	fcgi_get "$TMP/own.sock" /admin/health | grep -q 'Status: 200'; then
	ok "a reload with a broken template keeps the old workers serving"
else fail "broken reload: old [$old] now [$(workers "$own" | tr '\n' ' ')] $(tail -3 "$TMP/own.log")"; fi

# SIGTERM: the master stops its workers, removes its socket and pid file.
kill -TERM "$own"
for _ in $(seq 100); do kill -0 "$own" 2>/dev/null || break; sleep 0.05; done
if ! kill -0 "$own" 2>/dev/null && [ ! -e "$TMP/own.sock" ] && [ ! -e "$TMP/own.pid" ]; then
	ok "SIGTERM stops the master and cleans up its socket"
else fail "SIGTERM: still running or files left"; kill -9 "$own" 2>/dev/null; fi

# A broken template at start: the master says so and exits 78.
"$BIN" --config "$TMP/own.conf" --listen "unix:$TMP/own.sock" --workers 1 >/dev/null 2>"$TMP/own.log"
rc=$?
if [ $rc -eq 78 ] && grep -q 'templates (en): admin/health' "$TMP/own.log"; then ok "workers that cannot start stop the master with 78"
else fail "broken start: rc=$rc $(tail -2 "$TMP/own.log")"; fi
cp "$TOP/html/templates/admin/health.mustache" "$TMP/tpl/admin/health.mustache"

# spawn-fcgi hands the socket over on fd 0.
spawn-fcgi -n -s "$TMP/spawn.sock" -- "$BIN" --config "$TMP/own.conf" --workers 1 2>"$TMP/spawn.log" &
sp=$!
for _ in $(seq 100); do [ -S "$TMP/spawn.sock" ] && fcgi_get "$TMP/spawn.sock" /admin/health | grep -q 'Status: 200' && break; sleep 0.05; done
if fcgi_get "$TMP/spawn.sock" /admin/health | grep -q 'Status: 200'; then ok "runs under spawn-fcgi (socket on fd 0)"
else fail "spawn-fcgi: $(tail -3 "$TMP/spawn.log")"; fi
kill -TERM $sp; wait $sp 2>/dev/null

# systemd socket activation: LISTEN_FDS=1, the socket on fd 3.
systemd-socket-activate -l "$TMP/sd.sock" -- "$BIN" --config "$TMP/own.conf" --workers 1 2>"$TMP/sd.log" &
sd=$!
for _ in $(seq 100); do [ -S "$TMP/sd.sock" ] && break; sleep 0.05; done
if fcgi_get "$TMP/sd.sock" /admin/health | grep -q 'Status: 200'; then ok "runs under systemd socket activation"
else fail "socket activation: $(tail -3 "$TMP/sd.log")"; fi
kill -TERM $sd; wait $sd 2>/dev/null

# The database goes away and comes back: health says so, then recovers.
mariadb-admin --no-defaults -S "$V/run/mysql.sock" -u "$(id -un)" shutdown
expect_status "health is 503 while the database is down" 503 "$BASE/admin/health"
expect_body "health says the database is unreachable" 'id="health-db">unreachable<'
sh "$TOP/scripts/stack.sh" start-db "$V" >/dev/null
expect_status "health recovers when the database is back" 200 "$BASE/admin/health"
expect_body "the worker reconnected by itself" 'id="health-db">reachable<'
