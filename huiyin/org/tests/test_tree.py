"""Bodies of the tree: a department acts for its company or branch; a review goes to the body above."""

from django.template import Context, Template

from huiyin.org.services import unit_create
from huiyin.org.tree import handling_body, superior_body, unit_chain, unit_label, unit_names


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


def test_unit_label_names_a_unit_along_its_path_below_the_group(org, django_assert_num_queries):
    assert unit_label(org["group"]) == "测试集团"
    assert unit_label(org["a"]) == "甲公司"  # a company is known by its own name
    assert unit_label(org["a_workshop"]) == "甲公司 · 甲公司一厂 · 一厂检修车间"
    names = unit_names()
    with django_assert_num_queries(0):  # with the names read once, labelling a page's units costs nothing more
        assert unit_label(org["a_office"], names) == "甲公司 · 甲公司信访办"
        assert unit_label(org["b_office"], names) == "乙公司 · 乙公司信访办"


def test_unit_label_tag_reads_the_names_once_per_page(org, django_assert_num_queries):
    template = Template("{% load org_tags %}{% for u in units %}{% unit_label u %};{% endfor %}{% unit_label none %}")
    units = [org["a_office"], org["a_workshop"], org["b_office"]]
    with django_assert_num_queries(1):
        text = template.render(Context({"units": units, "none": None}))
    assert text == "甲公司 · 甲公司信访办;甲公司 · 甲公司一厂 · 一厂检修车间;乙公司 · 乙公司信访办;—"


def test_a_department_of_the_group_is_named_with_the_group(org):
    """Found in the demo: a route to the group's 人力资源部 read 人力资源部, like any company's."""
    hr = unit_create(name="人力资源部", code="G-HR", kind="department", parent=org["group"])
    section = unit_create(name="薪酬科", code="G-HR-PAY", kind="department", parent=hr)
    assert unit_label(hr) == "测试集团 · 人力资源部" == unit_label(hr, unit_names())
    assert unit_label(section) == "测试集团 · 人力资源部 · 薪酬科"
    assert unit_label(org["a_office"]) == "甲公司 · 甲公司信访办"  # below a company: the company says where
