"""The triage API (issue #5): classify a text before registering it, read a case's suggestions and
similar cases, and confirm, correct or dismiss a suggestion.

Thin views, as the pages in huiyin.triage.views: check the permission and the scope (an object out of
scope answers 404, like a missing one, and the denial is audited), validate strictly, call one service,
respond. Suggestions never change a case by themselves; a person decides.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyin.api.triage_serializers import (
    ClassifyInputSerializer,
    ClassifySerializer,
    DecisionInputSerializer,
    SimilarCaseSerializer,
    SuggestionCorrectInputSerializer,
    SuggestionSerializer,
    alternatives_of,
)
from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case
from huiyin.cases.selectors import case_get_for_user
from huiyin.org.models import OrgUnit
from huiyin.portal.api import ErrorSerializer
from huiyin.portal.validation import StrictJSONParser
from huiyin.triage import engine
from huiyin.triage import services as s
from huiyin.triage.engine import categories_by_label
from huiyin.triage.models import Suggestion
from huiyin.triage.selectors import case_suggestions, similar_cases, suggestion_decidable_get
from huiyin.triage.states import SuggestionKind

# Who may classify a text: those who register (intake) or screen cases.
CLASSIFY_PERMS = ("cases.add_case", "cases.screen_case")
DECIDE_PERM = "triage.confirm_suggestion"

BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Malformed or invalid input; nothing changed.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not signed in, or without the permission.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Missing or out of your scope (the same answer).")
RULE = OpenApiResponse(
    ErrorSerializer,
    description="A rule forbids the decision: code `refused` (or a code of its own), the message says which.",
)


def _deny(user: Any, *, perm: str, object_type: str = "", object_id: str = "", reason: str = "") -> None:
    """Audit a refused access, as `case_get_for_user` does for cases."""
    detail = {"perm": perm, **({"reason": reason} if reason else {})}
    audit_record(
        actor=user, action=AuditAction.ACCESS_DENIED, object_type=object_type, object_id=object_id, detail=detail
    )


class TriageApiView(APIView):
    """Base of the triage API: JSON bodies through the strict parser (size, depth, encoding, duplicate keys)."""

    parser_classes = [StrictJSONParser]

    def body(self, request: Request, serializer_class: type, **context: Any) -> dict[str, Any]:
        # No body at all parses as an empty object (confirm and dismiss need nothing).
        serializer = serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# Classify -----------------------------------------------------------------------------------------------


def _route_anchor(user: Any) -> Case:
    """An unsaved case registered in the caller's unit: what `route_for` matches route scopes against."""
    unit = user.unit or OrgUnit.objects.filter(depth=0).order_by("path").first()
    return Case(unit=unit)


