"""Request triage and the hand-over to a case: a request gets a status (new, in review, declined with a reason, made
a case), an assignee, its structured answers and a decline note (both sealed); a case gets the contact's relation to
the client (sealed). `declined` becomes the status `declined`; a request that has a case becomes `converted`.

Existing rows get their new sealed columns sealed empty here ({} and ""), as courtpath.web.vault.sealed writes them;
that needs the vault unlocked when there are rows (`courtpath web init` unlocks before it migrates).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

EMPTY = {  # model -> sealed attribute -> its empty plain value
    "HelpRequest": {"answers": b"{}", "decline_note": b""},
    "Case": {"contact_relation": b""},
}


def triage_and_seal(apps, schema_editor):
    from courtpath.vault import state
    from courtpath.vault.cipher import open_sealed, seal

    HelpRequest = apps.get_model("cases", "HelpRequest")
    Case = apps.get_model("cases", "Case")
    HelpRequest.objects.filter(declined=True).update(status="declined")
    HelpRequest.objects.filter(case__isnull=False).update(status="converted")
    if not HelpRequest.objects.exists() and not Case.objects.exists():
        return
    master = state.master()  # raises VaultLocked with instructions when there are rows to seal and no key
    plain_keys = {}

    def data_key(row):
        if row.data_key_id not in plain_keys:
            associated = b"courtpath data key|" + row.data_key_id.bytes
            plain_keys[row.data_key_id] = open_sealed(master.key, row.data_key.wrapped, associated)
        return plain_keys[row.data_key_id]

    for model in (HelpRequest, Case):
        fields = EMPTY[model.__name__]
        for row in model.objects.select_related("data_key"):
            for name, plain in fields.items():
                associated = f"cases.{model.__name__}.{name}|{row.data_key_id}".encode()
                setattr(row, f"{name}_sealed", seal(data_key(row), plain, associated))
            row.save(update_fields=[f"{name}_sealed" for name in fields])
    if schema_editor.connection.vendor == "postgresql":
        # The rows written above leave deferred constraint checks pending, and PostgreSQL refuses to alter a table
        # that has some ("pending trigger events"): run them now, before the columns below change.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def sealed(model_name: str, name: str) -> list:
    return [
        migrations.AddField(
            model_name=model_name, name=f"{name}_sealed", field=models.BinaryField(editable=False, null=True)
        )
    ]


def required(model_name: str, name: str) -> migrations.AlterField:
    return migrations.AlterField(model_name=model_name, name=f"{name}_sealed", field=models.BinaryField(editable=False))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_helprequest_held"),
        ("vault", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "New"),
                    ("in_review", "In review"),
                    ("declined", "Declined"),
                    ("converted", "Made a case"),
                ],
                db_index=True,
                default="new",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="status_since",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="helprequest",
            name="decline_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("junk", "Junk or a test"),
                    ("duplicate", "A duplicate of another request"),
                    ("out_of_scope", "Outside what we do"),
                    ("no_contact", "Could not reach the person"),
                    ("withdrawn", "The person no longer needs help"),
                    ("other", "Other reason"),
                ],
                max_length=20,
            ),
        ),
        *sealed("helprequest", "answers"),
        *sealed("helprequest", "decline_note"),
        *sealed("case", "contact_relation"),
        migrations.RunPython(triage_and_seal, migrations.RunPython.noop),
        migrations.RemoveField(model_name="helprequest", name="declined"),
        required("helprequest", "answers"),
        required("helprequest", "decline_note"),
        required("case", "contact_relation"),
    ]
