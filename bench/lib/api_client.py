"""The benchmarks' client of the fwhub API (bench/upgrade, bench/batch): JSON calls with a bearer
token on one kept-alive connection, and the fleet (credentials, category, devices) created through it."""
import concurrent.futures
import http.client
import json
import sys
import threading
import urllib.parse

ANSWERED = (200, 201)


class Api:
    def __init__(self, url, token):
        host = urllib.parse.urlparse(url)
        self.conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        self.headers = {"Content-Type": "application/json", "Authorization": "Bearer " + token}

    def call(self, method, path, body=None):
        """(status, JSON answer or None)."""
        self.conn.request(method, path, body and json.dumps(body), self.headers)
        answer = self.conn.getresponse()
        data = answer.read()
        return answer.status, json.loads(data) if data else None

    def must(self, method, path, body=None):
        """The JSON answer of a call that must succeed; exits with the answer otherwise."""
        status, answer = self.call(method, path, body)
        if status not in ANSWERED:
            sys.exit("%s %s answered %d: %s" % (method, path, status, str(answer)[:300]))
        return answer


def create_fleet(url, token, devices, connections=4):
    """Credentials added to every device, a category and the devsim devices given, one POST each
    on a few connections at once: {"category": id, "devices": [ids in the order given]}."""
    api = Api(url, token)
    api.must("POST", "/api/v1/credentials/", {"name": "root", "username": "root", "password": "password",
                                              "auto_add": True})
    category = api.must("POST", "/api/v1/firmware-upgrader/category/", {"name": "Bench"})["id"]
    local = threading.local()

    def add(device):
        if not hasattr(local, "api"):
            local.api = Api(url, token)
        return local.api.must("POST", "/api/v1/devices/", {
            "name": device["name"], "model": device["model"], "board_name": device["board_name"],
            "management_ip": device["address"], "ssh_port": device["port"]})["id"]
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        ids = list(pool.map(add, devices))
    return {"category": category, "devices": ids}
