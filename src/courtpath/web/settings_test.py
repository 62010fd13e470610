"""Settings for the test suite: a throwaway data folder, plain-HTTP cookies for the test client."""

import os
import tempfile

os.environ.setdefault("COURTPATH_DATA_DIR", tempfile.mkdtemp(prefix="courtpath-test-"))
os.environ.setdefault("COURTPATH_HTTPS", "0")

from courtpath.web.settings import *  # noqa: F403

AXES_ENABLED = True
COURTPATH_STATISTICS_CACHE_SECONDS = 0  # every test sees the figures of its own data; tests/web/test_statistics_memo.py

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns about a missing folder)

# The vault is unlocked with a fixed, test-only master key, so that test subprocesses (crash tests) agree on it.
# Production processes unlock from the keyring with the operator's passphrase (courtpath.cli.web).
from courtpath.vault import state as _vault_state  # noqa: E402
from courtpath.vault.keyring import MasterKey as _MasterKey  # noqa: E402

TEST_MASTER_KEY = _MasterKey(bytes(range(32)))
_vault_state.unlock(TEST_MASTER_KEY)
