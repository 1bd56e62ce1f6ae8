#!/usr/bin/python3
"""Tests of the local mirror generator: counts, true checksums, valid signatures, resolvable
dependencies, ABI names, image metadata and reproducible output; and of the test ImageBuilder it
ships (make info / manifest / image against the mirror served over HTTP)."""
import functools
import hashlib
import http.server
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile
import threading
import unittest

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import openwrt_image  # noqa: E402

DATA = HERE.parents[1] / "data" / "openwrt"


def build(out, keys):
    subprocess.run([sys.executable, str(HERE / "build_mirror.py"), "--out", str(out), "--key-dir", str(keys)],
                   check=True, capture_output=True)


def tree_hash(root):
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def parse_packages(text):
    return [dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line)
            for stanza in text.strip().split("\n\n") if stanza.strip()]


class MirrorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.keys = pathlib.Path(cls.tmp.name) / "keys"
        cls.out = pathlib.Path(cls.tmp.name) / "mirror"
        build(cls.out, cls.keys)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def targets(self, release):
        return sorted((self.out / "releases" / release / "targets").glob("*/*/profiles.json"))

    def test_counts_equal_the_data(self):
        for release, expected_profiles, expected_targets in [("23.05.4", 1534, 75), ("19.07.10", 1117, 52)]:
            source = sorted((DATA / "releases" / release / "targets").glob("*/*/profiles.json"))
            profiles = sum(len(json.loads(p.read_text())["profiles"]) for p in self.targets(release))
            self.assertEqual(len(self.targets(release)), len(source))
            self.assertEqual(len(source), expected_targets)
            self.assertEqual(profiles, expected_profiles)
            targets = json.loads((self.out / "releases" / release / ".targets.json").read_text())
            self.assertEqual(len(targets), expected_targets)
        versions = json.loads((self.out / ".versions.json").read_text())
        self.assertNotIn("image_url_override", versions)

    def test_every_image_exists_with_its_checksums_and_metadata(self):
        for release in ["23.05.4", "19.07.10"]:
            for profiles_file in self.targets(release):
                data = json.loads(profiles_file.read_text())
                for profile_id, profile in data["profiles"].items():
                    for image in profile.get("images", []):
                        blob = (profiles_file.parent / image["name"]).read_bytes()
                        self.assertEqual(hashlib.sha256(blob).hexdigest(), image["sha256"])
                        unsigned = openwrt_image.strip_signature(blob)
                        self.assertEqual(hashlib.sha256(unsigned).hexdigest(), image["sha256_unsigned"])
                        meta = openwrt_image.read_metadata(blob)
                        self.assertEqual(meta["supported_devices"], profile.get("supported_devices", []))
                        self.assertEqual(meta["version"]["version"], release)
                        self.assertEqual(meta["version"]["revision"], data["version_code"])
                        self.assertEqual(meta["version"]["board"], profile_id)

    def test_signatures_verify_and_tampering_is_detected(self):
        public = self.keys / "mirror.pub"
        for profiles_file in self.targets("23.05.4")[:10]:
            sums = profiles_file.parent / "sha256sums"
            sig = profiles_file.parent / "sha256sums.sig"
            ok = subprocess.run(["signify-openbsd", "-V", "-q", "-p", str(public), "-x", str(sig), "-m", str(sums)])
            self.assertEqual(ok.returncode, 0)
            listed = dict(reversed(line.split(" *", 1)) for line in sums.read_text().splitlines())
            self.assertEqual(listed["profiles.json"], hashlib.sha256(profiles_file.read_bytes()).hexdigest())
        tampered = pathlib.Path(self.tmp.name) / "tampered"
        tampered.write_text(sums.read_text().replace("a", "b", 1))
        bad = subprocess.run(["signify-openbsd", "-V", "-q", "-p", str(public), "-x", str(sig), "-m", str(tampered)],
                             capture_output=True)
        self.assertNotEqual(bad.returncode, 0)

    def test_dependencies_resolve_and_abi_names_exist(self):
        for release in ["23.05.4", "19.07.10"]:
            packages_dir = self.out / "releases" / release / "packages"
            for arch_dir in packages_dir.iterdir():
                provided = set()
                stanzas = []
                for index in arch_dir.glob("*/Packages"):
                    for entry in parse_packages(index.read_text()):
                        stanzas.append(entry)
                        provided.add(entry["Package"])
                        provided.update(p.strip() for p in entry.get("Provides", "").split(",") if p.strip())
                for entry in stanzas:
                    for dependency in filter(None, (d.strip() for d in entry.get("Depends", "").split(","))):
                        self.assertIn(dependency, provided, "%s %s: %s" % (release, arch_dir.name, entry["Package"]))
                names = {e["Package"] for e in stanzas}
                self.assertIn("libubus20230605", names)
                abi = [e for e in stanzas if e["Package"] == "libubus20230605"][0]
                self.assertEqual(abi["ABIVersion"], "20230605")
                self.assertIn("wpad-openssl", [e for e in stanzas if e["Package"] == "wpad-mbedtls"][0]["Conflicts"])

    def test_imagebuilder_speaks_the_make_interface(self):
        target_dir = self.out / "releases" / "23.05.4" / "targets" / "ath79" / "generic"
        sums = dict(reversed(line.split(" *", 1)) for line in (target_dir / "sha256sums").read_text().splitlines())
        archive = [name for name in sums if name.startswith("openwrt-imagebuilder-")]
        self.assertEqual(archive, ["openwrt-imagebuilder-23.05.4-ath79-generic.Linux-x86_64.tar.xz"])
        self.assertEqual(sums[archive[0]], hashlib.sha256((target_dir / archive[0]).read_bytes()).hexdigest())
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(self.out))
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        work = pathlib.Path(self.tmp.name) / "ib"
        with tarfile.open(target_dir / archive[0]) as tar:
            tar.extractall(work)
        top = work / archive[0].replace(".tar.xz", "")
        conf = top / "repositories.conf"
        conf.write_text(conf.read_text().replace("https://downloads.openwrt.org",
                                                 "http://127.0.0.1:%d" % server.server_port))

        def make(*args):
            return subprocess.run(["make", "-s"] + list(args), cwd=top, capture_output=True, text=True)

        info = make("info")
        self.assertEqual(info.returncode, 0, info.stderr)
        self.assertIn('Current Revision: "r24012-d8dd03c46f"', info.stdout)
        self.assertIn("tplink_archer-c7-v5:\n", info.stdout)
        manifest = make("manifest", "PROFILE=tplink_archer-c7-v5", "PACKAGES=luci -dnsmasq dnsmasq-full", "STRIP_ABI=1")
        self.assertEqual(manifest.returncode, 0, manifest.stderr)
        names = {line.split(" - ")[0] for line in manifest.stdout.splitlines()}
        self.assertTrue({"luci", "luci-base", "dnsmasq-full", "libubus", "kmod-ath10k-ct"} <= names)
        self.assertNotIn("dnsmasq", names)
        unknown = make("manifest", "PROFILE=tplink_archer-c7-v5", "PACKAGES=no-such-thing")
        self.assertNotEqual(unknown.returncode, 0)
        self.assertIn("Cannot install package no-such-thing.", unknown.stderr)
        conflict = make("manifest", "PROFILE=tplink_archer-c7-v5", "PACKAGES=dnsmasq-full")
        self.assertIn("The following packages conflict with dnsmasq-full:", conflict.stderr)
        too_big = make("image", "PROFILE=tplink_archer-c7-v5", "PACKAGES=huge-data-package",
                       "BIN_DIR=%s" % (work / "big"))
        self.assertNotEqual(too_big.returncode, 0)
        self.assertIn("is too big", too_big.stderr)
        files = work / "files" / "etc" / "uci-defaults"
        files.mkdir(parents=True)
        (files / "99-asu-defaults").write_text("echo first boot\n")
        out = work / "out"
        image = make("image", "PROFILE=tplink_archer-c7-v5", "PACKAGES=tcpdump", "EXTRA_IMAGE_NAME=abc",
                     "BIN_DIR=%s" % out, "FILES=%s" % (work / "files"))
        self.assertEqual(image.returncode, 0, image.stderr)
        result = json.loads((out / "profiles.json").read_text())
        images = result["profiles"]["tplink_archer-c7-v5"]["images"]
        self.assertEqual(len(images), 3)
        for entry in images:
            self.assertIn("-abc-", entry["name"])
            blob = (out / entry["name"]).read_bytes()
            self.assertEqual(hashlib.sha256(blob).hexdigest(), entry["sha256"])
            rootfs = openwrt_image.read_rootfs(blob)
            self.assertEqual(rootfs["etc/uci-defaults/99-asu-defaults"], b"echo first boot\n")
            self.assertIn(b"Package: tcpdump\n", rootfs["usr/lib/opkg/status"])
            self.assertEqual(openwrt_image.read_metadata(blob)["version"]["board"], "tplink_archer-c7-v5")

    def test_output_is_reproducible(self):
        again = pathlib.Path(self.tmp.name) / "again"
        build(again, self.keys)
        self.assertEqual(tree_hash(self.out), tree_hash(again))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
