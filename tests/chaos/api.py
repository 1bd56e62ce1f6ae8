"""The chaos suite's HTTP client: every request to the stack's nginx goes through `Api.call`, which
records the answer (status or the connection error, start and end time) for the final checks."""
import http.client
import json
import os
import socket
import threading
import time

CLIENT_TIMEOUT = 10.0  # seconds: an answer slower than this is a hang


class Answer:
    __slots__ = ("started", "ended", "method", "path", "status", "error", "body", "location")

    def __init__(self, started, method, path):
        self.started, self.ended, self.method, self.path = started, None, method, path
        self.status = self.error = self.location = None
        self.body = b""

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def detail(self):
        document = self.json()
        return document.get("detail", "") if isinstance(document, dict) else ""


class Api:
    def __init__(self, port, clock):
        self.port, self.clock = port, clock
        self.token = None
        self.answers = []
        self.lock = threading.Lock()

    def call(self, method, path, body=None, content_type="application/json", headers=None):
        """One request on a fresh connection; returns the Answer (status None on a connection error)."""
        answer = Answer(self.clock(), method, path)
        sent = dict(headers or {})
        if self.token:
            sent["Authorization"] = "Bearer " + self.token
        if body is not None:
            sent["Content-Type"] = content_type
            if isinstance(body, str):
                body = body.encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer.body = response.read()
            answer.status = response.status
            answer.location = response.getheader("Location")
        except (socket.timeout, TimeoutError):
            answer.error = "timeout"
        except ConnectionRefusedError:
            answer.error = "refused"
        except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
            answer.error = "reset"
        except (OSError, http.client.HTTPException) as error:
            answer.error = "error: %s" % error
        finally:
            connection.close()
        answer.ended = self.clock()
        with self.lock:
            self.answers.append(answer)
        return answer

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, document):
        return self.call("POST", path, json.dumps(document))

    def put(self, path, document):
        return self.call("PUT", path, json.dumps(document))

    def upload(self, path, fields, file_name, data):
        """multipart/form-data POST with text fields and one file `file`."""
        boundary = "chaos" + os.urandom(8).hex()
        parts = []
        for name, value in fields.items():
            parts.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
                          % (boundary, name, value)).encode())
        parts.append(('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
                      'Content-Type: application/octet-stream\r\n\r\n' % (boundary, file_name)).encode()
                     + data + b"\r\n")
        parts.append(("--%s--\r\n" % boundary).encode())
        return self.call("POST", path, b"".join(parts), "multipart/form-data; boundary=" + boundary)

    def until(self, method, path, document, accept, seconds):
        """Repeats a request (faults may be active) until `accept(answer)`; returns the last answer."""
        deadline = time.monotonic() + seconds
        while True:
            answer = self.call(method, path, None if document is None else json.dumps(document))
            if accept(answer) or time.monotonic() > deadline:
                return answer
            time.sleep(0.5)
