"""gunicorn's threaded worker (gthread), hardened against slow clients.

gunicorn's own gthread worker hands a connection to a thread as soon as its first bytes arrive; the thread then
blocks until the client has sent every header line. A client that trickles one header line every few seconds
(slowloris) therefore holds a thread for as long as it likes, and a few dozen such clients hold every thread of
every worker: staff pages wait in the queue behind them (load test 2026-12, section 4).

Here the worker's main loop reads the request headers itself, without blocking, from every connection at once, and
gives a connection to a thread only when its headers are complete (also for a request pipelined behind another). A
connection whose headers are not complete within `header_timeout` seconds of being accepted (or of becoming readable
again after keep-alive) is closed, and so is one whose headers exceed MAX_HEADER_BYTES. While a thread serves a
request, every socket operation is bounded by `io_timeout`: a client that stops reading a response (or sending its
body) for that long is dropped, freeing the thread. A client that keeps reading, however slowly, is never cut off:
the response is streamed in chunks and the worker's heartbeat (gunicorn's --timeout) runs in the main loop,
independent of a thread blocked on a socket.

This builds on gunicorn's gthread internals (TConn, the poller and the thread pool; pinned in pyproject.toml).
The tests in tests/web/test_serve_slow_clients.py start a real server with it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import time
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from courtpath.web.server import heap

MAX_HEADER_BYTES = 64 * 1024  # the request line and the header fields; gunicorn's parser enforces its own limits
HEADER_TIMEOUT_ENV = "COURTPATH_HEADER_TIMEOUT"
IO_TIMEOUT_ENV = "COURTPATH_IO_TIMEOUT"
DEFAULT_HEADER_TIMEOUT = 10.0
DEFAULT_IO_TIMEOUT = 30.0


def _seconds(name: str, default: float) -> float:
    value = float(os.environ.get(name, default))
    return value if value > 0 else default


def _complete(head: bytearray, start: int) -> bool:
    """Whether the request headers end in `head` (searched from `start`)."""
    return head.find(b"\r\n\r\n", start) >= 0 or head.find(b"\n\n", start) >= 0


class SlowClientSafeWorker(ThreadWorker):
    """gthread with the request headers read by the main loop, under a deadline (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timeout = _seconds(HEADER_TIMEOUT_ENV, DEFAULT_HEADER_TIMEOUT)
        self.io_timeout = _seconds(IO_TIMEOUT_ENV, DEFAULT_IO_TIMEOUT)
        # Connections whose headers are being read, in the order of their deadlines (all have the same length).
        self.reading: dict[TConn, float] = {}

    def load_wsgi(self) -> None:
        super().load_wsgi()
        heap.freeze_loaded_app()  # the loaded app out of the garbage collector's walks: courtpath.web.server.heap

    def accept(self, listener: Any) -> None:
        try:
            client_sock, client_addr = listener.accept()
        except OSError as error:
            if error.errno not in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                raise
            return
        self.nr_conns += 1
        conn = TConn(self.cfg, client_sock, client_addr, listener.getsockname())  # non-blocking
        conn.courtpath_head = bytearray()
        self._read_headers(conn)

    def on_client_socket_readable(self, conn: TConn, client: Any) -> None:
        """A kept-alive connection sends its next request: read its headers in the main loop too."""
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        conn.courtpath_head = bytearray()
        self._read_headers(conn)

    def _read_headers(self, conn: TConn) -> None:
        self.reading[conn] = time.monotonic() + self.header_timeout
        self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_header_bytes, conn))

    def _on_header_bytes(self, conn: TConn, client: Any) -> None:
        try:
            chunk = conn.sock.recv(8192)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client went away
            self._stop_reading(conn)
            self._drop(conn)
            return
        head: bytearray = conn.courtpath_head
        start = max(0, len(head) - 3)
        head += chunk
        if _complete(head, start):
            self._stop_reading(conn)
            self._submit(conn)
        elif len(head) > MAX_HEADER_BYTES:  # no real browser sends that much; the parser would wait for more
            self._stop_reading(conn)
            self._drop(conn)

    def _submit(self, conn: TConn) -> None:
        conn.data_ready = True  # no second wait for data in the thread
        super().enqueue_req(conn)

    def enqueue_req(self, conn: TConn) -> None:
        """gunicorn calls this for a request already read ahead after the previous one (pipelining): the thread would
        block on the socket for the rest of its headers, so unless they are all there, the main loop reads them."""
        head = conn.parser.unreader.take_buffered() if conn.initialized and conn.parser is not None else b""
        if not head:
            self._submit(conn)
            return
        conn.courtpath_head = bytearray(head)
        if _complete(conn.courtpath_head, 0):
            self._submit(conn)
            return
        conn.sock.setblocking(False)
        self._read_headers(conn)

    def _stop_reading(self, conn: TConn) -> None:
        self.reading.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)

    def _drop(self, conn: TConn) -> None:
        self.nr_conns -= 1
        conn.close()

    def murder_pending(self) -> None:
        """gunicorn's clean-up of waiting connections, plus those whose headers are late (all of them once the
        worker stops)."""
        super().murder_pending()
        now = time.monotonic()
        for conn, deadline in list(self.reading.items()):
            if deadline > now and self.alive:
                break
            self._stop_reading(conn)
            self._drop(conn)

    def handle(self, conn: TConn) -> Any:
        head = bytes(getattr(conn, "courtpath_head", b""))
        conn.courtpath_head = bytearray()
        if head:  # give the parser the header bytes the main loop has read
            try:
                conn.sock.setblocking(True)
                conn.init()
                conn.parser.unreader.unread(head)
            except Exception:  # a socket error while setting up: nothing was answered yet
                return False
        return super().handle(conn)

    def handle_request(self, req: Any, conn: TConn) -> bool:
        conn.sock.settimeout(self.io_timeout)  # each send or receive while serving, not the whole response
        return super().handle_request(req, conn)
