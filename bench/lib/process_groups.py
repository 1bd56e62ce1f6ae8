"""What the device benchmarks measure of the stack's processes: CPU seconds of process trees
(scheduler, devsim, API+MariaDB+nginx) and the scheduler's threads and peak RSS, from /proc."""
import os


def pid_of(path):
    return int(open(path).read())


def groups(state, devsim):
    """Roots of each group of the stack in STATE and of the devsim devices in DEVSIM."""
    return {"scheduler": {pid_of(state + "/run/scheduler.pid")},
            "devices (devsim)": {pid_of(devsim + "/supervisor.pid")},
            "api+db+nginx": {pid_of(state + "/run/api.pid"), pid_of(state + "/run/nginx.pid"),
                             pid_of(state + "/mysql-run/mysqld.pid")}}


def cpu(roots):
    """CPU seconds of a process tree: every live process's own and reaped children's times (a child
    that ends moves its times into its parent's), so each CPU second is counted once."""
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open("/proc/%s/stat" % entry).read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(fields[1])
            times[int(entry)] = sum(map(int, fields[11:15]))

    def inside(pid):
        while pid > 1:
            if pid in roots:
                return True
            pid = parents.get(pid, 0)
        return False
    return sum(t for pid, t in times.items() if inside(pid)) / os.sysconf("SC_CLK_TCK")


def cpu_of(group_roots):
    return {name: cpu(roots) for name, roots in group_roots.items()}


def status(pid):
    """(threads, peak RSS in KiB) of a process."""
    fields = dict(line.split(":", 1) for line in open("/proc/%d/status" % pid))
    return int(fields["Threads"]), int(fields["VmHWM"].split()[0])


def load_average():
    return open("/proc/loadavg").read().split()[0]
