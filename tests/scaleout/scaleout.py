#!/usr/bin/python3
"""tests/scaleout/run [seconds] [--devices N]: fwhub scaled out on one machine (README "Scaling
out"). On the 3-node Galera cluster of tests/scaleout/galera.sh (FWHUB_GALERA_DIR): two API hosts,
each its own fwhub-api and socket with its own `database.hosts` order, behind one nginx upstream;
three schedulers, each first on a different node; one state folder (the shared store and firmware
folder). The chaos suite's workload (tests/chaos: ASU builds through the test ImageBuilder, a
persistent batch and single upgrades of devsim devices, catalog syncs, readers) plus fleet writes
runs while one database node and one scheduler are killed -9 and brought back; then the chaos
suite's checks and this tier's own (no job run twice except counted lease takeovers). Exits 1 on
any violation."""
import argparse
import collections
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests/chaos"))
import checks  # noqa: E402
from api import Api  # noqa: E402
from faults import Fault  # noqa: E402
from stack import alive, free_port  # noqa: E402
from workload import Workload, expect  # noqa: E402

GALERA = ROOT / "tests/scaleout/galera.sh"
SCHEDULERS = {"scheduler1": 1, "scheduler2": 2, "scheduler3": 3}  # name -> first database node
APIS = {"api1": 1, "api2": 2}
KILLED_NODE, KILLED_SCHEDULER = 2, "scheduler3"
# "job 12 (build) attempt 1/3 started", and the lines that end a run in the runner's log.
STARTED = re.compile(r"job (\d+) \((\S+)\) attempt \d+/\d+ started")
ENDED = re.compile(r"job (\d+) \((\S+)\)(?: attempt \d+)? (?:succeeded|failed|: |.*retry in)|"
                   r"job (\d+) \((\S+)\): lease lost")


def say(text):
    sys.stdout.write("[scaleout] %s\n" % text)
    sys.stdout.flush()


class Clock:
    def __init__(self):
        self.origin = time.monotonic()

    def __call__(self):
        return time.monotonic() - self.origin


