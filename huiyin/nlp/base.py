"""Result types shared by the classifier and the keyword fallback."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prediction:
    """A suggested category for one case.

    ``label``: the category code (or the label the model was trained with);
    ``confidence``: 0..1, the probability-like score of ``label``;
    ``reasons``: the terms that pushed towards ``label``, ``(term, weight)`` sorted by weight desc;
    ``alternatives``: the next most likely labels, ``(label, confidence)`` sorted desc;
    ``source``: ``"model"`` or ``"keywords"``.
    """

    label: str
    confidence: float
    reasons: list[tuple[str, float]] = field(default_factory=list)
    alternatives: list[tuple[str, float]] = field(default_factory=list)
    source: str = "model"

    def as_dict(self) -> dict:
        """JSON-serialisable form (for a JSONField or an API response)."""
        return {
            "label": self.label,
            "confidence": round(float(self.confidence), 4),
            "reasons": [[t, round(float(w), 4)] for t, w in self.reasons],
            "alternatives": [[lab, round(float(c), 4)] for lab, c in self.alternatives],
            "source": self.source,
        }
