"""The retention job: personal data removed on schedule, archives marked for review or destroyed,
held back by holds and by anything still open; idempotent, audited, and a dry run changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from huiyin.audit.models import AuditRecord
from huiyin.audit.services import audit_verify
from huiyin.cases.models import Attachment, Case, CaseEvent, CaseReply, Category
from huiyin.cases.services import PetitionerData, RepresentativeData
from huiyin.core.scheduling import JOBS
from huiyin.people.models import AccusedPerson, Petitioner
from huiyin.retention.models import ArchiveReview, DestroyedCase, LegalHold, PersonalDataErasure, RetentionRule
from huiyin.retention.selectors import OPEN_DEADLINE, OPEN_REVIEW, retention_blockers
from huiyin.retention.services import ERASED_MARKER, legal_hold_lift, legal_hold_set
from huiyin.retention.tests.conftest import CLOSED_AT, after, run_at


def _identity(case) -> dict:
    p = Petitioner.objects.get(pk=case.petitioner_id)
    return {"name": p.name, "phone": p.phone, "employee_no": p.employee_no, "match_key": p.match_key}


def test_the_job_is_registered_with_the_scheduler():
    assert "retention.run" in JOBS


def test_personal_data_is_kept_until_the_period_ends(closed_case, django_capture_on_commit_callbacks):
    before = _identity(closed_case)
    with django_capture_on_commit_callbacks(execute=True):
        result = run_at(after(years=3, days=-1))
    assert result.erased == 0
    assert _identity(closed_case) == before and before["name"] == "刘某某"
    assert Attachment.objects.filter(case=closed_case).count() == 2


def test_identity_is_erased_and_originals_removed_but_the_matter_stays(closed_case, django_capture_on_commit_callbacks):
    attachments = {a.original_name: a for a in Attachment.objects.filter(case=closed_case)}
    text, image = attachments["刘某某工资条.txt"], attachments["现场照片.png"]
    assert image.sanitised_file and not text.sanitised_file
    originals = [text.file.name, image.file.name]
    copy = image.sanitised_file.name
    events = CaseEvent.objects.filter(case=closed_case).count()
    audit_before = set(AuditRecord.objects.values_list("seq", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        result = run_at(after(years=3, days=1))

    assert result.erased == 1 and result.errors == 0
    petitioner = Petitioner.objects.get(pk=closed_case.petitioner_id)
    assert petitioner.name == ERASED_MARKER
    assert (petitioner.phone, petitioner.employee_no, petitioner.id_number, petitioner.match_key) == ("", "", "", "")
    assert petitioner.pseudonym.startswith("P-")  # the pseudonym is no identity: it stays
    accused = AccusedPerson.objects.get(case=closed_case)
    assert (accused.name, accused.position, accused.description) == (ERASED_MARKER, "", "")
    # The originals as received are gone; the copy without metadata stays with the archive.
    assert not any(default_storage.exists(name) for name in originals)
    kept = Attachment.objects.get(case=closed_case)
    assert kept.file.name == copy and not kept.sanitised_file and default_storage.exists(copy)
    assert "刘某某" not in kept.original_name
    # The matter, its timeline and its reply stay.
    case = Case.objects.get(pk=closed_case.pk)
    assert case.subject == closed_case.subject and case.content == closed_case.content
    assert CaseEvent.objects.filter(case=case).count() == events
    assert CaseReply.objects.filter(case=case).exists()
    erasure = PersonalDataErasure.objects.get(case=case)
    assert erasure.petitioner_erased and erasure.rule == "default"
    # Audited, without naming anyone; earlier audit records untouched; the chain verifies.
    record = AuditRecord.objects.get(action="retention.erase")
    assert record.object_id == str(case.pk) and record.detail["case_no"] == case.case_no
    assert "刘某某" not in str(record.detail) and len(record.detail["attachments"]) == 2
    assert audit_before <= set(AuditRecord.objects.values_list("seq", flat=True))
    assert audit_verify().ok


def test_the_run_is_idempotent(closed_case):
    assert run_at(after(years=3, days=1)).erased == 1
    audit_count = AuditRecord.objects.count()
    again = run_at(after(years=3, days=2))
    assert (again.erased, again.blocked, again.errors) == (0, 0, 0)
    assert AuditRecord.objects.count() == audit_count


def test_a_category_rule_applies_after_its_own_period(closed_case, office):
    wages = Category.objects.get(code="wages")
    Case.objects.filter(pk=closed_case.pk).update(category=wages)
    RetentionRule.objects.create(category=wages, archive_years=30, personal_data_years=5)
    assert run_at(after(years=3, days=1)).erased == 0
    assert run_at(after(years=5, days=-1)).erased == 0
    result = run_at(after(years=5, days=1))
    assert result.erased == 1
    assert PersonalDataErasure.objects.get(case=closed_case).rule == "wages"


def _change_rule(rule, at, **values):
    from huiyin.retention.services import retention_rule_save

    for name, value in values.items():
        setattr(rule, name, value)
    with time_machine.travel(at, tick=False):
        return retention_rule_save(rule=rule, actor=None)


def test_a_shortened_rule_waits_out_its_notice_before_anything_is_erased(closed_case, settings):
    settings.HUIYIN_RETENTION_SHORTENING_DAYS = 30
    default = RetentionRule.objects.get(category__isnull=True)
    changed_at = after(years=2)
    _change_rule(default, changed_at, personal_data_years=1)
    default.refresh_from_db()
    assert default.longer == {"archive_years": 10, "personal_data_years": 3, "archive_action": "review"}
    assert default.longer_until == changed_at + timedelta(days=30)
    record = AuditRecord.objects.filter(action="retention.rule_change").latest("seq")
    assert datetime.fromisoformat(record.detail["after"]["shorter_periods_from"]) == changed_at + timedelta(days=30)

    assert run_at(changed_at + timedelta(days=29)).erased == 0  # one year is long past, but the notice runs
    assert run_at(changed_at + timedelta(days=31)).erased == 1


def test_undoing_a_shortening_within_the_notice_changes_nothing(closed_case):
    default = RetentionRule.objects.get(category__isnull=True)
    _change_rule(default, after(years=2), personal_data_years=1)
    _change_rule(default, after(years=2, days=3), personal_data_years=3)
    default.refresh_from_db()
    assert default.longer is None and default.longer_until is None
    assert run_at(after(years=2, days=40)).erased == 0 and run_at(after(years=3, days=1)).erased == 1


def test_a_longer_rule_applies_at_once(closed_case):
    default = RetentionRule.objects.get(category__isnull=True)
    _change_rule(default, after(years=2), personal_data_years=5)
    default.refresh_from_db()
    assert default.longer is None
    assert run_at(after(years=3, days=1)).erased == 0


def test_switching_to_destroy_within_the_notice_still_marks_for_review(closed_case, settings):
    settings.HUIYIN_RETENTION_SHORTENING_DAYS = 30
    default = RetentionRule.objects.get(category__isnull=True)
    _change_rule(default, after(years=10, days=-5), archive_action="destroy")
    result = run_at(after(years=10, days=1))
    assert (result.destroyed, result.marked_for_review) == (0, 1)  # a person decides, as before the change
    assert Case.objects.filter(pk=closed_case.pk).exists()


def test_switching_to_destroy_applies_after_the_notice(closed_case, settings):
    settings.HUIYIN_RETENTION_SHORTENING_DAYS = 30
    default = RetentionRule.objects.get(category__isnull=True)
    _change_rule(default, after(years=10, days=-40), archive_action="destroy")
    assert run_at(after(years=10, days=1)).destroyed == 1
    assert not Case.objects.filter(pk=closed_case.pk).exists()


def test_a_new_category_rule_shorter_than_the_one_it_replaces_waits_too(closed_case):
    wages = Category.objects.get(code="wages")
    Case.objects.filter(pk=closed_case.pk).update(category=wages)
    rule = _change_rule(RetentionRule(category=wages), after(years=2), archive_years=10, personal_data_years=1)
    assert rule.longer["personal_data_years"] == 3
    assert run_at(after(years=2, days=10)).erased == 0
    assert run_at(after(years=2, days=31)).erased == 1


def test_a_subcategory_follows_its_parents_rule(closed_case):
    wages = Category.objects.get(code="wages")
    overtime = Category.objects.create(code="overtime", name_zh="加班费", parent=wages)
    Case.objects.filter(pk=closed_case.pk).update(category=overtime)
    RetentionRule.objects.create(category=wages, archive_years=30, personal_data_years=7)
    assert run_at(after(years=6)).erased == 0
    assert run_at(after(years=7, days=1)).erased == 1


def test_a_hold_blocks_and_lifting_it_resumes(closed_case, office):
    hold = legal_hold_set(case=closed_case, actor=office, reason="劳动仲裁案件审理中，需保留全部材料")
    held = run_at(after(years=3, days=1))
    assert (held.erased, held.blocked) == (0, 1)
    assert Petitioner.objects.get(pk=closed_case.petitioner_id).name == "刘某某"
    assert not PersonalDataErasure.objects.exists()
    assert any(closed_case.case_no in line and "blocked" in line for line in held.lines)

    held_archive = run_at(after(years=10, days=1))
    assert held_archive.marked_for_review == 0 and not ArchiveReview.objects.exists()

    legal_hold_lift(hold=hold, actor=office, reason="仲裁裁决已生效")
    resumed = run_at(after(years=10, days=2))
    assert (resumed.erased, resumed.marked_for_review) == (1, 1)
    assert Petitioner.objects.get(pk=closed_case.petitioner_id).name == ERASED_MARKER
    actions = list(AuditRecord.objects.order_by("seq").values_list("action", flat=True))
    assert actions.index("retention.hold_set") < actions.index("retention.hold_lift") < actions.index("retention.erase")


def test_dry_run_changes_nothing(closed_case, django_capture_on_commit_callbacks):
    identity = _identity(closed_case)
    files = sorted(Attachment.objects.filter(case=closed_case).values_list("file", flat=True))
    audit_count = AuditRecord.objects.count()
    out = StringIO()
    with time_machine.travel(after(years=10, days=1), tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("retention", "run", "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"would erase {closed_case.case_no}" in text and f"would mark {closed_case.case_no}" in text
    assert "nothing changed" in text
    assert _identity(closed_case) == identity
    assert sorted(Attachment.objects.filter(case=closed_case).values_list("file", flat=True)) == files
    assert all(default_storage.exists(name) for name in files)
    assert AuditRecord.objects.count() == audit_count
    assert not PersonalDataErasure.objects.exists() and not ArchiveReview.objects.exists()

    out = StringIO()
    with time_machine.travel(after(years=10, days=1), tick=False):
        call_command("retention", "run", stdout=out)
    assert f"erased     {closed_case.case_no}" in out.getvalue()
    assert PersonalDataErasure.objects.filter(case=closed_case).exists()


def test_open_cases_are_never_touched(make_case, media, in_handling_case):
    with time_machine.travel(CLOSED_AT - timedelta(days=1), tick=False):
        registered = make_case()
    result = run_at(after(years=20))
    assert result.erased == 0 and result.marked_for_review == 0 and result.destroyed == 0
    for case in (registered, in_handling_case):
        assert Petitioner.objects.get(pk=case.petitioner_id).name == "刘某某"


def test_an_open_deadline_or_review_window_blocks(closed_case):
    from huiyin.workflow.models import Deadline

    # Within the petitioner's 30 days a review may still be requested.
    with time_machine.travel(CLOSED_AT + timedelta(days=5), tick=False):
        assert OPEN_REVIEW in retention_blockers(cases=[closed_case])[closed_case.pk]
    assert retention_blockers(cases=[closed_case], today=after(years=3).date())[closed_case.pk] == []
    # A unit's clock still open (e.g. a report owed to the forwarding authority) blocks however old.
    Deadline.objects.create(
        case=closed_case, kind="forwarded", stage="first", start=CLOSED_AT.date(), due=CLOSED_AT.date()
    )
    result = run_at(after(years=3, days=1))
    assert (result.erased, result.blocked) == (0, 1)
    assert OPEN_DEADLINE in retention_blockers(cases=[closed_case])[closed_case.pk]


def test_archives_are_marked_for_review_not_deleted(closed_case):
    assert run_at(after(years=10, days=-1)).marked_for_review == 0
    result = run_at(after(years=10, days=1))
    assert result.marked_for_review == 1 and result.destroyed == 0
    assert Case.objects.filter(pk=closed_case.pk).exists()
    review = ArchiveReview.objects.get(case=closed_case)
    assert review.due_on == after(years=10).date() and review.decided_at is None
    assert run_at(after(years=10, days=2)).marked_for_review == 0
    assert ArchiveReview.objects.count() == 1
    assert AuditRecord.objects.filter(action="retention.archive_due", object_id=str(closed_case.pk)).count() == 1


def test_a_destroy_rule_destroys_the_record_and_keeps_the_register(closed_case, django_capture_on_commit_callbacks):
    wages = Category.objects.get(code="wages")
    Case.objects.filter(pk=closed_case.pk).update(category=wages)
    RetentionRule.objects.create(category=wages, archive_years=5, personal_data_years=3, archive_action="destroy")
    files = [f.name for a in Attachment.objects.filter(case=closed_case) for f in (a.file, a.sanitised_file) if f.name]
    audit_before = set(AuditRecord.objects.values_list("seq", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        result = run_at(after(years=5, days=1))
    assert result.destroyed == 1
    assert not Case.objects.filter(pk=closed_case.pk).exists()
    assert not Petitioner.objects.filter(pk=closed_case.petitioner_id).exists()
    assert not any(default_storage.exists(name) for name in files)
    entry = DestroyedCase.objects.get(case_no=closed_case.case_no)
    assert entry.rule == "wages" and entry.destroyed_by is None
    assert audit_before <= set(AuditRecord.objects.values_list("seq", flat=True))
    assert AuditRecord.objects.filter(action="retention.destroy", object_id=str(closed_case.pk)).exists()
    assert audit_verify().ok


def test_a_held_case_is_never_destroyed(closed_case, office):
    RetentionRule.objects.filter(category__isnull=True).update(archive_action="destroy")
    legal_hold_set(case=closed_case, actor=office, reason="纪检监察调查需要")
    result = run_at(after(years=11))
    assert result.destroyed == 0 and Case.objects.filter(pk=closed_case.pk).exists()


def test_a_shared_petitioner_is_kept_while_another_case_needs_them(closed_case, make_case, close_case):
    petitioner = Petitioner.objects.get(pk=closed_case.petitioner_id)
    with time_machine.travel(after(years=2), tick=False):
        later = make_case(petitioner=petitioner, subject="再次反映加班费问题")
    first = run_at(after(years=3, days=1))
    assert first.erased == 1
    assert Petitioner.objects.get(pk=petitioner.pk).name == "刘某某"
    assert PersonalDataErasure.objects.get(case=closed_case).detail["petitioner"] == "kept_for_other_cases"

    close_case(later, at=after(years=2, days=30))
    assert run_at(after(years=5, days=31)).erased == 1
    assert Petitioner.objects.get(pk=petitioner.pk).name == ERASED_MARKER
    assert PersonalDataErasure.objects.get(case=later).petitioner_erased


def test_representatives_of_a_collective_case_are_erased(make_case, close_case, media):
    with time_machine.travel(CLOSED_AT - timedelta(days=3), tick=False):
        case = make_case(
            collective=True,
            headcount=12,
            petitioner=PetitionerData(name="钱某", phone="13900002222"),
            representatives=[RepresentativeData(name="周某", phone="13700003333")],
        )
    close_case(case)
    run_at(after(years=3, days=1))
    rep = case.representatives.get()
    assert (rep.name, rep.phone) == (ERASED_MARKER, "")


def test_audit_records_are_never_removed_by_the_job(closed_case, office):
    hold = legal_hold_set(case=closed_case, actor=office, reason="诉讼中，保留材料")
    legal_hold_lift(hold=hold, actor=office, reason="诉讼已结束")
    seqs = set(AuditRecord.objects.values_list("seq", flat=True))
    RetentionRule.objects.filter(category__isnull=True).update(archive_action="destroy")
    run_at(after(years=30))
    assert seqs <= set(AuditRecord.objects.values_list("seq", flat=True))
    assert LegalHold.objects.count() == 0  # the holds went with the destroyed case; their audit records stay
    assert AuditRecord.objects.filter(action="retention.hold_set").exists()
    assert audit_verify().ok


@pytest.mark.parametrize("reason", ["", "  ", "短"])
def test_a_hold_needs_a_reason(closed_case, office, reason):
    from huiyin.core.errors import DomainError

    with pytest.raises(DomainError):
        legal_hold_set(case=closed_case, actor=office, reason=reason)
    assert not LegalHold.objects.exists()


def test_held_back_cases_never_keep_due_ones_waiting(closed_case, make_case, close_case, office):
    """With a limit of one change per run, a held case scanned first does not starve the next one."""
    legal_hold_set(case=closed_case, actor=office, reason="诉讼中，保留材料")
    with time_machine.travel(CLOSED_AT - timedelta(days=2), tick=False):
        second = make_case(subject="第二件")
        third = make_case(subject="第三件")
    close_case(second)
    close_case(third)
    first_run = run_at(after(years=3, days=1), limit=1, batch=1)
    assert (first_run.erased, first_run.blocked) == (1, 1)
    assert PersonalDataErasure.objects.filter(case=second).exists()
    second_run = run_at(after(years=3, days=2), limit=1, batch=1)
    assert second_run.erased == 1 and PersonalDataErasure.objects.filter(case=third).exists()
    assert not PersonalDataErasure.objects.filter(case=closed_case).exists()
