#!/bin/sh
# A private OpenLDAP slapd with a small test directory, for the LDAP sign-in
# tests, all under one directory: slapd.conf, the mdb database, pid file and
# log. It listens only on ldap://127.0.0.1:PORT and runs as the invoking
# user (as root it stays root: no -u/-g). Starting it again while it runs is
# harmless; stop ends exactly what start began. The system slapd is never
# touched.
#
#   scripts/ldap.sh start DIR PORT      start it (loading the directory once)
#   scripts/ldap.sh stop DIR            stop it
#   scripts/ldap.sh status DIR
#
# The directory, dc=example,dc=com:
#   ou=people  alice / alice-password-1  in sales
#              bob   / bob-password-22   in admins
#              carol / carol-password-3  in support (which no role maps)
#              dave,jr / dave-password-4 in sales (a login needing DN escaping)
#              erin  / erin-password-5   in sales and admins
#   ou=groups  groupOfNames cn=sales, cn=admins, cn=support
set -eu

die() { echo "ldap: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: ldap.sh start|stop|status DIR [PORT]"
cmd=$1
mkdir -p "$2"
V=$(cd "$2" && pwd)
PORT=${3:-3890}
SUFFIX="dc=example,dc=com"
SCHEMA=/etc/ldap/schema
# Our own client settings only: never ~/.ldaprc or /etc/ldap/ldap.conf.
export LDAPNOINIT=1
PATH=$PATH:/usr/sbin

. "$(cd "$(dirname "$0")" && pwd)/pidfile.sh"

write_conf() {
	cat > "$V/slapd.conf" <<CONF
# Written by scripts/ldap.sh for the private test slapd in $V.
include $SCHEMA/core.schema
include $SCHEMA/cosine.schema
include $SCHEMA/inetorgperson.schema

pidfile $V/run/slapd.pid
argsfile $V/run/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb

# Servers such as Active Directory accept a DN with an empty password as
# an unauthenticated bind; this one does too, so the tests prove the
# client refuses empty passwords itself.
allow bind_anon_cred

database mdb
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
directory $V/data
maxsize 16777216
index objectClass eq
index uid eq
index member eq

access to attrs=userPassword
	by self =xw
	by anonymous auth
	by * none
access to *
	by users read
	by * none
CONF
}

# One inetOrgPerson: rdn-value uid cn sn mail password
person() {
	cat <<LDIF
dn: uid=$1,ou=people,$SUFFIX
objectClass: inetOrgPerson
uid: $2
cn: $3
sn: $4
mail: $5
userPassword: $(slappasswd -h '{SSHA}' -s "$6")

LDIF
}

# One groupOfNames: cn, then member rdn-values.
group() {
	cn=$1
	shift
	printf 'dn: cn=%s,ou=groups,%s\nobjectClass: groupOfNames\ncn: %s\n' "$cn" "$SUFFIX" "$cn"
	for m in "$@"; do
		printf 'member: uid=%s,ou=people,%s\n' "$m" "$SUFFIX"
	done
	echo
}

test_ldif() {
	cat <<LDIF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,$SUFFIX
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SUFFIX
objectClass: organizationalUnit
ou: groups

LDIF
	person alice alice "Alice Archer" Archer alice@example.com alice-password-1
	person bob bob "Bob Baker" Baker bob@example.com bob-password-22
	person carol carol "Carol Cooper" Cooper carol@example.com carol-password-3
	person 'dave\,jr' 'dave,jr' "Dave Dunn Jr." Dunn davejr@example.com dave-password-4
	person erin erin "Erin Evans" Evans erin@example.com erin-password-5
	group sales alice 'dave\,jr' erin
	group admins bob erin
	group support carol
}

# slapadd offline: faster than a running server and needs no root password.
load() {
	[ -f "$V/data/data.mdb" ] && return 0
	rm -rf "$V/data"
	mkdir -p "$V/data"
	test_ldif > "$V/test.ldif"
	slapadd -q -f "$V/slapd.conf" -l "$V/test.ldif" >"$V/log/slapadd.log" 2>&1 ||
		{ rm -rf "$V/data"; die "slapadd failed; see $V/log/slapadd.log"; }
}

start() {
	for p in slapd slapadd slappasswd ldapsearch; do
		command -v "$p" >/dev/null 2>&1 ||
			die "$p is missing: apt-get install slapd ldap-utils"
	done
	if alive "$V/run/slapd.pid"; then
		[ "$(cat "$V/run/port" 2>/dev/null)" = "$PORT" ] ||
			die "already running in $V on port $(cat "$V/run/port" 2>/dev/null)"
		return 0
	fi
	mkdir -p "$V/run" "$V/log"
	write_conf
	load
	rm -f "$V/run/slapd.pid"
	# In the foreground (-d) so the stats log lands in our file rather than
	# syslog; setsid so it does not die with the shell that started it; -h
	# keeps it off every other address and off ldapi://.
	setsid slapd -f "$V/slapd.conf" -h "ldap://127.0.0.1:$PORT/" -d stats \
		</dev/null >>"$V/log/slapd.log" 2>&1 &
	child=$!
	# slapd writes its pid file once it listens; until then a search might
	# reach some other server on the port.
	i=0
	until [ "$(cat "$V/run/slapd.pid" 2>/dev/null)" = "$child" ] &&
	    ldapsearch -x -H "ldap://127.0.0.1:$PORT/" -b "" -s base -LLL namingContexts >/dev/null 2>&1; do
		kill -0 "$child" 2>/dev/null ||
			die "slapd did not start (port $PORT in use?); see $V/log/slapd.log"
		i=$((i + 1))
		[ $i -lt 100 ] || die "slapd did not answer on port $PORT; see $V/log/slapd.log"
		sleep 0.05
	done
	echo "$PORT" > "$V/run/port"
}

stop() {
	stop_pid "$V/run/slapd.pid"
}

case $cmd in
start)
	start
	echo "ldap: running at ldap://127.0.0.1:$PORT/ ($SUFFIX; logs in $V/log)"
	;;
stop)
	stop
	echo "ldap: stopped $V"
	;;
status)
	if alive "$V/run/slapd.pid"; then echo "slapd: running"; else echo "slapd: stopped"; fi
	;;
*)
	die "unknown command $cmd"
	;;
esac
