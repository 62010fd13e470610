"""Issue 14, "Measured": what lets the pages over every case read little.

* Assessment.summary_sealed: the key dates and primary qualification of an assessment, sealed beside its answer
  (web/assessments/summary.py). Rows saved before get an empty column: the pages read their whole answer, and
  `courtpath reassess` writes the summaries of latest assessments (a migration cannot: it runs without the master
  key).
* An index on (case, created_at, id) for finding each case's latest assessment, and one on (case, at, id) for
  reading the events of every case in order.
* DerivedIndex: the deadlines and analytics records worked out from every case, sealed (web/cases/derived.py).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_case_name_index"),
        ("vault", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="summary_sealed",
            field=models.BinaryField(default=b"", editable=False),
            preserve_default=False,
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(fields=["case", "-created_at", "-id"], name="cases_assessment_latest"),
        ),
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(fields=["case", "at", "id"], name="cases_event_timeline"),
        ),
        migrations.CreateModel(
            name="DerivedIndex",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=30, unique=True)),
                ("generation", models.PositiveBigIntegerField(default=0)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("entries_sealed", models.BinaryField(editable=False)),
                (
                    "data_key",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="vault.datakey",
                    ),
                ),
            ],
        ),
    ]
