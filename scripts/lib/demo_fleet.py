#!/usr/bin/python3
"""A fleet of simulated devices in one organization of a running local stack, for the demo
(`scripts/run --demo`) and the console's browser tests: starts devsim devices, creates the
organization and a user (fwhub-admin), then through the API credentials, the devices with
their connections, a category and a build with one sysupgrade image that fits every device's
board. Prints a JSON summary (the user's password included) on stdout."""
import argparse
import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "doubles"))
import openwrt_image  # noqa: E402  (the test doubles' image format)

NEW_VERSION, NEW_REVISION = "23.05.4", "r24012-d8dd03c46f"


class Stack:
    """fwhub-admin and the HTTP API of the stack in STATE."""

    def __init__(self, state, url, admin):
        self.state, self.url, self.admin_path, self.token = state, url.rstrip("/"), admin, None
        with open(os.path.join(state, "secrets", "db_password")) as f:
            self.db_password = f.read().strip()

    def admin(self, *args, password=None):
        env = dict(os.environ, FWHUB_DB_PASSWORD=self.db_password)
        if password is not None:
            env["FWHUB_PASSWORD"] = password
        done = subprocess.run([self.admin_path, "--config", os.path.join(self.state, "fwhub.toml"), *args],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"fwhub-admin {' '.join(args)} failed: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout.strip()

    def call(self, method, path, body=None, content_type="application/json"):
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        if data is not None:
            request.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            sys.exit(f"{method} {path}: HTTP {error.code} {error.read().decode()[:500]}")
        return json.loads(text) if text else None

    def upload(self, path, file_name, content, image_type):
        boundary = "fwhub" + secrets.token_hex(12)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\n{image_type}\r\n'.encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n",
            f"--{boundary}--\r\n".encode(),
        ]
        return self.call("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")


def start_devices(args):
    command = [os.path.join(ROOT, "scripts", "devsim"), "start", "--count", str(args.count), "--state", args.devsim_state,
               "--password", args.device_password, "--reboot-seconds", str(args.reboot_seconds), "--detach"]
    if args.base_port:
        command += ["--base-port", str(args.base_port)]
    if args.faults:
        command += ["--faults", args.faults]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"devsim start failed: {done.stderr.strip()[-1000:]}")
    return json.loads(done.stdout)


def image_for(devices):
    """A sysupgrade image of NEW_VERSION whose metadata supports every device's board."""
    boards = sorted({d["board_name"] for d in devices})
    meta = openwrt_image.metadata(boards, NEW_VERSION, NEW_REVISION, devices[0]["target"], "fwhub-demo")
    image = openwrt_image.build_image({"etc/banner": f"OpenWrt {NEW_VERSION} (fwhub demo)\n"}, meta)
    return image[0] if isinstance(image, tuple) else image


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--state", required=True, help="state folder of the running stack")
    p.add_argument("--url", required=True, help="the stack's URL, e.g. http://127.0.0.1:8080")
    p.add_argument("--admin", required=True, help="path of fwhub-admin")
    p.add_argument("--devsim-state", required=True, help="state folder of the simulated devices")
    p.add_argument("--slug", default="demo")
    p.add_argument("--name", default="Demo")
    p.add_argument("--username", default="demo")
    p.add_argument("--password", default="", help="the user's password (default: a random one)")
    p.add_argument("--role", default="admin", choices=["admin", "operator"])
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--base-port", type=int, default=0)
    p.add_argument("--faults", default="", help="devsim faults file")
    p.add_argument("--device-password", default="demo-" + secrets.token_hex(6))
    p.add_argument("--reboot-seconds", type=int, default=3)
    p.add_argument("--group", default="", help="group of every device")
    p.add_argument("--name-prefix", default="", help="put before each device's devsim name (sim-001)")
    p.add_argument("--no-build", action="store_true", help="no category, build or image")
    args = p.parse_args()

    stack = Stack(args.state, args.url, args.admin)
    devices = start_devices(args) if args.count else []
    password = args.password or secrets.token_urlsafe(12)
    stack.admin("create-organization", args.name, args.slug)
    # An administrator of the organization sets the fleet up through the API; the printed user gets --role.
    setup = f"{args.slug}-setup"
    stack.admin("create-user", setup, "--organization", args.slug, "--role", "admin", password=secrets.token_urlsafe(16))
    stack.token = stack.admin("create-token", setup, "fleet set-up").split()[-1]
    stack.admin("create-user", args.username, "--organization", args.slug, "--role", args.role, password=password)
    summary = {"organization": args.slug, "username": args.username, "password": password, "devices": []}
    if devices:
        stack.call("POST", "/api/v1/credentials/", {"organization": args.slug, "name": "devsim root", "username": "root",
                                                    "password": args.device_password, "auto_add": True})
    for sim in devices:
        created = stack.call("POST", "/api/v1/devices/", {
            "organization": args.slug, "name": args.name_prefix + sim["name"], "model": sim["model"], "board_name": sim["board_name"],
            "management_ip": sim["address"], "ssh_port": sim["port"], "group": args.group, "os": f"OpenWrt {sim['version']} {sim['revision']}"})
        summary["devices"].append({"id": created["id"], "name": created["name"], "sim": sim["name"], "board_name": sim["board_name"]})
    if devices and not args.no_build:
        upgrader = "/api/v1/firmware-upgrader/"
        category = stack.call("POST", upgrader + "category/", {"organization": args.slug, "name": "Routers",
                                                               "description": "The simulated routers of the demo"})
        build = stack.call("POST", upgrader + "build/", {"category": category["id"], "version": NEW_VERSION,
                                                         "changelog": "OpenWrt 23.05.4 for every router of the demo"})
        image = stack.upload(f"{upgrader}build/{build['id']}/image/", f"openwrt-{NEW_VERSION}-demo-squashfs-sysupgrade.bin",
                             image_for(devices), "demo-squashfs-sysupgrade.bin")
        summary.update(category=category["id"], build=build["id"], image=image["id"])
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
