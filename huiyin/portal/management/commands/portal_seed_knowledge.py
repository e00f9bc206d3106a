from django.core.management.base import BaseCommand

from huiyin.portal.knowledge import knowledge_seed


class Command(BaseCommand):
    help = "Create the starter policy articles and FAQs of the portal's knowledge base (idempotent)."

    def handle(self, *args, **options):
        self.stdout.write(f"{knowledge_seed()} knowledge article(s) created.")
