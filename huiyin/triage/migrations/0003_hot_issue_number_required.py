"""The number of a hot issue is required and unique within its run (after 0002 numbered the rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0002_hot_issue_numbers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hotissue",
            name="number",
            field=models.PositiveBigIntegerField(db_index=True, verbose_name="number"),
        ),
        migrations.AddConstraint(
            model_name="hotissue",
            constraint=models.UniqueConstraint(fields=("run", "number"), name="triage_hot_issue_number_once_per_run"),
        ),
    ]