class TriageClassifyApi(TriageApiView):
    @extend_schema(
        operation_id="triage_classify",
        summary="Suggest a category and a handling unit for a text, without creating anything",
        description=(
            "The active trained model suggests the category; without one (or if it cannot be loaded) the "
            "keyword rules do (`source` says which). The handling unit comes from the category→unit "
            "routes, as for a case registered in your unit. Needs the intake or screening permission."
        ),
        request=ClassifyInputSerializer,
        responses={200: ClassifySerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        tags=["triage"],
    )
    def post(self, request: Request) -> Response:
        user = request.user
        if not any(user.has_perm(p) for p in CLASSIFY_PERMS):
            _deny(user, perm=" | ".join(CLASSIFY_PERMS), object_type="triage.classify")
            raise PermissionDenied
        data = self.body(request, ClassifyInputSerializer)
        guess = engine.category_guess(data.get("title", ""), data.get("body", ""))
        prediction = guess.prediction
        route = s.route_for(category=guess.category, case=_route_anchor(user)) if guess.category else None
        result = {
            "label": prediction.label,
            "category": guess.category,
            "confidence": float(prediction.confidence),
            "reasons": [{"term": str(t), "weight": float(w)} for t, w in prediction.reasons],
            "alternatives": alternatives_of(prediction.alternatives, categories_by_label()),
            "source": "model" if prediction.source == "model" else "keywords",
            "model_version": guess.trained_model.version if guess.trained_model else None,
            "route": {"unit": route.unit, "scope": route.scope} if route is not None else None,
        }
        return Response(ClassifySerializer(result).data)


# A case's suggestions and similar cases ------------------------------------------------------------------


class CaseSuggestionsApi(TriageApiView):
    @extend_schema(
        operation_id="case_suggestions_list",
        summary="The category and handling-unit suggestions of a case, with reasons and decisions",
        description="The suggestions made at registration, each with its status and who decided it when.",
        tags=["triage"],
        responses={200: SuggestionSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = case_get_for_user(user=request.user, pk=pk)
        found = case_suggestions(case=case)
        rows = [found[k] for k in (SuggestionKind.CATEGORY, SuggestionKind.ROUTE) if k in found]
        context = {"by_label": categories_by_label()}
        return Response(SuggestionSerializer(rows, many=True, context=context).data)


class CaseSimilarApi(TriageApiView):
    @extend_schema(
        operation_id="case_similar_list",
        summary="Cases that may be the same matter (repeat petition) or raise the same issue",
        description="At most 10, best first; only cases you may see. Cases set aside as not related are left out.",
        tags=["triage"],
        responses={200: SimilarCaseSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        case = case_get_for_user(user=request.user, pk=pk)
        return Response(SimilarCaseSerializer(similar_cases(case=case, user=request.user), many=True).data)


# Decisions ----------------------------------------------------------------------------------------------------


class SuggestionDecisionApi(TriageApiView):
    """Base of confirm, correct and dismiss: the permission and scope checks of `suggestion_decide_view`."""

    def suggestion(self, request: Request, pk: int) -> Suggestion:
        user = request.user
        if not user.has_perm(DECIDE_PERM):
            _deny(user, perm=DECIDE_PERM, object_type="triage.suggestion", object_id=str(pk))
            raise PermissionDenied
        suggestion = suggestion_decidable_get(user=user, pk=pk)  # out of scope: 404, audited there
        if suggestion is None:
            _deny(user, perm=DECIDE_PERM, object_type="triage.suggestion", object_id=str(pk), reason="not_found")
            raise Http404
        return suggestion

    def respond(self, suggestion: Suggestion) -> Response:
        fresh = case_suggestions(case=suggestion.case)[suggestion.kind]
        return Response(SuggestionSerializer(fresh, context={"by_label": categories_by_label()}).data)


DECISION_DESCRIPTION = (
    "For category and handling-unit suggestions of a case in your scope; needs the permission to confirm "
    "suggestions. Answers the suggestion as decided. The decision is recorded (status, who, when) and a "
    "decided category becomes training data for the next model."
)
DECISION_RESPONSES = {200: SuggestionSerializer, 400: BAD_INPUT, 403: FORBIDDEN, 404: NOT_FOUND, 422: RULE}


def _decision_schema(operation_id: str, summary: str, request: type = DecisionInputSerializer):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=DECISION_DESCRIPTION,
        tags=["triage"],
        request=request,
        responses=DECISION_RESPONSES,
    )


class _PlainDecisionApi(SuggestionDecisionApi):
    """Confirm and dismiss: an empty body, one service call."""

    decide: Any = None

    def post(self, request: Request, pk: int) -> Response:
        suggestion = self.suggestion(request, pk)
        data = self.body(request, DecisionInputSerializer)
        self.decide(suggestion=suggestion, actor=request.user, seen=data.get("seen_decided_at", s.NOT_GIVEN))
        return self.respond(suggestion)


@extend_schema_view(post=_decision_schema("suggestion_confirm", "Confirm a suggestion"))
class SuggestionConfirmApi(_PlainDecisionApi):
    decide = staticmethod(s.suggestion_confirm)


class SuggestionCorrectApi(SuggestionDecisionApi):
    @_decision_schema(
        "suggestion_correct",
        "Correct a suggestion: a category suggestion to another category, a route to another unit",
        request=SuggestionCorrectInputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        suggestion = self.suggestion(request, pk)
        data = self.body(request, SuggestionCorrectInputSerializer, user=request.user, kind=suggestion.kind)
        s.suggestion_correct(
            suggestion=suggestion,
            actor=request.user,
            category=data.get("category"),
            unit=data.get("unit"),
            seen=data.get("seen_decided_at", s.NOT_GIVEN),
        )
        return self.respond(suggestion)


@extend_schema_view(post=_decision_schema("suggestion_dismiss", "Dismiss a suggestion without choosing anything"))
class SuggestionDismissApi(_PlainDecisionApi):
    decide = staticmethod(s.suggestion_dismiss)
