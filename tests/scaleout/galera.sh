#!/usr/bin/env bash
# tests/scaleout/galera.sh start|stop|kill|restart|status|sql DIR [NODE] — a 3-node MariaDB Galera
# cluster on this machine for the scale-out tier and bench/scaleout: node N listens on 127.0.0.(N+1)
# (SQL, group communication, IST and SST on free ports), with its own data directory DIR/nodeN;
# the first start bootstraps node 1 with --wsrep-new-cluster and joins 2 and 3 to it. DIR/galera.env
# holds NODES, NODEn_ADDRESS, NODEn_PORT, DB_USER and DB_PASSWORD (an account of the whole cluster
# with all rights on fwhub and fwhub_test_%).
#   kill DIR N     kill -9 node N (the others keep the cluster)
#   restart DIR N  start node N again; it rejoins through IST or SST and waits until it is synced
#   sql DIR N ...  mariadb as root on node N's socket, further arguments passed on
#   run DIR CMD... CMD with FWHUB_TEST_GALERA_HOSTS (the nodes as host:port,...), FWHUB_TEST_DB_HOST
#                  and _PORT (node 1), FWHUB_TEST_DB_USER and _PASSWORD, and FWHUB_GALERA_DIR
#   reset DIR      stop the nodes and remove DIR (the next start is a new cluster)
set -euo pipefail
# shellcheck source=../../scripts/lib/stack.sh
. "$(dirname "$(readlink -f "$0")")/../../scripts/lib/stack.sh"

NODES=3
PROVIDER=/usr/lib/galera/libgalera_smm.so

usage() { die "usage: tests/scaleout/galera.sh start|stop|kill|restart|status|sql|run|reset DIR [NODE|CMD...]"; }

node_address() { echo "127.0.0.$(($1 + 1))"; }
node_socket() { echo "$DIR/node$1/run/mysqld.sock"; }
node_pidfile() { echo "$DIR/node$1/run/mysqld.pid"; }
node_root() {
  local node=$1
  shift
  mariadb --no-defaults --socket="$(node_socket "$node")" -uroot "$@"
}

# A free TCP port on one loopback address.
free_port_on() {
  python3 -c 'import socket, sys; s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$1"
}

