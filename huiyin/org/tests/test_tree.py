"""Bodies of the tree: a department acts for its company or branch; a review goes to the body above."""

from huiyin.org.services import unit_create
from huiyin.org.tree import handling_body, superior_body, unit_chain


def test_a_department_acts_for_its_branch_or_company_and_a_body_for_itself(org):
    port = unit_create(name="港口储运分公司", code="A-PORT", kind="branch", parent=org["a"])
    yard = unit_create(name="堆场作业区", code="A-PORT-Y", kind="department", parent=port)
    assert handling_body(yard) == port and handling_body(org["a_workshop"]) == org["a_plant"]
    assert handling_body(org["a_office"]) == org["a"]  # not the group, although the group is at the root
    assert handling_body(org["a"]) == org["a"] and handling_body(org["group"]) == org["group"]


def test_the_superior_body_is_the_one_above_the_body_acting_for_the_unit(org):
    port = unit_create(name="港口储运分公司", code="A-PORT", kind="branch", parent=org["a"])
    yard = unit_create(name="堆场作业区", code="A-PORT-Y", kind="department", parent=port)
    assert superior_body(port) == superior_body(yard) == org["a"]  # a department is no level of its own
    assert superior_body(org["a_workshop"]) == org["a"]
    assert superior_body(org["a"]) == superior_body(org["a_office"]) == org["group"]
    assert superior_body(org["group"]) is None  # the top: its superior is outside the organisation


def test_unit_chain_runs_from_the_root(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert unit_chain(org["a_workshop"]) == [org["group"], org["a"], org["a_plant"], org["a_workshop"]]
