import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="DataKey",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("wrapped", models.BinaryField(editable=False)),
                ("master_key_id", models.CharField(editable=False, max_length=16)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
