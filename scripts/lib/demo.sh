# The demo of `scripts/run --demo`: ten simulated OpenWrt devices (scripts/devsim) in the
# organization "demo", with a user whose password is printed, credentials, a category and a
# build with an image for the devices' boards (scripts/lib/demo_fleet.py). Sourced by scripts/run
# after scripts/lib/stack.sh; callers set STATE and PORT.

demo_dir() { echo "$STATE/demo"; }

# Sets the demo up once; on later starts only restarts its devices (factory-new, same ports).
demo_start() {
  local dir
  dir=$(demo_dir)
  mkdir -p "$dir"
  # shellcheck source=/dev/null
  . "$STATE/stack.env"
  if [ -z "${DEMO_BASE_PORT:-}" ]; then
    DEMO_BASE_PORT=$(free_port)
    echo "DEMO_BASE_PORT=$DEMO_BASE_PORT" >>"$STATE/stack.env"
  fi
  if [ -s "$dir/demo.json" ] && pid_alive "$dir/devsim/supervisor.pid"; then
    log "the demo's simulated devices are running"
  elif [ -s "$dir/demo.json" ]; then
    log "starting the demo's 10 simulated devices (factory-new, on their old ports)"
    "$ROOT/scripts/devsim" start --count 10 --state "$dir/devsim" --base-port "$DEMO_BASE_PORT" --reboot-seconds 3 \
      --password "$(cat "$dir/device_password")" --detach >"$dir/devices.json" 2>>"$STATE/log/devsim.log" \
      || die "the demo's devices did not start (see $STATE/log/devsim.log)"
  else
    log "setting up the demo: organization, user, 10 simulated devices, a build with an image"
    (umask 077 && head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$dir/device_password")
    python3 "$ROOT/scripts/lib/demo_fleet.py" --state "$STATE" --url "http://127.0.0.1:$PORT" --admin "$BUILD/bin/fwhub-admin" \
      --devsim-state "$dir/devsim" --base-port "$DEMO_BASE_PORT" --count 10 --device-password "$(cat "$dir/device_password")" \
      >"$dir/demo.json.tmp" 2>>"$STATE/log/devsim.log" || die "the demo set-up failed (see $STATE/log/devsim.log)"
    chmod 600 "$dir/demo.json.tmp"
    mv "$dir/demo.json.tmp" "$dir/demo.json"
  fi
  local login
  login=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d["username"], d["password"])' "$dir/demo.json")
  log "demo: sign in at http://127.0.0.1:$PORT/console/ as '${login% *}' with the password '${login#* }'"
  log "demo: 10 simulated devices run OpenWrt 22.03.5; Builds → 23.05.4 → Mass upgrade… upgrades them"
}

demo_stop() {
  local dir
  dir=$(demo_dir)
  [ -d "$dir/devsim" ] || return 0
  "$ROOT/scripts/devsim" stop --state "$dir/devsim" >/dev/null 2>&1 || log "warning: stopping the demo's devices failed"
}
