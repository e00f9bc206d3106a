from __future__ import annotations

import pytest

from huiyin.org.services import user_create


@pytest.fixture
def accusation(make_case):
    """An accusation report with a named author, in the discipline compartment."""
    return make_case(type="accusation", subject="检举一厂某科长违规报销", content="一厂某科长多次虚开发票报销。")


@pytest.fixture
def plant_leader(org):
    return user_create(
        username="plant_leader", password="pw-Huiyin-2026", unit=org["a_plant"], roles=["leader"], full_name="厂长"
    )


@pytest.fixture
def discipline2(org):
    return user_create(
        username="discipline2", password="pw-Huiyin-2026", unit=org["a"], roles=["discipline"], full_name="孔纪检"
    )
