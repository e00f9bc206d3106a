"""Plainer Chinese for a few of Django's own validation messages.

Django's Chinese catalogue says "确保该变量包含不超过 200 字符", a programmer's sentence ("variable").
The project's catalogue (``LOCALE_PATHS``) is consulted before Django's, so translating the same
msgids there replaces the wording. They are marked here so that ``makemessages`` keeps them; nothing
imports this module.
"""

from django.utils.translation import ngettext_lazy

OVERRIDDEN = (
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
)
