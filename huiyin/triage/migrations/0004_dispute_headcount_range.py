"""The number of people of a dispute register entry lies in 1..100000, like a case's (the intake form).

Entries stored before (0 was the default, and no upper bound was checked) are brought into range
first, so the constraint can be added.
"""

import django.core.validators
from django.db import migrations, models


def clamp_headcounts(apps, schema_editor):
    DisputeEntry = apps.get_model("triage", "DisputeEntry")
    DisputeEntry.objects.filter(headcount__lt=1).update(headcount=1)
    DisputeEntry.objects.filter(headcount__gt=100000).update(headcount=100000)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0003_hot_issue_number_required"),
    ]

    operations = [
        migrations.AlterField(
            model_name="disputeentry",
            name="headcount",
            field=models.PositiveIntegerField(
                default=1,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(100000),
                ],
                verbose_name="number of people affected",
            ),
        ),
        migrations.RunPython(clamp_headcounts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="disputeentry",
            constraint=models.CheckConstraint(
                condition=models.Q(("headcount__gte", 1), ("headcount__lte", 100000)),
                name="triage_dispute_headcount_in_range",
            ),
        ),
    ]