# Ports and the account, chosen once per DIR.
init_env() {
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  if [ ! -f "$DIR/galera.env" ]; then
    local n address
    {
      echo "NODES=$NODES"
      for ((n = 1; n <= NODES; n++)); do
        address=$(node_address "$n")
        echo "NODE${n}_ADDRESS=$address"
        echo "NODE${n}_PORT=$(free_port_on "$address")"
        echo "NODE${n}_GCOMM_PORT=$(free_port_on "$address")"
        echo "NODE${n}_IST_PORT=$(free_port_on "$address")"
        echo "NODE${n}_SST_PORT=$(free_port_on "$address")"
      done
      echo "DB_USER=fwhub"
      echo "DB_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    } >"$DIR/galera.env"
  fi
  # shellcheck source=/dev/null
  . "$DIR/galera.env"
}

var() { eval "echo \"\$NODE$1_$2\""; }

# gcomm:// address of the other nodes (the joiner connects to whichever answers).
cluster_address() {
  local self=$1 n list=""
  for ((n = 1; n <= NODES; n++)); do
    [ "$n" = "$self" ] && continue
    list+="${list:+,}$(var "$n" ADDRESS):$(var "$n" GCOMM_PORT)"
  done
  echo "gcomm://$list"
}

write_node_config() {
  local n=$1 address
  address=$(var "$n" ADDRESS)
  cat >"$DIR/node$n/my.cnf" <<CNF
# Galera node $n of the scale-out tier (tests/scaleout/galera.sh).
[mariadbd]
datadir = $DIR/node$n/data
socket = $(node_socket "$n")
pid-file = $(node_pidfile "$n")
log-error = $DIR/node$n/mariadb.log
bind-address = $address
port = $(var "$n" PORT)
user = mysql
skip-name-resolve
max-connections = 600
innodb-buffer-pool-size = 64M
innodb-log-file-size = 48M
innodb-flush-log-at-trx-commit = 2
innodb-autoinc-lock-mode = 2
binlog-format = ROW
wsrep-on = ON
wsrep-provider = $PROVIDER
wsrep-cluster-name = fwhub-scaleout
wsrep-cluster-address = $(cluster_address "$n")
wsrep-node-name = node$n
wsrep-node-address = $address:$(var "$n" GCOMM_PORT)
wsrep-node-incoming-address = $address:$(var "$n" PORT)
wsrep-provider-options = "gmcast.listen_addr=tcp://$address:$(var "$n" GCOMM_PORT);ist.recv_addr=$address:$(var "$n" IST_PORT);gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"
wsrep-sst-method = rsync
wsrep-sst-receive-address = $address:$(var "$n" SST_PORT)
wsrep-slave-threads = 2
CNF
}

node_init() {
  local n=$1
  mkdir -p "$DIR/node$n/run"
  write_node_config "$n"
  if [ ! -d "$DIR/node$n/data/mysql" ]; then
    mkdir -p "$DIR/node$n/data"
    chown -R mysql:mysql "$DIR/node$n"
    mariadb-install-db --no-defaults --user=mysql --datadir="$DIR/node$n/data" --skip-test-db \
      --auth-root-authentication-method=socket >"$DIR/node$n/install.log" 2>&1 \
      || { cat "$DIR/node$n/install.log"; die "mariadb-install-db of node $n failed"; }
  fi
  chown -R mysql:mysql "$DIR/node$n"
}

# wsrep_local_state_comment of node N ("Synced" when it serves), or "" when it does not answer.
node_state() {
  node_root "$1" -N -B -e "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | cut -f2
}

wait_synced() {
  local n=$1 i
  for ((i = 0; i < 1200; i++)); do
    [ "$(node_state "$n")" = Synced ] && return 0
    pid_alive "$(node_pidfile "$n")" || [ "$i" -lt 100 ] || break
    sleep 0.1
  done
  tail -30 "$DIR/node$n/mariadb.log" >&2
  die "Galera node $n did not reach Synced"
}

node_start() {
  local n=$1
  shift
  pid_alive "$(node_pidfile "$n")" && return 0
  node_init "$n"
  setsid mariadbd --defaults-file="$DIR/node$n/my.cnf" "$@" </dev/null >/dev/null 2>&1 &
  wait_synced "$n"
}

cluster_size() { node_root "$1" -N -B -e "SHOW STATUS LIKE 'wsrep_cluster_size'" | cut -f2; }

start() {
  init_env
  local n bootstrap=()
  # Bootstrap only when no node runs; a data directory of an earlier cluster is started as node 1
  # of a new one (safe_to_bootstrap), as the only copy the others then take their state from.
  if ! pid_alive "$(node_pidfile 1)" && ! pid_alive "$(node_pidfile 2)" && ! pid_alive "$(node_pidfile 3)"; then
    bootstrap=(--wsrep-new-cluster)
    [ -f "$DIR/node1/data/grastate.dat" ] && sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$DIR/node1/data/grastate.dat"
  fi
  log "Galera node 1 on $(var 1 ADDRESS):$(var 1 PORT)${bootstrap:+ (bootstrapping the cluster)}"
  node_start 1 "${bootstrap[@]}"
  for ((n = 2; n <= NODES; n++)); do
    log "Galera node $n on $(var "$n" ADDRESS):$(var "$n" PORT)"
    node_start "$n"
  done
  [ "$(cluster_size 1)" = "$NODES" ] || die "the cluster has $(cluster_size 1) nodes, not $NODES"
  # Accounts and grants replicate (DDL runs on every node in total order).
  node_root 1 <<SQL
CREATE DATABASE IF NOT EXISTS fwhub CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.%' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON fwhub.* TO '$DB_USER'@'127.0.0.%';
GRANT ALL PRIVILEGES ON \`fwhub\_test\_%\`.* TO '$DB_USER'@'127.0.0.%';
GRANT PROCESS, CONNECTION ADMIN ON *.* TO '$DB_USER'@'127.0.0.%';
SQL
}

stop() {
  [ -f "$DIR/galera.env" ] || return 0
  init_env
  local n
  # The last node to stop is the one that may bootstrap the next start: node 1.
  for ((n = NODES; n >= 1; n--)); do
    stop_pid "$(node_pidfile "$n")" 60
  done
}

kill_node() {
  init_env
  local pidfile pid
  pidfile=$(node_pidfile "$1")
  pid_alive "$pidfile" || die "node $1 is not running"
  pid=$(cat "$pidfile")
  kill -KILL "$pid"
  while kill -0 "$pid" 2>/dev/null && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$pid/stat" 2>/dev/null; do sleep 0.05; done
  rm -f "$pidfile"
}

status() {
  init_env
  local n
  for ((n = 1; n <= NODES; n++)); do
    echo "node$n $(var "$n" ADDRESS):$(var "$n" PORT) $(node_state "$n" || true)"
  done
}

[ $# -ge 2 ] || usage
COMMAND=$1
DIR=$(readlink -f "$2")
shift 2
case $COMMAND in
  start) start ;;
  stop) stop ;;
  kill) kill_node "${1:?node}" ;;
  restart) init_env && node_start "${1:?node}" ;;
  status) status ;;
  sql)
    init_env
    node=${1:?node}
    shift
    node_root "$node" "$@"
    ;;
  run)
    init_env
    hosts=""
    for ((n = 1; n <= NODES; n++)); do hosts+="${hosts:+,}$(var "$n" ADDRESS):$(var "$n" PORT)"; done
    FWHUB_TEST_GALERA_HOSTS=$hosts FWHUB_TEST_DB_HOST=$NODE1_ADDRESS FWHUB_TEST_DB_PORT=$NODE1_PORT \
      FWHUB_TEST_DB_USER=$DB_USER FWHUB_TEST_DB_PASSWORD=$DB_PASSWORD FWHUB_GALERA_DIR=$DIR exec "$@"
    ;;
  reset)
    stop
    rm -rf "$DIR"
    ;;
  *) usage ;;
esac
