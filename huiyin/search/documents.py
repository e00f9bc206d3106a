"""What a case contributes to the index: its number and subject, its content, the texts of its replies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from huiyin.nlp.segment import index_terms
from huiyin.search.backends import Row


@dataclass(frozen=True)
class Source:
    """The original texts of one case."""

    case_id: int
    case_no: str
    subject: str
    content: str
    replies: tuple[str, ...] = ()


def segment(source: Source) -> Row:
    """Segment one case's texts into index terms (pure: safe to run in worker processes)."""
    return Row(
        case_id=source.case_id,
        subject=index_terms(f"{source.case_no} {source.subject}"),
        content=index_terms(source.content),
        replies=index_terms("\n".join(source.replies)),
    )


def sources_for(case_ids: Sequence[int]) -> list[Source]:
    """Load the texts of `case_ids` (two queries)."""
    from huiyin.cases.models import Case, CaseReply

    replies: dict[int, list[str]] = defaultdict(list)
    for case_id, text in (
        CaseReply.objects.filter(case_id__in=case_ids).order_by("issued_at", "id").values_list("case_id", "text")
    ):
        replies[case_id].append(text)
    return [
        Source(case_id=pk, case_no=case_no, subject=subject, content=content, replies=tuple(replies.get(pk, ())))
        for pk, case_no, subject, content in Case.objects.filter(pk__in=case_ids)
        .order_by("pk")
        .values_list("pk", "case_no", "subject", "content")
    ]


def segment_all(sources: Iterable[Source]) -> list[Row]:
    return [segment(s) for s in sources]
