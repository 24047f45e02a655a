#!/bin/sh
# The local stack: a private MariaDB, every module and nginx, all under one
# directory (var/ for make run, var/check for make check). Starting it again
# while it runs is harmless; stop ends exactly what start began.
#
#   scripts/stack.sh start DIR PORT     start (or complete) the stack
#   scripts/stack.sh stop DIR           stop it
#   scripts/stack.sh status DIR
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
MODULES="admin customers sales service marketing reports automation dav"
# Modules with a background job runner ("crm-NAME jobs").
JOB_MODULES="customers service marketing reports automation"
WORKERS=${CRM_WORKERS:-2}

die() { echo "stack: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: stack.sh start|stop|status|start-db DIR [PORT]"
cmd=$1
mkdir -p "$2"
V=$(cd "$2" && pwd)
PORT=${3:-8080}
ME=$(id -un)

. "$(cd "$(dirname "$0")" && pwd)/pidfile.sh"

sql() { mariadb --no-defaults -S "$V/run/mysql.sock" -u "$ME" "$@"; }

start_mariadb() {
	if alive "$V/run/mysql.pid"; then return 0; fi
	if [ ! -d "$V/mysql/mysql" ]; then
		echo "stack: initialising MariaDB in $V/mysql"
		mariadb-install-db --no-defaults --datadir="$V/mysql" --user="$ME" \
			--auth-root-authentication-method=socket --skip-test-db \
			>"$V/log/mysql-install.log" 2>&1 ||
			die "mariadb-install-db failed; see $V/log/mysql-install.log"
	fi
	# setsid: the server must not die with the shell that started it.
	setsid mariadbd --no-defaults --datadir="$V/mysql" --user="$ME" \
		--socket="$V/run/mysql.sock" --pid-file="$V/run/mysql.pid" \
		--skip-networking --log-error="$V/log/mysql.log" --tmpdir="$V/tmp" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size="${CRM_INNODB_BUFFER:-256M}" \
		--innodb-flush-log-at-trx-commit=1 \
		--plugin-load-add=ha_mroonga --loose-mroonga-match-escalation-threshold=-1 \
		</dev/null >/dev/null 2>&1 &
	i=0
	until mariadb-admin --no-defaults -S "$V/run/mysql.sock" -u "$ME" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -lt 300 ] || die "MariaDB did not start; see $V/log/mysql.log"
		sleep 0.1
	done
}

