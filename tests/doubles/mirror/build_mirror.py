#!/usr/bin/python3
"""Builds fwhub's local upstream mirror: OpenWrt's download-server layout for the releases in
tests/data/openwrt, with generated package indexes, a small valid image for every image the real
profiles.json files list (their checksums rewritten to match), an ImageBuilder archive per target
(fwhub's test ImageBuilder, tests/doubles/imagebuilder), and sha256sums per target signed with the
mirror's own usign key (generated once into --key-dir).

Usage: build_mirror.py --out DIR [--data DIR] [--key-dir DIR] [--versions V1,V2]
"""
import argparse
import concurrent.futures
import gzip
import hashlib
import io
import json
import os
import pathlib
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import openwrt_image  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[3]
DOUBLES = pathlib.Path(__file__).resolve().parent.parent
UPSTREAM = "https://downloads.openwrt.org"
FEEDS = ["base", "luci", "packages", "routing", "telephony"]
KERNEL = {"23.05": "5.15.162", "19.07": "4.14.275"}

# Libraries that carry an ABI version in their package name (name -> ABI version).
ABI_LIBS = {"libubus": "20230605", "libjson-c": "5", "libustream-mbedtls": "20201210", "libuci": "20130104",
            "libblobmsg-json": "20230523", "libubox": "20230523", "libiwinfo": "20230701", "libnl-tiny": "2023-07-27"}
# Mutually exclusive packages: each conflicts with the others of its group.
CONFLICTS = [["wpad-basic-mbedtls", "wpad-mbedtls", "wpad-openssl", "wpad-basic-wolfssl", "wpad-wolfssl"],
             ["dnsmasq", "dnsmasq-full"], ["libustream-mbedtls", "libustream-openssl", "libustream-wolfssl"]]
