# Shared parts of the device benchmarks (bench/upgrade, bench/batch), sourced after
# scripts/lib/stack.sh: a throw-away stack tuned for SSH upgrades, devsim devices, sysupgrade images,
# the probe of loopback SSH throughput and of one reboot cycle, and the fleet created through the API.
# Callers set WORKERS, MAX_PARALLEL and REBOOT_SECONDS before bench_stack_start.

BENCH_LIB=$ROOT/bench/lib

# The stack in a temporary folder (STATE, PORT, url, DEVSIM, scratch), torn down on exit, with the
# scheduler stopped and the upgrade settings of a deployment upgrading many devices from here.
bench_stack_start() {
  # The first reconnect comes when a device is expected back: its drop (0.5 s) + reboot + boot.
  RECONNECT_DELAY=$((${REBOOT_SECONDS%.*} + 1))
  RECONNECT_RETRY_DELAY=1
  ensure_packages "${RUN_PACKAGES[@]}" openssh-client sshpass
  build_project "${PROGRAMS[@]}"
  STATE=$(mktemp -d /tmp/fwhub-bench.XXXXXX)
  PORT=$(free_port)
  DEVSIM=$STATE/devsim
  scratch=$STATE/bench
  url=http://127.0.0.1:$PORT
  trap '"$ROOT/scripts/devsim" stop --state "$DEVSIM" >/dev/null 2>&1 || true; stack_stop >/dev/null 2>&1 || true; rm -rf "$STATE"' EXIT
  stack_start 2>/dev/null
  mkdir -p "$scratch"
  stop_pid "$STATE/run/scheduler.pid" 40
  sed -i -E -e "/^\[scheduler\]/,/^\[/ s/^workers = .*/workers = $WORKERS/" \
    -e '/^\[upgrade\]/,/^\[/ { /^(max_parallel|reconnect_delay_seconds|reconnect_retry_delay_seconds|reconnect_max_retries) =/d }' \
    -e "/^\[upgrade\]/a max_parallel = $MAX_PARALLEL\nreconnect_delay_seconds = $RECONNECT_DELAY\nreconnect_retry_delay_seconds = $RECONNECT_RETRY_DELAY\nreconnect_max_retries = 30" \
    "$STATE/fwhub.toml"
}

admin() { FWHUB_DB_PASSWORD=$(db_password) "$BUILD/bin/fwhub-admin" --config "$STATE/fwhub.toml" "$@"; }

# A fresh scheduler, so that its peak RSS and threads are those of what follows.
bench_fresh_scheduler() {
  stop_pid "$STATE/run/scheduler.pid" 40
  start_daemon scheduler "$BUILD/bin/fwhub-scheduler"
}

# $1 devices for the benchmark and one more, the last, to probe on: $scratch/devices.json.
bench_devices_start() {
  log "starting $(($1 + 1)) simulated devices"
  local started=$SECONDS
  "$ROOT/scripts/devsim" start --count $(($1 + 1)) --state "$DEVSIM" --reboot-seconds "$REBOOT_SECONDS" \
    --detach >"$scratch/devices.json" 2>"$scratch/devsim.log" || { cat "$scratch/devsim.log"; die "devsim did not start"; }
  devices_start_seconds=$((SECONDS - started))
}

# Images $scratch/image-1.bin to image-$1.bin of $2 MiB and the probe's image-0.bin of $3 MiB
# (default $2) of random content (neither gzip nor SSH compresses it), each with its own revision,
# for all the devices' boards; sets bytes.
bench_images() {
  python3 - "$ROOT/tests/doubles" "$scratch" "$2" "$1" "${3:-$2}" <<'PY'
import json, os, sys
sys.path.insert(0, sys.argv[1])
import openwrt_image
scratch, mib, count, probe_mib = sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
boards = sorted({d["board_name"] for d in json.load(open(scratch + "/devices.json"))})
for number in range(count + 1):
    meta = openwrt_image.metadata(boards, "23.05.4", "r%05d-bench" % (90000 + number), "ath79/generic", "bench")
    pad = os.urandom(int((mib if number else probe_mib) * 1024 * 1024) - 2048)
    image, _ = openwrt_image.build_image({"etc/banner": "bench %d" % number, "usr/pad": pad}, meta)
    open("%s/image-%d.bin" % (scratch, number), "wb").write(image)
PY
  bytes=$(stat -c %s "$scratch/image-1.bin")
}

