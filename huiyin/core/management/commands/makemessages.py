"""`makemessages` with the catalogue sorted by msgid, so that regenerating it changes only the
messages that changed (Django keeps the order in which files are walked, which differs between
checkouts and machines)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--sort-output"]
    msguniq_options = [*makemessages.Command.msguniq_options, "--sort-output"]
    msgattrib_options = [*makemessages.Command.msgattrib_options, "--sort-output"]
