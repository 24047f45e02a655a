#!/bin/sh
# Installs the Debian packages the CRM needs to build, run and test.
# As root it installs what is missing; otherwise it prints the one command to run.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev curl ca-certificates
 libfcgi-dev libmariadb-dev mariadb-server mariadb-client nginx-light
 libjansson-dev libinih-dev libsodium-dev libqrencode-dev libcmocka-dev
 libssl-dev gettext zbar-tools tzdata perl
 libldap2-dev slapd ldap-utils libcsv-dev mariadb-plugin-mroonga
 spawn-fcgi libfcgi-bin systemd wrk chromium fonts-wqy-zenhei valgrind tidy
 libhpdf-dev libgsl-dev liblinear-dev poppler-utils fonts-dejavu-core
 libcmark-dev libcurl4-openssl-dev python3-aiosmtpd zlib1g-dev
 python3-sklearn python3-pandas python3-numpy
 libgmime-3.0-dev dovecot-imapd"
# CalDAV and CardDAV (crm-dav): XML bodies; real clients for its tests.
PKGS="$PKGS libxml2-dev python3-caldav vdirsyncer python3-vobject"
# Hostile input (tests/security, make security): sqlmap.
PKGS="$PKGS sqlmap"
# Scale-out (tests/cluster, make cluster): a Galera cluster, whose nodes
# copy a full state to a joining node with rsync.
PKGS="$PKGS galera-4 rsync"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing Debian packages; as root run:" >&2
		echo "  apt-get install -y$missing" >&2
		exit 1
	fi
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# The server package must not start the system's MariaDB or nginx: we
	# run private instances under var/ and never touch the system ones.
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# playwright-core drives Debian's chromium in the browser tests; it never
# downloads a browser of its own.
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -d "$top/tests/e2e/node_modules/playwright-core" ]; then
	(cd "$top/tests/e2e" && npm install --no-audit --no-fund --silent >/dev/null)
fi