# Packages whose installation takes this long in the test ImageBuilder (a slow postinst).
SLOW = {"slow-postinst": 6, "hanging-postinst": 3600}
EXTRA = {
    "luci": ["luci", "luci-ssl", "luci-base", "luci-mod-admin-full", "luci-theme-bootstrap", "luci-compat",
             "luci-proto-wireguard", "luci-proto-ppp", "luci-lib-ip", "luci-lib-jsonc", "luci-lua-runtime"]
            + ["luci-app-" + n for n in ["attendedsysupgrade", "firewall", "opkg", "statistics", "wireguard", "sqm",
                                          "ddns", "upnp", "adblock", "banip", "acme", "openvpn", "nlbwmon", "mwan3",
                                          "wol", "samba4", "vnstat2", "uhttpd", "commands", "package-manager"]]
            + ["luci-i18n-%s-%s" % (a, l) for a in ["base", "firewall", "opkg", "attendedsysupgrade"]
               for l in ["de", "fr", "es", "it", "nl", "pl", "pt-br", "ru", "ja", "zh-cn"]],
    "packages": ["tcpdump", "htop", "wireguard-tools", "curl", "nano", "vim", "iperf3", "owut", "auc", "rpcd",
                 "rpcd-mod-rrdns", "uhttpd", "uhttpd-mod-ubus", "adblock", "banip", "acme", "ddns-scripts",
                 "sqm-scripts", "mwan3", "openvpn-openssl", "samba4-server", "vnstat2", "collectd", "nlbwmon",
                 "miniupnpd", "wol", "lua", "libubus-lua", "ucode", "ucode-mod-fs", "ucode-mod-uci", "jq",
                 "python3-light", "python3", "perl", "bash", "coreutils", "coreutils-sort", "diffutils",
                 "openssh-server", "openssh-sftp-server", "rsync", "screen", "tmux", "zsh", "git", "iputils-ping",
                 "bind-dig", "mtr", "nmap", "ethtool", "usbutils", "pciutils", "block-mount", "e2fsprogs",
                 "f2fs-tools", "kmod-usb-storage-shim", "adguardhome", "big-firmware-blob", "huge-data-package",
                 "dnsmasq-full", "wpad-mbedtls", "wpad-openssl", "wpad-wolfssl", "wpad-basic-wolfssl",
                 "libustream-openssl", "libustream-wolfssl", "libopenssl3", "libwolfssl", "libmbedtls",
                 "libcurl4", "libncurses6", "libpcap1", "zlib", "liblua5.1.5", "libpthread", "librt"]
                + ["prometheus-node-exporter-lua" + s for s in ["", "-nat_traffic", "-netstat", "-wifi"]] + list(SLOW),
    "routing": ["bird2", "bird2c", "babeld", "olsrd", "batctl-full", "kmod-batman-adv-shim", "alfred", "frr",
                "frr-zebra", "frr-bgpd", "frr-ospfd", "ahcpd", "mcproxy", "pimbd"],
    "telephony": ["asterisk", "asterisk-pjsip", "baresip", "kamailio", "freeswitch", "siproxd", "rtpproxy",
                  "coturn", "yate", "miax"],
}
# Explicit dependencies; packages not listed depend on libc only.
DEPENDS = {
    "luci": ["luci-ssl", "luci-mod-admin-full", "luci-theme-bootstrap", "luci-app-firewall", "luci-app-opkg"],
    "luci-ssl": ["luci-base", "libustream-mbedtls"], "luci-base": ["lua", "libubus-lua", "rpcd", "uhttpd",
                                                                   "luci-lib-jsonc", "ucode"],
    "luci-mod-admin-full": ["luci-base"], "luci-theme-bootstrap": ["luci-base"], "luci-compat": ["luci-base"],
    "luci-lib-jsonc": ["libjson-c", "liblua5.1.5"], "libubus-lua": ["libubus", "lua"], "lua": ["liblua5.1.5"],
    "rpcd": ["libubus", "libuci", "libblobmsg-json"], "uhttpd": ["libubox"], "uhttpd-mod-ubus": ["uhttpd", "rpcd"],
    "tcpdump": ["libpcap1"], "htop": ["libncurses6"], "nano": ["libncurses6"], "vim": ["libncurses6"],
    "curl": ["libcurl4"], "libcurl4": ["libmbedtls", "zlib"], "owut": ["ucode", "ucode-mod-fs", "ucode-mod-uci",
                                                                         "rpcd"],
    "auc": ["libubus", "libuci", "libblobmsg-json"], "wireguard-tools": ["kmod-wireguard-shim"],
    "openvpn-openssl": ["libopenssl3"], "libustream-openssl": ["libopenssl3"], "libustream-wolfssl": ["libwolfssl"],
    "libustream-mbedtls": ["libmbedtls"], "wpad-openssl": ["libopenssl3"], "wpad-wolfssl": ["libwolfssl"],
    "wpad-basic-wolfssl": ["libwolfssl"], "python3": ["python3-light"], "frr-zebra": ["frr"], "frr-bgpd": ["frr"],
    "frr-ospfd": ["frr"], "asterisk-pjsip": ["asterisk"], "bird2c": ["bird2"],
}
BIG = {"big-firmware-blob": 12 * 1024 * 1024, "huge-data-package": 48 * 1024 * 1024, "python3": 9 * 1024 * 1024}


def digest(text):
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)


def version_of(name, release):
    n = digest(name + release)
    if name.startswith("kmod-"):
        return "%s-%d" % (KERNEL[release[:5]], 1 + n % 3)
    if name.startswith("luci"):
        return "23.%03d.%05d~%07x" % (n % 365, n % 90000, n % 0xfffffff)
    return "%d.%d.%d-%d" % (1 + n % 9, n % 20, n % 13, 1 + n % 4)


def is_target_package(name):
    return name.startswith("kmod-") or "-firmware" in name or name.endswith("-firmware")


def package_name(name):
    """The name in the index: ABI-versioned libraries carry their ABI version (libubus20230605)."""
    return name + ABI_LIBS.get(name, "")


