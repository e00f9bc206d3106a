"""The default retention rule: archives 10 years then an archival review, personal data 3 years.
The petition office changes it on the retention rules page."""

from django.db import migrations


def create(apps, schema_editor):
    RetentionRule = apps.get_model("retention", "RetentionRule")
    if not RetentionRule.objects.filter(category__isnull=True).exists():
        RetentionRule.objects.create(
            category=None, archive_years=10, personal_data_years=3, archive_action="review", note=""
        )


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
