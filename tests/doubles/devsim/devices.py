"""The simulated devices' definitions and file systems: default models (real OpenWrt boards), fault
options, the shared base root (busybox, dropbear, scp, devsim's OpenWrt commands) and each device's
root folder with its factory /etc and the files OpenWrt generates at boot."""
import ipaddress
import json
import os
import pathlib
import shutil
import subprocess
import uuid

HERE = pathlib.Path(__file__).resolve().parent
ROOTFS = HERE / "rootfs"

VERSION, REVISION, KERNEL = "22.03.5", "r20134-5f15225c1e", "5.10.176"
# (model as in /tmp/sysinfo/model, board_name, target, MemTotal kB)
MODELS = [
    ("TP-Link Archer C7 v5", "tplink,archer-c7-v5", "ath79/generic", 124_000),
    ("GL.iNet GL-MT300N-V2", "glinet,gl-mt300n-v2", "ramips/mt76x8", 125_000),
    ("Netgear Nighthawk X4S R7800", "netgear,r7800", "ipq806x/generic", 503_000),
    ("Ubiquiti EdgeRouter X", "ubnt,edgerouter-x", "ramips/mt7621", 249_000),
    ("TP-Link TL-WR1043N/ND v4", "tplink,tl-wr1043nd-v4", "ath79/generic", 59_000),
    ("Linksys E8450 (UBI)", "linksys,e8450-ubi", "mediatek/mt7622", 497_000),
]
# Simulated memory held by each service (kB), freed when it is stopped.
SERVICES = {"uhttpd": 1800, "dnsmasq": 1500, "cron": 300, "rpcd": 900, "odhcpd": 700, "log": 400, "wifi": 2400}
FAULTS = {"unreachable": bool, "refuse_auth": bool, "upload_cut_after_bytes": int, "link_bytes_per_second": int,
          "mem_free_kb": int, "mem_freeable_kb": int, "sysupgrade_test_fails": bool, "ubus_false_positive": bool,
          "never_returns": bool, "returns_on_address": str, "returns_old_version": bool, "wrong_identity": (bool, dict),
          "host_key_changes": bool, "reboot_seconds": (int, float), "version": str, "revision": str}
BINARIES = ["/usr/sbin/dropbear", "/usr/bin/scp"]


def address_range(text):
    """'127.0.1.1-127.0.1.50' -> list of addresses, all in 127.0.0.0/8."""
    first, _, last = text.partition("-")
    first, last = ipaddress.IPv4Address(first), ipaddress.IPv4Address(last or first)
    loopback = ipaddress.IPv4Network("127.0.0.0/8")
    if first not in loopback or last not in loopback or last < first:
        raise ValueError("addresses must be a range inside 127.0.0.0/8: %s" % text)
    return [str(ipaddress.IPv4Address(a)) for a in range(int(first), int(last) + 1)]


def split_address(text, port):
    """'127.0.1.9:2222', '127.0.1.9' or '2222' -> (address, port)."""
    host, _, rest = text.rpartition(":") if ":" in text else ("", "", text)
    if "." in rest:
        host, rest = rest, str(port)
    host = host or "127.0.0.1"
    if ipaddress.IPv4Address(host) not in ipaddress.IPv4Network("127.0.0.0/8"):
        raise ValueError("devsim serves on 127.0.0.0/8 only: %s" % text)
    return host, int(rest)


def check_faults(faults, names):
    for name, options in faults.items():
        if name not in names:
            raise ValueError("faults for an unknown device: %s" % name)
        for key, value in options.items():
            if key not in FAULTS or not isinstance(value, FAULTS[key]):
                raise ValueError("%s: unknown fault or wrong type: %s=%r" % (name, key, value))
        if "returns_on_address" in options:
            split_address(options["returns_on_address"], 22)


def names(count):
    return ["sim-%0*d" % (max(3, len(str(count))), i + 1) for i in range(count)]


def definitions(count, endpoints, password, faults):
    """The device list; endpoints: [(address, port)] one per device."""
    devices = []
    for i, name in enumerate(names(count)):
        model, board, target, total = MODELS[i % len(MODELS)]
        options = faults.get(name, {})
        devices.append({"name": name, "address": endpoints[i][0], "port": endpoints[i][1], "username": "root",
                        "password": password, "model": model, "board_name": board,
                        "version": options.get("version", VERSION), "revision": options.get("revision", REVISION),
                        "target": target, "mem_total_kb": total, "faults": options})
    return devices


