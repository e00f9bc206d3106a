"""Every legal and illegal transition of the state table, at every stage."""

import itertools

import pytest

from huiyin.cases.states import ALLOWED_TRANSITIONS, CaseStage, CaseStatus, can_transition, mermaid, stage_after

S = CaseStatus
LEGAL = {
    # (status, stage, target)
    *[
        (S.REGISTERED, st, t)
        for st in CaseStage.values
        for t in (S.ACCEPTED, S.REDIRECTED, S.FORWARDED, S.NOT_ACCEPTED)
    ],
    *[(S.ACCEPTED, st, S.IN_HANDLING) for st in CaseStage.values],
    (S.IN_HANDLING, CaseStage.FIRST, S.REPLIED),
    (S.IN_HANDLING, CaseStage.REVIEW, S.REPLIED),
    (S.IN_HANDLING, CaseStage.RECHECK, S.FINAL),
    *[(S.REPLIED, st, S.CLOSED) for st in CaseStage.values],
    (S.REPLIED, CaseStage.FIRST, S.ACCEPTED),
    (S.REPLIED, CaseStage.REVIEW, S.ACCEPTED),
    (S.CLOSED, CaseStage.FIRST, S.ACCEPTED),
    (S.CLOSED, CaseStage.REVIEW, S.ACCEPTED),
}
ALL = list(itertools.product(S.values, CaseStage.values, S.values))


@pytest.mark.parametrize(("status", "stage", "target"), ALL)
def test_transition_table_is_exactly_the_documented_life_cycle(status, stage, target):
    assert can_transition(status=status, stage=stage, target=target) == ((status, stage, target) in LEGAL)


def test_terminal_states_have_no_way_out():
    for status in (S.REDIRECTED, S.FORWARDED, S.NOT_ACCEPTED, S.FINAL):
        assert ALLOWED_TRANSITIONS[status] == frozenset()


def test_review_request_opens_the_next_stage():
    assert stage_after(status=S.REPLIED, stage=CaseStage.FIRST, target=S.ACCEPTED) == CaseStage.REVIEW
    assert stage_after(status=S.CLOSED, stage=CaseStage.REVIEW, target=S.ACCEPTED) == CaseStage.RECHECK
    assert stage_after(status=S.ACCEPTED, stage=CaseStage.REVIEW, target=S.IN_HANDLING) == CaseStage.REVIEW


def test_mermaid_diagram_lists_every_transition():
    diagram = mermaid()
    for source, targets in ALLOWED_TRANSITIONS.items():
        for target in targets:
            assert f"{source} --> {target}" in diagram


def test_docs_diagram_is_in_step_with_the_table():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "workflow" / "states.md").read_text(encoding="utf-8")
    assert mermaid() in doc
