"""`make run` loads the demo organisation: cases in every state and stage, the demo employee's own matters
on the portal (a decision among them), review stages handled by the body above, and loading twice adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from huiyin.cases.management.commands.seed_demo import EMPLOYEE_CASES, OUTCOMES
from huiyin.cases.models import Case
from huiyin.cases.selectors import earlier_stage_people, earlier_stage_units
from huiyin.cases.states import CaseStage, CaseStatus
from huiyin.org.models import User
from huiyin.org.tree import handling_body


@pytest.fixture(autouse=True)
def _model_dir(settings, tmp_path):
    """The demo trains a category model when it has enough decided cases: never into the real data directory."""
    settings.HUIYIN_MODEL_DIR = str(tmp_path / "models")


@pytest.fixture
def demo(db):
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True)


def test_the_demo_has_cases_in_every_state_and_stage(demo):
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    assert set(Case.objects.values_list("stage", flat=True)) == set(CaseStage.values)


def test_each_review_stage_went_to_other_people_in_the_body_above(demo):
    later = Case.objects.exclude(stage=CaseStage.FIRST).exclude(status=CaseStatus.ACCEPTED)
    assert later.exists()
    for case in later:
        body = handling_body(case.handling_unit)
        for earlier in earlier_stage_units(case=case):
            assert not body.is_within(handling_body(earlier)), case.case_no
        people = {case.responsible_leader_id, *case.members.values_list("user_id", flat=True)}
        assert not people & earlier_stage_people(case=case), case.case_no


def test_the_demo_employee_follows_their_own_matters_on_the_portal(demo, client):
    employee = User.objects.get(username="employee")
    mine = Case.objects.filter(petitioner__account=employee)
    assert mine.count() == len(EMPLOYEE_CASES)
    statuses = set(mine.values_list("status", flat=True))
    assert CaseStatus.FORWARDED in statuses and CaseStatus.IN_HANDLING in statuses
    assert mine.filter(stage=CaseStage.REVIEW).exists()
    client.force_login(employee)
    forwarded = mine.get(status=CaseStatus.FORWARDED)
    page = client.get(reverse("portal:mine_case", args=[forwarded.case_no])).content.decode()
    assert 'id="decision-kind"' in page and 'id="decision-next-right"' in page
    # Loading the demo again adds nothing.
    before = (Case.objects.count(), User.objects.count())
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True)
    assert (Case.objects.count(), User.objects.count()) == before


def test_the_demos_notices_are_dated_by_their_history(demo):
    """Found in a walk-through: every notice of the demo was stamped with the minute it was loaded, and a leader
    had 238 unread. Each is dated by the event it reports; those older than a fortnight are read."""
    from datetime import timedelta

    from django.utils import timezone

    from huiyin.notify.models import OutboxMessage

    inbox = OutboxMessage.objects.filter(channel="inbox", dedup_key__startswith="event:")
    assert inbox.exists()
    old = timezone.now() - timedelta(days=30)
    assert inbox.filter(created_at__lt=old).exists()  # the history is spread over its months
    assert not inbox.filter(created_at__lt=timezone.now() - timedelta(days=14), read_at__isnull=True).exists()


def test_the_demos_dispute_register_holds_group_matters_of_the_companies(demo, client):
    """Found in a walk-through: the demo's register was empty. Each company office keeps one group matter."""
    from huiyin.triage.models import DisputeEntry
    from huiyin.triage.selectors import dispute_entries_for
    from huiyin.triage.states import DisputeStatus

    entries = list(DisputeEntry.objects.prefetch_related("cases"))
    assert entries
    assert len({e.unit_id for e in entries}) == len(entries)  # one per company
    for entry in entries:
        (case,) = entry.cases.all()
        assert entry.title == case.subject and entry.headcount == case.headcount >= 2
        assert case.type == "claim"  # a dispute: not a suggestion or an accusation report
        assert (entry.status == DisputeStatus.RESOLVED) == (case.status == CaseStatus.CLOSED)
        if entry.status == DisputeStatus.RESOLVED:
            assert entry.checks_done == 3 and entry.resolved_at > entry.created_at
        office = User.objects.get(groups__name="office", unit=entry.unit)
        assert dispute_entries_for(user=office).filter(pk=entry.pk).exists()
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("triage:disputes")).content.decode()
    assert all(e.title in page for e in entries)
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True)
    assert DisputeEntry.objects.count() == len(entries)


def test_the_demo_custodian_has_requests_to_decide(demo, client):
    from huiyin.people.models import UnsealRequest, UnsealStatus

    pending = UnsealRequest.objects.filter(status=UnsealStatus.REQUESTED)
    assert pending.exists() and UnsealRequest.objects.filter(status=UnsealStatus.DENIED).count() == 1
    client.force_login(User.objects.get(username="custodian"))
    page = client.get(reverse("portal:unseal_requests")).content.decode()
    assert all(r.case.case_no in page for r in pending)
    assert "据记录与本件无关" not in page and "未批准 1 次" in page
    before = UnsealRequest.objects.count()
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True)  # loading again adds nothing
    assert UnsealRequest.objects.count() == before


def test_the_demo_office_keeps_category_routes_and_cases_are_suggested_a_unit(demo):
    from huiyin.triage.models import CategoryRoute, Suggestion

    assert CategoryRoute.objects.filter(scope__isnull=True, category__code="wages").exists()
    assert CategoryRoute.objects.filter(scope__isnull=False).count() >= 12
    assert Suggestion.objects.filter(kind="route", unit__isnull=False).exists()


