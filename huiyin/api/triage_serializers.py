"""Serializers of the triage API (issue #5): strict inputs, and outputs that show every suggestion with
its reasons, so a person can judge it before confirming or correcting it."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from huiyin.cases.forms import units_for
from huiyin.cases.models import Case, Category
from huiyin.org.models import OrgUnit
from huiyin.triage.models import Suggestion
from huiyin.triage.states import SimilarKind, SuggestionKind, SuggestionSource, SuggestionStatus

# The limits of the intake forms (huiyin.intake.forms.RegisterForm: subject 200, content 20000).
TITLE_MAX = 200
BODY_MAX = 20000

# Bidirectional embeddings, overrides and isolates make text display as something else.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


# Strict input ---------------------------------------------------------------------------------------


class StrictInputSerializer(serializers.Serializer):
    """An input that refuses fields it does not know (DRF ignores them by default)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unexpected = [str(name)[:40] for name in data if name not in self.fields]
            if unexpected:
                raise serializers.ValidationError({name: [_("Unexpected field.")] for name in unexpected})
        return super().to_internal_value(data)


class StrictTextField(serializers.CharField):
    """JSON text only (no number or boolean turned into text), without control or direction-changing
    characters; new lines and tabs are allowed where `multiline`."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be text."))
        for ch in data:
            if ch in "\n\r\t" and self.multiline:
                continue
            if unicodedata.category(ch) in ("Cc", "Cs"):
                raise serializers.ValidationError(_("Contains control characters."))
        if _BIDI.search(data):
            raise serializers.ValidationError(_("Contains direction-changing characters."))
        return super().to_internal_value(data)


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A related object named by its code, which must be JSON text."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(_("Must be text."))
        return super().to_internal_value(data)


class ClassifyInputSerializer(StrictInputSerializer):
    title = StrictTextField(max_length=TITLE_MAX, required=False, allow_blank=True, help_text="The subject.")
    body = StrictTextField(
        max_length=BODY_MAX, required=False, allow_blank=True, multiline=True, help_text="The content."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not (attrs.get("title") or attrs.get("body")):
            raise serializers.ValidationError(_("Give a title or a body to classify."))
        return attrs


SEEN_HELP = (
    "Optional: the suggestion's `decided_at` as you last read it (null when it was undecided). When someone "
    "has decided it since, the decision is refused (422 `changed`) instead of replacing theirs unseen."
)


class SuggestionCorrectInputSerializer(StrictInputSerializer):
    """A category suggestion is corrected to an active category, a route suggestion to a unit the
    caller may choose (their own subtree), as on the case page."""

    category = StrictSlugRelatedField(
        slug_field="code",
        queryset=Category.objects.filter(active=True),
        required=False,
        help_text="Code of an active category (for a category suggestion).",
        error_messages={"does_not_exist": gettext_lazy("No active category has this code.")},
    )
    unit = StrictSlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text="Code of a unit of your own subtree (for a handling-unit suggestion).",
        error_messages={"does_not_exist": gettext_lazy("No unit you may choose has this code.")},
    )
    seen_decided_at = serializers.DateTimeField(required=False, allow_null=True, help_text=SEEN_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.context.get("user")
        if user is not None:
            self.fields["unit"].queryset = units_for(user)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = self.context.get("kind")
        if kind == SuggestionKind.CATEGORY:
            if "unit" in attrs:
                raise serializers.ValidationError({"unit": [_("Correct a category suggestion with a category.")]})
            if "category" not in attrs:
                raise serializers.ValidationError({"category": [_("This field is required.")]})
        elif kind == SuggestionKind.ROUTE:
            if "category" in attrs:
                raise serializers.ValidationError({"category": [_("Correct a handling-unit suggestion with a unit.")]})
            if "unit" not in attrs:
                raise serializers.ValidationError({"unit": [_("This field is required.")]})
        return attrs


class DecisionInputSerializer(StrictInputSerializer):
    """Confirm and dismiss: an empty JSON object (or no body at all), or only `seen_decided_at`."""

    seen_decided_at = serializers.DateTimeField(required=False, allow_null=True, help_text=SEEN_HELP)


# Output -----------------------------------------------------------------------------------------------


class CategoryRefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["code", "name"]

    def get_name(self, obj: Category) -> str:
        return str(obj)


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["code", "name"]


class TermWeightSerializer(serializers.Serializer):
    term = serializers.CharField()
    weight = serializers.FloatField()


class AlternativeSerializer(serializers.Serializer):
    label = serializers.CharField(help_text="A category code (or the label the model was trained with).")
    category = CategoryRefSerializer(allow_null=True, help_text="The active category of this label, if any.")
    confidence = serializers.FloatField()


class RouteSerializer(serializers.Serializer):
    unit = UnitRefSerializer(help_text="The handling unit of the category.")
    scope = UnitRefSerializer(allow_null=True, help_text="The part of the organisation the route applies to.")


class ClassifySerializer(serializers.Serializer):
    label = serializers.CharField(help_text="The suggested label: a category code, or a model label.")
    category = CategoryRefSerializer(allow_null=True, help_text="Null when the label is no active category.")
    confidence = serializers.FloatField(min_value=0, max_value=1)
    reasons = TermWeightSerializer(many=True, help_text="The words that pushed towards the label.")
    alternatives = AlternativeSerializer(many=True)
    # The suggestions' choice set (one named enum); a classification is always `model` or `keywords`.
    source = serializers.ChoiceField(
        choices=SuggestionSource.choices,
        help_text="`model`: the active trained model; `keywords`: the keyword rules.",
    )
    model_version = serializers.IntegerField(allow_null=True, help_text="Version of the trained model used.")
    route = RouteSerializer(
        allow_null=True,
        help_text="The handling unit the category→unit mapping gives for a case registered in your unit.",
    )


class RouteBasisSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Code of the category the route belongs to.")
    category_name = serializers.CharField()
    scope = serializers.CharField(help_text="Name of the unit the route applies to; empty: everywhere.")


def alternatives_of(pairs: list, by_label: dict[str, Category]) -> list[dict[str, Any]]:
    """`(label, confidence)` pairs with the active category of each label, if any."""
    return [
        {"label": str(label), "category": by_label.get(str(label)), "confidence": float(conf)} for label, conf in pairs
    ]


class SuggestionSerializer(serializers.ModelSerializer):
    """A category or handling-unit suggestion of a case and the decision on it.

    Needs `by_label` (from `triage.engine.categories_by_label()`) in the context to resolve alternatives.
    """

    status = serializers.ChoiceField(choices=SuggestionStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.ChoiceField(choices=SuggestionKind.choices, help_text="`category` or `route` here.")
    source = serializers.ChoiceField(choices=SuggestionSource.choices)
    category = CategoryRefSerializer(allow_null=True)
    unit = UnitRefSerializer(allow_null=True)
    corrected_category = CategoryRefSerializer(allow_null=True)
    corrected_unit = UnitRefSerializer(allow_null=True)
    model_version = serializers.IntegerField(source="trained_model.version", allow_null=True, default=None)
    reasons = serializers.SerializerMethodField()
    alternatives = serializers.SerializerMethodField()
    route_basis = serializers.SerializerMethodField()
    decided_by = serializers.CharField(source="decided_by.display_name", allow_null=True, default=None)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "case",
            "kind",
            "status",
            "status_label",
            "value",
            "category",
            "unit",
            "confidence",
            "source",
            "model_version",
            "reasons",
            "alternatives",
            "route_basis",
            "corrected_category",
            "corrected_unit",
            "decided_by",
            "decided_at",
        ]
        read_only_fields = fields

    @extend_schema_field(TermWeightSerializer(many=True))
    def get_reasons(self, obj: Suggestion) -> list[dict[str, Any]]:
        terms = obj.reasons.get("terms", []) if obj.kind == SuggestionKind.CATEGORY else []
        return [{"term": str(t), "weight": float(w)} for t, w in terms]

    @extend_schema_field(AlternativeSerializer(many=True))
    def get_alternatives(self, obj: Suggestion) -> list[dict[str, Any]]:
        if obj.kind != SuggestionKind.CATEGORY:
            return []
        by_label = self.context.get("by_label") or {}
        return AlternativeSerializer(alternatives_of(obj.reasons.get("alternatives", []), by_label), many=True).data

    @extend_schema_field(RouteBasisSerializer(allow_null=True))
    def get_route_basis(self, obj: Suggestion) -> dict[str, Any] | None:
        if obj.kind != SuggestionKind.ROUTE:
            return None
        return {
            "category": obj.reasons.get("category", ""),
            "category_name": obj.reasons.get("category_name", ""),
            "scope": obj.reasons.get("scope", ""),
        }


class SimilarCaseRefSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Case
        fields = ["id", "case_no", "subject", "status", "status_label", "received_at"]
        read_only_fields = fields


class SimilarCaseSerializer(serializers.Serializer):
    """A case that may be the same matter (repeat petition) or raise the same issue."""

    case = SimilarCaseRefSerializer()
    score = serializers.FloatField(help_text="Jaccard similarity of the content words, 0..1.")
    kind = serializers.ChoiceField(
        choices=SimilarKind.choices,
        help_text="`repeat`: probably the same matter of the same petitioner; `same_issue`: the same issue.",
    )
    near_copy = serializers.BooleanField(
        help_text="Nearly the same text from another named petitioner (kind `same_issue`): not a repeat petition."
    )
    kind_label = serializers.SerializerMethodField()
    shared = serializers.ListField(child=serializers.CharField(), help_text="The content words both cases share.")
    same_petitioner = serializers.BooleanField()
    later = serializers.BooleanField(help_text="Received after this case.")
    linked = serializers.BooleanField(help_text="Already linked to this case.")

    def get_kind_label(self, obj: Any) -> str:
        return str(SimilarKind(obj.kind).label)
