"""The vault's errors, importable without the crypto libraries (the CLI maps them to one line and exit code 2)."""


class VaultError(Exception):
    """Base of the errors below; the message is for the operator and never contains key material."""


class KeyringError(VaultError):
    """The keyring is missing, malformed, or does not open with what was given."""


class VaultLocked(VaultError):
    """Case data was needed but the master key has not been unlocked in this process."""


class BackupError(VaultError):
    """A backup archive or key export could not be written, read or restored."""
