#!/usr/bin/python3
"""fwhub's test ImageBuilder: speaks the OpenWrt ImageBuilder's make interface (`make info`,
`make manifest`, `make image` with PROFILE, PACKAGES, FILES, BIN_DIR, EXTRA_IMAGE_NAME,
ROOTFS_PARTSIZE, STRIP_ABI) and its output formats, without a cross toolchain.

Like the real one it reads repositories.conf and fetches every feed's Packages.gz over HTTP (the
local mirror, or any server with OpenWrt's layout), resolves dependencies, ABI-versioned names,
Provides and Conflicts the way opkg reports them, refuses a root file system larger than the
partition ("is too big"), and writes the profile's images (fwtool format, sysupgrade images
signed with the builder's usign key-build, generated on first use) plus profiles.json and the
.manifest into BIN_DIR. Package archives themselves are not downloaded: the image's
usr/lib/opkg/status lists what was installed. A package whose index entry carries
X-Fwhub-Postinst-Seconds takes that long to install (the mirror's slow-postinst and
hanging-postinst, for timeout and crash tests).

A build whose uci-defaults script starts with `#fwhub-sandbox-probe` behaves like a hostile
build script instead (tests/functional/build_sandbox_test.cpp): for each line `read PATH`,
`connect PORT` or `spawn MARKER` it tries that and reports the outcome on stderr, then fails.

Called by the ImageBuilder's Makefile: imagebuilder.py info|manifest|image (settings in the
environment, as make exports them).
"""
import gzip
import hashlib
import json
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request
import zlib

TOP = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TOP / "scripts"))
import openwrt_image  # noqa: E402

DEFAULT_PARTITION_MB = 32  # rootfs partition when ROOTFS_PARTSIZE is not given


def target_info():
    return json.loads((TOP / ".targetinfo.json").read_text())


def info(data):
    print('Current Target: "%s"' % data["target"])
    print('Current Architecture: "%s"' % data["arch_packages"].split("_")[0])
    print('Current Revision: "%s"' % data["version_code"])
    print("Default Packages: %s" % " ".join(data["default_packages"]))
    print("Available Profiles:\n")
    for name, profile in sorted(data["profiles"].items()):
        print("%s:" % name)
        for title in profile.get("titles", []):
            print("    %s" % (title.get("title") or " ".join(
                title.get(k, "") for k in ("vendor", "model", "variant") if title.get(k))))
        print("    Packages: %s" % " ".join(profile.get("device_packages", [])))
        print("    hasImageMetadata: 1")
        print("    SupportedDevices: %s" % " ".join(profile.get("supported_devices", [])))


def parse_index(text):
    packages = []
    for block in text.split("\n\n"):
        fields = {}
        for line in block.splitlines():
            if ": " in line and not line.startswith(" "):
                key, value = line.split(": ", 1)
                fields[key] = value
        if "Package" in fields:
            packages.append(fields)
    return packages


def feeds():
    """Every package of every feed in repositories.conf (opkg update)."""
    found = {}
    for line in (TOP / "repositories.conf").read_text().splitlines():
        words = line.split()
        if len(words) != 3 or words[0] not in ("src", "src/gz"):
            continue
        url = words[2]
        if url.startswith("file:"):
            path = TOP / url[5:] / "Packages"
            text = path.read_text() if path.exists() else ""
        else:
            try:
                with urllib.request.urlopen(url + "/Packages.gz", timeout=30) as answer:
                    text = gzip.decompress(answer.read()).decode()
            except (OSError, EOFError, ValueError, zlib.error) as error:  # unreachable, cut or not gzip
                sys.stderr.write(" * opkg_download: Failed to download %s/Packages.gz: %s\n" % (url, error))
                sys.exit(255)
        for package in parse_index(text):
            found.setdefault(package["Package"], package)
    return found


def names(field):
    return [word.split()[0] for word in field.split(",") if word.strip()] if field else []


