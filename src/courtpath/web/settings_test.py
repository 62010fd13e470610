"""Settings for the test suite: a throwaway data folder, plain-HTTP cookies for the test client."""

import os
import tempfile

os.environ.setdefault("COURTPATH_DATA_DIR", tempfile.mkdtemp(prefix="courtpath-test-"))
os.environ.setdefault("COURTPATH_HTTPS", "0")

from courtpath.web.settings import *  # noqa: F403

AXES_ENABLED = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing folder)
