#!/usr/bin/python3
"""scripts/devsim: simulated OpenWrt devices (dropbear, busybox, sysupgrade) for tests, benchmarks and
the demo. See README.md in this folder.

  devsim start --count N --state DIR [--base-port P | --addresses A-B] [--faults FILE] [--reboot-seconds S]
               [--password PW] [--key PUBKEYFILE] [--detach]
  devsim stop --state DIR
  devsim status --state DIR [--json]
  devsim unplug|plug --state DIR NAME...
"""
import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import devices

HERE = pathlib.Path(__file__).resolve().parent


def supervisor_pid(state):
    """The running supervisor's pid of this state folder, or None."""
    try:
        pid = int((state / "supervisor.pid").read_text())
        cmdline = pathlib.Path("/proc/%d/cmdline" % pid).read_bytes()
    except (OSError, ValueError):
        return None
    return pid if b"supervisor.py" in cmdline else None


def leftovers(state):
    """Processes of this state's devices: chrooted into one of its roots or naming one."""
    mark = str(state / "devices") + "/"
    found = []
    for proc in pathlib.Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            root = os.readlink(proc / "root")
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if root.startswith(mark) or mark in cmdline:
            found.append(int(proc.name))
    return found


def endpoints(args):
    if args.addresses:
        addresses = devices.address_range(args.addresses)
        if len(addresses) < args.count:
            sys.exit("devsim: %d addresses for %d devices" % (len(addresses), args.count))
        return [(a, args.base_port or 22) for a in addresses[:args.count]]
    if args.base_port:
        return [("127.0.0.1", args.base_port + i) for i in range(args.count)]
    import supervisor
    return [("127.0.0.1", port) for port in supervisor.free_ports(args.count)]


def start(args):
    state = pathlib.Path(args.state).resolve()
    state.mkdir(parents=True, exist_ok=True)
    if supervisor_pid(state):
        sys.exit("devsim: already running in %s (devsim stop --state %s)" % (state, state))
    faults = json.loads(pathlib.Path(args.faults).read_text()) if args.faults else {}
    try:
        devices.check_faults(faults, devices.names(args.count))
        specs = devices.definitions(args.count, endpoints(args), args.password, faults)
    except ValueError as error:
        sys.exit("devsim: %s" % error)
    config = {"devices": specs, "reboot_seconds": args.reboot_seconds,
              "authorized_key": pathlib.Path(args.key).read_text() if args.key else None}
    (state / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    (state / "devices.json").unlink(missing_ok=True)
    (state / "unplugged.json").unlink(missing_ok=True)
    with open(state / "supervisor.log", "ab") as log:
        proc = subprocess.Popen([sys.executable, str(HERE / "supervisor.py"), str(state)], cwd=HERE,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    (state / "supervisor.pid").write_text("%d\n" % proc.pid)
    deadline = time.monotonic() + 60 + args.count  # a loaded machine boots 200 devices in minutes
    while not (state / "devices.json").exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_all(state)
            sys.exit("devsim: the devices did not start:\n" + (state / "supervisor.log").read_text()[-3000:])
        time.sleep(0.05)
    sys.stdout.write((state / "devices.json").read_text())
    sys.stdout.flush()
    if not args.detach:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop_all(state) or sys.exit(0))
        proc.wait()
        stop_all(state)


def stop_all(state):
    pid = supervisor_pid(state)
    if pid:
        os.kill(pid, signal.SIGTERM)
        for _ in range(150):
            if not supervisor_pid(state):
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
    for _ in range(50):
        remaining = leftovers(state)
        if not remaining:
            break
        for pid in remaining:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.1)
    (state / "supervisor.pid").unlink(missing_ok=True)


def unplug(args, unplugged):
    """Adds the devices to (or removes them from) the unplugged set the supervisor reads on SIGHUP."""
    state = pathlib.Path(args.state).resolve()
    pid = supervisor_pid(state)
    if not pid:
        sys.exit("devsim: no devices running in %s" % state)
    known = {spec["name"] for spec in json.loads((state / "config.json").read_text())["devices"]}
    if not set(args.names) <= known:
        sys.exit("devsim: unknown devices: %s" % " ".join(sorted(set(args.names) - known)))
    path = state / "unplugged.json"
    names = set(json.loads(path.read_text())) if path.exists() else set()
    names = names | set(args.names) if unplugged else names - set(args.names)
    devices.write_atomic(path, json.dumps(sorted(names)))
    os.kill(pid, signal.SIGHUP)


def status(args):
    state = pathlib.Path(args.state).resolve()
    config = json.loads((state / "config.json").read_text())
    rows = []
    for spec in config["devices"]:
        path = state / "devices" / spec["name"] / "state.json"
        row = json.loads(path.read_text()) if path.exists() else {"name": spec["name"], "state": "down"}
        # Services (and `wifi`) stopped on the device now, by the markers its init scripts keep.
        stopped = state / "devices" / spec["name"] / "root/tmp/devsim/stopped"
        row["stopped_services"] = sorted(p.name for p in stopped.iterdir()) if stopped.is_dir() else []
        rows.append(row)
    if not supervisor_pid(state):
        for row in rows:
            row["state"] = "down"
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("%-10s %-22s %-11s %-10s %-18s %s" % ("NAME", "ADDRESS", "STATE", "VERSION", "REVISION", "FLASHES"))
    for row in rows:
        print("%-10s %-22s %-11s %-10s %-18s %s" % (row["name"], "%s:%s" % (row.get("address"), row.get("port")),
                                                    row["state"], row.get("version", "-"), row.get("revision", "-"),
                                                    row.get("flashes", 0)))


def main():
    parser = argparse.ArgumentParser(prog="devsim", description="Simulated OpenWrt devices.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("start", help="start N devices and print them as JSON")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--state", required=True)
    p.add_argument("--base-port", type=int, help="first port (devices on consecutive ports; with --addresses: "
                                                  "every device's port, default 22)")
    p.add_argument("--addresses", help="one address per device from this range, e.g. 127.0.1.1-127.0.1.50")
    p.add_argument("--faults", help="JSON file {device name: {fault: value}}")
    p.add_argument("--reboot-seconds", type=float, default=5)
    p.add_argument("--password", default="password")
    p.add_argument("--key", help="public key file authorized for root")
    p.add_argument("--detach", action="store_true", help="return once the devices are up")
    p = commands.add_parser("stop", help="stop the devices of a state folder")
    p.add_argument("--state", required=True)
    p = commands.add_parser("status", help="each device's state, firmware and number of flashes")
    p.add_argument("--state", required=True)
    p.add_argument("--json", action="store_true")
    for name, text in [("unplug", "make devices vanish (until plug)"), ("plug", "bring unplugged devices back")]:
        p = commands.add_parser(name, help=text)
        p.add_argument("--state", required=True)
        p.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args()
    if args.command == "start":
        start(args)
    elif args.command in ("unplug", "plug"):
        unplug(args, args.command == "unplug")
    elif args.command == "stop":
        stop_all(pathlib.Path(args.state).resolve())
    else:
        status(args)


if __name__ == "__main__":
    main()
