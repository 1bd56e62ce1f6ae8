"""The chaos suite's fault schedule (drawn from the seed before the run, so a seed reproduces it)
and its injector: one thread per fault that injects it at its moment and removes it after its
duration, recording the window in which it was active."""
import errno
import os
import random
import subprocess
import threading
import time

from stack import SCHEDULERS

# kind: (one fault per this many seconds of the run, shortest and longest duration in seconds)
KINDS = {
    "scheduler_kill": (20, 1, 6),  # kill -9, restarted after the duration
    "worker_kill": (15, 0, 0),  # kill -9 of a FastCGI worker; the supervisor replaces it
    "db_restart": (45, 2, 6),  # MariaDB stopped, started again after the duration
    "nginx_restart": (40, 0.5, 2),
    "mirror_slow": (60, 8, 15),
    "mirror_garbage": (60, 8, 15),
    "disk_full": (50, 8, 15),  # a ballast file fills the store's tmpfs
    "unplug": (25, 5, 15),  # 2-5 devices vanish (devsim unplug)
}


class Fault:
    def __init__(self, kind, at, duration, target):
        self.kind, self.at, self.duration, self.target = kind, at, duration, target
        self.started = self.ended = None
        self.error = None

    def describe(self):
        target = " " + ",".join(self.target) if isinstance(self.target, list) else (
            " " + self.target if self.target else "")
        return "%6.1f s  %-15s %4.1f s%s" % (self.at, self.kind, self.duration, target)


def schedule(seed, duration, device_names):
    """Faults of every kind spread over the run: the run is cut into one segment per fault of a
    kind, and each fault starts and ends at a random moment inside its segment."""
    rng = random.Random(seed)
    faults = []
    for kind, (period, shortest, longest) in KINDS.items():
        count = max(1, round(duration / period))
        segment = (duration - 5) / count
        for index in range(count):
            length = round(rng.uniform(shortest, longest), 1)
            begin = 5 + index * segment
            at = round(rng.uniform(begin, max(begin, begin + segment - length - 1)), 1)
            target = None
            if kind == "scheduler_kill":
                target = rng.choice(SCHEDULERS)
            elif kind == "unplug":
                target = sorted(rng.sample(device_names, rng.randint(2, 5)))
            faults.append(Fault(kind, at, length, target))
    return sorted(faults, key=lambda f: f.at)


class Injector:
    def __init__(self, stack, proxy, devsim, clock, seed):
        self.stack, self.proxy, self.devsim, self.clock = stack, proxy, devsim, clock
        self.random = random.Random(seed)
        self.threads = []

    def run(self, faults):
        for fault in faults:
            thread = threading.Thread(target=self.one, args=(fault,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def wait(self):
        for thread in self.threads:
            thread.join()

    def one(self, fault):
        time.sleep(max(0.0, fault.at - self.clock()))
        fault.started = self.clock()
        try:
            getattr(self, fault.kind)(fault)
        except Exception as error:  # noqa: BLE001 - reported as a failure of the run
            fault.error = "%s: %s" % (type(error).__name__, error)
        fault.ended = self.clock()

    def scheduler_kill(self, fault):
        fault.pid = self.stack.kill(fault.target)
        time.sleep(fault.duration)
        self.stack.start_scheduler(fault.target)

    def worker_kill(self, fault):
        workers = self.stack.api_workers()
        if not workers:
            raise RuntimeError("the API supervisor has no workers")
        os.kill(self.random.choice(workers), 9)

    def db_restart(self, fault):
        self.stack.sh("db_stop")
        fault.down_at = self.clock()
        time.sleep(fault.duration)
        fault.up_at = self.clock()
        self.stack.sh("db_start")

    def nginx_restart(self, fault):
        self.stack.sh("nginx_stop")
        time.sleep(fault.duration)
        self.stack.sh("nginx_start")

    def mirror_slow(self, fault):
        self.mirror(fault, "slow")

    def mirror_garbage(self, fault):
        self.mirror(fault, "garbage")

    def mirror(self, fault, mode):
        """The mirror misbehaves for a while; a catalog sync is asked for so that it meets the fault."""
        self.proxy.mode = mode
        try:
            self.stack.admin("sync")
        except RuntimeError:  # the database is restarting: the builds still meet the fault
            pass
        time.sleep(fault.duration)
        self.proxy.mode = "ok"

    def disk_full(self, fault):
        ballast = self.stack.lib / "chaos-ballast"
        chunk = b"\0" * (1024 * 1024)
        with open(ballast, "wb", buffering=0) as out:
            try:
                while True:
                    out.write(chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
        fault.filled_mb = ballast.stat().st_size // (1024 * 1024)
        time.sleep(fault.duration)
        ballast.unlink()

    def unplug(self, fault):
        self.devsim("unplug", *fault.target)
        time.sleep(fault.duration)
        self.devsim("plug", *fault.target)


def devsim_command(root, state):
    def run(*args):
        subprocess.run([str(root / "scripts/devsim")] + list(args[:1]) + ["--state", str(state)] + list(args[1:]),
                       check=True, capture_output=True, text=True, timeout=60)
    return run
