"""Hot issues keep a number from run to run (issue #5): the number sequence, the number of each stored
hot issue (existing rows are numbered in the order of their run and rank), and the hot issue a
dispute-register entry was started from. The column becomes required in the next migration (on
PostgreSQL, altering a table in the transaction that updated its rows fails)."""

from django.db import migrations, models


def number_existing_issues(apps, schema_editor):
    HotIssue = apps.get_model("triage", "HotIssue")
    HotIssueNumber = apps.get_model("triage", "HotIssueNumber")
    for issue in HotIssue.objects.select_related("run").order_by("run__started_at", "run_id", "rank", "id"):
        issue.number = HotIssueNumber.objects.create(first_listed_at=issue.run.started_at).pk
        issue.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="HotIssueNumber",
            fields=[
                ("number", models.BigAutoField(primary_key=True, serialize=False, verbose_name="number")),
                ("first_listed_at", models.DateTimeField(verbose_name="first listed at")),
            ],
            options={
                "verbose_name": "hot-issue number",
                "verbose_name_plural": "hot-issue numbers",
                "ordering": ["number"],
            },
        ),
        migrations.AddField(
            model_name="disputeentry",
            name="hot_issue_number",
            field=models.PositiveBigIntegerField(
                blank=True,
                help_text="The hot issue the entry was started from.",
                null=True,
                verbose_name="hot issue number",
            ),
        ),
        migrations.AddField(
            model_name="hotissue",
            name="number",
            field=models.PositiveBigIntegerField(db_index=True, null=True, verbose_name="number"),
        ),
        migrations.RunPython(number_existing_issues, migrations.RunPython.noop),
    ]
