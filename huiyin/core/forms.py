"""Form pieces shared by the staff pages and the portal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext

from huiyin.core.errors import DomainError


def form_add_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a refused operation on its form: the message above the fields, and each field's own errors
    on that field (or above the fields, when the form has no such field). A message that a field repeats word
    for word is shown on the field only, not twice."""
    repeated = any(exc.message == str(error) for errors in exc.fields.values() for error in errors)
    if not repeated:
        form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class CountedTextarea(forms.Textarea):
    """A text area whose length limit is counted for the user, never enforced by cutting.

    A `maxlength` attribute makes the browser drop what is pasted past the limit without a word: a
    20,300-character letter was saved with 20,000. The limit goes to `js/char-count.js` instead (`data-max-chars`),
    which shows "已输入 N / 20000 字" beside the field and an error state past it; the field's validator still
    refuses too long a text, with the count in its message, and the form shows the text again as typed.

    A browser sends each line break as CR LF; it is read as one character, as the browser shows and counts
    it, so the count beside the field and the server's agree.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        limit = widget_attrs.pop("maxlength", None)
        if limit:
            widget_attrs["data-max-chars"] = limit
            widget_attrs["data-count-text"] = gettext("Entered {count} / {limit} characters")
            widget_attrs["data-over-text"] = gettext("Entered {count} / {limit} characters, {over} too many")
        return context

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []
