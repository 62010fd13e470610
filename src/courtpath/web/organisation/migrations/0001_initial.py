from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Identity",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name_ru", models.CharField(blank=True, max_length=200)),
                ("name_en", models.CharField(blank=True, max_length=200)),
                ("phone", models.CharField(blank=True, max_length=60)),
                ("messenger", models.CharField(blank=True, max_length=100)),
                ("email", models.EmailField(blank=True, max_length=200)),
                ("address_ru", models.CharField(blank=True, max_length=300)),
                ("address_en", models.CharField(blank=True, max_length=300)),
                ("hours_ru", models.CharField(blank=True, max_length=200)),
                ("hours_en", models.CharField(blank=True, max_length=200)),
                ("privacy_ru", models.TextField(blank=True, max_length=4000)),
                ("privacy_en", models.TextField(blank=True, max_length=4000)),
                ("quick_exit_url", models.URLField(default="https://www.gismeteo.ru/", max_length=300)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
        ),
    ]