class Resolver:
    def __init__(self, index):
        self.index = index
        self.provides = {}
        for name, package in index.items():
            for provided in names(package.get("Provides", "")):
                self.provides.setdefault(provided, name)

    def lookup(self, name):
        return name if name in self.index else self.provides.get(name)

    def resolve(self, wanted):
        """Installed package names, or exits with opkg's errors."""
        installed, missing, order, sequence = set(), [], list(wanted), []
        while order:
            name = order.pop(0)
            real = self.lookup(name)
            if real is None:
                if name not in missing:
                    missing.append(name)
                continue
            if real in installed:
                continue
            installed.add(real)
            sequence.append(real)
            order.extend(names(self.index[real].get("Depends", "")))
        if missing:
            sys.stderr.write("Collected errors:\n")
            for name in missing:
                sys.stderr.write(" * opkg_install_cmd: Cannot install package %s.\n" % name)
            sys.exit(255)
        for position, name in enumerate(sequence):  # opkg refuses the later of two conflicting packages
            earlier = set(sequence[:position])
            clashes = [other for other in names(self.index[name].get("Conflicts", "")) if self.lookup(other) in earlier]
            if clashes:
                sys.stderr.write("Collected errors:\n * check_conflicts_for: The following packages conflict with "
                                 "%s:\n" % name)
                for other in clashes:
                    sys.stderr.write(" * check_conflicts_for: \t%s \n" % other)
                sys.stderr.write(" * opkg_install_cmd: Cannot install package %s.\n" % name)
                sys.exit(255)
        return installed


def selection(data, profile):
    """Default and device packages with the PACKAGES changes applied, in the ImageBuilder's order."""
    if profile not in data["profiles"]:
        sys.stderr.write("Profile \"%s\" does not exist!\nUse \"make info\" to get a list of available profile "
                         "names.\n" % profile)
        sys.exit(1)
    chosen = []
    words = data["default_packages"] + data["profiles"][profile].get("device_packages", []) + \
        os.environ.get("PACKAGES", "").split()
    for word in words:
        if word.startswith("-"):
            chosen = [p for p in chosen if p != word[1:]]
        elif word not in chosen:
            chosen.append(word)
    return chosen


def display_name(package, strip_abi):
    abi = package.get("ABIVersion", "")
    name = package["Package"]
    return name[:-len(abi)] if strip_abi and abi and name.endswith(abi) else name


def manifest(data, index, installed):
    strip = os.environ.get("STRIP_ABI") == "1"
    return "".join("%s - %s\n" % (display_name(index[n], strip), index[n]["Version"]) for n in sorted(installed))


def image(data, profile, index, installed, listing):
    bin_dir = pathlib.Path(os.environ.get("BIN_DIR") or TOP / "bin" / "targets" / data["target"])
    partition = int(os.environ.get("ROOTFS_PARTSIZE") or DEFAULT_PARTITION_MB) * 1024 * 1024
    used = sum(int(index[n].get("Installed-Size", index[n].get("Size", "0"))) for n in installed)
    settings = profile_settings(data, profile)
    if used > partition:
        for entry in settings["images"]:
            sys.stderr.write("WARNING: Image file %s/%s is too big:  %d > %d\n"
                             % (bin_dir, entry["name"], used, partition))
        sys.stderr.write("make[2]: *** [Makefile:211: build_image] Error 1\n")
        sys.exit(2)
    for name in sorted(installed):  # postinst scripts run while the root file system is assembled
        time.sleep(int(index[name].get("X-Fwhub-Postinst-Seconds", "0")))
    content = {"etc/openwrt_release": "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='%s'\nDISTRIB_REVISION='%s'\n"
                                      "DISTRIB_TARGET='%s'\n" % (data["version_number"], data["version_code"],
                                                                  data["target"]),
               "etc/board_name": profile + "\n",
               "usr/lib/opkg/status": "".join("Package: %s\nVersion: %s\nStatus: install user installed\n\n"
                                              % (index[n]["Package"], index[n]["Version"]) for n in sorted(installed))}
    files = os.environ.get("FILES")
    if files:
        for path in pathlib.Path(files).rglob("*"):
            if path.is_file():
                content[path.relative_to(files).as_posix()] = path.read_bytes()
    meta = openwrt_image.metadata(data["profiles"][profile].get("supported_devices", []), data["version_number"],
                                  data["version_code"], data["target"], profile)
    sign = openwrt_image.signify_signer(str(build_key()))
    bin_dir.mkdir(parents=True, exist_ok=True)
    images = []
    for entry in settings["images"]:
        blob, unsigned = openwrt_image.build_image(content, meta, sign if entry["type"] == "sysupgrade" else None)
        (bin_dir / entry["name"]).write_bytes(blob)
        images.append(dict(entry, sha256=hashlib.sha256(blob).hexdigest(),
                           sha256_unsigned=hashlib.sha256(unsigned).hexdigest()))
        print("Generating %s (%d bytes)" % (entry["name"], len(blob)))
    (bin_dir / (settings["prefix"] + ".manifest")).write_text(listing)
    output = {key: data[key] for key in ("arch_packages", "default_packages", "target", "version_code",
                                         "version_number")}
    kernel = [index[n]["Version"].split("-")[0] for n in sorted(installed) if n.startswith("kmod-")]
    if kernel:
        output["linux_kernel"] = {"release": "1", "version": kernel[0],
                                  "vermagic": hashlib.md5(kernel[0].encode()).hexdigest()}
    output.update(metadata_version=1, source_date_epoch=data.get("source_date_epoch", 0), profiles={profile: {
        "device_packages": data["profiles"][profile].get("device_packages", []), "image_prefix": settings["prefix"],
        "images": images, "supported_devices": data["profiles"][profile].get("supported_devices", []),
        "titles": data["profiles"][profile].get("titles", [])}})
    (bin_dir / "profiles.json").write_text(json.dumps(output, indent=2, sort_keys=True))