def build_base(base):
    """busybox with its applets, dropbear and OpenSSH's scp (with their libraries) and devsim's
    commands; device roots are hard-linked copies of it."""
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    (base / "bin").mkdir()
    shutil.copy2("/bin/busybox", base / "bin/busybox")
    applets = subprocess.run(["/bin/busybox", "--list-full"], capture_output=True, text=True, check=True).stdout.split()
    for applet in applets:
        link = base / applet
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists() and not (ROOTFS / applet).exists():
            link.symlink_to("/bin/busybox")
    libraries = set()
    for binary in BINARIES:
        libraries.update(line.split()[-2] if "=>" in line else line.split()[0]
                         for line in subprocess.run(["ldd", binary], capture_output=True, text=True, check=True)
                         .stdout.splitlines() if "/" in line)
    for path in BINARIES + sorted(libraries):
        target = base / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(os.path.realpath(path), target)
    for folder in ["bin", "sbin", "lib"]:
        shutil.copytree(ROOTFS / folder, base / folder, dirs_exist_ok=True, symlinks=True)
    (base / "dev").mkdir()
    for node, major, minor in [("null", 1, 3), ("zero", 1, 5), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)]:
        os.mknod(base / "dev" / node, 0o20666, os.makedev(major, minor))
    (base / "dev/pts").mkdir()
    (base / "dev/ptmx").symlink_to("pts/ptmx")


def host_key(path, renew=False):
    """The device's dropbear ed25519 host key (created once); returns its public key line."""
    if renew and path.exists():
        path.unlink()
    if not path.exists():
        subprocess.run(["dropbearkey", "-t", "ed25519", "-f", str(path)], capture_output=True, check=True)
    lines = subprocess.run(["dropbearkey", "-y", "-f", str(path)], capture_output=True, text=True, check=True).stdout
    return " ".join(next(line for line in lines.splitlines() if line.startswith("ssh-")).split()[:2])


def password_hash(password):
    return subprocess.run(["/bin/busybox", "mkpasswd", "-m", "sha512", "-P", "0"], input=password, capture_output=True,
                          text=True, check=True).stdout.strip()


def factory_etc(folder, device, identity, hashed, public_key):
    """The /etc a device has after a factory reset (sysupgrade -n restores it)."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "config").mkdir(parents=True)
    (folder / "dropbear").mkdir(mode=0o700)
    shutil.copy2(ROOTFS / "etc/rc.common", folder / "rc.common")
    shutil.copytree(ROOTFS / "etc/init.d", folder / "init.d")
    files = {
        "passwd": "root:x:0:0:root:/root:/bin/ash\ndaemon:*:1:1:daemon:/var:/bin/false\n"
                  "nobody:*:65534:65534:nobody:/var:/bin/false\n",
        "shadow": "root:%s:19000:0:99999:7:::\ndaemon:*:0:0:99999:7:::\nnobody:*:0:0:99999:7:::\n" % hashed,
        "group": "root:x:0:\ndaemon:x:1:\nnogroup:x:65534:\n",
        "shells": "/bin/ash\n/bin/sh\n",
        "banner": "  OpenWrt (simulated by fwhub devsim)\n",
        "config/system": "config system\n\toption hostname '%s'\n\toption timezone 'UTC'\n\toption zonename 'UTC'\n"
                         "\toption log_size '64'\n" % device["name"],
        "config/dropbear": "config dropbear\n\toption PasswordAuth 'on'\n\toption RootPasswordAuth 'on'\n"
                           "\toption Port '22'\n",
        "config/fwhub": "config device 'device'\n\toption uuid '%s'\n" % identity["uuid"],
    }
    if public_key:
        files["dropbear/authorized_keys"] = public_key.strip() + "\n"
    for name, text in files.items():
        (folder / name).write_text(text)
    (folder / "shadow").chmod(0o600)


def identity(device):
    """The identity the device really reports: fwhub's uuid and its board, both different from the
    expected ones under the wrong_identity fault."""
    wrong = device["faults"].get("wrong_identity")
    if not wrong:
        return {"uuid": device["uuid"], "board_name": device["board_name"]}
    wrong = wrong if isinstance(wrong, dict) else {}
    return {"uuid": wrong.get("uuid", str(uuid.uuid5(uuid.UUID(device["uuid"]), "wrong"))),
            "board_name": wrong.get("board_name", "tplink,archer-c7-v2")}


def make_root(base, root, etc):
    """A device's root folder: the base hard-linked, its own /etc, /proc, /tmp, /root."""
    shutil.rmtree(root, ignore_errors=True)
    subprocess.run(["cp", "-al", str(base), str(root)], check=True)
    shutil.copytree(etc, root / "etc", symlinks=True)
    (root / "proc/sys/vm").mkdir(parents=True)
    (root / "proc/sys/vm/drop_caches").write_text("0\n")
    (root / "root").mkdir(mode=0o700)
    (root / "root/.ssh").symlink_to("/etc/dropbear")
    (root / "var").symlink_to("tmp")
    os.mkfifo(root / "lib/devsim/sysupgrade.fifo", 0o622)


