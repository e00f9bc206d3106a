"""Permissions and roles as people read them, in the active language.

Django stores a permission's name in English when it is created ("Can add case"), so the admin's
pickers and the audit log name permissions from the models instead: a declared permission by its
(translated) name, a default one as "Add <model>"; and a role by its label, its code in brackets.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from huiyin.org.roles import ROLE_LABELS

DEFAULT_VERBS = {
    "view": _("View %(name)s"),
    "add": _("Add %(name)s"),
    "change": _("Change %(name)s"),
    "delete": _("Delete %(name)s"),
}


def permission_label(app_label: str, codename: str) -> str | None:
    """The permission `app_label.codename` in words, or None when no installed model declares it."""
    try:
        models = apps.get_app_config(app_label).get_models()
    except LookupError:
        return None
    for model in models:
        opts = model._meta
        for code, name in opts.permissions:
            if code == codename:
                return str(name)
        verb, _sep, model_name = codename.partition("_")
        if model_name == opts.model_name and verb in opts.default_permissions and verb in DEFAULT_VERBS:
            return str(DEFAULT_VERBS[verb]) % {"name": opts.verbose_name}
    return None


def permission_choice_label(permission) -> str:
    """A `Permission` row as the admin's pickers list it: "app | model | what it allows", all in words."""
    content_type = permission.content_type
    label = permission_label(content_type.app_label, permission.codename) or permission.name
    return f"{content_type} | {label}"


def role_label(name: str) -> str:
    """A role's group as "登记员（clerk）"; a group that is no role keeps its name."""
    label = ROLE_LABELS.get(name)
    if label is None:
        return name
    return gettext("%(role)s (%(code)s)") % {"role": label, "code": name}
