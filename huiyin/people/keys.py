"""Key rotation for encrypted fields (HUIYIN_FIELD_KEYS). See docs/security/keys.md."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from huiyin.people import crypto
from huiyin.people.fields import EncryptedTextField


@dataclass
class RotationResult:
    model: str
    rows: int
    values: int


def encrypted_fields() -> Iterator[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted fields, and the names of those fields."""
    for model in apps.get_models():
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names and not model._meta.proxy:
            yield model, names


def _plain_rows(model: type[models.Model], names: list[str], after: object, batch: int) -> list[tuple]:
    """Primary key and plain values of the next batch (the field decrypts on load, with any listed key)."""
    qs = model._base_manager.order_by("pk")
    if after is not None:
        qs = qs.filter(pk__gt=after)
    return list(qs.values_list("pk", *names)[:batch])


def rotate_all(*, batch: int = 500) -> list[RotationResult]:
    """Re-encrypt every encrypted value with the first key of HUIYIN_FIELD_KEYS."""
    results = []
    for model, names in encrypted_fields():
        rows = values = 0
        last = None
        while True:
            chunk = _plain_rows(model, names, last, batch)
            if not chunk:
                break
            with transaction.atomic():
                for pk, *plain in chunk:
                    # Saving the plain text encrypts it with the primary key (MultiFernet encrypts with the first).
                    model._base_manager.filter(pk=pk).update(**dict(zip(names, plain, strict=True)))
                    rows += 1
                    values += sum(1 for v in plain if v)
            last = chunk[-1][0]
        results.append(RotationResult(model._meta.label, rows, values))
    return results


def count_stale() -> dict[str, int]:
    """How many stored values per model are not yet encrypted with the primary key."""
    from django.db import connection

    stale: dict[str, int] = {}
    for model, names in encrypted_fields():
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 - names come from model metadata
            count = sum(1 for row in cursor.fetchall() for token in row if token and not crypto.is_current(token))
        stale[model._meta.label] = count
    return stale
