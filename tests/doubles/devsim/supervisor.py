#!/usr/bin/python3
"""devsim's supervisor (started by scripts/devsim, one per state folder): prepares the devices'
roots, runs each device's dropbear chrooted in its own PID and mount namespace (so that killing it
ends every session), answers the devices' sysupgrade requests and performs the reflash "reboots".

Usage: supervisor.py STATE_DIR   (reads STATE_DIR/config.json, writes devices.json once all are up)
"""
import asyncio
import concurrent.futures
import json
import os
import pathlib
import posixpath
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time

import devices
import relay
import sysupgrade

BOOT_TIMEOUT = 10
DROP_DELAY = 0.5  # lets "Commencing upgrade" reach the client before the device goes away


def free_ports(count):
    """count distinct free ports of 127.0.0.1: every socket stays bound until all are picked (ports
    picked one at a time repeat now and then, and two dropbears on one port answer for each other)."""
    sockets = []
    try:
        for _ in range(count):
            sockets.append(socket.socket())
            sockets[-1].bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def free_port():
    return free_ports(1)[0]


class Device:
    def __init__(self, state, base, spec, config):
        self.spec, self.faults, self.base = spec, spec["faults"], base
        self.dir = state / "devices" / spec["name"]
        self.root = self.dir / "root"
        self.address, self.port = spec["address"], spec["port"]
        self.version, self.revision, self.target = spec["version"], spec["revision"], spec["target"]
        self.reboot_seconds = self.faults.get("reboot_seconds", config["reboot_seconds"])
        self.authorized_key = config.get("authorized_key")
        self.flashes, self.state, self.upgrading, self.unplugged = 0, "down", False, False
        self.proc = self.server = self.relay = None
        self.identity = self.host_key = None

    def prepare(self, hashed):
        """Files only (runs in a worker thread): identity, host key, factory /etc, root folder."""
        self.dir.mkdir(parents=True, exist_ok=True)
        saved = self.dir / "uuid"
        if not saved.exists():
            saved.write_text("%s\n" % devices.uuid.uuid4())
        self.spec["uuid"] = saved.read_text().strip()
        self.identity = devices.identity(self.spec)
        self.host_key = devices.host_key(self.dir / "host_key")
        devices.factory_etc(self.dir / "factory-etc", self.spec, self.identity, hashed, self.authorized_key)
        devices.make_root(self.base, self.root, self.dir / "factory-etc")

    def listen_requests(self):
        """The chroot's sysupgrade writes its pid into this FIFO (kept open for writing, so never at EOF)."""
        fifo = str(self.root / "lib/devsim/sysupgrade.fifo")
        self.fifo = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        self.fifo_keepalive = os.open(fifo, os.O_WRONLY)
        asyncio.get_running_loop().add_reader(self.fifo, self.on_request)

    def save(self):
        devices.write_atomic(self.dir / "state.json", json.dumps({
            "name": self.spec["name"], "state": self.state, "address": self.address, "port": self.port,
            "version": self.version, "revision": self.revision, "target": self.target,
            "board_name": self.identity["board_name"], "uuid": self.identity["uuid"], "flashes": self.flashes,
            "host_key": self.host_key, "pid": self.proc.pid if self.proc else None}))

    async def boot(self):
        devices.boot_files(self.root, self.spec, self.identity["board_name"], self.version, self.revision)
        key = self.root / "etc/dropbear/dropbear_ed25519_host_key"
        shutil.copy2(self.dir / "host_key", key)
        key.chmod(0o600)
        if self.faults.get("unreachable"):
            self.state = "unreachable"
            self.save()
            return
        linked = "link_bytes_per_second" in self.faults or "upload_cut_after_bytes" in self.faults
        listen = ("127.0.0.1", free_port()) if linked else (self.address, self.port)
        dropbear = ["/usr/sbin/dropbear", "-F", "-E", "-m", "-p", "%s:%d" % listen,
                    "-r", "/etc/dropbear/dropbear_ed25519_host_key", "-P", "/tmp/run/dropbear.pid"]
        if self.faults.get("refuse_auth"):
            dropbear.append("-w")
        with open(self.dir / "dropbear.log", "ab") as log:
            self.proc = subprocess.Popen(
                ["setpriv", "--pdeathsig", "KILL", "--", "unshare", "--pid", "--fork", "--kill-child", "--mount",
                 "--propagation", "private", "--", "/bin/sh", "-c",
                 'mount -t devpts -o newinstance,ptmxmode=0666 devpts "$0/dev/pts" && exec chroot "$0" "$@"',
                 str(self.root)] + dropbear, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        await self.wait_listening(*listen)
        if linked:
            self.relay = relay.Relay(listen[1], self.faults.get("link_bytes_per_second"),
                                     self.faults.get("upload_cut_after_bytes"))
            self.server = await asyncio.start_server(self.relay.handle, self.address, self.port)
        self.state = "up"
        self.save()

    async def wait_listening(self, address, port):
        for _ in range(BOOT_TIMEOUT * 20):
            if self.proc.poll() is not None:
                break
            try:  # dropbear's banner, not just any listener on that port
                reader, writer = await asyncio.open_connection(address, port)
                banner = await asyncio.wait_for(reader.readline(), 2)
                writer.close()
                if banner.startswith(b"SSH-2.0-dropbear"):
                    return
            except (OSError, asyncio.TimeoutError):
                pass
            await asyncio.sleep(0.05)
        log = (self.dir / "dropbear.log").read_text(errors="replace")[-2000:]
        raise RuntimeError("%s: dropbear did not listen on %s:%d\n%s" % (self.spec["name"], address, port, log))

    def drop(self):
        """The device disappears: listener and relayed connections closed, its namespace killed."""
        if self.server:
            self.server.close()
            self.relay.close()
            self.server = self.relay = None
        if self.proc:
            # Killing the namespace's init (dropbear) ends every process in it; unshare reaps it and exits.
            pid = self.proc.pid
            try:
                children = pathlib.Path("/proc/%d/task/%d/children" % (pid, pid)).read_text().split()
            except FileNotFoundError:  # unshare already gone: dropbear failed
                children = []
            for child in children:
                os.kill(int(child), signal.SIGKILL)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def on_request(self):
        for pid in os.read(self.fifo, 4096).split():
            asyncio.create_task(self.sysupgrade(pid.decode()))

    async def sysupgrade(self, pid):
        request = self.root / "tmp/devsim" / ("sysupgrade." + pid)
        lines = request.with_suffix(request.suffix + ".args").read_text().split("\n")[:-1]
        cwd, argv = lines[0], lines[1:]

        def outside(path):
            return self.root / posixpath.normpath(posixpath.join(cwd, path)).lstrip("/")
        answer = await asyncio.get_running_loop().run_in_executor(
            None, sysupgrade.answer, argv, outside, self.identity["board_name"], self.faults)
        if answer.upgrade is not None and self.upgrading:
            answer.out, answer.err, answer.rc, answer.upgrade = "", "sysupgrade already running\n", 1, None
        for suffix, text in [(".out", answer.out), (".err", answer.err)]:
            devices.write_atomic(request.with_suffix(request.suffix + suffix), text)
        try:  # the waiting script reads its exit status from its FIFO (gone if its session was cut)
            done = os.open(request.with_suffix(request.suffix + ".done"), os.O_WRONLY | os.O_NONBLOCK)
            try:
                os.write(done, b"%s\n" % str(answer.rc).encode())
            finally:
                os.close(done)
        except OSError:
            pass
        if answer.upgrade is not None:
            self.upgrading = True
            asyncio.create_task(self.reflash(answer))

    async def reflash(self, answer):
        await asyncio.sleep(DROP_DELAY)
        self.flashes += 1
        self.state = "rebooting"
        self.save()
        self.drop()
        await asyncio.sleep(self.reboot_seconds)
        if self.faults.get("never_returns"):
            self.state = "down"
            self.save()
            return
        if not self.faults.get("returns_old_version"):
            self.version = answer.upgrade.get("version", self.version)
            self.revision = answer.upgrade.get("revision", self.revision)
            self.target = answer.upgrade.get("target", self.target)
        if not answer.keep_etc:
            shutil.rmtree(self.root / "etc")
            shutil.copytree(self.dir / "factory-etc", self.root / "etc", symlinks=True)
        if self.faults.get("host_key_changes"):
            self.host_key = devices.host_key(self.dir / "host_key", renew=True)
        if "returns_on_address" in self.faults:
            self.address, self.port = devices.split_address(self.faults["returns_on_address"], self.port)
        self.upgrading = False
        if self.unplugged:  # stays away until plugged in again
            self.state = "unplugged"
            self.save()
            return
        try:
            await self.boot()
        except (RuntimeError, OSError) as error:  # e.g. returns_on_address names a port in use
            print(error, flush=True)
            self.drop()
            self.state = "down"
            self.save()

    async def set_unplugged(self, unplugged):
        """`devsim unplug`: the device vanishes (sessions die, connections refused) until `plug`;
        a reflash in progress still completes and counts."""
        if unplugged == self.unplugged:
            return
        self.unplugged = unplugged
        if unplugged and self.state == "up":
            self.drop()
            self.state = "unplugged"
            self.save()
        elif not unplugged and self.state == "unplugged":
            self.state = "down"
            await self.boot()
            if self.unplugged:  # unplugged again while it booted
                self.drop()
                self.state = "unplugged"
                self.save()

    def listing(self):
        keys = ["name", "address", "port", "username", "password", "model", "board_name", "version", "revision",
                "target", "uuid"]
        return dict({k: self.spec[k] for k in keys}, state_root=str(self.root), host_key=self.host_key)


async def supervise(state):
    config = json.loads((state / "config.json").read_text())
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stop.set)
    fleet = []

    def replug():  # SIGHUP: unplugged.json (written by `devsim unplug|plug`) changed
        path = state / "unplugged.json"
        names = set(json.loads(path.read_text())) if path.exists() else set()
        for device in fleet:
            asyncio.create_task(device.set_unplugged(device.spec["name"] in names))
    asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, replug)
    started = time.monotonic()
    devices.build_base(state / "base")
    fleet.extend(Device(state, state / "base", spec, config) for spec in config["devices"])
    try:
        hashed = devices.password_hash(config["devices"][0]["password"]) if fleet else ""
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda device: device.prepare(hashed), fleet))
        for device in fleet:
            device.listen_requests()
        print("%d devices prepared in %.1f s" % (len(fleet), time.monotonic() - started), flush=True)
        booting = asyncio.Semaphore(32)

        async def boot(device):
            async with booting:
                await device.boot()
        await asyncio.gather(*(boot(device) for device in fleet))
        print("%d devices up in %.1f s" % (len(fleet), time.monotonic() - started), flush=True)
        devices.write_atomic(state / "devices.json", json.dumps([d.listing() for d in fleet], indent=2) + "\n")
        await stop.wait()
    finally:
        for device in fleet:
            device.drop()
            if device.state != "unreachable":
                device.state = "down"
            if device.identity:
                device.save()


if __name__ == "__main__":
    asyncio.run(supervise(pathlib.Path(sys.argv[1]).resolve()))
