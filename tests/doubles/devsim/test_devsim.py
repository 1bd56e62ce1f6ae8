#!/usr/bin/python3
"""Tests of the device simulator (scripts/devsim) through a real SSH client (OpenSSH ssh/scp with
sshpass): logins, the OpenWrt paths and commands, SCP upload, sysupgrade's image checks, a reflash
with reboot into the new version (keeping or resetting /etc), the faults, and a stop that leaves no
process behind."""
import hashlib
import json
import os
import pathlib
import random
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import openwrt_image  # noqa: E402

DEVSIM = HERE.parents[2] / "scripts" / "devsim"
NEW_VERSION, NEW_REVISION = "23.05.4", "r24012-d8dd03c46f"
SUBNET = "127.%d.%d" % (random.randint(100, 250), random.randint(1, 250))
FAULTS = {
    "sim-002": {"refuse_auth": True},
    "sim-003": {"unreachable": True},
    "sim-004": {"mem_free_kb": 1000, "mem_freeable_kb": 3000},
    "sim-005": {"sysupgrade_test_fails": True},
    "sim-006": {"ubus_false_positive": True, "host_key_changes": True, "returns_on_address": SUBNET + ".9:2222"},
    "sim-007": {"returns_old_version": True, "wrong_identity": True},
    "sim-008": {"never_returns": True},
    "sim-009": {"upload_cut_after_bytes": 200000},
    "sim-010": {"link_bytes_per_second": 100000},
}


def devsim(*args):
    return subprocess.run([str(DEVSIM)] + list(args), capture_output=True, text=True, check=True, timeout=60).stdout


def image(board, target, version=NEW_VERSION, revision=NEW_REVISION):
    meta = openwrt_image.metadata([board, board.split(",")[1]], version, revision, target, board.replace(",", "_"))
    return openwrt_image.build_image({"etc/openwrt_release": "DISTRIB_RELEASE='%s'\n" % version}, meta)[0]


class Client:
    """OpenSSH against one simulated device; known_hosts pins the host key given."""

    def __init__(self, tmp, device, host_key=None, port=None, address=None):
        self.device, self.tmp = device, tmp
        self.address, self.port = address or device["address"], port or device["port"]
        self.options = ["-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR", "-o", "PubkeyAuthentication=no",
                        "-o", "NumberOfPasswordPrompts=1"]
        if host_key:
            known = tmp / ("known_hosts-%s-%d" % (device["name"], hash(host_key) & 0xffff))
            known.write_text("[%s]:%d %s\n" % (self.address, self.port, host_key))
            self.options += ["-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=%s" % known]
        else:
            self.options += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]

    def run(self, command, password=None, timeout=30):
        return subprocess.run(["sshpass", "-p", password or self.device["password"], "ssh"] + self.options
                              + ["-p", str(self.port), "root@" + self.address, command],
                              capture_output=True, text=True, timeout=timeout)

    def check(self, command):
        result = self.run(command)
        if result.returncode != 0:
            raise AssertionError("%s: %r failed (%d): %s" % (self.device["name"], command, result.returncode,
                                                            result.stderr))
        return result.stdout

    def upload(self, data, path):
        local = self.tmp / ("upload-%s" % self.device["name"])
        local.write_bytes(data)
        return subprocess.run(["sshpass", "-p", self.device["password"], "scp", "-O"] + self.options
                              + ["-P", str(self.port), str(local), "root@%s:%s" % (self.address, path)],
                              capture_output=True, text=True, timeout=60)


