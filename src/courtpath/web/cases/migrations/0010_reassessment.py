"""Reassessment as time passes: timeline events get a kind (a stage change, or a duration boundary that an absence
still going on passed) and sealed structured params. Existing events get an empty record, sealed as
courtpath.web.vault.sealed writes it, which needs the vault unlocked when there are events (`courtpath web init`
unlocks before it migrates)."""

from django.db import migrations, models


def seal_empty_params(apps, schema_editor):
    from courtpath.vault import state
    from courtpath.vault.cipher import open_sealed, seal

    CaseEvent = apps.get_model("cases", "CaseEvent")
    if not CaseEvent.objects.exists():
        return
    master = state.master()  # raises VaultLocked with instructions when there are rows to seal and no key
    plain_keys = {}
    for event in CaseEvent.objects.select_related("data_key").iterator(chunk_size=500):
        if event.data_key_id not in plain_keys:
            associated = b"courtpath data key|" + event.data_key_id.bytes
            plain_keys[event.data_key_id] = open_sealed(master.key, event.data_key.wrapped, associated)
        associated = f"cases.CaseEvent.params|{event.data_key_id}".encode()
        event.params_sealed = seal(plain_keys[event.data_key_id], b"{}", associated)
        event.save(update_fields=["params_sealed"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_request_triage"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[("stage", "Stage"), ("boundary", "Duration boundary passed")], default="stage", max_length=20
            ),
        ),
        migrations.AddField(
            model_name="caseevent", name="params_sealed", field=models.BinaryField(default=b"", editable=False)
        ),
        migrations.RunPython(seal_empty_params, migrations.RunPython.noop),
        migrations.AlterField(model_name="caseevent", name="params_sealed", field=models.BinaryField(editable=False)),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(fields=["kind", "at"], name="cases_casee_kind_736884_idx"),
        ),
    ]