class Stack:
    """The processes of the scaled-out stack, started from one state folder with stack.sh's
    mirror, configuration and nginx functions; queries go to a live Galera node as root."""

    def __init__(self, build, state, galera):
        self.build, self.state, self.galera = pathlib.Path(build), pathlib.Path(state), pathlib.Path(galera)
        self.lib = self.state / "lib"
        self.port = free_port()
        self.env = dict(os.environ, FWHUB_BUILD_DIR=str(self.build), STACK_LEASE_SECONDS="10",
                        STACK_BUILD_TIMEOUT="120", STACK_UPGRADE_RETRIES="6")
        self.nodes = {}
        for line in (self.galera / "galera.env").read_text().splitlines():
            key, _, value = line.partition("=")
            self.nodes[key] = value
        self.incarnation = collections.Counter()
        self.logs = {}  # name -> log files of its incarnations
        self.processes = {}  # name -> the running incarnation (our child: reaped by us)

    def node(self, n):
        return "%s:%s" % (self.nodes["NODE%d_ADDRESS" % n], self.nodes["NODE%d_PORT" % n])

    def sh(self, script):
        line = '. "%s/scripts/lib/stack.sh"; STATE="%s"; PORT=%d; . "$STATE/stack.env"; %s' % (
            ROOT, self.state, self.port, script)
        result = subprocess.run(["bash", "-c", line], env=self.env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("%s failed: %s%s" % (script, result.stdout[-2000:], result.stderr[-2000:]))

    def config(self, name, first_node, listen=None):
        """STATE/NAME.toml: the stack's configuration with the nodes listed from `first_node` on."""
        order = [first_node] + [n for n in (1, 2, 3) if n != first_node]
        text = (self.state / "fwhub.toml").read_text()
        text = re.sub(r'host = "127\.0\.0\.1"\nport = \d+\n',
                      "hosts = [%s]\n" % ", ".join('"%s"' % self.node(n) for n in order), text)
        if listen:
            text = text.replace('listen = "unix:%s/run/api.sock"' % self.state, 'listen = "unix:%s"' % listen)
        path = self.state / (name + ".toml")
        path.write_text(text)
        return path

    def start(self):
        for folder in ("run", "log", "lib", "secrets", "nginx/tmp"):
            (self.state / folder).mkdir(parents=True, exist_ok=True)
        os.chmod(self.state, 0o755)
        (self.state / "secrets/db_password").write_text(self.nodes["DB_PASSWORD"])
        (self.state / "secrets/secret_key").write_text(os.urandom(32).hex())
        (self.state / "stack.env").write_text("DB_PORT=%s\nMIRROR_PORT=%d\n" % (self.nodes["NODE1_PORT"],
                                                                                free_port()))
        cache = self.build / "chaos-mirror"  # the chaos suite's cached mirror, when it is current
        if (cache / "mirror/.stamp").exists():
            subprocess.run(["cp", "-al", str(cache / "mirror"), str(self.state / "mirror")], check=True)
            subprocess.run(["cp", "-a", str(cache / "mirror-keys"), str(self.state / "mirror-keys")], check=True)
        self.sh("mirror_build; write_config")
        for name, first in list(SCHEDULERS.items()) + list(APIS.items()):
            self.config(name, first, str(self.state / "run" / (name + ".sock")) if name in APIS else None)
        self.admin("migrate")
        for name in APIS:
            self.start_daemon(name, "fwhub-api")
        for name in SCHEDULERS:
            self.start_daemon(name, "fwhub-scheduler")
        self.sh("render_nginx")
        site = self.state / "nginx/site.conf"
        servers = "".join("server unix:%s/run/%s.sock;\n    " % (self.state, name) for name in APIS)
        site.write_text(site.read_text().replace("server unix:%s/run/api.sock;\n    " % self.state, servers))
        self.sh('nginx_cmd -t >"$STATE/log/nginx-test.log" 2>&1 && nginx_cmd')
        self.sh("wait_healthy")
        self.admin("sync", "--wait")

    def start_daemon(self, name, program):
        self.incarnation[name] += 1
        log = self.state / "log" / ("%s-%d.log" % (name, self.incarnation[name]))
        self.logs.setdefault(name, []).append(log)
        env = dict(self.env, FWHUB_DB_PASSWORD=self.nodes["DB_PASSWORD"],
                   FWHUB_SECRET_KEY=(self.state / "secrets/secret_key").read_text())
        with open(log, "ab") as out:
            process = subprocess.Popen([str(self.build / "bin" / program), "--config",
                                        str(self.state / (name + ".toml"))], stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=out, env=env, start_new_session=True)
        self.processes[name] = process
        (self.state / "run" / (name + ".pid")).write_text(str(process.pid))

    def pid(self, name):
        try:
            return int((self.state / "run" / (name + ".pid")).read_text())
        except (OSError, ValueError):
            return 0

    def kill(self, name):
        self.processes[name].kill()
        self.processes[name].wait()

    def stop(self):
        """nginx, then every daemon with SIGTERM (all at once), SIGKILL after 40 s."""
        subprocess.run(["bash", "-c", '. "%s/scripts/lib/stack.sh"; STATE="%s"; nginx_stop' % (ROOT, self.state)],
                       capture_output=True)
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def galera_cmd(self, *args):
        return subprocess.run([str(GALERA), args[0], str(self.galera)] + [str(a) for a in args[1:]],
                              capture_output=True, text=True, check=True)

    def query(self, sql):
        """Rows of a statement as root on node 1 (never the killed one), after it applied every
        write the cluster ordered before it."""
        out = self.galera_cmd("sql", 1, "-N", "-B", "fwhub", "-e", "SET SESSION wsrep_sync_wait = 1; " + sql).stdout
        return [tuple(None if v == "NULL" else v for v in line.split("\t")) for line in out.splitlines()]

    def admin(self, *args, stdin=None):
        env = dict(self.env, FWHUB_DB_PASSWORD=self.nodes["DB_PASSWORD"])
        result = subprocess.run([str(self.build / "bin/fwhub-admin"), "--config", str(self.state / "scheduler1.toml")]
                                + list(args), input=stdin, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("fwhub-admin %s: %s%s" % (" ".join(args), result.stdout, result.stderr))
        return result.stdout.strip()


def fleet_writes(api, stop, counts):
    """Fleet writes through both API hosts: a device created, renamed and deleted, again and again."""
    index = 0
    while not stop.wait(0.5):
        index += 1
        answer = api.post("/api/v1/devices/", {"name": "scaleout-w%d" % index, "management_ip": "192.0.2.%d" % (
            index % 250 + 1), "ssh_port": 22, "model": "x"})
        counts[str(answer.status or answer.error)] += 1
        document = answer.json() if answer.status == 201 else None
        if document:
            path = "/api/v1/devices/%s/" % document["id"]
            counts[str(api.call("PATCH", path, json.dumps({"name": "scaleout-w%d-renamed" % index})).status)] += 1
            counts[str(api.call("DELETE", path).status)] += 1


def inject(stack, clock, seconds, faults):
    """kill -9 of database node 2 at a quarter of the run (back after 8 s), of scheduler 3 at half
    (back after 3 s)."""
    node, scheduler = faults
    time.sleep(max(0.0, seconds * 0.25 - clock()))
    node.started = clock()
    stack.galera_cmd("kill", KILLED_NODE)
    time.sleep(8)
    stack.galera_cmd("restart", KILLED_NODE)  # returns once the node is Synced again
    node.ended = clock()
    time.sleep(max(0.0, seconds * 0.5 - clock()))
    scheduler.started = clock()
    stack.kill(KILLED_SCHEDULER)
    time.sleep(3)
    stack.start_daemon(KILLED_SCHEDULER, "fwhub-scheduler")
    scheduler.ended = clock()


def check_runs(stack, report):
    """No job ran twice except lease takeovers: a run whose scheduler was killed before it logged
    the run's end is a takeover (its job runs again once the lease expired), counted; every other
    run ended in the scheduler that started it, and none found its lease lost at the outcome."""
    takeovers, starts = collections.Counter(), collections.Counter()
    for name, logs in stack.logs.items():
        for index, log in enumerate(logs):
            open_runs = {}
            for line in log.read_text(errors="replace").splitlines():
                started = STARTED.search(line)
                if started:
                    open_runs[started.group(1)] = started.group(2)
                    starts[started.group(2)] += 1
                    continue
                ended = ENDED.search(line)
                if ended:
                    open_runs.pop(ended.group(1) or ended.group(3), None)
            killed = name == KILLED_SCHEDULER and index < len(logs) - 1
            for job, kind in open_runs.items():
                if killed:
                    takeovers[kind] += 1  # deferred runs (reboot waits, dispatch) log no end either
    report.counts("job runs started, by kind", starts)
    report.counts("runs open in the killed scheduler (lease takeovers or deferrals)", takeovers)
    counters = stack.query("SELECT counter, kind, SUM(value) FROM scheduler_counters GROUP BY counter, kind")
    totals = {(counter, kind): int(value) for counter, kind, value in counters}
    report.counts("scheduler counters (all processes)", {k: v for k, v in totals.items() if v})
    lost = sum(v for (counter, _), v in totals.items() if "lease_lost" in counter)
    if lost:
        report.fail("%d runs found their lease lost at the outcome: a job ran on a claim it did not hold" % lost)


def run(args, stack, clock, report):
    devsim_state = stack.state / "devsim"
    workload = None
    writes = collections.Counter()
    try:
        say("starting two API hosts, three schedulers and nginx on port %d in %s" % (stack.port, stack.state))
        stack.start()
        password = "scaleout-" + os.urandom(6).hex()
        started = subprocess.run([str(ROOT / "scripts/devsim"), "start", "--count", str(args.devices), "--state",
                                  str(devsim_state), "--reboot-seconds", "2", "--password", password, "--detach"],
                                 capture_output=True, text=True, check=True, timeout=300)
        sims = json.loads(started.stdout)
        api = Api(stack.port, clock)
        workload = Workload(api, stack, sims, password, args.seed, clock)
        workload.setup()
        node_fault = Fault("db_node_kill", args.seconds * 0.25, 8, "node%d" % KILLED_NODE)
        scheduler_fault = Fault("scheduler_kill", args.seconds * 0.5, 3, KILLED_SCHEDULER)
        say("%d devices; %.0f s of load; faults:" % (len(sims), args.seconds))
        for fault in (node_fault, scheduler_fault):
            say("  " + fault.describe())
        clock.origin = time.monotonic()
        wall_start = time.time()
        threads = workload.threads() + [threading.Thread(target=fleet_writes, args=(api, workload.stop, writes),
                                                         daemon=True)]
        injector = threading.Thread(target=inject, args=(stack, clock, args.seconds, (node_fault, scheduler_fault)))
        injector.start()
        for thread in threads:
            thread.start()
        time.sleep(args.seconds)
        workload.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        injector.join()
        report.counts("faults", {f.describe().strip(): "%.1f-%.1f s" % (f.started or -1, f.ended or -1)
                                 for f in (node_fault, scheduler_fault)})
        report.counts("fleet writes by status (POST, PATCH, DELETE)", writes)
        for name in list(SCHEDULERS) + list(APIS):
            if not alive(stack.pid(name)):
                report.fail("%s (pid %d) exited on its own" % (name, stack.pid(name)))
        status = stack.galera_cmd("status").stdout.split()
        if status.count("Synced") != 3:
            report.fail("the cluster is not 3 synced nodes: %s" % " ".join(status))
        settle_start = clock()
        if not checks.settle(stack, args.settle):
            report.fail("the work did not settle within %.0f s" % args.settle)
        report.counts("settling", {"seconds": round(clock() - settle_start, 1)})
        checks.check_jobs(stack, report, SCHEDULERS)
        check_runs(stack, report)
        # A database node's death is, for the API, a database outage of the connections on it:
        # 503 (or a timeout) while they fail over, as the chaos suite accepts during a restart.
        outage = Fault("db_restart", node_fault.at, node_fault.duration, None)
        outage.started, outage.ended = node_fault.started, node_fault.ended
        checks.check_builds(stack, workload, [node_fault, scheduler_fault], report, wall_start)
        checks.check_store(stack, report)
        devices = json.loads(subprocess.run([str(ROOT / "scripts/devsim"), "status", "--json", "--state",
                                             str(devsim_state)], capture_output=True, text=True, check=True).stdout)
        checks.check_operations(stack, workload, devices, [node_fault, scheduler_fault], report)
        checks.check_answers(api.answers, [outage, scheduler_fault], report)
    finally:
        if workload:
            workload.stop.set()
        stack.stop()
        subprocess.run([str(ROOT / "scripts/devsim"), "stop", "--state", str(devsim_state)], capture_output=True)


def main():
    parser = argparse.ArgumentParser(prog="tests/scaleout/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("seconds", nargs="?", type=float, default=90, help="duration of the load (default 90)")
    parser.add_argument("--devices", type=int, default=12, help="simulated devices (default 12)")
    parser.add_argument("--settle", type=float, default=150, help="longest wait for the work to end (default 150)")
    parser.add_argument("--seed", type=int, default=17, help="seed of the workload (default 17)")
    parser.add_argument("--keep", action="store_true", help="keep the state folder also after a pass")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if os.geteuid() != 0:
        sys.exit("tests/scaleout/run must run as root (MariaDB, devsim)")
    galera = os.environ.get("FWHUB_GALERA_DIR")
    if not galera or not (pathlib.Path(galera) / "galera.env").exists():
        sys.exit("FWHUB_GALERA_DIR must name a running cluster (tests/scaleout/galera.sh start DIR)")
    build = pathlib.Path(os.environ.get("FWHUB_BUILD_DIR", ROOT / "build"))
    state = pathlib.Path(tempfile.mkdtemp(prefix="fwhub-scaleout-"))
    stack = Stack(build, state, galera)
    report = checks.Report()
    clock = Clock()
    try:
        run(args, stack, clock, report)
    except Exception as error:  # noqa: BLE001 - the run itself broke: a violation with its cause
        report.fail("the run broke: %s: %s" % (type(error).__name__, error))
    say("report (%g s of load):" % args.seconds)
    report.print(sys.stdout)
    if report.violations or args.keep:
        say("state and logs kept in %s" % state)
    else:
        shutil.rmtree(state, ignore_errors=True)
    sys.exit(1 if report.violations else 0)


if __name__ == "__main__":
    main()
