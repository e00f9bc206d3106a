"""What a case contributes to the index: its number and subject, its content, the texts of its replies.

The content and the replies are indexed with their repeated passages collapsed: a sentence or a line
that the text already said is left out of the index document (the case's stored text is unchanged).
A petitioner who pastes the same paragraph forty times, or a transcript whose every page repeats the
same lines, says no more than once; indexed as written, the copies multiplied the words' frequencies
(and the document's length) and ranked such a case first for every word it contains, above cases
about that word. Nothing findable is lost: every term of a dropped passage is in the copy kept, and a
word is found within one run of CJK characters (the phrase of its bigrams), which never crosses a
sentence's end or a line. (Changing what is collapsed means a new `INDEX_VERSION`.)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from huiyin.nlp.segment import index_terms, normalize
from huiyin.search.backends import Row


@dataclass(frozen=True)
class Source:
    """The original texts of one case."""

    case_id: int
    case_no: str
    subject: str
    content: str
    replies: tuple[str, ...] = ()


# Where a passage ends: after a sentence's closing mark (full- or half-width), or at a line break.
_PASSAGE_END = re.compile(r"(?<=[。！？!?；;…])|[\r\n]+")


def collapse_repeats(text: str) -> str:
    """`text` without the sentences and lines it already said (compared normalised), one passage a line.

    Returned unchanged when nothing repeats.
    """
    seen: set[str] = set()
    kept: list[str] = []
    repeated = False
    for passage in _PASSAGE_END.split(text):
        key = normalize(passage)
        if key in seen:
            repeated = True
        elif key:
            seen.add(key)
            kept.append(passage)
    return "\n".join(kept) if repeated else text


def segment(source: Source) -> Row:
    """Segment one case's texts into index terms (pure: safe to run in worker processes)."""
    return Row(
        case_id=source.case_id,
        subject=index_terms(f"{source.case_no} {source.subject}"),
        content=index_terms(collapse_repeats(source.content)),
        replies=index_terms(collapse_repeats("\n".join(source.replies))),
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
