"""The chaos suite's checks once the faults are removed: waiting (bounded) for the work to settle,
then jobs, builds, the store, upgrade operations against the devices' flash counters, the batch,
every API answer, the daemons, and (after the stack stopped) processes and temporary files.
Each check adds counts to the report and a line per violation."""
import collections
import json
import os
import re
import time

from api import CLIENT_TIMEOUT
from stack import SCHEDULERS, alive
from workload import UPGRADER

TERMINAL_OPERATIONS = ("success", "failed", "cancelled", "aborted")
# The schedulers' log lines of a build's end: "build <hash> (...) done in N s" or "build <hash> failed: ...".
BUILD_END = re.compile(r"^(\S+ \S+) .* build ([0-9a-f]{64}) (?:\(.*\) done in|failed: (.*))")
GRACE = 3.0  # seconds after a fault during which its effects may still show
# Temporary names the stack writes before a rename (working copies, staged builders, uploads).
TEMP_MARKS = (".new.", ".tmp", "chaos-ballast")


class Report:
    def __init__(self):
        self.sections = []
        self.violations = []

    def counts(self, title, counter):
        self.sections.append((title, dict(sorted(counter.items(), key=lambda kv: str(kv[0])))))

    def fail(self, text):
        self.violations.append(text)

    def print(self, out):
        for title, values in self.sections:
            out.write("%s:\n" % title)
            for key, value in values.items():
                out.write("  %-48s %s\n" % (" ".join(map(str, key)) if isinstance(key, tuple) else key, value))
        out.write("violations: %d\n" % len(self.violations))
        for text in self.violations:
            out.write("  FAIL %s\n" % text)


def windows(faults, *kinds):
    return [(f.started - 0.5, (f.ended or f.started) + GRACE) for f in faults
            if f.kind in kinds and f.started is not None]


def inside(moment, spans):
    return any(start <= moment <= end for start, end in spans)


def overlaps(begin, end, spans):
    return any(begin <= stop and start <= end for start, stop in spans)


def settle(stack, seconds):
    """Waits until no build, operation or batch is open and no job runs; True if it did in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        open_work = stack.query(
            "SELECT (SELECT COUNT(*) FROM builds WHERE status IN ('queued', 'running'))"
            " + (SELECT COUNT(*) FROM upgrade_operations WHERE status NOT IN ('success', 'failed', 'cancelled',"
            " 'aborted')) + (SELECT COUNT(*) FROM batch_upgrade_operations WHERE status IN ('scheduled',"
            " 'in-progress', 'paused')) + (SELECT COUNT(*) FROM jobs WHERE state = 'running')")
        if open_work[0][0] == "0":
            return True
        time.sleep(1)
    return False


def retry_failed_builds(stack, api, workload, report):
    """A build that failed during a fault is requested again (its failure expired: failure_ttl 5 s)
    and must succeed now that the faults are gone."""
    failed = {row[0] for row in stack.query("SELECT request_hash FROM builds WHERE status = 'failed'")}
    by_hash = {h: json.loads(request) for request, hashes in workload.requests.items() for h in hashes}
    time.sleep(6)
    outcome = collections.Counter()
    for request_hash in sorted(failed):
        if request_hash not in by_hash:
            report.fail("failed build %s was never requested by the workload" % request_hash)
            continue
        api.post("/api/v1/build", by_hash[request_hash])
        answer = api.until("GET", "/api/v1/build/" + request_hash, None, lambda a: a.status != 202, 120)
        outcome["done again" if answer.status == 200 else "still %s" % (answer.status or answer.error)] += 1
        if answer.status != 200:
            report.fail("build %s requested again after the faults: %s %s" % (request_hash, answer.status,
                                                                                answer.detail()[:200]))
    report.counts("failed builds requested again", outcome)


def check_jobs(stack, report, schedulers=SCHEDULERS):
    """Job counts; no job running under a dead scheduler (of `schedulers`, by name), none left due."""
    rows = stack.query("SELECT kind, state, COUNT(*) FROM jobs GROUP BY kind, state")
    report.counts("jobs by kind and state", {(kind, state): int(n) for kind, state, n in rows})
    live = {str(stack.pid(name)) for name in schedulers if alive(stack.pid(name))}
    for job, kind, owner in stack.query("SELECT id, kind, IFNULL(lease_owner, '') FROM jobs WHERE state = 'running'"):
        if owner.rsplit(":", 1)[-1] not in live:
            report.fail("job %s (%s) running under %r, which is not a live scheduler" % (job, kind, owner))
    for job, kind, since in stack.query("SELECT id, kind, run_at FROM jobs WHERE state = 'queued'"
                                        " AND run_at < NOW(3) - INTERVAL 30 SECOND"):
        report.fail("job %s (%s) due since %s was never claimed" % (job, kind, since))


def build_events(stack):
    """(wall time, hash, "done" | failure detail) of every build end in the schedulers' logs."""
    events = []
    for log in sorted((stack.state / "log").glob("scheduler*.log")):
        for line in log.read_text(errors="replace").splitlines():
            match = BUILD_END.match(line)
            if match:
                stamp = match.group(1)  # "2026-11-26 07:41:09.123": the milliseconds count near a fault's start
                moment = time.mktime(time.strptime(stamp[:19], "%Y-%m-%d %H:%M:%S")) + float("0" + stamp[19:23])
                events.append((moment, match.group(2), "done" if match.group(3) is None else match.group(3)))
    return events


