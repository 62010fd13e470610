from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_canonical_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="helprequest",
            name="held",
            field=models.BooleanField(default=False),
        ),
    ]
