# Helpers for tests/cluster: a MariaDB Galera cluster of three nodes on
# one machine, each node on its own loopback ports. Sourced, not run (the
# name is not *.sh so that no test loop runs it).
#
# The nodes run as the mysql user: the rsync state transfer's daemon runs
# as nobody when started by root and could not write a root-owned
# datadir. So the cluster lives under a directory of its own ($CW, made by
# the caller, outside the checkout, which may sit in a home directory the
# mysql user cannot enter).
#
# Ports, from $CBASE: SQL CBASE+N, group communication CBASE+10+N,
# incremental state transfer CBASE+20+N, full state transfer CBASE+30+N.

node_port() { echo $((CBASE + $1)); }

node_sql() { # N [mariadb args...]: as root, over the node's socket; each
	# read waits until the node has applied what the cluster committed
	n=$1
	shift
	mariadb --no-defaults -S "$CW/node$n/run/mysql.sock" -u root -N \
		--init-command="SET SESSION wsrep_sync_wait = 1" "$@"
}

node_init() { # N
	d=$CW/node$1
	mkdir -p "$d/run" "$d/log" "$d/tmp"
	chown -R mysql:mysql "$d"
	mariadb-install-db --no-defaults --datadir="$d/mysql" --user=mysql \
		--auth-root-authentication-method=socket --skip-test-db >"$d/log/install.log" 2>&1
}

node_start() { # N [extra mariadbd args...]: returns once it is Synced
	n=$1
	shift
	d=$CW/node$n
	peers=127.0.0.1:$((CBASE + 11)),127.0.0.1:$((CBASE + 12)),127.0.0.1:$((CBASE + 13))
	# In a subshell: not a job of the caller's, so that its wait and
	# its job notices leave the node alone.
	(setsid mariadbd --no-defaults --datadir="$d/mysql" --user=mysql \
		--socket="$d/run/mysql.sock" --pid-file="$d/run/mysql.pid" \
		--port="$(node_port "$n")" --bind-address=127.0.0.1 \
		--log-error="$d/log/mysql.log" --tmpdir="$d/tmp" \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
		--innodb-buffer-pool-size=64M --innodb-log-file-size=32M \
		--innodb-flush-log-at-trx-commit=2 \
		--plugin-load-add=ha_mroonga --loose-mroonga-match-escalation-threshold=-1 \
		--binlog-format=ROW --innodb-autoinc-lock-mode=2 \
		--log-bin-trust-function-creators=1 \
		--wsrep-on=ON --wsrep-provider=/usr/lib/galera/libgalera_smm.so \
		--wsrep-cluster-name=crm-cluster-test --wsrep-node-name="node$n" \
		--wsrep-node-address="127.0.0.1:$((CBASE + 10 + n))" \
		--wsrep-cluster-address="gcomm://$peers" \
		--wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$((CBASE + 10 + n));ist.recv_addr=127.0.0.1:$((CBASE + 20 + n));gcache.size=64M;repl.causal_read_timeout=PT3S" \
		--wsrep-sst-receive-address="127.0.0.1:$((CBASE + 30 + n))" \
		--wsrep-sst-method=rsync "$@" \
		</dev/null >/dev/null 2>&1 &)
	node_wait_synced "$n" 120
}

node_wait_synced() { # N SECONDS
	i=0
	while [ $i -lt $(($2 * 4)) ]; do
		s=$(node_sql "$1" -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2)
		[ "$s" = Synced ] && return 0
		i=$((i + 1))
		sleep 0.25
	done
	echo "node$1 is not Synced after $2 s (state '$s'); see $CW/node$1/log/mysql.log" >&2
	return 1
}

node_stop() { # N: a clean shutdown
	d=$CW/node$1
	[ -f "$d/run/mysql.pid" ] || return 0
	pid=$(cat "$d/run/mysql.pid")
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do
		i=$((i + 1))
		sleep 0.1
	done
}

node_kill() { # N: as a power cut would
	d=$CW/node$1
	[ -f "$d/run/mysql.pid" ] && kill -9 "$(cat "$d/run/mysql.pid")" 2>/dev/null
	sleep 0.5
}

cluster_size() { node_sql "$1" -e "SHOW STATUS LIKE 'wsrep_cluster_size'" 2>/dev/null | cut -f2; }