def profile_settings(data, profile):
    """Image names of the profile, with EXTRA_IMAGE_NAME after the version as the real IB puts it."""
    base = "openwrt-%s-" % data["version_number"]
    extra = os.environ.get("EXTRA_IMAGE_NAME", "")
    entries = data["profiles"][profile].get("images", [])
    renamed = []
    for entry in entries:
        name = entry["name"]
        if extra and name.startswith(base):
            name = base + extra + "-" + name[len(base):]
        renamed.append({key: value for key, value in dict(entry, name=name).items()
                        if key in ("filesystem", "name", "type")})
    prefix = data["profiles"][profile].get("image_prefix", base + profile)
    if extra and prefix.startswith(base):
        prefix = base + extra + "-" + prefix[len(base):]
    return {"images": renamed, "prefix": prefix}


def build_key():
    """The builder's signing key, generated on first use like the real ImageBuilder's key-build."""
    secret = TOP / "key-build.sec"  # usign's key-build, with the suffix signify insists on
    if not secret.exists():
        subprocess.run(["signify-openbsd", "-G", "-n", "-c", "local build key", "-p", str(TOP / "key-build.pub"),
                        "-s", str(secret)], check=True, stdout=subprocess.DEVNULL)  # its errors reach make's stderr
    return secret


def sandbox_probe():
    """Runs the probes of a `#fwhub-sandbox-probe` defaults script; False when there is none."""
    script = pathlib.Path(os.environ.get("FILES") or "/nonexistent") / "etc" / "uci-defaults" / "99-asu-defaults"
    if not script.is_file() or not script.read_text().startswith("#fwhub-sandbox-probe"):
        return False
    for line in script.read_text().splitlines()[1:]:
        action, _, argument = line.partition(" ")
        if action == "read":
            try:
                sys.stderr.write("probe read %s: read %r\n" % (argument, pathlib.Path(argument).read_bytes()[:64]))
            except OSError as error:
                sys.stderr.write("probe read %s: refused (%s)\n" % (argument, error.strerror))
        elif action == "connect":
            try:
                socket.create_connection(("127.0.0.1", int(argument)), timeout=3).close()
                sys.stderr.write("probe connect %s: connected\n" % argument)
            except OSError as error:
                sys.stderr.write("probe connect %s: refused (%s)\n" % (argument, error.strerror))
        elif action == "spawn":  # a daemon that leaves its session, as a build script could
            pid = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", argument],
                                   start_new_session=True,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL).pid
            sys.stderr.write("probe spawn %s: pid %d\n" % (argument, pid))
    sys.stderr.write("probe done\n")
    return True


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    data = target_info()
    if command == "info":
        info(data)
        return
    if command not in ("manifest", "image"):
        print("Available Commands:\n\thelp\n\tinfo\n\tmanifest\n\timage")
        return
    profile = os.environ.get("PROFILE", "")
    chosen = selection(data, profile)
    index = feeds()
    installed = Resolver(index).resolve(chosen)
    listing = manifest(data, index, installed)
    if command == "manifest":
        sys.stdout.write(listing)
    elif sandbox_probe():
        sys.exit(1)
    else:
        image(data, profile, index, installed, listing)


if __name__ == "__main__":
    main()
