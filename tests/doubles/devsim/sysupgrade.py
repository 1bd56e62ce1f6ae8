"""What devsim's /sbin/sysupgrade answers, decided outside the chroot: OpenWrt's option parsing and
image checks (fwtool metadata with the device's board among supported_devices, a readable gzip tar
rootfs) with OpenWrt's messages, using the image format of tests/doubles/openwrt_image.py."""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
import openwrt_image  # noqa: E402

FLAGS = {"-v": "verbose", "-q": "quiet", "-c": "keep_etc", "-o": "keep_all", "-n": "no_config", "-u": "skip_unchanged",
         "-p": "no_partitions", "-k": "keep_packages", "-i": "interactive", "-F": "force", "--force": "force",
         "-T": "test", "--test": "test"}
PLATFORM_FAILED = ["Invalid image type.", "Image check 'platform_check_image' failed."]
USAGE = "Usage: /sbin/sysupgrade [<upgrade-option>...] <image file or URL>\n"


class Answer:
    """stdout, stderr and exit code of one sysupgrade run; upgrade holds the new firmware's metadata
    (or {} if unreadable) when the device is to be reflashed."""

    def __init__(self):
        self.out, self.err, self.rc, self.upgrade, self.keep_etc = "", "", 0, None, True


def parse(argv):
    """(flags set, image path or None, error message or None) as OpenWrt's sysupgrade parses them."""
    flags, image = set(), None
    for i, arg in enumerate(argv):
        if arg in FLAGS:
            flags.add(FLAGS[arg])
        elif arg.startswith("-"):
            return flags, None, "Invalid option: %s\n" % arg
        else:
            image = arg
            if i != len(argv) - 1:
                return flags, None, USAGE
            break
    return flags, image, None if image else USAGE


def check_image(data, board):
    """OpenWrt's check messages for an image that fails on this board, [] if it is fine."""
    try:
        meta = openwrt_image.read_metadata(data)
    except (ValueError, json.JSONDecodeError):
        return ["Image metadata not present", "Use sysupgrade -F to override this check when downgrading or "
                "flashing to vendor firmware"]
    supported = meta.get("supported_devices", [])
    if board not in supported:
        return ["Device %s not supported by this image" % board, "Supported devices: %s" % " ".join(supported)]
    try:
        openwrt_image.read_rootfs(data)
    except Exception:  # any damage of the gzip tar: OpenWrt only says the type is wrong
        return PLATFORM_FAILED
    return []


def answer(argv, outside, board, faults):
    """argv: sysupgrade's arguments; outside(path): where a path of the device is outside the chroot."""
    result = Answer()
    flags, image, error = parse(argv)
    if error:
        result.err, result.rc = error, 1
        return result
    image_file = outside(image)
    if not image_file.is_file():
        result.err, result.rc = "Image not found: %s\n" % image, 1
        return result
    data = image_file.read_bytes()
    problems = PLATFORM_FAILED if faults.get("sysupgrade_test_fails") else check_image(data, board)
    if problems:
        result.err = "".join(p + "\n" for p in problems)
        if "force" not in flags:
            result.err += "Image check failed.\n"
            result.rc = 1
            return result
        result.err += "Image check failed but --force given - will update anyway!\n"
    if "test" in flags:
        return result
    try:
        result.upgrade = openwrt_image.read_metadata(data).get("version", {})
    except (ValueError, json.JSONDecodeError):
        result.upgrade = {}
    result.keep_etc = "no_config" not in flags
    if result.keep_etc:
        result.out += "Saving config files...\n"
    result.out += "Commencing upgrade. Closing all shell sessions.\n"
    result.rc = "upgrading"
    if faults.get("ubus_false_positive"):
        request = {"prefix": "/tmp/root", "path": image, "backup": "/tmp/sysupgrade.tgz" if result.keep_etc else None,
                   "command": "/lib/upgrade/do_stage2",
                   "options": {"save_partitions": int("no_partitions" not in flags)}}
        request = {k: v for k, v in request.items() if v is not None}
        result.err += "Command failed: ubus call system sysupgrade %s (Connection failed)\n" % json.dumps(request)
        result.rc = 1
    return result
