"""The vault's errors, importable without the crypto libraries (the CLI maps them to one line and exit code 2)."""


class VaultError(Exception):
    """Base of the errors below; the message is for the operator and never contains key material."""


class KeyringError(VaultError):
    """The keyring is missing, malformed, or does not open with what was given."""


class VaultLocked(VaultError):
    """Case data was needed but the master key has not been unlocked in this process."""


class BackupError(VaultError):
    """A backup archive or key export could not be written, read or restored."""


class BackupNotAuthentic(BackupError):
    """A backup or key export whose authentication tag does not verify: another installation's, or changed."""


class UnauthenticatedBackup(BackupError):
    """A backup or key export without authentication (older than it, or made with only the public recipient)."""
