"""Form pieces shared by the staff pages and the portal."""

from __future__ import annotations

from django import forms

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
