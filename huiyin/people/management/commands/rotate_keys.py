from django.core.management.base import BaseCommand, CommandError

from huiyin.people.keys import count_stale, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of HUIYIN_FIELD_KEYS. "
        "Put the new key first, keep the old ones after it, run this, then remove the old keys. "
        "With --check, only count values not yet encrypted with the first key (exit 1 if any)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report values still under an old key.")
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        if options["check"]:
            stale = count_stale()
            for label, count in stale.items():
                self.stdout.write(f"{label}: {count} value(s) under an old key")
            if any(stale.values()):
                raise CommandError("Some values are not encrypted with the primary key; run rotate_keys.")
            self.stdout.write("All encrypted values use the primary key.")
            return
        for result in rotate_all(batch=options["batch"]):
            self.stdout.write(f"{result.model}: {result.rows} row(s), {result.values} value(s) re-encrypted")
        self.stdout.write("Done. You may now remove the old keys from HUIYIN_FIELD_KEYS.")
