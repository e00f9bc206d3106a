from django.core.management.base import BaseCommand, CommandError

from huiyin.audit.services import audit_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and names the first broken record."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = audit_verify()
        if result.ok:
            self.stdout.write(f"audit chain OK: {result.checked} records verified")
            return
        raise CommandError(f"audit chain broken at record #{result.first_broken_seq}: {result.reason}")
