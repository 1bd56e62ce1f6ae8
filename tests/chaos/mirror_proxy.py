"""The upstream mirror's fault switch: an HTTP proxy in front of the local mirror (nginx) that the
chaos stack syncs and builds from. `mode` "ok" passes answers through; "slow" answers after a delay
and dribbles the body; "garbage" answers 200 with random bytes in place of the file."""
import http.server
import os
import random
import threading
import time
import urllib.error
import urllib.request

PASSED_REQUEST_HEADERS = ("If-None-Match", "If-Modified-Since", "Range")
PASSED_ANSWER_HEADERS = ("ETag", "Last-Modified", "Content-Type", "Content-Range")


class MirrorProxy:
    def __init__(self, mirror_port):
        self.mirror = "http://127.0.0.1:%d" % mirror_port
        self.mode = "ok"
        self.served = {"ok": 0, "slow": 0, "garbage": 0}
        self.random = random.Random()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                proxy.answer(self, with_body=True)

            def do_HEAD(self):
                proxy.answer(self, with_body=False)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def answer(self, handler, with_body):
        mode = self.mode
        self.served[mode] += 1
        request = urllib.request.Request(self.mirror + handler.path, method=handler.command)
        for name in PASSED_REQUEST_HEADERS:
            if handler.headers.get(name):
                request.add_header(name, handler.headers[name])
        try:
            with urllib.request.urlopen(request, timeout=30) as upstream:
                status, headers, body = upstream.status, upstream.headers, upstream.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except OSError:
            status, headers, body = 502, {}, b""
        if mode == "garbage" and status == 200:
            body = os.urandom(max(16, len(body)))
            headers = {"ETag": '"garbage-%s"' % os.urandom(4).hex()}
        try:
            handler.send_response(status)
            for name in PASSED_ANSWER_HEADERS:
                if headers.get(name):
                    handler.send_header(name, headers[name])
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if mode == "slow":
                time.sleep(self.random.uniform(1.0, 3.0))
            if with_body:
                for start in range(0, len(body), 256 * 1024):
                    handler.wfile.write(body[start:start + 256 * 1024])
                    if mode == "slow":
                        time.sleep(0.05)
        except OSError:  # the client gave up
            pass

    def close(self):
        self.server.shutdown()
        self.server.server_close()