def test_the_group_office_keeps_an_entry_owned_by_the_demo_leader(demo):
    """Found in a walk-through: the demo leader owned no register entry, so "record progress on your own
    entry" could not be tried as leader. The group office keeps one of its own on a group matter, his."""
    from huiyin.cases.management.commands.seed_demo import Command
    from huiyin.cases.services import PetitionerData, case_accept, case_register
    from huiyin.org.models import OrgUnit
    from huiyin.triage.models import DisputeEntry

    root = OrgUnit.objects.get(depth=0)
    office, leader = User.objects.get(username="office"), User.objects.get(username="leader")
    clerk = User.objects.get(username="clerk")
    group_matter = case_register(
        actor=clerk,
        unit=clerk.unit,
        channel="visit",
        type="claim",
        subject="机关后勤十二名职工反映取暖补贴未发",
        content="机关后勤服务中心十二名职工反映，去年冬季取暖补贴至今未发放，请求集团核实并补发。",
        petitioner=PetitionerData(name="代表甲", phone="13800005555"),
        collective=True,
        headcount=12,
    )
    case_accept(case=group_matter, actor=office)
    DisputeEntry.objects.filter(responsible_leader=leader).delete()
    Command()._group_dispute(root, entered=set())
    entry = DisputeEntry.objects.get(responsible_leader=leader)
    assert entry.unit == root and entry.status == "resolving" and entry.headcount >= 2
    assert list(entry.cases.all()) == [group_matter] or entry.cases.get().headcount >= group_matter.headcount


def test_the_demo_has_too_few_cases_for_a_model_and_says_so(db):
    """A small demo (fewer decided cases than HUIYIN_TRIAGE_MIN_EXAMPLES) keeps the keyword rules, as production
    would, and says why."""
    from huiyin.triage.models import Suggestion, TrainedModel

    out = io.StringIO()
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True, stdout=out)
    assert not TrainedModel.objects.exists()
    assert "No category model:" in out.getvalue() and "100" in out.getvalue()
    assert not Suggestion.objects.filter(kind="category", source="model").exists()


def test_the_demo_ends_with_a_model_of_its_own_cases_in_use(db, settings, client):
    """Found in a walk-through: every suggestion of the demo came from the keyword rules and none showed a
    confidence. The demo trains on its own decided cases, as the office would on the models page, and puts the
    model in use; the cases still awaiting a decision on their category are suggested by it."""
    from huiyin.audit.models import AuditAction, AuditRecord
    from huiyin.triage.models import Suggestion, TrainedModel, TrainingRun
    from huiyin.triage.selectors import training_examples

    settings.HUIYIN_TRIAGE_MIN_EXAMPLES = 20  # the test's small demo; `make run` loads 360 cases against 100
    out = io.StringIO()
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True, stdout=out)
    office = User.objects.get(username="office")
    model = TrainedModel.objects.get()
    assert model.active and model.source == "history" and model.trained_by == office == model.activated_by
    assert model.n_examples == len(training_examples())
    assert TrainingRun.objects.get().status == "done"
    assert f"Category model v{model.version} in use" in out.getvalue()
    assert AuditRecord.objects.filter(action=AuditAction.MODEL_TRAIN, actor_id=office.pk).exists()
    assert AuditRecord.objects.filter(action=AuditAction.MODEL_ACTIVATE, actor_id=office.pk).exists()
    open_category = Suggestion.objects.filter(kind="category", status="open").exclude(reasons__has_key="type")
    assert open_category.exists()
    assert set(open_category.values_list("source", "trained_model")) == {("model", model.pk)}
    suggestion = open_category.exclude(case__type="accusation").first()  # discipline's compartment: not the office's
    client.force_login(office)
    page = client.get(suggestion.case.get_absolute_url()).content.decode()
    assert f"{suggestion.confidence_percent}%</span>" in page and f"v{model.version}" in page
    page = client.get(reverse("triage:models")).content.decode()
    assert f'data-model="{model.version}" data-active' in page
    # Loading the demo again trains nothing more.
    call_command("seed_demo", cases=len(OUTCOMES) + 5, quiet=True, stdout=io.StringIO())
    assert TrainedModel.objects.count() == 1 and TrainingRun.objects.count() == 1


def test_the_demo_has_a_matter_raised_by_several_employees_and_a_repeat_petition(db):
    """Found in a walk-through: the demo's top hot issue grouped suggestions on different things. The demo's stories
    (`STORIES`): employees of one workplace raising the same matter in the last weeks, one of them collectively and
    one writing again, linked as a repeat petition. (That they make the hot issues is tested on the texts, in
    huiyin/core/tests/test_demo_text.py: a batch this small fits no clustering threshold.)"""
    from datetime import timedelta

    from django.utils import timezone

    from huiyin.cases.management.commands.seed_demo import STORIES, STORY_FIRST
    from huiyin.cases.models import CaseLink

    n_story = sum(len(days) for *_rest, days in STORIES)
    call_command("seed_demo", cases=STORY_FIRST + n_story, quiet=True, stdout=io.StringIO())
    stories = Case.objects.order_by("pk")[STORY_FIRST:]
    assert len(stories) == n_story
    assert all(c.received_at > timezone.now() - timedelta(days=40) for c in stories)
    wages = [c for c in stories if "北岭热电厂" in c.subject]
    assert len(wages) == len(STORIES[0][-1])
    assert len({c.target_unit_id for c in wages}) == 1
    assert sum(c.headcount > 1 for c in wages) == 1
    link = CaseLink.objects.select_related("from_case", "to_case").get(kind="repeat")
    assert {link.from_case, link.to_case} <= set(wages)
    assert link.from_case.petitioner.name == link.to_case.petitioner.name
    assert link.from_case.received_at > link.to_case.received_at
