#!/bin/bash
# The fault tests (tests/fault/*.sh) against a private stack of their own,
# which they are free to break: MariaDB, every module, the job runners and
# nginx in var/check-fault on port CRM_E2E_PORT + 7, started here and
# stopped at the end. Every line is "ok - ..." or "FAIL - ...".
#
#   bash tests/fault/run.sh            the short form (make check)
#   bash tests/fault/run.sh --full     the issue's figures (make fault):
#                                      ten SIGHUPs per module, ten seconds
#                                      without the database (and ten hung),
#                                      bigger jobs, the import's real lease
#   bash tests/fault/run.sh [--full] NAME...   only these tests (hup, ...)
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
if [ "${1:-}" = --full ]; then
	export CRM_FAULT_FULL=1
	shift
fi
DIR=${CRM_FAULT_DIR:-$TOP/var/check-fault}
PORT=$(( ${CRM_E2E_PORT:-18080} + 7 ))
LOG=$TOP/build/check/fault
mkdir -p "$LOG"

# The stack: no demo data, no directory server, no access log (wrk would
# fill it); the fault tests find what they need in the module logs.
unset CRM_LDAP_URI
# make valgrind's wrapper would make every timing here meaningless; a
# wrapper for this stack alone can be asked for explicitly.
if [ -n "${CRM_FAULT_WORKER_WRAPPER:-}" ]; then
	export CRM_WORKER_WRAPPER=$CRM_FAULT_WORKER_WRAPPER
else
	unset CRM_WORKER_WRAPPER
fi
export CRM_DEMO=no CRM_LOG_REQUESTS=off CRM_E2E_PORT=$PORT CRM_E2E_DIR=$DIR CRM_TEST_CONF=$DIR/crm.conf
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
# A tmpfs a test left mounted (killed half way) goes first.
for d in attachments spool tmp; do mountpoint -q "$DIR/$d" 2>/dev/null && umount "$DIR/$d"; done
rm -rf "$DIR"
if sh scripts/stack.sh start "$DIR" "$PORT" >"$LOG/stack.log" 2>&1; then
	echo "ok - faults: a private stack starts on port $PORT"
else
	echo "FAIL - faults: the private stack starts (see $LOG/stack.log)"
	cat "$LOG/stack.log" >&2
	exit 1
fi

tests=${*:-hup kill_worker db_outage db_hang runner_kill disk_full}
for t in $tests; do
	start=$(date +%s)
	bash "tests/fault/$t.sh" 2>>"$LOG/$t.err"
	echo "# faults: $t took $(( $(date +%s) - start )) s" >&2
done
sh scripts/stack.sh stop "$DIR" >/dev/null 2>&1
for d in attachments spool tmp; do mountpoint -q "$DIR/$d" 2>/dev/null && umount "$DIR/$d"; done
exit 0
