"""gunicorn's logger with every line escaped (`courtpath web serve` passes `--logger-class`).

gunicorn writes the access log from the request: `%(U)s` is the path percent-decoded, so `%0A` in a URL is a line
feed in the log, and its own `SafeAtoms` escape only `"`. Here each value of the access line is escaped
(`courtpath.logsafe.escape`, with `"`, which would end the quoted request, and everything beyond ASCII, so that the
line is plain ASCII whatever the request held), and the error log's handlers format with `OneLineFormatter`. The
calendar feed's secret token is cut out of its path (`/calendar/[token].ics`, courtpath.logsafe.redact_secret_paths).
"""

from __future__ import annotations

from gunicorn.glogging import Logger, SafeAtoms

from courtpath.logsafe import OneLineFormatter, escape, redact_secret_paths


class EscapedAtoms(SafeAtoms):
    """The values of an access-log line, each escaped when the format asks for it (as gunicorn's, `-` for a value
    the request lacks). Lazily: the atoms hold every header and environ variable, the format uses five."""

    def __init__(self, atoms: dict[str, object]) -> None:
        dict.__init__(self, atoms)

    def __getitem__(self, key: str) -> object:
        value = super().__getitem__(key)
        if not isinstance(value, str):
            return value
        return escape(redact_secret_paths(value), quote=True, ascii_only=True)  # a feed's token is not logged


class EscapingLogger(Logger):
    """gunicorn's logger, one line per record in both logs."""

    atoms_wrapper_class = EscapedAtoms

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            previous = handler.formatter
            fmt = previous._fmt if previous is not None else self.error_fmt
            handler.setFormatter(OneLineFormatter(fmt, previous.datefmt if previous is not None else self.datefmt))