def stanza(name, release, arch, feed):
    package = package_name(name)
    version = version_of(name, release)
    fields = [("Package", package), ("Version", version)]
    if name != "libc":
        fields.append(("Depends", ", ".join(package_name(d) for d in ["libc"] + DEPENDS.get(name, []) if d != name)))
    if name in ABI_LIBS:
        fields += [("Provides", name), ("ABIVersion", ABI_LIBS[name])]
    for group in CONFLICTS:
        if name in group:
            fields.append(("Conflicts", ", ".join(g for g in group if g != name)))
    if name in SLOW:
        fields.append(("X-Fwhub-Postinst-Seconds", str(SLOW[name])))
    size = BIG.get(name, 2048 + digest(name) % 200000)
    section = "luci" if name.startswith("luci") else ("kernel" if name.startswith("kmod") else "utils")
    fields += [("Source", "package/%s/%s" % (feed, name)), ("SourceName", name), ("License", "GPL-2.0"),
               ("Section", section), ("Architecture", arch), ("Installed-Size", str(size * 2)),
               ("Filename", "%s_%s_%s.ipk" % (package, version, arch)), ("Size", str(size)),
               ("SHA256sum", hashlib.sha256((package + release + arch).encode()).hexdigest()),
               ("Description", "%s for OpenWrt %s (generated for fwhub's local mirror)" % (name, release))]
    return "".join("%s: %s\n" % field for field in fields)


def write(path, data, files):
    path.parent.mkdir(parents=True, exist_ok=True)
    data = data.encode() if isinstance(data, str) else data
    path.write_bytes(data)
    files.append(path)
    return data


def write_index(directory, release, arch, names, feed):
    text = "\n".join(stanza(n, release, arch, feed) for n in sorted(names))
    written = []
    write(directory / "Packages", text, written)
    write(directory / "Packages.gz", gzip.compress(text.encode(), mtime=0), written)
    if not release.startswith("19."):
        index = {"version": 1, "architecture": arch, "packages": {n: version_of(n, release) for n in sorted(names)}}
        write(directory / "index.json", json.dumps(index, indent=2, sort_keys=True), written)
    return written


def signify(args, data=None):
    return subprocess.run(["signify-openbsd"] + args, input=data, capture_output=True, check=True).stdout


def ensure_key(key_dir):
    key_dir.mkdir(parents=True, exist_ok=True)
    secret, public = key_dir / "mirror.sec", key_dir / "mirror.pub"
    if not secret.exists():
        signify(["-G", "-n", "-c", "fwhub local mirror key", "-p", str(public), "-s", str(secret)])
    return secret, public


def imagebuilder(release, target, data):
    """The target's ImageBuilder archive (fwhub's test ImageBuilder, OpenWrt's archive layout)."""
    top = "openwrt-imagebuilder-%s-%s.Linux-x86_64" % (release, target.replace("/", "-"))
    base = "%s/releases/%s" % (UPSTREAM, release)
    feeds = ["src/gz openwrt_core %s/targets/%s/packages" % (base, target)]
    feeds += ["src/gz openwrt_%s %s/packages/%s/%s" % (f, base, data["arch_packages"], f) for f in FEEDS]
    files = {"Makefile": (DOUBLES / "imagebuilder" / "Makefile").read_bytes(),
             "scripts/imagebuilder.py": (DOUBLES / "imagebuilder" / "imagebuilder.py").read_bytes(),
             "scripts/openwrt_image.py": (DOUBLES / "openwrt_image.py").read_bytes(),
             ".targetinfo.json": json.dumps(data, sort_keys=True).encode(),
             "repositories.conf": ("\n".join(feeds) + "\nsrc imagebuilder file:packages\n").encode(),
             "packages/Packages": b""}
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w:xz", preset=1) as tar:
        for path in sorted(files):
            info = tarfile.TarInfo("%s/%s" % (top, path))
            info.size, info.mtime = len(files[path]), openwrt_image.MTIME
            info.mode = 0o755 if path.endswith(".py") else 0o644
            tar.addfile(info, io.BytesIO(files[path]))
    return top + ".tar.xz", raw.getvalue()


