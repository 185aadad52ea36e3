from django.db import migrations, models


class Migration(migrations.Migration):
    """The engine returns a wording code and parameters instead of a French sentence; the rows
    already stored get the code ``legacy`` (their sentence is moved next, then the column dropped)."""

    dependencies = [
        ("cooperation", "0002_analysis_state_and_figure_basis"),
    ]

    operations = [
        migrations.AddField(
            model_name="detectedopportunity",
            name="wording",
            field=models.CharField(
                default="legacy",
                help_text="What the engine says about it, as a code; the page writes the sentence in its language.",
                max_length=40,
                verbose_name="wording",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="detectedopportunity",
            name="wording_params",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Names, codes and numbers the sentence is written with (engine codes).",
                verbose_name="wording parameters",
            ),
        ),
    ]
