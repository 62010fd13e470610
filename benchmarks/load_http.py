"""A small HTTP client for the load benchmarks: the standard library only, one cookie jar per simulated browser.

Redirects are not followed (a write is acknowledged by its 302); every request is timed and recorded under a page
name in a shared Recorder.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

TIMEOUT = 120.0  # seconds: longer than gunicorn's worker timeout, so a killed worker shows as an error, not a hang


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("location", "")).path


@dataclass
class Recorder:
    """Latencies (ms) and errors per page, shared by every client thread."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    shed: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # refused on purpose, with Retry-After
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count_shed(self, page: str) -> None:
        with self.lock:
            self.shed[page] += 1

    def add(self, page: str, milliseconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[page].append(milliseconds)
            if error is not None:
                self.errors[page] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{page}: {error}")


class Browser:
    """One simulated browser: cookies, CSRF token, timed requests."""

    def __init__(self, base_url: str, recorder: Recorder) -> None:
        self.base_url = base_url
        self.recorder = recorder
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect)

    def csrf(self) -> str:
        return next((c.value for c in self.cookies if c.name == "csrftoken"), "")

    def request(
        self,
        page: str,
        path: str,
        data: dict[str, object] | list[tuple[str, str]] | None = None,
        *,
        expect: int,
        files: dict[str, tuple[str, bytes]] | None = None,
        record: bool = True,
        shed: int | None = None,
    ) -> Response:
        """GET (data None) or POST a form (urlencoded, or multipart with `files`); records an error when the status
        is not `expect` (or `shed`: a deliberate refusal under load, with Retry-After, counted apart) or the request
        fails."""
        body, headers = None, {"Referer": self.base_url + path}
        if files is not None:
            body, content_type = _multipart(data or {}, files)
            headers["Content-Type"] = content_type
        elif data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        began = time.perf_counter()
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                response = Response(answer.status, answer.read(), {k.lower(): v for k, v in answer.headers.items()})
        except urllib.error.HTTPError as refused:
            response = Response(refused.code, refused.read(), {k.lower(): v for k, v in refused.headers.items()})
        except OSError as failure:  # refused, reset, timed out
            response = Response(0, b"", {})
            error: str | None = f"{type(failure).__name__}: {failure}"
        milliseconds = (time.perf_counter() - began) * 1000
        if response.status:
            error = None if response.status == expect else f"{response.status} for {path}{_form_errors(response)}"
            if response.status == shed and "retry-after" in response.headers:
                error = None
                if record:
                    self.recorder.count_shed(page)
        if record:
            self.recorder.add(page, milliseconds, error)
        return response


def _form_errors(response: Response) -> str:
    """The first form error of a refused form, to say why (the page's own message, no data)."""
    found = re.search(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
    return f" ({re.sub(r'<[^>]+>', ' ', found.group(1)).strip()[:200]})" if found else ""


def _multipart(data: dict[str, object], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class FormFields(HTMLParser):
    """The values a browser would submit from a page's forms: inputs (checked boxes only), selects, textareas."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.checkboxes: set[str] = set()
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "checkbox":
                self.checkboxes.add(name)
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self.fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            value = self._select_value if self._select_value is not None else self._first_option
            self.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def value(self, name: str) -> str | None:
        return next((v for k, v in self.fields if k == name), None)