class Fleet(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="devsim-test-"))
        cls.state = cls.tmp / "state"
        (cls.tmp / "faults.json").write_text(json.dumps(FAULTS))
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(cls.tmp / "id")], check=True)
        listing = devsim("start", "--count", "11", "--state", str(cls.state), "--faults", str(cls.tmp / "faults.json"),
                         "--reboot-seconds", "1", "--password", "s3cret", "--key", str(cls.tmp / "id.pub"), "--detach")
        cls.devices = {d["name"]: d for d in json.loads(listing)}

    @classmethod
    def tearDownClass(cls):
        devsim("stop", "--state", str(cls.state))
        shutil.rmtree(cls.tmp)

    def client(self, name, **kwargs):
        return Client(self.tmp, self.devices[name], **kwargs)

    def status(self, name):
        return next(d for d in json.loads(devsim("status", "--state", str(self.state), "--json")) if d["name"] == name)

    def wait_state(self, name, state, flashes=None, timeout=10):
        """The device's status once it is in this state (after this many flashes)."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status(name)
            if status["state"] == state and flashes in (None, status["flashes"]):
                return status
            self.assertLess(time.monotonic(), deadline, "%s never became %s: %s" % (name, state, status))
            time.sleep(0.1)

    def wait_flashed(self, name, flashes):
        return self.wait_state(name, "up", flashes)

    def reflash(self, name, flags, board=None, target=None):
        """Uploads a 23.05.4 image for the device's board, runs sysupgrade and returns its result."""
        device = self.devices[name]
        client = self.client(name)
        self.assertEqual(client.upload(image(board or device["board_name"], target or device["target"]),
                                       "/tmp/fw.bin").returncode, 0)
        return client.run("sysupgrade %s /tmp/fw.bin" % flags)

    def test_listing(self):
        self.assertEqual(len(self.devices), 11)
        archer = self.devices["sim-001"]
        self.assertEqual((archer["model"], archer["board_name"], archer["target"]),
                         ("TP-Link Archer C7 v5", "tplink,archer-c7-v5", "ath79/generic"))
        self.assertEqual((archer["version"], archer["username"], archer["password"]), ("22.03.5", "root", "s3cret"))
        self.assertEqual(len({d["board_name"] for d in self.devices.values()}), 6)
        self.assertTrue(pathlib.Path(archer["state_root"], "etc/openwrt_release").is_file())

    def test_openwrt_paths(self):
        device = self.devices["sim-001"]
        client = self.client("sim-001", host_key=device["host_key"])
        self.assertIn("DISTRIB_RELEASE='22.03.5'\n", client.check("cat /etc/openwrt_release"))
        self.assertIn("DISTRIB_TARGET='ath79/generic'\n", client.check("cat /etc/openwrt_release"))
        self.assertEqual(client.check("cat /tmp/sysinfo/model /tmp/sysinfo/board_name"),
                         "TP-Link Archer C7 v5\ntplink,archer-c7-v5\n")
        board = json.loads(client.check("ubus call system board"))
        self.assertEqual((board["board_name"], board["model"], board["hostname"]),
                         ("tplink,archer-c7-v5", "TP-Link Archer C7 v5", "sim-001"))
        self.assertEqual(board["release"], {"distribution": "OpenWrt", "version": "22.03.5",
                                            "revision": "r20134-5f15225c1e", "target": "ath79/generic",
                                            "description": "OpenWrt 22.03.5 r20134-5f15225c1e"})
        self.assertEqual(client.check("uci get system.@system[0].hostname"), "sim-001\n")
        self.assertEqual(client.check("uci get fwhub.device.uuid"), device["uuid"] + "\n")
        self.assertEqual(client.run("uci get fwhub.device.missing").returncode, 1)
        self.assertEqual(client.check("rm -rf /tmp/opkg-lists/; sync && echo 3 > /proc/sys/vm/drop_caches && echo ok"),
                         "ok\n")
        self.assertIn("MemTotal:         124000 kB\n", client.check("cat /proc/meminfo"))
        self.assertEqual(client.run("sftp -h; ls /usr/libexec/sftp-server").returncode, 1)
        self.assertIn("Permission denied", client.run("true", password="wrong").stderr)

    def test_public_key_login(self):
        device = self.devices["sim-011"]
        result = subprocess.run(["ssh", "-i", str(self.tmp / "id"), "-o", "BatchMode=yes",
                                 "-o", "PasswordAuthentication=no",
                                 "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                                 "-o", "LogLevel=ERROR", "-p", str(device["port"]), "root@" + device["address"],
                                 "cat /tmp/sysinfo/board_name"], capture_output=True, text=True, timeout=30)
        self.assertEqual((result.returncode, result.stdout), (0, device["board_name"] + "\n"))

    def test_scp_upload(self):
        data = os.urandom(300000)
        client = self.client("sim-001")
        self.assertEqual(client.upload(data, "/tmp/blob").returncode, 0)
        self.assertEqual(client.check("sha256sum /tmp/blob"), hashlib.sha256(data).hexdigest() + "  /tmp/blob\n")

    def test_sysupgrade_checks(self):
        client = self.client("sim-011")
        device = self.devices["sim-011"]
        cases = {"match": image(device["board_name"], device["target"]),
                 "other": image("netgear,r7800", "ipq806x/generic"),
                 "crc": bytearray(image(device["board_name"], device["target"])),
                 "tar": openwrt_image.append_block(b"not a tar", b"\0" * 8 + json.dumps(openwrt_image.metadata(
                     [device["board_name"]], NEW_VERSION, NEW_REVISION, device["target"], "x")).encode(),
                     openwrt_image.TYPE_METADATA)}
        cases["crc"][30] ^= 0xFF
        for name, data in cases.items():
            self.assertEqual(client.upload(bytes(data), "/tmp/%s.bin" % name).returncode, 0)
        result = client.run("sysupgrade --test /tmp/match.bin")
        self.assertEqual((result.returncode, result.stderr), (0, ""))
        result = client.run("cd /tmp && sysupgrade -T other.bin")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Device %s not supported by this image\n" % device["board_name"], result.stderr)
        self.assertTrue(result.stderr.endswith("Image check failed.\n"))
        result = client.run("sysupgrade --test /tmp/crc.bin")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Image metadata not present", result.stderr)
        result = client.run("sysupgrade --test /tmp/tar.bin")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Invalid image type.", result.stderr)
        self.assertEqual(client.run("sysupgrade --test /tmp/none.bin").returncode, 1)
        self.assertEqual(client.run("sysupgrade -x /tmp/match.bin").stderr, "Invalid option: -x\n")
        self.assertEqual(self.status("sim-011")["flashes"], 0)

    def test_upgrade_keeps_then_resets_etc(self):
        device = self.devices["sim-001"]
        client = self.client("sim-001", host_key=device["host_key"])
        client.check("echo kept > /etc/marker")
        result = self.reflash("sim-001", "-v")
        self.assertEqual(result.returncode, 255)  # the connection drops
        self.assertIn("Commencing upgrade. Closing all shell sessions.\n", result.stdout)
        self.assertEqual(self.status("sim-001")["state"], "rebooting")
        self.assertNotEqual(client.run("true", timeout=10).returncode, 0)
        status = self.wait_flashed("sim-001", 1)
        self.assertEqual((status["version"], status["revision"]), (NEW_VERSION, NEW_REVISION))
        self.assertIn("DISTRIB_RELEASE='23.05.4'\nDISTRIB_REVISION='r24012-d8dd03c46f'\n",
                      client.check("cat /etc/openwrt_release"))  # same host key: pinned client works
        self.assertEqual(json.loads(client.check("ubus call system board"))["release"]["version"], NEW_VERSION)
        self.assertEqual(client.check("cat /etc/marker; ls /tmp"), "kept\nlock\nrun\nsysinfo\n")
        self.assertEqual(self.reflash("sim-001", "-v -n").returncode, 255)
        self.wait_flashed("sim-001", 2)
        self.assertEqual(client.run("cat /etc/marker").returncode, 1)
        self.assertEqual(client.check("uci get fwhub.device.uuid"), device["uuid"] + "\n")

    def test_fault_refuse_auth_and_unreachable(self):
        self.assertIn("Permission denied", self.client("sim-002").run("true").stderr)
        result = self.client("sim-003").run("true")
        self.assertEqual(result.returncode, 255)
        self.assertIn("Connection refused", result.stderr)
        self.assertEqual(self.status("sim-003")["state"], "unreachable")

    def test_fault_memory(self):
        client = self.client("sim-004")
        meminfo = client.check("cat /proc/meminfo")
        self.assertIn("MemFree:            1000 kB\nMemAvailable:       1000 kB\n", meminfo)
        client.check("for s in uhttpd dnsmasq cron rpcd odhcpd log; do /etc/init.d/$s stop; done; wifi down")
        self.assertIn("MemAvailable:       4000 kB\n", client.check("cat /proc/meminfo"))
        self.assertEqual(client.run("/etc/init.d/uhttpd running").returncode, 1)
        client.check("/etc/init.d/uhttpd start; wifi up")
        self.assertEqual(client.run("/etc/init.d/uhttpd running").returncode, 0)
        self.assertLess(int(client.check("awk '/MemAvailable/ {print $2}' /proc/meminfo")), 4000)

    def test_fault_sysupgrade_test_fails(self):
        device = self.devices["sim-005"]
        client = self.client("sim-005")
        self.assertEqual(client.upload(image(device["board_name"], device["target"]), "/tmp/fw.bin").returncode, 0)
        result = client.run("sysupgrade --test /tmp/fw.bin")
        self.assertEqual(result.returncode, 1)
        self.assertIn("Image check failed.", result.stderr)

    def test_fault_false_positive_new_address_new_key(self):
        device = self.devices["sim-006"]
        result = self.reflash("sim-006", "-v -c")
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stderr, r"Command failed: ubus call system sysupgrade \{.*\} \(Connection failed\)")
        status = self.wait_flashed("sim-006", 1)
        self.assertEqual((status["address"], status["port"], status["version"], status["flashes"]),
                         (SUBNET + ".9", 2222, NEW_VERSION, 1))
        self.assertNotEqual(status["host_key"], device["host_key"])
        self.assertEqual(self.client("sim-006").run("true", timeout=10).returncode, 255)  # old address
        pinned_old = self.client("sim-006", host_key=device["host_key"], address=status["address"], port=2222)
        self.assertIn("Host key verification failed", pinned_old.run("true").stderr)
        pinned_new = self.client("sim-006", host_key=status["host_key"], address=status["address"], port=2222)
        self.assertEqual(pinned_new.check("cat /tmp/sysinfo/board_name"), device["board_name"] + "\n")

    def test_fault_wrong_identity_old_version(self):
        device = self.devices["sim-007"]
        client = self.client("sim-007")
        self.assertNotEqual(client.check("uci get fwhub.device.uuid").strip(), device["uuid"])
        reported = client.check("cat /tmp/sysinfo/board_name").strip()
        self.assertNotEqual(reported, device["board_name"])
        self.assertEqual(self.reflash("sim-007", "-v").returncode, 1)  # image for the expected board
        self.assertEqual(self.reflash("sim-007", "-v", board=reported).returncode, 255)
        status = self.wait_flashed("sim-007", 1)
        self.assertEqual((status["version"], status["flashes"]), ("22.03.5", 1))
        self.assertIn("DISTRIB_RELEASE='22.03.5'", client.check("cat /etc/openwrt_release"))

    def test_fault_never_returns(self):
        self.assertEqual(self.reflash("sim-008", "-v").returncode, 255)
        self.wait_state("sim-008", "down", flashes=1)
        time.sleep(1.5)
        self.assertEqual(self.status("sim-008")["state"], "down")
        self.assertIn("Connection refused", self.client("sim-008").run("true").stderr)

    def test_fault_upload_cut(self):
        client = self.client("sim-009")
        self.assertEqual(client.upload(os.urandom(50000), "/tmp/small").returncode, 0)
        self.assertNotEqual(client.upload(os.urandom(1000000), "/tmp/big").returncode, 0)

    def test_fault_slow_link(self):
        client = self.client("sim-010")
        started = time.monotonic()
        self.assertEqual(client.upload(os.urandom(200000), "/tmp/blob").returncode, 0)
        self.assertGreater(time.monotonic() - started, 2.0)


