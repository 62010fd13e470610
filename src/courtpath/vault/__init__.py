"""The vault: encryption at rest for case data (see docs/threat-model.md).

Key hierarchy:

* the **master key** (32 random bytes) exists in clear only in the memory of an unlocked process. On disk it is kept
  twice, both times encrypted: under a key derived from the operator's passphrase (Argon2id), and to the offline
  recovery identity (age/X25519), in the keyring file. `courtpath web serve` asks for the passphrase at start-up,
  or reads it from a file the operator mounts (removable media, systemd credentials);
* a **data key** per case (32 random bytes), stored in the database wrapped by the master key. Everything that
  identifies a person or tells their story is sealed with its case's data key: names, contacts, birth date, unit,
  investigator, request texts, notes, stage comments, document names and document contents;
* destroying a case's data key (crypto-shredding) leaves every copy of its ciphertext (rows, WAL, old backups)
  unreadable: backups never contain data keys.

This package is pure Python (no Django); `courtpath.web.vault` stores data keys and seals model fields with it.
"""
