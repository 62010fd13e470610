"""A case's facts are kept as the one intake names them (courtpath.law.intake): `left_at` and `returned_at` become
`left` and `returned`, the indicators a list instead of a ";"-separated text. A sentence of restriction of military
service takes the engine's code, `restriction` (it was `restriction_of_service`).

The record is sealed, so this needs the vault unlocked when there are cases (`courtpath web init` unlocks before it
migrates). It is written exactly as courtpath.web.vault.sealed writes a record (JSON, associated data).
"""

import json

from django.db import migrations

RENAMED = {"left_at": "left", "returned_at": "returned"}
SENTENCE_TYPES = {"restriction_of_service": "restriction"}


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _canonical(record):
    changed = {RENAMED.get(name, name): value for name, value in record.items()}
    indicators = changed.get("indicators")
    if isinstance(indicators, str):
        changed["indicators"] = sorted(part for part in indicators.split(";") if part)
    if changed.get("sentence_type") in SENTENCE_TYPES:
        changed["sentence_type"] = SENTENCE_TYPES[changed["sentence_type"]]
    return changed


def _previous(record):
    changed = {next((old for old, new in RENAMED.items() if new == name), name): value for name, value in record.items()}
    if isinstance(changed.get("indicators"), list):
        changed["indicators"] = ";".join(changed["indicators"])
    if changed.get("sentence_type") == "restriction":
        changed["sentence_type"] = "restriction_of_service"
    return changed


def _rewrite(apps, convert):
    from courtpath.vault import state
    from courtpath.vault.cipher import open_sealed, seal

    Case = apps.get_model("cases", "Case")
    if not Case.objects.exists():
        return
    master = state.master()  # raises VaultLocked with instructions when there are rows to rewrite and no key
    plain_keys = {}
    for case in Case.objects.select_related("data_key"):
        if case.data_key_id not in plain_keys:
            associated = b"courtpath data key|" + case.data_key_id.bytes
            plain_keys[case.data_key_id] = open_sealed(master.key, case.data_key.wrapped, associated)
        key = plain_keys[case.data_key_id]
        associated = f"cases.Case.facts|{case.data_key_id}".encode()
        record = json.loads(open_sealed(key, case.facts_sealed, associated))
        case.facts_sealed = seal(key, _json(convert(record)), associated)
        case.save(update_fields=["facts_sealed"])


def forwards(apps, schema_editor):
    _rewrite(apps, _canonical)


def backwards(apps, schema_editor):
    _rewrite(apps, _previous)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_sealed_facts")]

    operations = [migrations.RunPython(forwards, backwards)]
