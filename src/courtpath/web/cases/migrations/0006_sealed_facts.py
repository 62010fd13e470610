"""Encryption at rest, continued: a case's facts and procedure (status, the moments of the absence, the signs of
intent to desert, court, verdict, sentence) move into one sealed record, `facts`; saved assessments, which repeat
the facts, are sealed too. Together with a state's own personnel records those facts would name the serviceman.

Existing rows are sealed here, which needs the vault unlocked (`courtpath web init` unlocks before it migrates).
The values are written exactly as courtpath.web.vault.sealed writes them (record JSON, associated data).
"""

import json

import django.db.models.deletion
from django.db import migrations, models

FACTS = (
    "status",
    "left_at",
    "returned_at",
    "absence_kind",
    "context",
    "indicators",
    "weapon",
    "group",
    "first_offence",
    "grave_circumstances",
    "surrendered",
    "aggravating",
    "released_80_2",
    "court_id",
    "verdict_date",
    "sentence_type",
    "sentence_months",
    "sentence_suspended",
)


def _json(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def seal_existing(apps, schema_editor):
    from courtpath.vault import state
    from courtpath.vault.cipher import open_sealed, seal

    Case = apps.get_model("cases", "Case")
    Assessment = apps.get_model("cases", "Assessment")
    if not Case.objects.exists():
        return
    master = state.master()  # raises VaultLocked with instructions when there are rows to seal and no key
    plain_keys = {}

    def data_key(row):
        if row.data_key_id not in plain_keys:
            wrapped = row.data_key.wrapped
            associated = b"courtpath data key|" + row.data_key_id.bytes
            plain_keys[row.data_key_id] = open_sealed(master.key, wrapped, associated)
        return plain_keys[row.data_key_id]

    for case in Case.objects.select_related("data_key"):
        record = {}
        for name in FACTS:
            value = getattr(case, name)
            record[name] = value.isoformat() if hasattr(value, "isoformat") else value
        associated = f"cases.Case.facts|{case.data_key_id}".encode()
        case.facts_sealed = seal(data_key(case), _json(record), associated)
        case.save(update_fields=["facts_sealed"])
    for assessment in Assessment.objects.select_related("case__data_key"):
        assessment.data_key_id = assessment.case.data_key_id
        key = data_key(assessment.case)
        for lang in ("ru", "en"):
            associated = f"cases.Assessment.result_{lang}|{assessment.data_key_id}".encode()
            setattr(assessment, f"result_{lang}_sealed", seal(key, _json(getattr(assessment, f"result_{lang}")), associated))
        assessment.save(update_fields=["data_key", "result_ru_sealed", "result_en_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_sealed_fields"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="case", name="facts_sealed", field=models.BinaryField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="assessment",
            name="data_key",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vault.datakey",
            ),
        ),
        migrations.AddField(
            model_name="assessment", name="result_ru_sealed", field=models.BinaryField(editable=False, null=True)
        ),
        migrations.AddField(
            model_name="assessment", name="result_en_sealed", field=models.BinaryField(editable=False, null=True)
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name="case", name=name) for name in FACTS],
        migrations.RemoveField(model_name="assessment", name="result_ru"),
        migrations.RemoveField(model_name="assessment", name="result_en"),
        migrations.AlterField(model_name="case", name="facts_sealed", field=models.BinaryField(editable=False)),
        migrations.AlterField(
            model_name="assessment",
            name="data_key",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="vault.datakey",
            ),
        ),
        migrations.AlterField(
            model_name="assessment", name="result_ru_sealed", field=models.BinaryField(editable=False)
        ),
        migrations.AlterField(
            model_name="assessment", name="result_en_sealed", field=models.BinaryField(editable=False)
        ),
    ]