def build_target(release, target, profiles_file, out, secret):
    """Images, package index, rewritten profiles.json and signed sha256sums of one target."""
    target_dir = out / "releases" / release / "targets" / target
    data = json.loads(profiles_file.read_text())
    archive, blob = imagebuilder(release, target, data)
    files = []
    write(target_dir / archive, blob, files)
    sign = openwrt_image.signify_signer(str(secret))
    names = set()
    for profile_id, profile in data["profiles"].items():
        packages = [p for p in data.get("default_packages", []) + profile.get("device_packages", [])
                    if not p.startswith("-")]
        names.update(packages)
        for image in profile.get("images", []):
            meta = openwrt_image.metadata(profile.get("supported_devices", []), release, data["version_code"],
                                          target, profile_id)
            content = {"etc/openwrt_release": "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='%s'\nDISTRIB_REVISION='%s'\n"
                                              "DISTRIB_TARGET='%s'\n" % (release, data["version_code"], target),
                       "etc/board_name": profile_id + "\n",
                       "usr/lib/opkg/status": "".join("Package: %s\nVersion: %s\n\n" % (p, version_of(p, release))
                                                      for p in sorted(set(packages)))}
            signed = image.get("type") == "sysupgrade"
            blob, unsigned = openwrt_image.build_image(content, meta, sign if signed else None)
            write(target_dir / image["name"], blob, files)
            image["sha256"] = hashlib.sha256(blob).hexdigest()
            image["sha256_unsigned"] = hashlib.sha256(unsigned).hexdigest()
    write(target_dir / "profiles.json", json.dumps(data, indent=2), files)
    arch = data["arch_packages"]
    files += write_index(target_dir / "packages", release, arch, {n for n in names if is_target_package(n)}, "kernel")
    sums = "".join("%s *%s\n" % (hashlib.sha256(f.read_bytes()).hexdigest(), f.relative_to(target_dir).as_posix())
                   for f in sorted(files))
    (target_dir / "sha256sums").write_text(sums)
    (target_dir / "sha256sums.sig").write_bytes(signify(["-S", "-s", str(secret), "-m", "-", "-x", "-"], sums.encode()))
    return arch, names, len(data["profiles"])


def build_release(release, data_dir, out, secret):
    release_dir = data_dir / "releases" / release
    profiles = sorted(release_dir.glob("targets/*/*/profiles.json"))
    targets, names_by_arch, count = {}, {}, 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        jobs = {pool.submit(build_target, release, "/".join(p.parts[-3:-1]), p, out, secret): p for p in profiles}
        for job, path in jobs.items():
            arch, names, profile_count = job.result()
            targets["/".join(path.parts[-3:-1])] = arch
            names_by_arch.setdefault(arch, set()).update(n for n in names if not is_target_package(n))
            count += profile_count
    out_release = out / "releases" / release
    (out_release / ".targets.json").write_text(json.dumps(dict(sorted(targets.items())), indent=2))
    (out_release / ".overview.json").write_bytes((release_dir / ".overview.json").read_bytes())
    extra_base = {d for deps in DEPENDS.values() for d in deps} | set(ABI_LIBS) | {"libc"}
    for arch, names in names_by_arch.items():
        feeds = {feed: set(EXTRA.get(feed, [])) for feed in FEEDS}
        feeds["base"] |= names | (extra_base - set().union(*EXTRA.values()))
        for feed, feed_names in feeds.items():
            write_index(out_release / "packages" / arch / feed, release, arch, feed_names, feed)
    return len(targets), count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--data", default=ROOT / "tests" / "data" / "openwrt", type=pathlib.Path)
    parser.add_argument("--key-dir", type=pathlib.Path)
    parser.add_argument("--versions", default="")
    args = parser.parse_args()
    started = time.monotonic()
    key_dir = args.key_dir or args.out.parent / (args.out.name + "-keys")
    secret, public = ensure_key(key_dir)
    versions = json.loads((args.data / ".versions.json").read_text())
    wanted = [v for v in versions["versions_list"] if not args.versions or v in args.versions.split(",")]
    versions["versions_list"] = wanted
    versions.pop("image_url_override", None)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / ".versions.json").write_text(json.dumps(versions, indent=2))
    key_line = public.read_text().splitlines()[1]
    key_id = __import__("base64").b64decode(key_line)[2:10].hex()
    (args.out / "keys").mkdir(exist_ok=True)
    (args.out / "keys" / key_id).write_text(public.read_text())
    for release in wanted:
        targets, profiles = build_release(release, args.data, args.out, secret)
        print("%s: %d targets, %d profiles" % (release, targets, profiles))
    print("public key: %s" % key_line)
    print("built %s in %.1f s" % (args.out, time.monotonic() - started))


if __name__ == "__main__":
    main()