class Stop(unittest.TestCase):
    def test_stop_leaves_no_process(self):
        with tempfile.TemporaryDirectory(prefix="devsim-stop-") as tmp:
            tmp = pathlib.Path(tmp)
            state = tmp / "state"
            (tmp / "faults.json").write_text(json.dumps({"sim-002": {"link_bytes_per_second": 50000}}))
            start = "%s.%d" % (SUBNET.rsplit(".", 1)[0], random.randint(1, 250))
            listing = json.loads(devsim("start", "--count", "2", "--state", str(state), "--addresses",
                                        "%s.1-%s.2" % (start, start), "--base-port", "2200",
                                        "--faults", str(tmp / "faults.json"), "--detach"))
            self.assertEqual([(d["address"], d["port"]) for d in listing],
                             [(start + ".1", 2200), (start + ".2", 2200)])
            session = subprocess.Popen(["sshpass", "-p", "password", "ssh", "-o", "StrictHostKeyChecking=no",
                                        "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
                                        "-p", "2200", "root@" + start + ".1", "sleep 300"],
                                       stderr=subprocess.DEVNULL)
            client = Client(tmp, listing[1])
            self.assertEqual(client.upload(image(listing[1]["board_name"], listing[1]["target"]), "/tmp/fw.bin")
                             .returncode, 0)
            self.assertEqual(client.run("sysupgrade -v /tmp/fw.bin").returncode, 255)  # stops while rebooting
            time.sleep(0.5)
            self.assertTrue(processes(state))
            devsim("stop", "--state", str(state))
            self.assertEqual(processes(state), [])
            self.assertEqual(session.wait(timeout=10), 255)
            self.assertIn("down", devsim("status", "--state", str(state)))


