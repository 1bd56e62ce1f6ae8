#!/usr/bin/python3
"""tests/chaos/run [seconds] [--seed N]: fwhub under injected faults. Starts its own stack (two
schedulers, the store on a small tmpfs, the mirror behind a fault proxy) and simulated devices, runs
builds, a persistent batch, single upgrades and API readers for the given seconds while a seeded
schedule kills and restarts parts of it, then removes the faults, lets the work settle, checks the
outcome and prints a report of counts. Exits 1 on any violation (README "Chaos suite")."""
import argparse
import collections
import json
import os
import pathlib
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import checks
from api import Api
from faults import Injector, devsim_command, schedule
from mirror_proxy import MirrorProxy
from stack import SCHEDULERS, Stack, alive, free_port
from workload import Workload

ROOT = pathlib.Path(__file__).resolve().parents[2]


def arguments():
    parser = argparse.ArgumentParser(prog="tests/chaos/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=120, help="duration of the faults (default 120)")
    parser.add_argument("--seed", type=int, help="seed of the fault schedule (default: random, printed)")
    parser.add_argument("--devices", type=int, default=40, help="simulated devices (default 40)")
    parser.add_argument("--store-mb", type=int, default=64, help="size of the store's tmpfs (default 64)")
    parser.add_argument("--settle", type=float, default=180, help="longest wait for the work to end (default 180)")
    parser.add_argument("--keep", action="store_true", help="keep the state folder (logs) also after a pass")
    return parser.parse_args()


class Clock:
    """Seconds since the faults began (negative during the set-up)."""

    def __init__(self):
        self.origin = time.monotonic()

    def __call__(self):
        return time.monotonic() - self.origin


def say(text):
    sys.stdout.write("[chaos] %s\n" % text)
    sys.stdout.flush()


def run(args, seed, stack, clock, report):
    proxy = MirrorProxy(stack.mirror_port)
    devsim_state = stack.state / "devsim"
    devsim = devsim_command(ROOT, devsim_state)
    workload = None
    try:
        say("starting the stack in %s on port %d" % (stack.state, stack.port))
        stack.start(proxy.url())
        password = "chaos-" + os.urandom(6).hex()
        started = subprocess.run([str(ROOT / "scripts/devsim"), "start", "--count", str(args.devices), "--state",
                                  str(devsim_state), "--reboot-seconds", "2", "--password", password, "--detach"],
                                 capture_output=True, text=True, check=True, timeout=300)
        sims = json.loads(started.stdout)
        api = Api(stack.port, clock)
        workload = Workload(api, stack, sims, password, seed + 1, clock)
        workload.setup()
        faults = schedule(seed, args.seconds, [sim["name"] for sim in sims])
        say("%d devices, %d faults in %.0f s (seed %d):" % (len(sims), len(faults), args.seconds, seed))
        for fault in faults:
            say("  " + fault.describe())

        clock.origin = time.monotonic()
        wall_start = time.time()
        injector = Injector(stack, proxy, devsim, clock, seed + 2)
        injector.run(faults)
        threads = workload.threads()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        workload.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        injector.wait()
        say("faults over at %.1f s; removing what is left and waiting for the work to settle" % clock())
        proxy.mode = "ok"
        devsim("plug", *[sim["name"] for sim in sims])
        for fault in faults:
            if fault.error:
                report.fail("injecting %s at %.1f s failed: %s" % (fault.kind, fault.at, fault.error))
        report.counts("faults injected", collections.Counter(
            f.kind for f in faults if f.error is None))
        report.counts("mirror requests by mode", proxy.served)
        report.counts("catalog syncs during the run", workload.syncs)
        for name in SCHEDULERS:
            if not alive(stack.pid(name)):
                report.fail("%s (pid %d) exited on its own" % (name, stack.pid(name)))
                stack.start_scheduler(name)
        if not alive(stack.pid("api")) or len(stack.api_workers()) != 2:
            report.fail("the API supervisor or its workers are gone: %s" % stack.api_workers())

        settle_start = clock()
        if not checks.settle(stack, args.settle):
            report.fail("the work did not settle within %.0f s" % args.settle)
        checks.retry_failed_builds(stack, api, workload, report)
        checks.settle(stack, 60)
        report.counts("settling", {"seconds": round(clock() - settle_start, 1)})
        try:
            stack.admin("sync", "--wait")
        except RuntimeError as error:
            report.fail("the catalog sync after the faults failed: %s" % error)
        checks.check_jobs(stack, report)
        checks.check_builds(stack, workload, faults, report, wall_start)
        checks.clean_after_killed_schedulers(stack, faults, report)
        checks.check_store(stack, report)
        devices = json.loads(subprocess.run([str(ROOT / "scripts/devsim"), "status", "--json", "--state",
                                             str(devsim_state)], capture_output=True, text=True, check=True).stdout)
        checks.check_operations(stack, workload, devices, faults, report)
        checks.check_answers(api.answers, faults, report)
    finally:
        if workload:
            workload.stop.set()
        proxy.close()
        stack.stop()
        subprocess.run([str(ROOT / "scripts/devsim"), "stop", "--state", str(devsim_state)], capture_output=True)
    leftovers = stack.leftover_processes()
    for line in leftovers:
        report.fail("process left after the stack stopped: %s" % line)
    report.counts("after stopping", {"processes left": len(leftovers)})


def main():
    args = arguments()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # a CTest timeout still tears down
    if os.geteuid() != 0:
        sys.exit("tests/chaos/run must run as root (MariaDB, tmpfs, devsim)")
    build = pathlib.Path(os.environ.get("FWHUB_BUILD_DIR", ROOT / "build"))
    for program in ("fwhub-api", "fwhub-scheduler", "fwhub-admin"):
        if not (build / "bin" / program).exists():
            sys.exit("%s missing: build first (FWHUB_BUILD_DIR=%s)" % (build / "bin" / program, build))
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 1 << 31)
    say("seed %d (reproduce the fault schedule: tests/chaos/run %g --seed %d)" % (seed, args.seconds, seed))
    state = pathlib.Path(tempfile.mkdtemp(prefix="fwhub-chaos-"))
    stack = Stack(ROOT, build, state, free_port(), args.store_mb)
    report = checks.Report()
    clock = Clock()
    try:
        stack.prepare()
        run(args, seed, stack, clock, report)
    except Exception as error:  # noqa: BLE001 - the run itself broke: a violation with its cause
        report.fail("the run broke: %s: %s" % (type(error).__name__, error))
    finally:
        stack.release()
    say("report (seed %d, %g s of faults):" % (seed, args.seconds))
    report.print(sys.stdout)
    if report.violations or args.keep:
        say("state and logs kept in %s" % state)
    else:
        shutil.rmtree(state, ignore_errors=True)
    sys.exit(1 if report.violations else 0)


if __name__ == "__main__":
    main()
