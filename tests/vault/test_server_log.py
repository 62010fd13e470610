"""The real server (`courtpath web serve`, gunicorn): a request cannot write a line of its own into the logs.

The red team's finding: `GET /help/%0A2026-12-07 deleted case C-ABC` wrote a second, forged line into the access
log, because gunicorn logs the path percent-decoded.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from test_installation import COURTPATH, Installation, _postgres_url

FAKE = "2026-12-07 deleted case C-ABC"
REQUESTS = [  # (method, raw path), each sent as it stands
    ("GET", "/help/%0A2026-12-07%20deleted%20case%20C-ABC"),
    ("GET", "/help/%0D%0A2026-12-07%20deleted%20case%20C-ABC"),
    ("GET", "/help/%E2%80%A82026-12-07%20deleted%20case%20C-ABC"),  # U+2028, the line separator
    ("GET", "/help/%C2%852026-12-07%20deleted%20case%20C-ABC"),  # U+0085, next line
    ("GET", "/help/%5Cn%222026-12-07"),  # a backslash, an n and a quote: not a line feed
    ("POST", "/cases/%0A2026-12-07%20deleted%20case%20C-ABC/notes/"),
    ("GET", "/help/"),
]
ACCESS_LINE = re.compile(
    r'^staff \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "(GET|POST) ([^"]*)" (\d{3}) \d+\.\d+s$'
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _send(port: int, method: str, path: str) -> int:
    """One raw HTTP/1.1 request; the response's status code."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        body = f"{method} {path} HTTP/1.1\r\nHost: testserver\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        connection.sendall(body.encode("ascii"))
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def _wait_for(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server exited with {server.returncode}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")


def test_a_line_feed_in_a_url_does_not_forge_a_log_line(tmp_path: Path) -> None:
    installation = Installation(tmp_path / "a", _postgres_url(f"logs_{uuid.uuid4().hex[:8]}"))
    installation.init()
    port = _free_port()
    stdout, stderr = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        server = subprocess.Popen(
            [
                str(COURTPATH),
                "web",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--public-workers",
                "0",
                "--admin",
                "admin",
            ],
            env=installation.env,
            stdout=out,
            stderr=err,
            text=True,
        )
        try:
            _wait_for(port, server)
            statuses = [_send(port, method, path) for method, path in REQUESTS]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    assert statuses == [302, 302, 302, 302, 302, 302, 200]  # not logged in: to the login page
    printed, errors = stdout.read_text(), stderr.read_text()
    access = [line for line in printed.splitlines() if line.startswith("staff [")]
    assert len(access) == len(REQUESTS), printed
    for line, (method, _path) in zip(access, REQUESTS, strict=True):
        assert (match := ACCESS_LINE.match(line)), line
        assert match.group(1) == method
    assert f'"GET /help/\\n{FAKE}"' in printed
    assert f'"GET /help/\\r\\n{FAKE}"' in printed
    assert f'"GET /help/\\u2028{FAKE}"' in printed
    assert f'"GET /help/\\x85{FAKE}"' in printed
    assert '"GET /help/\\\\n\\x222026-12-07"' in printed
    assert f'"POST /cases/\\n{FAKE}/notes/"' in printed
    for text in (printed, errors):
        assert not any(FAKE in line and not line.startswith("staff [") for line in text.splitlines()), text
        assert not any(character in text for character in "\r\x85\u2028\u2029")
