"""Plainer Chinese for a few of Django's own messages, and Chinese for those Django's catalogue lacks.

Django's Chinese catalogue says "确保该变量包含不超过 200 字符", a programmer's sentence ("variable"),
and "不允许是用空字符串" for a NUL character (a typo, and "empty string" is not what is wrong),
and has no Chinese for a few messages new in Django 5 (the admin's add-user hint stays English).
The project's catalogue (``LOCALE_PATHS``) is consulted before Django's, so translating the same
msgids there replaces the wording or fills the gap. They are marked here so that ``makemessages``
keeps them; nothing imports this module. The admin's JavaScript messages missing from Django's
catalogue are in ``locale/zh_Hans/LC_MESSAGES/djangojs.po``, kept by hand.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

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
    # Django's Chinese reads "不允许是用空字符串。" (a typo, and not what is wrong: a NUL character was sent).
    gettext_noop("Null characters are not allowed."),
)

# Messages of django.contrib.admin and django.contrib.auth with no Chinese in Django 5.2's catalogue.
MISSING_IN_DJANGO = (
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
)
