# Sourced by stack.sh and ldap.sh: processes tracked by their pid files.

# alive PIDFILE: the process the file names is running.
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid PIDFILE: SIGTERM, wait up to 20 s for a graceful stop, then
# SIGKILL; the pid file is removed either way.
stop_pid() {
	pidf=$1
	alive "$pidf" || { rm -f "$pidf"; return 0; }
	pid=$(cat "$pidf")
	kill "$pid"
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 400 ] || { kill -9 "$pid" 2>/dev/null; break; }
		sleep 0.05
	done
	rm -f "$pidf"
}
