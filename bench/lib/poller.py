#!/usr/bin/python3
"""Latency of API paths polled at a steady rate through nginx, each path on its own thread and
kept-alive connection, until SIGTERM; then one JSON line per stream on stdout: name, requests,
p50/p99 (ms), the statuses seen. A stream named with a leading "?" sends If-None-Match with the
ETag of its last answer, and one ending in "since=" passes the cursor of its last answer, as the
operator console does.

Usage: poller.py URL TOKEN RATE NAME=PATH... (RATE: requests per second per stream)
"""
import http.client
import json
import signal
import sys
import threading
import time
import urllib.parse


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def poll(url, token, rate, path, conditional, stop, out):
    host = urllib.parse.urlparse(url)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    etag, cursor, started = None, "0", time.monotonic()
    for number in range(1 << 62):
        wait = started + number / rate - time.monotonic()
        if stop.wait(max(0.0, wait)):
            return
        headers = {"Authorization": "Bearer " + token}
        if conditional and etag:
            headers["If-None-Match"] = etag
        sent = time.perf_counter()
        conn.request("GET", path + (cursor if path.endswith("since=") else ""), headers=headers)
        answer = conn.getresponse()
        body = answer.read()
        out["ms"].append((time.perf_counter() - sent) * 1000)
        out["statuses"][answer.status] = out["statuses"].get(answer.status, 0) + 1
        if answer.status == 200:
            etag = answer.getheader("ETag")
            if path.endswith("since="):
                cursor = str(json.loads(body)["cursor"])


def main():
    url, token, rate = sys.argv[1], sys.argv[2], float(sys.argv[3])
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    streams = []
    for spec in sys.argv[4:]:
        name, _, path = spec.partition("=")
        out = {"ms": [], "statuses": {}}
        thread = threading.Thread(target=poll, args=(url, token, rate, path, name.startswith("?"), stop, out))
        thread.start()
        streams.append((name.lstrip("?"), thread, out))
    while not stop.wait(0.2):
        pass
    for _, thread, _ in streams:
        thread.join()
    for name, _, out in streams:
        print(json.dumps({"name": name, "requests": len(out["ms"]), "p50": percentile(out["ms"], 0.5),
                          "p99": percentile(out["ms"], 0.99), "statuses": out["statuses"]}))


if __name__ == "__main__":
    main()