class Unplug(unittest.TestCase):
    def test_unplugged_device_vanishes_and_comes_back_after_a_reflash_it_had_begun(self):
        with tempfile.TemporaryDirectory(prefix="devsim-unplug-") as tmp:
            tmp = pathlib.Path(tmp)
            state = tmp / "state"
            device = json.loads(devsim("start", "--count", "1", "--state", str(state), "--reboot-seconds", "1",
                                       "--detach"))[0]

            def status():
                return json.loads(devsim("status", "--state", str(state), "--json"))[0]

            def wait(expected):
                deadline = time.monotonic() + 10
                while status()["state"] != expected:
                    self.assertLess(time.monotonic(), deadline, "never %s: %s" % (expected, status()))
                    time.sleep(0.1)
            try:
                client = Client(tmp, device)
                session = subprocess.Popen(["sshpass", "-p", "password", "ssh"] + client.options
                                           + ["-p", str(device["port"]), "root@" + device["address"], "sleep 300"],
                                           stderr=subprocess.DEVNULL)
                time.sleep(0.5)
                devsim("unplug", "--state", str(state), "sim-001")
                wait("unplugged")
                self.assertEqual(session.wait(timeout=10), 255)  # its sessions died with it
                self.assertIn("Connection refused", client.run("true").stderr)
                devsim("plug", "--state", str(state), "sim-001")
                wait("up")
                self.assertEqual(client.check("echo back"), "back\n")

                # Unplugged during the reboot of a reflash: the flash counts, the device stays away.
                self.assertEqual(client.upload(image(device["board_name"], device["target"]), "/tmp/fw.bin")
                                 .returncode, 0)
                self.assertEqual(client.run("sysupgrade -v /tmp/fw.bin").returncode, 255)
                devsim("unplug", "--state", str(state), "sim-001")
                time.sleep(2)
                self.assertEqual((status()["state"], status()["flashes"]), ("unplugged", 1))
                devsim("plug", "--state", str(state), "sim-001")
                wait("up")
                self.assertEqual((status()["version"], status()["flashes"]), (NEW_VERSION, 1))
                with self.assertRaises(subprocess.CalledProcessError):
                    devsim("unplug", "--state", str(state), "sim-999")
            finally:
                devsim("stop", "--state", str(state))


class Ports(unittest.TestCase):
    def test_free_ports_are_distinct(self):
        """A fleet's ports never repeat (picked one by one, two of bench/batch's 201 devices got one port)."""
        sys.path.insert(0, str(HERE))
        import supervisor
        ports = supervisor.free_ports(3000)
        self.assertEqual(len(set(ports)), 3000)


def processes(state):
    """ps lines of processes belonging to the state folder (by command line or chroot)."""
    lines = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True, check=True).stdout
    found = [line for line in lines.splitlines() if str(state) in line]
    for pid in [line.split()[0] for line in lines.splitlines()]:
        try:
            if os.readlink("/proc/%s/root" % pid).startswith(str(state)):
                found.append(pid)
        except OSError:
            pass
    return found


if __name__ == "__main__":
    unittest.main(verbosity=2)
