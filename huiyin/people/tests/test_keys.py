"""Key rotation: field keys (rotate_keys) and the matching key (rehash), docs/security/keys.md."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from huiyin.people.models import Petitioner, PetitionerKey
from huiyin.people.services import petitioner_create, petitioner_find_same


def raw_name(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM people_petitioner WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotate_keys_round_trip(settings, case):
    old = settings.HUIYIN_FIELD_KEYS[0]
    new = Fernet.generate_key().decode()
    petitioner = petitioner_create(name="周某", phone="13600000000", id_number="110101199001011234")
    before = raw_name(petitioner.pk)

    settings.HUIYIN_FIELD_KEYS = [new, old]
    with pytest.raises(CommandError):
        call_command("rotate_keys", "--check")
    call_command("rotate_keys")
    call_command("rotate_keys", "--check")
    assert raw_name(petitioner.pk) != before

    settings.HUIYIN_FIELD_KEYS = [new]  # the old key is gone: everything still reads
    again = Petitioner.objects.get(pk=petitioner.pk)
    assert (again.name, again.phone, again.id_number) == ("周某", "13600000000", "110101199001011234")
    assert Petitioner.objects.get(pk=case.petitioner_id).name == "刘某某"

    settings.HUIYIN_FIELD_KEYS = [old]  # and the old key alone no longer does
    with pytest.raises(ValueError):
        Petitioner.objects.get(pk=petitioner.pk)


def test_match_key_rotation_with_rehash(settings, db):
    settings.HUIYIN_MATCH_KEY = "old-match-key"
    first = petitioner_create(name="吴某", employee_no="E1001")
    old_hash = first.match_key

    settings.HUIYIN_MATCH_KEY = "new-match-key"
    settings.HUIYIN_MATCH_KEY_PREVIOUS = ["old-match-key"]
    # During the rotation, lookups find records hashed under either key, without decrypting.
    assert list(petitioner_find_same(employee_no="E 1001")) == [first]

    call_command("rehash")
    first.refresh_from_db()
    assert first.match_key != old_hash

    settings.HUIYIN_MATCH_KEY_PREVIOUS = []
    second = petitioner_create(name="吴某", employee_no="Ｅ１００１")  # full-width digits normalise
    assert set(petitioner_find_same(employee_no="e1001")) == {first, second}


def test_identity_fields_are_normalised_before_hashing(db):
    from huiyin.people.crypto import normalise_phone
    from huiyin.people.services import petitioner_match_key

    for typed in (
        "13912345678",
        "139-1234-5678",
        "139 1234 5678",
        "+86 139 1234 5678",
        "0086-13912345678",
        "8613912345678",
        "（139）12345678",
        "１３９１２３４５６７８",
    ):
        assert normalise_phone(typed) == "13912345678", typed
    assert normalise_phone("010-6512 3456") == "01065123456"  # a landline keeps its area code
    same = petitioner_match_key(name="王某", phone="13912345678")
    assert petitioner_match_key(name="王\u3000某 ", phone="+86 139-1234-5678") == same
    assert petitioner_match_key(id_number=" 11010119900101123x ") == petitioner_match_key(
        id_number="11010119900101123X"
    )
    assert petitioner_match_key(name="王某", phone="+-()") == ""  # no digits: no name+phone hash


def test_rehash_brings_hashes_of_older_normalisation_in_line(db):
    """Hashes stored before phones were reduced to digits are recomputed by `manage.py rehash`."""
    from huiyin.people.crypto import match_hash

    old = petitioner_create(name="王某", phone="139-1234-5678")
    Petitioner.objects.filter(pk=old.pk).update(match_key=match_hash("np", "王某", "139-1234-5678"))
    PetitionerKey.objects.filter(petitioner=old).delete()  # a record from before the per-identity hashes
    assert not petitioner_find_same(name="王某", phone="13912345678").exists()
    call_command("rehash")
    assert list(petitioner_find_same(name="王某", phone="13912345678")) == [old]
    assert PetitionerKey.objects.filter(petitioner=old).count() == 1


def test_each_identity_given_is_a_way_to_recognise_the_petitioner(db):
    """A letter with ID number, employee number and phone; a later call gives only name and phone, or
    only the employee number: the same person either way, found by hash without decrypting."""
    letter = petitioner_create(name="王建军", id_number="110101199003071234", employee_no="E2002", phone="13800001234")
    assert PetitionerKey.objects.filter(petitioner=letter).count() == 3
    assert list(petitioner_find_same(name="王建军", phone="138 0000 1234")) == [letter]
    assert list(petitioner_find_same(employee_no="e2002")) == [letter]
    assert not petitioner_find_same(name="王建国", phone="13800001234").exists()
    assert not petitioner_find_same(name="王建军", phone="13800009999").exists()