def check_builds(stack, workload, faults, report, started_at):
    """Build states; every failure during the run explained by a fault active at that moment (a full
    disk must say so); no request hash built twice; each request answered with one hash."""
    rows = stack.query("SELECT request_hash, status FROM builds")
    report.counts("builds by status", collections.Counter(row[1] for row in rows))
    for request_hash, status in rows:
        if status in ("queued", "running"):
            report.fail("build %s still %s" % (request_hash, status))
    disk = windows(faults, "disk_full")
    mirror = windows(faults, "mirror_garbage", "mirror_slow", "nginx_restart")  # nginx serves the mirror too
    reasons = collections.Counter()
    built = collections.Counter()
    for moment, request_hash, outcome in build_events(stack):
        if outcome == "done":
            built[request_hash] += 1
            continue
        moment -= started_at
        if "No space left on device" in outcome and inside(moment, disk):
            reasons["disk full (says so)"] += 1
        elif inside(moment, mirror):
            reasons["mirror fault: " + outcome.split(": http")[0][:50]] += 1
        elif inside(moment, disk):
            report.fail("build %s failed during the full disk without saying so: %s" % (request_hash, outcome))
        else:
            report.fail("build %s failed at %.1f s without a fault to explain it: %s" % (request_hash, moment,
                                                                                     outcome))
    report.counts("build failures during the run by reason", reasons)
    for request_hash, count in built.items():
        if count > 1:
            report.fail("build %s was built %d times" % (request_hash, count))
    for request, hashes in workload.requests.items():
        if len(hashes) != 1:
            report.fail("one request answered with %d hashes: %s" % (len(hashes), request))
    report.counts("build requests", {"distinct requests": len(workload.requests), "builds done": sum(built.values()),
                                     "answers of POST /api/v1/build": sum(
                                         1 for a in workload.api.answers if a.path == "/api/v1/build")})


def temporary_files(stack):
    """Paths under lib/ (relative) that only exist while something is being written."""
    temporary = [str(p.relative_to(stack.lib)) for p in stack.lib.rglob("*") if any(m in p.name for m in TEMP_MARKS)]
    for folder in ("work", "firmware/.incoming"):  # working copies, uploads being received
        if (stack.lib / folder).is_dir():
            temporary += ["%s/%s" % (folder, p.name) for p in (stack.lib / folder).iterdir()]
    return temporary


def clean_after_killed_schedulers(stack, faults, report):
    """A scheduler killed -9 while unpacking an ImageBuilder or building leaves its staged builder
    or working copy; build_cleanup removes them once older than 2 x build.job_timeout_seconds. Ages
    them past that, runs build_cleanup now and counts what it removed (the rest is judged after)."""
    left = [path for path in temporary_files(stack) if path.startswith(("builders/", "work/"))]
    if not left or not windows(faults, "scheduler_kill"):
        return
    old = time.time() - 86400
    for path in left:
        os.utime(stack.lib / path, (old, old))
    stack.query("UPDATE jobs SET run_at = NOW(3) - INTERVAL 1 SECOND WHERE kind = 'build_cleanup' AND state = 'queued'")
    deadline = time.time() + 60
    while time.time() < deadline and any((stack.lib / path).exists() for path in left):
        time.sleep(1)
    report.counts("left by killed schedulers", {"staged builders and working copies": len(left),
                                                "removed by build_cleanup": sum(
                                                    1 for path in left if not (stack.lib / path).exists())})


def check_store(stack, report):
    """Every folder of the store is a finished build; nothing half-written anywhere under lib/."""
    done = {row[0] for row in stack.query("SELECT request_hash FROM builds WHERE status = 'done'")}
    store = stack.lib / "store"
    folders = {p.name for p in store.iterdir()} if store.is_dir() else set()
    for name in sorted(folders - done):
        report.fail("store folder %s is not a finished build" % name)
    for name in sorted(done - folders):
        report.fail("finished build %s has no store folder" % name)
    temporary = temporary_files(stack)
    for path in temporary:
        report.fail("temporary file left: %s" % path)
    report.counts("store", {"build folders": len(folders), "temporary files": len(temporary)})


