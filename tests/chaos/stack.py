"""The chaos suite's own local stack: scripts/lib/stack.sh's functions (MariaDB, the API supervisor,
nginx, the mirror) on free ports under one state folder whose `lib` (the store, builders, working
copies) is a small tmpfs, plus a second scheduler; and the handles the fault injector needs."""
import os
import pathlib
import signal
import socket
import subprocess
import time

SCHEDULERS = ("scheduler", "scheduler2")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    try:
        return [int(c) for c in pathlib.Path("/proc/%d/task/%d/children" % (pid, pid)).read_text().split()]
    except OSError:
        return []


def alive(pid):
    """Running and not a zombie."""
    try:
        return pathlib.Path("/proc/%d/stat" % pid).read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class Stack:
    def __init__(self, root, build, state, port, store_mb):
        self.root, self.build, self.state, self.port = root, pathlib.Path(build), pathlib.Path(state), port
        self.store_mb = store_mb
        self.lib = self.state / "lib"
        self.mounted = False
        self.env = dict(os.environ, FWHUB_BUILD_DIR=str(self.build),
                        # Short enough that a killed scheduler's jobs move on within the run.
                        STACK_LEASE_SECONDS="10", STACK_BUILD_TIMEOUT="120", STACK_BUILD_FAILURE_TTL="5",
                        # Retries outlast a device that is away for up to 20 s.
                        STACK_UPGRADE_RETRIES="6")

    def sh(self, script, check=True):
        """Runs `script` with scripts/lib/stack.sh sourced for this stack."""
        line = '. "%s/scripts/lib/stack.sh"; STATE="%s"; PORT=%d; . "$STATE/stack.env"; %s' % (self.root, self.state, self.port, script)
        result = subprocess.run(["bash", "-c", line], env=self.env, capture_output=True, text=True)
        if check and result.returncode != 0:
            raise RuntimeError("%s failed (%d): %s%s" % (script, result.returncode, result.stdout[-2000:],
                                                         result.stderr[-3000:]))
        return result

    def prepare(self):
        """State folder with a tmpfs `lib` of store_mb MiB and fixed ports for MariaDB and the mirror."""
        self.lib.mkdir(parents=True, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm,mode=755" % self.store_mb, "chaos-store",
                        str(self.lib)], check=True)
        self.mounted = True
        self.mirror_port = free_port()
        (self.state / "stack.env").write_text("DB_PORT=%d\nMIRROR_PORT=%d\n" % (free_port(), self.mirror_port))

    def start(self, mirror_url):
        """The stack; the mirror (minutes to generate on a loaded machine) is copied from the build
        folder's cache when its generator did not change, and cached after a rebuild."""
        cache = self.build / "chaos-mirror"
        if (cache / "mirror/.stamp").exists():
            subprocess.run(["cp", "-al", str(cache / "mirror"), str(self.state / "mirror")], check=True)
            subprocess.run(["cp", "-a", str(cache / "mirror-keys"), str(self.state / "mirror-keys")], check=True)
        self.env["STACK_MIRROR_URL"] = mirror_url
        self.sh("stack_start")
        self.start_scheduler("scheduler2")
        stamp = (self.state / "mirror/.stamp").read_text()
        if not (cache / "mirror/.stamp").exists() or (cache / "mirror/.stamp").read_text() != stamp:
            subprocess.run(["rm", "-rf", str(cache)], check=True)
            cache.mkdir(parents=True)
            for name in ("mirror", "mirror-keys"):
                subprocess.run(["cp", "-a", str(self.state / name), str(cache / name)], check=True)

    def stop(self):
        self.sh('nginx_stop; stop_pid "$STATE/run/scheduler2.pid" 40; stack_stop', check=False)

    def release(self):
        """Unmounts the tmpfs (lazily if something still holds it)."""
        if self.mounted:
            if subprocess.run(["umount", str(self.lib)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(self.lib)], capture_output=True)
            self.mounted = False

    def pid(self, name):
        try:
            return int((self.state / "run" / (name + ".pid")).read_text())
        except (OSError, ValueError):
            return 0

    def start_scheduler(self, name):
        self.sh('start_daemon %s "$BUILD/bin/fwhub-scheduler"' % name)

    def kill(self, name):
        """SIGKILL one of our daemons and wait until it is gone; returns its pid."""
        pid = self.pid(name)
        if pid and alive(pid):
            os.kill(pid, signal.SIGKILL)
            while alive(pid):
                time.sleep(0.05)
        return pid

    def api_workers(self):
        return children(self.pid("api"))

    def query(self, sql):
        """Rows (tuples of strings, NULL as None) of a statement, as MariaDB's root over the socket."""
        result = subprocess.run(["mariadb", "--no-defaults", "--socket=%s/mysql-run/mysqld.sock" % self.state,
                                 "-uroot", "-N", "-B", "fwhub", "-e", sql], capture_output=True, text=True, check=True)
        return [tuple(None if v == "NULL" else v for v in line.split("\t")) for line in result.stdout.splitlines()]

    def admin(self, *args, stdin=None):
        env = dict(self.env, FWHUB_DB_PASSWORD=(self.state / "secrets/db_password").read_text().strip())
        result = subprocess.run([str(self.build / "bin/fwhub-admin"), "--config", str(self.state / "fwhub.toml")]
                                + list(args), input=stdin, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("fwhub-admin %s: %s%s" % (" ".join(args), result.stdout, result.stderr))
        return result.stdout.strip()

    def leftover_processes(self):
        """Processes that name the state folder, work in it or are chrooted into it."""
        mark = str(self.state)
        found = []
        for proc in pathlib.Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == os.getpid():
                continue
            try:
                cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                places = [os.readlink(proc / "cwd"), os.readlink(proc / "root")]
            except OSError:
                continue
            if alive(int(proc.name)) and (mark in cmdline or any(p.startswith(mark) for p in places)):
                found.append("%s %s" % (proc.name, cmdline[:160]))
        return found
