# Shared shell functions of scripts/run, scripts/test and scripts/stack: Debian packages, the
# build, and the local stack (MariaDB, fwhub-api, fwhub-scheduler, nginx) kept under one state folder.
# Sourced, not run. Callers set STATE (absolute), and PORT for start.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${FWHUB_BUILD_DIR:-$ROOT/build}

# What running fwhub needs, and what the test tiers and benchmarks add.
RUN_PACKAGES=(build-essential cmake pkg-config ca-certificates curl python3 xz-utils
  libfcgi-dev libcpp-httplib-dev libmysqlcppconn-dev libssh-dev rapidjson-dev libspdlog-dev libfmt-dev
  libboost-test-dev libtomlplusplus-dev libssl-dev libsodium-dev mariadb-server mariadb-client nginx signify-openbsd bubblewrap
  dropbear-bin busybox-static)
TEST_PACKAGES=(wrk systemd galera-4 rsync clang-format clang-tidy nodejs chromium openssh-client sshpass)
# scripts/fuzz: clang with libFuzzer and the sanitizer runtimes, and the libraries of the pure layers.
FUZZ_PACKAGES=(clang libclang-rt-dev cmake make pkg-config libspdlog-dev libfmt-dev libssl-dev rapidjson-dev
  libtomlplusplus-dev libsodium-dev)

log() { printf '[fwhub] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages (run as root to install them): ${missing[*]}"
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install failed"
}

# The three programs: all that the stack and the benchmarks need built (tests are scripts/test's).
PROGRAMS=(fwhub-api fwhub-scheduler fwhub-admin)

