"""The hot-issue API (issue #5): the ranked hot issues of the latest run, one issue by its lasting
number, and the issue's cases, cursor-paged.

The same rules as the hot-issue pages (huiyin.triage.views): the permission to view hot issues
(403 without it, audited); the figures, key words and cases of an issue count only the cases in the
caller's scope; a number that never existed, or whose cases the caller may not see (fewer than two in
their scope), answers 404, audited. An issue that is no longer hot still answers, with `current`
false and the figures of its last listing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyin.api.pagination import CaseCursorPagination
from huiyin.api.serializers import CaseListSerializer
from huiyin.audit.models import AuditAction
from huiyin.audit.services import audit_record
from huiyin.cases.models import Case
from huiyin.portal.api import ErrorSerializer
from huiyin.triage.selectors import (
    HotIssueView,
    hot_issue_cases,
    hot_issue_get_for_user,
    hot_issue_run_latest,
    hot_issues_for,
)

# The permission of the hot-issue pages (huiyin.triage.views.hot_list_view).
VIEW_PERM = "triage.view_hotissue"
SAMPLES = 3

FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Not signed in, or without the hot-issue permission.")
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such number, or fewer than two of its cases in your scope (the same answer)."
)
BAD_INPUT = OpenApiResponse(ErrorSerializer, description="Invalid query parameters.")
NUMBER = OpenApiParameter(
    "number", int, OpenApiParameter.PATH, description="The issue's lasting number (the same from run to run)."
)


def _deny(user: Any, *, number: int | None = None, reason: str = "") -> None:
    """Audit a refused access, as the pages and `case_get_for_user` do."""
    detail = {"perm": VIEW_PERM, **({"reason": reason} if reason else {})}
    audit_record(
        actor=user,
        action=AuditAction.ACCESS_DENIED,
        object_type="triage.hotissue",
        object_id="" if number is None else str(number),
        detail=detail,
    )


def _require(user: Any, number: int | None = None) -> None:
    if not user.has_perm(VIEW_PERM):
        _deny(user, number=number)
        raise PermissionDenied


def _issue_for(user: Any, number: int, *, samples: int = 0) -> HotIssueView:
    _require(user, number)
    view = hot_issue_get_for_user(user=user, number=number, samples=samples)
    if view is None:
        _deny(user, number=number, reason="not_found_or_out_of_scope")
        raise NotFound
    return view


# Serializers (output only) ----------------------------------------------------------------------------------


class HotIssueRunSerializer(serializers.Serializer):
    started_at = serializers.DateTimeField(help_text="When the cases were grouped.")
    since = serializers.DateTimeField(help_text="Cases received since then were grouped.")
    window_days = serializers.IntegerField(help_text="`recent` counts this many days, `previous` the days before.")


class HotIssueSerializer(serializers.Serializer):
    number = serializers.IntegerField(
        help_text="Lasting number: an issue keeps it from run to run while its cases overlap."
    )
    rank = serializers.IntegerField(help_text="Place in your list of the latest run (1 first); 0 if no longer hot.")
    current = serializers.BooleanField(
        help_text="Listed by the latest run. False: no longer hot; the figures are those of its last listing."
    )
    size = serializers.IntegerField(help_text="Cases of the issue in your scope.")
    recent = serializers.IntegerField(help_text="Of those, received in the last window.")
    previous = serializers.IntegerField(help_text="Of those, received in the window before.")
    growth = serializers.FloatField(help_text="(recent + 1) / (previous + 1).")
    units = serializers.IntegerField(help_text="Units concerned.")
    headcount = serializers.IntegerField(
        help_text="People concerned: collective cases count their headcount; a petition and its repeats count once."
    )
    score = serializers.FloatField(help_text="The ranking score, on the cases in your scope.")
    terms = serializers.ListField(
        child=serializers.CharField(), help_text="Key words; given only when every case of the issue is in your scope."
    )
    first_at = serializers.DateTimeField(allow_null=True, help_text="First case received (in your scope).")
    last_at = serializers.DateTimeField(allow_null=True, help_text="Latest case received (in your scope).")
    first_listed_at = serializers.DateTimeField(allow_null=True, help_text="When the number was first listed.")
    last_listed_at = serializers.DateTimeField(help_text="When the issue was last listed.")
    sample_case_nos = serializers.SerializerMethodField(help_text="Numbers of its newest cases in your scope.")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_sample_case_nos(self, view: HotIssueView) -> list[str]:
        return [case.case_no for case in view.samples]


class HotIssueListSerializer(serializers.Serializer):
    run = HotIssueRunSerializer(allow_null=True, help_text="The latest run; null before the job first ran.")
    results = HotIssueSerializer(many=True)


class HotIssueDetailSerializer(HotIssueSerializer):
    run = HotIssueRunSerializer(source="issue.run", help_text="The run that last listed the issue.")


class HotIssueListQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50, help_text="At most this many issues.")


# Views --------------------------------------------------------------------------------------------------------


class HotIssueListApi(APIView):
    @extend_schema(
        operation_id="hot_issues_list",
        summary="The hot issues of the latest run, ranked on the cases in your scope",
        description=(
            "An issue counts for you when at least two of its cases are in your scope; its figures, rank and "
            "samples count only those. Key words are given only when every case of the issue is in your scope."
        ),
        parameters=[HotIssueListQuerySerializer],
        responses={200: HotIssueListSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        _require(request.user)
        query = HotIssueListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        run = hot_issue_run_latest()
        issues = hot_issues_for(user=request.user, run=run, limit=query.validated_data["limit"], samples=SAMPLES)
        return Response(HotIssueListSerializer({"run": run, "results": issues}).data)


class HotIssueDetailApi(APIView):
    @extend_schema(
        operation_id="hot_issues_retrieve",
        summary="One hot issue by its lasting number",
        description=(
            "A number listed by the latest run is a current hot issue (`current` true, with its rank in your "
            "list). A number no longer listed answers with `current` false and the figures of its last listing."
        ),
        parameters=[NUMBER],
        responses={200: HotIssueDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, number: int) -> Response:
        view = _issue_for(request.user, number, samples=SAMPLES)
        return Response(HotIssueDetailSerializer(view).data)


class HotIssueCasesApi(generics.ListAPIView):
    """The cases of a hot issue in the caller's scope, newest first (of an issue no longer hot: its
    cases as last listed)."""

    serializer_class = CaseListSerializer
    pagination_class = CaseCursorPagination
    filter_backends: list = []

    @extend_schema(
        operation_id="hot_issues_cases",
        summary="The cases of a hot issue in your scope, newest first (cursor-paged)",
        parameters=[NUMBER],
        responses={200: CaseListSerializer(many=True), 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Case]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        view = _issue_for(self.request.user, self.kwargs["number"])
        return hot_issue_cases(issue=view.issue, user=self.request.user)
