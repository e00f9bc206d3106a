from django.core.management.base import BaseCommand

from huiyin.people.services import petitioner_rehash


class Command(BaseCommand):
    help = (
        "Recompute every petitioner's matching hash with the current HUIYIN_MATCH_KEY. "
        "During a rotation, keep the old key in HUIYIN_MATCH_KEY_PREVIOUS until this has run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        changed = petitioner_rehash(batch=options["batch"])
        self.stdout.write(f"{changed} matching hash(es) recomputed with the current key.")
        self.stdout.write("You may now remove the old key from HUIYIN_MATCH_KEY_PREVIOUS.")