# The application's database user, with a password made once and kept in
# var/ (mode 600), and the crm.conf every module reads.
configure() {
	if [ ! -f "$V/db.password" ]; then
		(umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$V/db.password")
	fi
	pw=$(cat "$V/db.password")
	sql <<SQL
CREATE DATABASE IF NOT EXISTS crm CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'crm'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON crm.* TO 'crm'@'localhost';
-- crmctl backup holds commits (BACKUP STAGE) while the dump begins.
GRANT RELOAD ON *.* TO 'crm'@'localhost';
SQL
	(umask 077; cat > "$V/crm.conf" <<CONF
; Written by scripts/stack.sh for the local stack in $V.
[server]
workers = $WORKERS
tmpdir = $V/tmp
templates = $TOP/html/templates
locales = $TOP/build/locale

[database]
socket = $V/run/mysql.sock
name = crm
user = crm
password = $pw
migrations = $TOP/sql/migrations

[jobs]
spool = $V/spool

[service]
attachments = $V/attachments

[log]
requests = ${CRM_LOG_REQUESTS:-on}
CONF
)
	# Directory sign-in, when a directory is given (make check starts one).
	if [ -n "${CRM_LDAP_URI:-}" ]; then
		cat >> "$V/crm.conf" <<CONF

[ldap]
uri = $CRM_LDAP_URI
user_dn = ${CRM_LDAP_USER_DN:-uid=%s,ou=people,dc=example,dc=com}
group_base = ${CRM_LDAP_GROUP_BASE:-ou=groups,dc=example,dc=com}
group_filter = (member=%s)
role_map = ${CRM_LDAP_ROLE_MAP:-}
CONF
	fi
}

start_module() {
	m=$1
	pidf="$V/run/crm-$m.pid"
	if alive "$pidf"; then
		# Running already: a graceful reload picks up a new build,
		# templates and crm.conf without dropping a request.
		kill -HUP "$(cat "$pidf")"
		return 0
	fi
	setsid "$TOP/cgi-bin/crm-$m" --config "$V/crm.conf" \
		--listen "unix:$V/run/$m.sock" --socket-mode 0666 \
		--pidfile "$pidf" </dev/null >>"$V/log/crm-$m.log" 2>&1 &
	i=0
	until [ -S "$V/run/$m.sock" ] && alive "$pidf"; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "crm-$m did not start; see $V/log/crm-$m.log"
		sleep 0.05
	done
}

# A module's job runner (CSV imports for customers): a plain daemon that
# finishes its batch and exits on TERM.
start_jobs() {
	m=$1
	pidf="$V/run/crm-$m-jobs.pid"
	stop_pid "$pidf"        # a new build: the runner resumes the job
	setsid "$TOP/cgi-bin/crm-$m" --config "$V/crm.conf" jobs --pidfile "$pidf" \
		</dev/null >>"$V/log/crm-$m-jobs.log" 2>&1 &
	i=0
	until alive "$pidf"; do
		i=$((i + 1))
		[ $i -lt 100 ] || die "crm-$m jobs did not start; see $V/log/crm-$m-jobs.log"
		sleep 0.05
	done
}

nginx_conf() {
	# make run uses the repository's nginx.conf as it is; another port
	# (make check) gets a copy that differs only in the listen line.
	if [ "$PORT" = 8080 ]; then
		echo "$TOP/nginx.conf"
	else
		sed "s/listen 127.0.0.1:8080;/listen 127.0.0.1:$PORT;/" "$TOP/nginx.conf" > "$V/nginx.conf"
		echo "$V/nginx.conf"
	fi
}

start_nginx() {
	conf=$(nginx_conf)
	ln -sfn "$TOP/html" "$V/html"
	if alive "$V/run/nginx.pid"; then
		(cd "$V" && nginx -p "$V/" -c "$conf" -s reload) 2>>"$V/log/nginx-error.log"
		return 0
	fi
	(cd "$V" && nginx -p "$V/" -c "$conf" -e "$V/log/nginx-error.log") ||
		die "nginx did not start; see $V/log/nginx-error.log"
}


case $cmd in
start)
	[ -x "$TOP/cgi-bin/crmctl" ] || die "build first: make"
	mkdir -p "$V/run" "$V/log" "$V/tmp" "$V/spool" "$V/attachments"
	start_mariadb
	configure
	"$TOP/cgi-bin/crmctl" --config "$V/crm.conf" migrate >"$V/log/migrate.log" 2>&1 ||
		{ cat "$V/log/migrate.log" >&2; die "migrations failed"; }
	# Links sent to customers (a quote's, an invoice's) point at this
	# stack until an admin sets the real address in Admin -> Settings.
	sql crm -e "UPDATE settings SET value = 'http://127.0.0.1:$PORT'
		WHERE name = 'public_url' AND value LIKE 'http://127.0.0.1:%'"
	# The first administrator: its password is printed this once.
	"$TOP/cgi-bin/crmctl" --config "$V/crm.conf" user add --admin \
		--email admin@example.com --name Administrator --if-none
	# Demo data for a first look (make run); make check starts empty.
	if [ "${CRM_DEMO:-yes}" = yes ]; then
		"$TOP/cgi-bin/crmctl" --config "$V/crm.conf" demo --if-empty --accounts "${CRM_DEMO_ACCOUNTS:-2000}"
	fi
	for m in $MODULES; do start_module "$m"; done
	for m in $JOB_MODULES; do start_jobs "$m"; done
	start_nginx
	echo "stack: running at http://127.0.0.1:$PORT/ (logs in $V/log)"
	;;
stop)
	stop_pid "$V/run/nginx.pid"
	for m in $JOB_MODULES; do stop_pid "$V/run/crm-$m-jobs.pid"; done
	for m in $MODULES; do stop_pid "$V/run/crm-$m.pid"; done
	stop_pid "$V/run/mysql.pid"
	echo "stack: stopped $V"
	;;
start-db)
	# MariaDB alone, with the stack's settings (tests that stop it).
	start_mariadb
	;;
status)
	for p in mysql nginx $(for m in $MODULES; do echo crm-$m; done) \
	    $(for m in $JOB_MODULES; do echo crm-$m-jobs; done); do
		if alive "$V/run/$p.pid"; then echo "$p: running"; else echo "$p: stopped"; fi
	done
	;;
*)
	die "unknown command $cmd"
	;;
esac
