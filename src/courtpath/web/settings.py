"""Django settings for the courtpath case-management app.

Secure by default: production values unless COURTPATH_DEBUG=1. Secrets never live in this file: the secret key is
read from COURTPATH_SECRET_KEY or from a key file in the data folder, created on first start with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from courtpath.web.catalogs import compile_catalogs

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("COURTPATH_DATA_DIR", "var")).resolve()
DEBUG = os.environ.get("COURTPATH_DEBUG") == "1"


def _secret_key() -> str:
    if os.environ.get("COURTPATH_SECRET_KEY"):
        return os.environ["COURTPATH_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("COURTPATH_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "courtpath.web.accounts",
    "courtpath.web.audit",
    "courtpath.web.vault",
    "courtpath.web.cases",
    "courtpath.web.assessments",
    "courtpath.web.drafts",
    "courtpath.web.statistics",
    "courtpath.web.api",
    "courtpath.web.interview",
    "courtpath.web.organisation",
    "courtpath.web.agenda",
]

MIDDLEWARE = [
    "courtpath.web.privacy.ForgetClientMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "courtpath.web.server.public_pool.PublicPoolOnlyMiddleware",  # the public pool serves /help/ only
    "courtpath.web.accounts.sessions.KeepStaleCookieMiddleware",  # see accounts/sessions.py
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "courtpath.web.accounts.middleware.SessionTimeoutMiddleware",
    "courtpath.web.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "courtpath.web.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "courtpath.web.urls"
WSGI_APPLICATION = "courtpath.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
            # Tag libraries shared by several apps' templates (an app's own would live in its templatetags/).
            "libraries": {
                "courtpath_labels": "courtpath.web.templatetags.courtpath_labels",
                "courtpath_nav": "courtpath.web.templatetags.courtpath_nav",
            },
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{DATA_DIR / 'courtpath.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL with full sync: an acknowledged write survives a crash; readers do not block the writer.
    DATABASES["default"]["OPTIONS"] = {
        # secure_delete: freed pages (a shredded data key, deleted rows) are overwritten with zeros; in WAL mode the
        # main file and the WAL hold the old pages until the checkpoint that every deletion runs (web/vault/erasure.py).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        # busy timeout (seconds): how long a connection (a thread of any worker) waits for another's write lock, and a
        # deletion's WAL checkpoint for readers (web/vault/erasure.py), before failing. Python's default is 5 s.
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"

# Sessions: idle timeout (seconds of inactivity) and an absolute lifetime, both enforced by our middleware.
SESSION_IDLE_SECONDS = int(os.environ.get("COURTPATH_SESSION_IDLE_SECONDS", "1800"))
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("COURTPATH_SESSION_ABSOLUTE_SECONDS", "36000"))
SESSION_ENGINE = "courtpath.web.accounts.sessions"  # rows under a hash of the cookie's key, not the key itself
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
# HTTPS (the default): TLS ends at a reverse proxy on the same host (docs/deployment.md), which sets
# X-Forwarded-Proto; a request that did not come through it is redirected to https. COURTPATH_HTTPS=0 is for a
# machine's own loopback only (`make run`, tests): plain HTTP, cookies without Secure.
HTTPS = not DEBUG and os.environ.get("COURTPATH_HTTPS", "1") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True  # only a header flag: the domain's owner decides whether to submit it to the list
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from other hosts, no script at all (every page works without JavaScript), no
# inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "connect-src": ["'self'"],
    }
}

# Brute-force protection: lock the username (not the IP: staff may share a Tor exit) after 5 failures for 1 h.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_DISABLE_ACCESS_LOG = True
AXES_RESET_ON_SUCCESS = False  # accounts clears the count after the second factor, so failed TOTP codes count too
AXES_VERBOSE = False
# W006 asks to lock by IP address too; staff may share an IP (Tor exits, an office NAT), so an attacker rotating
# IPs gains nothing against a per-username lock, while an IP lock would shut out colleagues.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "courtpath.web.accounts.views.locked_out"  # same page whether the username exists or not
# A browser with a device cookie of the account (issued at a full login) is not subject to the username's lockout,
# so a stranger's wrong passwords cannot lock the owner out; its own failures are limited (accounts/devices.py).
AXES_WHITELIST_CALLABLE = "courtpath.web.accounts.devices.axes_whitelisted"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken"]  # masked in AccessAttempt
AXES_CLIENT_IP_CALLABLE = "courtpath.web.privacy.no_client_address"  # failed logins are kept without an address
AXES_USERNAME_CALLABLE = "courtpath.web.privacy.axes_username"  # and under a keyed hash of the username

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
# A fresh checkout has only the .po files: compile them before Django loads any translation.
compile_catalogs()
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
# Dates and times as each language writes them (17.12.2026 08:00 in Russian, 17 Dec 2026 08:00 in English).
FORMAT_MODULE_PATH = ["courtpath.web.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

# Logs: requests without query strings or bodies; no personal data.
# One handler, and every record one line (courtpath.logsafe: a `%0A` in a URL cannot write a line of its own). The
# root logger takes any other library's warnings, which would otherwise reach stderr unformatted; "django.server"
# replaces the handler of Django's default configuration (runserver only).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"one_line": {"class": "courtpath.logsafe.OneLineFormatter", "format": "%(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "one_line"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # At DEBUG, a template's missing variable is logged with the whole template context (a case's decrypted
        # facts and names): never below WARNING, whatever level "django" is given.
        "django.template": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # Stored values that could not be read: the case code and the error's class, never a value (cases/stored.py).
        "courtpath": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Encryption at rest (courtpath.vault, docs/threat-model.md). The keyring holds the master key encrypted to the
# operator's passphrase and to the offline recovery identity; documents are stored sealed with their case's key.
COURTPATH_KEYRING_FILE = Path(os.environ.get("COURTPATH_KEYRING_FILE", DATA_DIR / "keyring.json"))
COURTPATH_DOCUMENTS_DIR = DATA_DIR / "documents"
COURTPATH_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Uploads stay in memory (never a clear temporary file on disk) up to the document limit.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
# The request is larger than its file by the form's other fields and the multipart framing (less than 1 MiB). A
# larger request is refused with a message (cases.views.document_upload); its file is not kept, not even in memory.
COURTPATH_MAX_UPLOAD_REQUEST_BYTES = COURTPATH_MAX_DOCUMENT_BYTES + (1 << 20)
FILE_UPLOAD_MAX_MEMORY_SIZE = COURTPATH_MAX_UPLOAD_REQUEST_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # form fields other than files
# Closed cases are shredded this many days after they closed, and requests that never became a case this many days
# after they arrived (`courtpath purge`).
COURTPATH_RETENTION_DAYS = int(os.environ.get("COURTPATH_RETENTION_DAYS", "365"))
# How long a server process keeps the statistics page's figures (statistics/memo.py); 0: compute on every view.
COURTPATH_STATISTICS_CACHE_SECONDS = int(os.environ.get("COURTPATH_STATISTICS_CACHE_SECONDS", "300"))
# Requests for help sent from the public interview (all senders together): past this many in the last hour they are
# still accepted but held apart as a probable flood; past the second number they are refused (what a flood can write
# to disk), the form keeping what was typed. See cases.services.create_public_request.
COURTPATH_PUBLIC_REQUESTS_PER_HOUR = int(os.environ.get("COURTPATH_PUBLIC_REQUESTS_PER_HOUR", "30"))
COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR = int(os.environ.get("COURTPATH_PUBLIC_REQUESTS_MAX_PER_HOUR", "2000"))


def _pdf_slots(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise ImproperlyConfigured(f"COURTPATH_PUBLIC_PDF_SLOTS must be a whole number from 1 to 64, not {text!r}")
    return value


def _pdf_wait(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:  # also refuses nan; a waiting request holds a worker thread
        raise ImproperlyConfigured(f"COURTPATH_PUBLIC_PDF_WAIT_SECONDS must be 0 to 10 seconds, not {text!r}")
    return value


# The public interview's PDF costs 0.1-0.8 s of CPU: at most this many are made at once by all server processes
# together (lock files in <data folder>/pdf-slots, courtpath.web.interview.slots); a request that finds no free slot
# within COURTPATH_PUBLIC_PDF_WAIT_SECONDS gets a 503 page with Retry-After.
COURTPATH_PUBLIC_PDF_SLOTS = _pdf_slots(os.environ.get("COURTPATH_PUBLIC_PDF_SLOTS", "1"))
# The wait holds one thread of a worker of the public pool (web/server/pools.py), not a staff process.
COURTPATH_PUBLIC_PDF_WAIT_SECONDS = _pdf_wait(os.environ.get("COURTPATH_PUBLIC_PDF_WAIT_SECONDS", "2"))
COURTPATH_PUBLIC_PDF_SLOTS_DIR = DATA_DIR / "pdf-slots"


def _recheck_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 60:  # also refuses nan
        raise ImproperlyConfigured(f"COURTPATH_API_TOKEN_RECHECK_SECONDS must be 0 to 60 seconds, not {text!r}")
    return value


# A server process remembers an API token it found valid for this long before it reads the database again (0: on every
# request). Revoking takes effect at once in the process that revokes, within this time in the others
# (courtpath/web/api/services.py).
COURTPATH_API_TOKEN_RECHECK_SECONDS = _recheck_seconds(os.environ.get("COURTPATH_API_TOKEN_RECHECK_SECONDS", "1"))


# The daily digest (`courtpath digest`, web/agenda/digest.py) goes out through Django's SMTP backend: a mail server the
# organisation runs or trusts (docs/deployment.md). The digest lists case codes, dates and kinds only.
EMAIL_HOST = os.environ.get("COURTPATH_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("COURTPATH_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("COURTPATH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("COURTPATH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("COURTPATH_EMAIL_STARTTLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("COURTPATH_EMAIL_TLS", "0") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("COURTPATH_EMAIL_FROM", "courtpath@localhost")
