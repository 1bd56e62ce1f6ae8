"""The chaos suite's workload: an organization with simulated devices and two fleet builds, then
for the run's duration ASU image builds (distinct, repeated and simultaneous identical requests),
a persistent batch upgrade, single-device upgrades, catalog syncs and API readers at a steady rate."""
import json
import pathlib
import random
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "doubles"))
import openwrt_image  # noqa: E402

UPGRADER = "/api/v1/firmware-upgrader/"
NEW_VERSION, NEW_REVISION = "23.05.4", "r24012-d8dd03c46f"
PACKAGE_SETS = [["luci"], ["tcpdump", "htop"], ["luci", "-dnsmasq", "dnsmasq-full"], ["htop"], []]
READ_PATHS = ["/api/v1/health", "/api/v1/devices/?page_size=20", UPGRADER + "upgrade-operation/?page_size=10",
              "/api/v1/stats"]


def build_request(packages, rootfs_size_mb):
    return {"version": NEW_VERSION, "target": "ath79/generic", "profile": "tplink,archer-c7-v5",
            "packages": packages, "rootfs_size_mb": rootfs_size_mb}


def expect(answer, statuses, what):
    if answer.status not in statuses:
        raise RuntimeError("%s: %s %s" % (what, answer.status or answer.error, answer.body[:300]))
    return answer.json()


class Workload:
    def __init__(self, api, stack, sims, password, seed, clock):
        self.api, self.stack, self.sims, self.password, self.clock = api, stack, sims, password, clock
        self.random = random.Random(seed)
        self.stop = threading.Event()
        self.device_ids = {}  # devsim name -> fwhub device id
        self.images = {}  # (build letter, board) -> image id
        self.batch = None
        self.operations = []  # Locations of single-device upgrades
        self.requests = {}  # canonical request JSON -> set of request hashes answered for it
        self.single = []  # devsim names of the devices upgraded one by one
        self.syncs = {"started": 0, "refused": 0}

    # --- set-up, before the faults ---------------------------------------------------------------

    def setup(self):
        self.stack.admin("create-organization", "chaos", "chaos")
        self.stack.admin("create-user", "chaos-admin", "--organization", "chaos", "--role", "admin",
                         stdin="chaos-admin-password\n")
        self.api.token = self.stack.admin("create-token", "chaos-admin", "chaos").splitlines()[-1].strip()
        expect(self.api.post("/api/v1/credentials/", {"name": "root", "username": "root", "password": self.password,
                                                      "auto_add": True}), [201], "credentials")
        category = expect(self.api.post(UPGRADER + "category/", {"name": "Chaos"}), [201], "category")["id"]
        for index, sim in enumerate(self.sims):
            group = "single" if index % 3 == 0 else "batch"
            if group == "single":
                self.single.append(sim["name"])
            device = {"name": sim["name"], "model": sim["model"], "board_name": sim["board_name"],
                      "management_ip": sim["address"], "ssh_port": sim["port"], "group": group}
            self.device_ids[sim["name"]] = expect(self.api.post("/api/v1/devices/", device), [201], "device")["id"]
        self.builds = {}
        for letter in "ab":
            build = expect(self.api.post(UPGRADER + "build/", {"category": category, "version": "chaos-" + letter}),
                           [201], "build")["id"]
            self.builds[letter] = build
            boards = {sim["board_name"]: sim["target"] for sim in self.sims}
            for board, target in sorted(boards.items()):
                image = openwrt_image.build_image({"etc/banner": "chaos " + letter},
                                                  openwrt_image.metadata([board], NEW_VERSION, NEW_REVISION, target,
                                                                         "x"))[0]
                answer = self.api.upload(UPGRADER + "build/%s/image/" % build,
                                         {"type": "sim-%s-sysupgrade.bin" % board},
                                         "chaos-%s-%s-sysupgrade.bin" % (letter, board.replace(",", "_")), image)
                self.images[(letter, board)] = expect(answer, [201], "image upload")["id"]

    # --- during the run ---------------------------------------------------------------------------

    def threads(self):
        targets = [self.start_batch, self.builds_distinct, self.builds_repeated, self.single_upgrades, self.syncs_loop]
        targets += [self.reader] * 2
        return [threading.Thread(target=t, daemon=True) for t in targets]

    def start_batch(self):
        answer = self.api.until("POST", UPGRADER + "build/%s/upgrade/" % self.builds["a"],
                                {"upgrade_all": True, "persistent": True, "group": "batch", "max_parallel": 6},
                                lambda a: a.status is not None and a.status < 500, 60)
        self.batch = expect(answer, [201], "batch")["batch"]

    def post_build(self, request):
        answer = self.api.post("/api/v1/build", request)
        document = answer.json()
        if answer.status in (200, 202, 500) and isinstance(document, dict) and document.get("request_hash"):
            key = json.dumps(request, sort_keys=True)
            self.requests.setdefault(key, set()).add(document["request_hash"])
        return answer

    def builds_distinct(self):
        """A new request every 4-8 s; every third one sent three times at once."""
        sizes = self.random.sample(range(100, 1000), 400)
        while not self.stop.wait(self.random.uniform(4, 8)):
            request = build_request(self.random.choice(PACKAGE_SETS), sizes.pop())
            copies = 3 if len(sizes) % 3 == 0 else 1
            senders = [threading.Thread(target=self.post_build, args=(request,)) for _ in range(copies)]
            for sender in senders:
                sender.start()
            for sender in senders:
                sender.join()

    def builds_repeated(self):
        while not self.stop.wait(self.random.uniform(1.5, 3)):
            if self.requests:
                self.post_build(json.loads(self.random.choice(sorted(self.requests))))

    def single_upgrades(self):
        """Each device of the group `single` gets build a's image at a random moment, half of them
        build b's image later."""
        plan = [(name, "a") for name in self.single] + [(name, "b") for name in self.single[::2]]
        for name, letter in plan:
            if self.stop.wait(self.random.uniform(2, 6)):
                return
            board = next(sim["board_name"] for sim in self.sims if sim["name"] == name)
            answer = self.api.put(UPGRADER + "device/%s/firmware/" % self.device_ids[name],
                                  {"image": self.images[(letter, board)]})
            if answer.status in (200, 201) and answer.location:
                self.operations.append(answer.location)

    def syncs_loop(self):
        while not self.stop.wait(30):
            try:
                self.stack.admin("sync")
                self.syncs["started"] += 1
            except RuntimeError:  # the database is restarting
                self.syncs["refused"] += 1

    def reader(self):
        while not self.stop.wait(0.2):
            paths = READ_PATHS + ([UPGRADER + "batch-upgrade-operation/%s/progress/" % self.batch] if self.batch else [])
            self.api.get(self.random.choice(paths))
