"""Encryption at rest: every identifying or narrative field moves to a sealed column under a per-case data key.

Existing rows are sealed here, which needs the vault unlocked (`courtpath web init` unlocks before it migrates).
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SEALED = {
    "HelpRequest": {"summary": "summary", "contact": None},
    "Case": {
        "client_surname": None,
        "client_given_name": None,
        "client_patronymic": None,
        "client_sex": None,
        "client_birth_date": None,
        "client_rank": None,
        "client_contact": None,
        "military_unit": "military_unit",
        "investigator": "investigator",
    },
    "CaseEvent": {"comment": "comment"},
    "Note": {"text": "text"},
}


def seal_existing(apps, schema_editor):
    from courtpath.vault import state
    from courtpath.vault.cipher import new_key, seal

    models_ = {name: apps.get_model("cases", name) for name in SEALED}
    if not any(model.objects.exists() for model in models_.values()):
        return
    master = state.master()  # raises VaultLocked with instructions when there are rows to seal and no key
    DataKey = apps.get_model("vault", "DataKey")
    plain_keys: dict[uuid.UUID, bytes] = {}

    def new_data_key():
        key_id = uuid.uuid4()
        plain = new_key()
        DataKey.objects.create(
            id=key_id,
            wrapped=seal(master.key, plain, b"courtpath data key|" + key_id.bytes),
            master_key_id=master.key_id,
        )
        plain_keys[key_id] = plain
        return key_id

    def seal_row(row, model_name):
        for name, old in SEALED[model_name].items():
            value = getattr(row, old) if old else ""
            encoded = (value or "").encode("utf-8")
            associated = f"cases.{model_name}.{name}|{row.data_key_id}".encode()
            setattr(row, f"{name}_sealed", seal(plain_keys[row.data_key_id], encoded, associated))
        row.save()

    for request in models_["HelpRequest"].objects.all():
        request.data_key_id = new_data_key()
        seal_row(request, "HelpRequest")
    for case in models_["Case"].objects.select_related("request"):
        case.data_key_id = case.request.data_key_id if case.request_id else new_data_key()
        seal_row(case, "Case")
    for model_name in ("CaseEvent", "Note"):
        for row in models_[model_name].objects.select_related("case"):
            row.data_key_id = row.case.data_key_id
            seal_row(row, model_name)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_cases_case_updated_abc920_idx"),
        ("vault", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        *[
            migrations.AddField(
                model_name=model_name.lower(),
                name="data_key",
                field=models.ForeignKey(
                    editable=False,
                    null=True,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="vault.datakey",
                ),
            )
            for model_name in SEALED
        ],
        *[
            migrations.AddField(
                model_name=model_name.lower(),
                name=f"{name}_sealed",
                field=models.BinaryField(editable=False, null=True),
            )
            for model_name, names in SEALED.items()
            for name in names
        ],
        migrations.AlterField(
            model_name="helprequest",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.RemoveField(model_name="helprequest", name="summary"),
        migrations.RemoveField(model_name="case", name="military_unit"),
        migrations.RemoveField(model_name="case", name="investigator"),
        migrations.RemoveField(model_name="caseevent", name="comment"),
        migrations.RemoveField(model_name="note", name="text"),
        *[
            migrations.AlterField(
                model_name=model_name.lower(),
                name="data_key",
                field=models.ForeignKey(
                    editable=False,
                    on_delete=django.db.models.deletion.PROTECT,
                    related_name="+",
                    to="vault.datakey",
                ),
            )
            for model_name in SEALED
        ],
        *[
            migrations.AlterField(
                model_name=model_name.lower(),
                name=f"{name}_sealed",
                field=models.BinaryField(editable=False),
            )
            for model_name, names in SEALED.items()
            for name in names
        ],
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("blob", models.UUIDField(editable=False, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("size", models.PositiveBigIntegerField()),
                ("name_sealed", models.BinaryField(editable=False)),
                ("content_type_sealed", models.BinaryField(editable=False)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="documents", to="cases.case"
                    ),
                ),
                (
                    "data_key",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="vault.datakey",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"ordering": ["-created_at", "-id"]},
        ),
    ]