# Builds everything, or only the targets given (e.g. the programs a benchmark runs).
build_project() {
  log "building (Release) in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >"$BUILD.cmake.log" 2>&1 \
    || { cat "$BUILD.cmake.log"; die "cmake configuration failed"; }
  cmake --build "$BUILD" -j "$(nproc)" ${1:+--target "$@"} >"$BUILD.build.log" 2>&1 \
    || { grep -E "error|Error" -A3 "$BUILD.build.log" | head -60; die "build failed (full log: $BUILD.build.log)"; }
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A process that exited but was not yet reaped (state Z) counts as stopped.
pid_alive() {
  local pid
  [ -f "$1" ] && pid=$(cat "$1") && kill -0 "$pid" 2>/dev/null \
    && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$pid/stat" 2>/dev/null
}

# Sends TERM, waits up to $2 seconds, then KILL.
stop_pid() {
  local pidfile=$1 wait=${2:-30} pid i
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; return 0; }
    sleep 0.1
  done
  log "$(basename "$pidfile" .pid) did not stop in ${wait}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

db_password() { cat "$STATE/secrets/db_password"; }

# The local upstream mirror (OpenWrt's download-server layout, generated from tests/data/openwrt),
# rebuilt when its generator changes. Served by the stack's nginx on MIRROR_PORT.
mirror_build() {
  local stamp
  stamp=$(cat "$ROOT/scripts/mirror" "$ROOT"/tests/doubles/mirror/*.py "$ROOT"/tests/doubles/*.py "$ROOT"/tests/doubles/imagebuilder/Makefile "$ROOT"/tests/doubles/imagebuilder/*.py | sha256sum | cut -c1-16)
  if [ "$(cat "$STATE/mirror/.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "building the local upstream mirror in $STATE/mirror"
    rm -rf "$STATE/mirror"
    "$ROOT/scripts/mirror" build --out "$STATE/mirror" --key-dir "$STATE/mirror-keys" >"$STATE/log/mirror.log" 2>&1 \
      || { tail -20 "$STATE/log/mirror.log"; die "building the mirror failed"; }
    echo "$stamp" >"$STATE/mirror/.stamp"
  fi
}

mirror_public_key() { grep -hv '^untrusted comment' "$STATE"/mirror/keys/* | head -1; }

# fwhub.toml of the local stack, written at every start from the stack's settings.
write_config() {
  # STACK_MIRROR_URL: a proxy in front of the local mirror (the chaos suite's fault switch).
  local upstream=${UPSTREAM:-${STACK_MIRROR_URL:-http://127.0.0.1:$MIRROR_PORT}}
  cat >"$STATE/fwhub.toml" <<TOML
# fwhub configuration of the local stack in $STATE, written by scripts/run at every start.
# The database password is in secrets/db_password and reaches the programs as FWHUB_DB_PASSWORD;
# the key sealing device credentials is in secrets/secret_key (FWHUB_SECRET_KEY).
[database]
host = "127.0.0.1"
port = $DB_PORT
name = "fwhub"
user = "fwhub"

[api]
listen = "unix:$STATE/run/api.sock"
socket_mode = "0666"
workers = 2
threads = 16

[scheduler]
workers = 4
lease_seconds = ${STACK_LEASE_SECONDS:-30}

[build]
allow_defaults = true
job_timeout_seconds = ${STACK_BUILD_TIMEOUT:-600}
max_parallel = ${STACK_BUILD_PARALLEL:-2}
max_pending_jobs = ${STACK_MAX_PENDING:-200}
failure_ttl_seconds = ${STACK_BUILD_FAILURE_TTL:-3600}

# Simulated devices (scripts/devsim) reboot in seconds, not minutes.
[upgrade]
reconnect_delay_seconds = 3
reconnect_retry_delay_seconds = 2
reconnect_max_retries = 15
retry_backoff_seconds = 2
retry_backoff_max_seconds = 10
max_retries = ${STACK_UPGRADE_RETRIES:-2}
ssh_connect_timeout_seconds = 3
dispatch_interval_seconds = 2
offline_retry_seconds = 2
offline_retry_max_seconds = 10

[log]
level = "info"

[paths]
sql_dir = "$ROOT/sql"
state_dir = "$STATE/lib"

[catalog]
upstream_url = "$upstream"
TOML
  if [ -z "${UPSTREAM:-}" ]; then
    local key
    key=$(mirror_public_key)
    cat >>"$STATE/fwhub.toml" <<TOML

# The local mirror holds these two releases, signed with the mirror's own key.
[[catalog.branches]]
name = "23.05"
branch_off_rev = 23069
signing_key = "$key"
package_changes = [{ source = "firewall", target = "firewall4", revision = 18611 }]

[[catalog.branches]]
name = "19.07"
branch_off_rev = 10860
signing_key = "$key"
TOML
  fi
}

# Creates the state folder once: ports, secrets, MariaDB data directory.
stack_init() {
  mkdir -p "$STATE"/{run,log,lib,secrets,nginx/tmp,mysql-run}
  chmod 755 "$STATE" "$STATE/run" "$STATE/lib"
  chmod 700 "$STATE/secrets"
  if [ ! -f "$STATE/stack.env" ]; then
    printf 'DB_PORT=%s\nMIRROR_PORT=%s\n' "$(free_port)" "$(free_port)" >"$STATE/stack.env"
  fi
  # shellcheck source=/dev/null
  . "$STATE/stack.env"
  if [ -z "${MIRROR_PORT:-}" ]; then
    MIRROR_PORT=$(free_port)
    echo "MIRROR_PORT=$MIRROR_PORT" >>"$STATE/stack.env"
  fi
  if [ ! -s "$STATE/secrets/db_password" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$STATE/secrets/db_password")
  fi
  if [ ! -s "$STATE/secrets/secret_key" ]; then
    (umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$STATE/secrets/secret_key")
  fi
  if [ ! -d "$STATE/mysql/mysql" ]; then
    log "initialising the MariaDB data directory in $STATE/mysql"
    mkdir -p "$STATE/mysql"
    chown -R mysql:mysql "$STATE/mysql" "$STATE/mysql-run"
    mariadb-install-db --no-defaults --user=mysql --datadir="$STATE/mysql" --skip-test-db \
      --auth-root-authentication-method=socket >"$STATE/log/mariadb-install.log" 2>&1 \
      || { cat "$STATE/log/mariadb-install.log"; die "mariadb-install-db failed"; }
  fi
}

db_socket() { echo "$STATE/mysql-run/mysqld.sock"; }
db_root() { mariadb --no-defaults --socket="$(db_socket)" -uroot "$@"; }

db_start() {
  # shellcheck source=/dev/null
  . "$STATE/stack.env"
  if ! pid_alive "$STATE/mysql-run/mysqld.pid"; then
    chown -R mysql:mysql "$STATE/mysql" "$STATE/mysql-run"
    setsid mariadbd --no-defaults --user=mysql --datadir="$STATE/mysql" --socket="$(db_socket)" \
      --pid-file="$STATE/mysql-run/mysqld.pid" --port="$DB_PORT" --bind-address=127.0.0.1 \
      --log-error="$STATE/log/mariadb.log" --skip-name-resolve --max-connections=1000 \
      --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 </dev/null >/dev/null 2>&1 &
  fi
  local i
  for ((i = 0; i < 300; i++)); do
    mariadb-admin --no-defaults --socket="$(db_socket)" -uroot ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  mariadb-admin --no-defaults --socket="$(db_socket)" -uroot ping >/dev/null 2>&1 \
    || { tail -20 "$STATE/log/mariadb.log"; die "MariaDB did not start"; }
  db_root <<SQL
CREATE DATABASE IF NOT EXISTS fwhub CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'fwhub'@'127.0.0.1' IDENTIFIED BY '$(db_password)';
ALTER USER 'fwhub'@'127.0.0.1' IDENTIFIED BY '$(db_password)';
GRANT ALL PRIVILEGES ON fwhub.* TO 'fwhub'@'127.0.0.1';
SQL
}

db_stop() { stop_pid "$STATE/mysql-run/mysqld.pid" 60; }

# Starts one of our daemons in the background with its log and pid file.
start_daemon() {
  local name=$1
  shift
  pid_alive "$STATE/run/$name.pid" && return 0
  FWHUB_DB_PASSWORD=$(db_password) FWHUB_SECRET_KEY=$(cat "$STATE/secrets/secret_key") setsid "$@" --config "$STATE/fwhub.toml" </dev/null >>"$STATE/log/$name.log" 2>&1 &
  echo $! >"$STATE/run/$name.pid"
}

render_nginx() {
  local conf=$STATE/nginx
  mkdir -p "$conf/tmp"
  chown nobody:nogroup "$conf/tmp"
  sed -e "s|listen 80;|listen 127.0.0.1:$PORT;|" -e '/listen \[::\]:80;/d' \
    -e "s|unix:/run/fwhub/api.sock|unix:$STATE/run/api.sock|" \
    -e "s|/usr/share/fwhub/frontend|$ROOT/frontend|" -e "s|/var/lib/fwhub|$STATE/lib|g" \
    -e "s|/var/log/nginx/fwhub-access.log|$STATE/log/nginx-access.log|" \
    "$ROOT/nginx/fwhub.conf" >"$conf/site.conf"
  cat >"$conf/nginx.conf" <<NGINX
# nginx of the local fwhub stack (generated by scripts/run from nginx/fwhub.conf).
worker_processes 2;
pid $STATE/run/nginx.pid;
error_log $STATE/log/nginx-error.log warn;
# Room for the security tier: 200 slow clients, each upload also holding a FastCGI connection.
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log $STATE/log/nginx-access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    keepalive_requests 100000;
    client_body_temp_path $conf/tmp/body;
    fastcgi_temp_path $conf/tmp/fastcgi;
    proxy_temp_path $conf/tmp/proxy;
    uwsgi_temp_path $conf/tmp/uwsgi;
    scgi_temp_path $conf/tmp/scgi;
    include $conf/site.conf;

    # The local upstream mirror (stands in for downloads.openwrt.org).
    server {
        listen 127.0.0.1:$MIRROR_PORT;
        root $STATE/mirror;
        default_type application/octet-stream;
        access_log $STATE/log/mirror-access.log;
        # Like downloads.openwrt.org, which the Firmware Selector reads from another origin.
        add_header Access-Control-Allow-Origin "*" always;
    }
}
NGINX
  echo "$PORT" >"$conf/port"
}

nginx_cmd() { nginx -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -e "$STATE/log/nginx-error.log" "$@"; }

nginx_start() {
  pid_alive "$STATE/run/nginx.pid" && return 0
  render_nginx
  nginx_cmd -t >"$STATE/log/nginx-test.log" 2>&1 || { cat "$STATE/log/nginx-test.log"; die "nginx configuration test failed"; }
  nginx_cmd || die "nginx did not start (see $STATE/log/nginx-error.log)"
}

nginx_stop() { stop_pid "$STATE/run/nginx.pid" 20; }

wait_healthy() {
  local url="http://127.0.0.1:$PORT/api/v1/health" i
  for ((i = 0; i < 600; i++)); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  tail -20 "$STATE/log/api.log" >&2
  die "$url did not answer 200 within 60 s"
}

stack_start() {
  stack_init
  [ -n "${UPSTREAM:-}" ] || mirror_build
  write_config
  db_start
  FWHUB_DB_PASSWORD=$(db_password) "$BUILD/bin/fwhub-admin" --config "$STATE/fwhub.toml" migrate >>"$STATE/log/migrate.log" 2>&1 \
    || { tail -5 "$STATE/log/migrate.log"; die "migrations failed"; }
  start_daemon api "$BUILD/bin/fwhub-api"
  start_daemon scheduler "$BUILD/bin/fwhub-scheduler"
  nginx_start
  wait_healthy
  log "syncing the catalog from ${UPSTREAM:-the local mirror}"
  FWHUB_DB_PASSWORD=$(db_password) "$BUILD/bin/fwhub-admin" --config "$STATE/fwhub.toml" sync --wait >&2 \
    || log "warning: the first catalog sync reported errors (see $STATE/log/scheduler.log)"
}

stack_stop() {
  nginx_stop
  stop_pid "$STATE/run/scheduler.pid" 40
  stop_pid "$STATE/run/api.pid" 30
  db_stop
}

stack_status() {
  local name
  for name in run/nginx run/api run/scheduler mysql-run/mysqld; do
    if pid_alive "$STATE/$name.pid"; then
      echo "$(basename "$name"): running (pid $(cat "$STATE/$name.pid"))"
    else
      echo "$(basename "$name"): stopped"
    fi
  done
}
