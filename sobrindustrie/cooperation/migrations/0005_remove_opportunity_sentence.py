from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0004_opportunity_legacy_sentences"),
    ]

    operations = [
        # A default first, so that going back re-creates the column on filled tables.
        migrations.AlterField(
            model_name="detectedopportunity",
            name="sentence",
            field=models.TextField(blank=True, default="", verbose_name="sentence"),
        ),
        migrations.RemoveField(
            model_name="detectedopportunity",
            name="sentence",
        ),
    ]