def write_atomic(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".new")
    tmp.write_text(text)
    tmp.replace(path)


def boot_files(root, device, board, version, revision):
    """What OpenWrt (re)creates at boot: an empty /tmp, /tmp/sysinfo, release files, ubus's board
    answer and the simulated memory with all services running."""
    shutil.rmtree(root / "tmp", ignore_errors=True)
    for folder in ["tmp/sysinfo", "tmp/run", "tmp/lock"]:
        (root / folder).mkdir(parents=True)
    (root / "tmp").chmod(0o1777)
    target, model = device["target"], device["model"]
    (root / "tmp/sysinfo/model").write_text(model + "\n")
    (root / "tmp/sysinfo/board_name").write_text(board + "\n")
    description = "OpenWrt %s %s" % (version, revision)
    write_atomic(root / "etc/openwrt_release",
                 "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='%s'\nDISTRIB_REVISION='%s'\nDISTRIB_TARGET='%s'\n"
                 "DISTRIB_ARCH='%s'\nDISTRIB_DESCRIPTION='%s'\nDISTRIB_TAINTS=''\n"
                 % (version, revision, target, "mips_24kc" if target.startswith(("ath79", "ramips/mt76x8"))
                    else "arm_cortex-a15_neon-vfpv4", description))
    write_atomic(root / "etc/openwrt_version", revision + "\n")
    write_atomic(root / "usr/lib/os-release",
                 'NAME="OpenWrt"\nVERSION="%s"\nID="openwrt"\nPRETTY_NAME="OpenWrt %s"\nVERSION_ID="%s"\n'
                 'BUILD_ID="%s"\nOPENWRT_BOARD="%s"\nOPENWRT_RELEASE="%s"\n'
                 % (version, version, version, revision, target, description))
    board_json = {"kernel": KERNEL, "hostname": device["name"], "system": "simulated CPU (fwhub devsim)",
                  "model": model, "board_name": board, "rootfs_type": "squashfs",
                  "release": {"distribution": "OpenWrt", "version": version, "revision": revision,
                              "target": target, "description": description}}
    write_atomic(root / "lib/devsim/board.json", json.dumps(board_json, indent="\t") + "\n")
    faults = device["faults"]
    freeable = faults.get("mem_freeable_kb", sum(SERVICES.values()))
    share = {name: freeable * kb // sum(SERVICES.values()) for name, kb in SERVICES.items()}
    share["wifi"] += freeable - sum(share.values())
    free = faults.get("mem_free_kb", device["mem_total_kb"] // 2)
    write_atomic(root / "lib/devsim/mem.conf", "MEM_TOTAL=%d\nMEM_FREE=%d\n" % (device["mem_total_kb"], free)
                 + "".join("MEM_%s=%d\n" % item for item in share.items()))
    write_atomic(root / "proc/meminfo",
                 "MemTotal:       %8d kB\nMemFree:        %8d kB\nMemAvailable:   %8d kB\nBuffers:        %8d kB\n"
                 "Cached:         %8d kB\n" % (device["mem_total_kb"], free, free, 1024, 4096))
