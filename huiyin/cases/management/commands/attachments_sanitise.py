from django.core.management.base import BaseCommand

from huiyin.cases.models import Attachment
from huiyin.cases.services import attachment_sanitise_existing


class Command(BaseCommand):
    help = (
        "Make the copy without metadata (EXIF GPS, document author) for attachments stored before such copies "
        "were made. Originals are not changed. Safe to run again: done attachments are skipped."
    )

    def handle(self, *args, **options):
        done = removed = 0
        for pk in Attachment.objects.filter(sanitiser="").order_by("pk").values_list("pk", flat=True).iterator():
            attachment = attachment_sanitise_existing(attachment=Attachment(pk=pk))
            done += 1
            removed += attachment.metadata_removed
        self.stdout.write(f"{done} attachment(s) checked, metadata removed from {removed}.")