# SSH throughput on loopback: OpenSSH's scp (SCP, as the engine uploads) of image-0 to the probe
# device, best of three, less the time of a login alone; then one reboot cycle: sysupgrade until
# the device answers SSH again. Sets throughput (B/s), cipher, copy and login (ns), reboot_cycle
# and reboot_floor (s; the engine cannot see a device back before its first reconnect).
bench_probe_ssh() {
  local probe_port ssh_opts started
  probe_port=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[-1]["port"])' "$scratch/devices.json")
  ssh_opts=(-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=2)
  on_probe() { sshpass -p password ssh "${ssh_opts[@]}" -p "$probe_port" root@127.0.0.1 "$@"; }
  nanoseconds_of() {
    local started
    started=$(date +%s%N)
    "$@" >/dev/null
    echo $(($(date +%s%N) - started))
  }
  login=$(for _ in 1 2 3; do nanoseconds_of on_probe true; done | sort -n | head -1)
  copy=$(for _ in 1 2 3; do
    nanoseconds_of sshpass -p password scp -O "${ssh_opts[@]}" -P "$probe_port" "$scratch/image-0.bin" \
      root@127.0.0.1:/tmp/probe.bin
  done | sort -n | head -1)
  throughput=$(($(stat -c %s "$scratch/image-0.bin") * 1000000000 / (copy - login)))
  cipher=$(sshpass -p password ssh -v "${ssh_opts[@]}" -p "$probe_port" root@127.0.0.1 true 2>&1 \
    | awk '/kex: server->client cipher/ {print $5; exit}')
  started=$(date +%s%N)
  on_probe /sbin/sysupgrade /tmp/probe.bin >/dev/null 2>&1 || true
  sleep 1
  until on_probe true >/dev/null 2>&1; do sleep 0.1; done
  reboot_cycle=$(awk -v ns=$(($(date +%s%N) - started)) 'BEGIN { printf "%.2f", ns / 1e9 }')
  reboot_floor=$(awk -v c="$reboot_cycle" -v d="$RECONNECT_DELAY" 'BEGIN { print (c > d ? c : d) }')
}

# The scheduler settings, the SSH throughput and the reboot cycle, as both benchmarks print them.
bench_print_probe() {
  echo "  settings: scheduler.workers = $WORKERS, scheduler.poll_interval_ms = 500 (default)," \
    "upgrade.max_parallel = $MAX_PARALLEL, upgrade.reconnect_delay_seconds = $RECONNECT_DELAY," \
    "upgrade.reconnect_retry_delay_seconds = $RECONNECT_RETRY_DELAY"
  awk -v c="${cipher:-cipher unknown}" -v t="$throughput" -v copy="$copy" -v login="$login" 'BEGIN {
    printf "  SSH on loopback (OpenSSH scp -O to dropbear, %s): %.1f MB/s (copy %.3f s, login alone %.3f s)\n",
      c, t / 1e6, copy / 1e9, login / 1e9 }'
  echo "  reboot cycle: sysupgrade until SSH answers again ${reboot_cycle} s; the floor counts ${reboot_floor} s"
}

# An organization with an administrator token (sets token), credentials for all its devices, a
# category (sets category) and the first $1 devices of devices.json, all through the API:
# $scratch/fleet.json, and the seconds it took (fleet_seconds).
bench_fleet() {
  admin create-organization Bench bench >/dev/null
  FWHUB_PASSWORD=benchpassword admin create-user bench-admin --organization bench --role admin >/dev/null
  token=$(admin create-token bench-admin bench | head -1)
  fleet_seconds=$(python3 - "$BENCH_LIB" "$url" "$token" "$scratch" "$1" <<'PY'
import json, sys, time
sys.path.insert(0, sys.argv[1])
import api_client
url, token, scratch, count = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
started = time.perf_counter()
fleet = api_client.create_fleet(url, token, json.load(open(scratch + "/devices.json"))[:count])
json.dump(fleet, open(scratch + "/fleet.json", "w"))
print("%.1f" % (time.perf_counter() - started))
PY
)
  category=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["category"])' "$scratch/fleet.json")
}

# A build of the category with image $scratch/image-$1.bin uploaded: sets build and image.
bench_build_image() {
  build=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"category\":\"$category\",\"version\":\"bench-$1\"}" "$url/api/v1/firmware-upgrader/build/" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  image=$(curl -fsS -H "Authorization: Bearer $token" \
    -F "file=@$scratch/image-$1.bin;filename=bench-$1-squashfs-sysupgrade.bin" \
    -F "type=bench-squashfs-sysupgrade.bin" "$url/api/v1/firmware-upgrader/build/$build/image/" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
}