def check_operations(stack, workload, devices, faults, report):
    """Every operation ended in success; a device was flashed once per operation that reflashed it.
    One exception, by design (at most once): a scheduler killed between recording the reflash step
    and sending sysupgrade leaves the device unflashed; its successor never flashes again but
    verifies, finds the old firmware and fails the operation. Such an operation is counted, not a
    violation, when a scheduler was killed during the run and the device was not flashed for it."""
    rows = stack.query("SELECT o.id, d.name, o.status, o.progress, IFNULL(o.batch_id, ''), o.log FROM"
                       " upgrade_operations o JOIN devices d ON d.id = o.device_id")
    report.counts("upgrade operations by status", collections.Counter(
        ("batch" if row[4] else "single", row[2]) for row in rows))
    schedulers_killed = bool(windows(faults, "scheduler_kill"))
    reflashed, interrupted = collections.Counter(), collections.Counter()
    interrupted_in_batch = 0
    for operation, name, status, progress, batch_id, log in rows:
        if status == "failed" and schedulers_killed and int(progress) >= 65 and "not the new firmware" in log:
            interrupted[name] += 1
            interrupted_in_batch += batch_id == workload.batch
            continue
        if status != "success":
            report.fail("operation %s of %s ended %s: %s" % (operation, name, status,
                                                             log.replace("\\n", " | ")[-300:]))
        sent = log.count("Reflashing: ")  # logged right before sysupgrade is sent
        if sent > 1:
            report.fail("operation %s of %s sent sysupgrade %d times" % (operation, name, sent))
        reflashed[name] += sent
    report.counts("operations interrupted at the reflash (not flashed, failed: at most once)",
                  {"operations": sum(interrupted.values())})
    flashes = {device["name"]: device.get("flashes", 0) for device in devices}
    summary = collections.Counter()
    for name, count in flashes.items():
        if count > reflashed[name]:
            report.fail("%s flashed %d times for %d operations that reflashed it" % (name, count, reflashed[name]))
        elif count < reflashed[name]:
            report.fail("%s flashed %d times but %d operations say they reflashed it" % (name, count,
                                                                                        reflashed[name]))
        summary["devices flashed %d times" % count] += 1
    report.counts("device flash counters (devsim)", summary)
    if workload.batch is None:
        report.fail("the batch was never started")
        return
    batch = workload.api.get(UPGRADER + "batch-upgrade-operation/%s/" % workload.batch).json() or {}
    report.counts("batch", {"status": batch.get("status"), "total": batch.get("total"),
                            "counts": json.dumps(batch.get("counts"))})
    in_db = collections.Counter(row[2] for row in rows if row[4] == workload.batch)
    # The batch fails with any failed operation, also one interrupted at the reflash by design.
    expected = "success" if interrupted_in_batch == 0 else "failed"
    if in_db.get("failed", 0) != interrupted_in_batch or batch.get("status") != expected or any(batch.get("counts", {}).get(k, 0) != in_db.get(k, 0)
                                               for k in set(in_db) | set(batch.get("counts", {}))):
        report.fail("batch %s: %s, counts %s, operations %s" % (workload.batch, batch.get("status"),
                                                               batch.get("counts"), dict(in_db)))


def check_answers(answers, faults, report):
    """Each API answer is a proper status: 5xx only 503 inside an injected outage, connection
    errors only while nginx restarts or a worker dies, no hang outside an outage, and health 503
    `database unavailable` (never a hang) while MariaDB is down."""
    database = windows(faults, "db_restart")
    proxy = windows(faults, "worker_kill", "nginx_restart")
    nginx = windows(faults, "nginx_restart")
    statuses = collections.Counter()
    slowest = 0.0
    for answer in answers:
        label = answer.status or answer.error
        statuses[label] += 1
        slowest = max(slowest, answer.ended - answer.started)
        moment = answer.started
        if answer.error == "refused" and inside(moment, nginx):
            continue
        if answer.error == "reset" and inside(moment, proxy):
            continue
        if answer.error == "timeout" and inside(moment, database + nginx) and not answer.path.startswith(
                "/api/v1/health"):
            continue
        if answer.status == 503 and (inside(moment, database) or inside(moment, proxy)):
            continue
        if answer.status == 500 and answer.path.startswith("/api/v1/build") and (answer.json() or {}).get(
                "request_hash"):
            continue  # a failed build (ASU answers 500 with its detail); check_builds judges it
        if answer.status is not None and answer.status < 500 and answer.status not in (400, 401, 404, 422):
            continue
        if answer.status == 529 and answer.path == "/api/v1/build":
            continue
        report.fail("%.1f s %s %s answered %s in %.1f s: %s" % (moment, answer.method, answer.path, label,
                                                                answer.ended - answer.started, answer.body[:160]))
    report.counts("API answers by status", statuses)
    report.counts("API latency", {"answers": len(answers), "slowest (s)": round(slowest, 2),
                                  "client timeout (s)": CLIENT_TIMEOUT})
    for fault in faults:
        if fault.kind != "db_restart" or getattr(fault, "down_at", None) is None:
            continue
        during = [a for a in answers if a.path == "/api/v1/health" and fault.down_at + 0.5 <= a.started <= fault.up_at
                  and not inside(a.started, proxy)]  # nginx itself down or a worker dying: judged above
        wrong = [a for a in during if a.status != 503 or a.detail() != "database unavailable"]
        report.counts("health while MariaDB was down at %.1f s" % fault.down_at,
                      collections.Counter(str(a.status or a.error) for a in during))
        for answer in wrong:
            report.fail("health at %.1f s during the database outage: %s %s" % (answer.started, answer.status or
                                                                                 answer.error, answer.body[:120]))
