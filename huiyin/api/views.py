from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from huiyin.api.filters import SORTS, CaseApiFilterSet, CaseFilterBackend
from huiyin.api.pagination import NEWEST_FIRST, CaseCursorPagination
from huiyin.api.serializers import CaseDetailSerializer, CaseListSerializer
from huiyin.cases.models import Case
from huiyin.cases.selectors import case_get_for_user, case_list_for_user
from huiyin.portal.api import ErrorSerializer

# Query parameters the list reads besides its filters: paging, and DRF's `format` (json only).
LIST_PARAMETERS = {"cursor", "page_size", "format"}


FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description=(
        "`unauthenticated`: not signed in (403, not 401: session authentication sends no challenge); "
        "`forbidden`: without the permission to view cases."
    ),
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such case, or outside your scope (the same answer).")
BAD_QUERY = OpenApiResponse(
    ErrorSerializer,
    description=(
        "A parameter that cannot be used (an unknown one, a value out of its range or choices, a cursor made "
        "under another sort): `fields` names each, with the reason."
    ),
)


@extend_schema_view(
    list=extend_schema(
        summary="The cases in your scope, newest first unless sorted (cursor-paged)",
        description=(
            "Filters combine (AND). Follow the `next` and `previous` links to page: they keep the filters and "
            "the sort. An unknown parameter, or a value that cannot be used, is refused with 400 rather than "
            "ignored."
        ),
        responses={200: CaseListSerializer(many=True), 400: BAD_QUERY, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="One case in your scope, with its timeline and current reply draft",
        description=(
            "A case outside your scope answers 404, like a missing one. The reply draft's `text` and `note` "
            "are null for those who neither draft nor issue replies."
        ),
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The case's id.")],
        responses={200: CaseDetailSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases in the caller's scope. Out-of-scope cases answer 404, like missing ones."""

    filterset_class = CaseApiFilterSet
    filter_backends = [CaseFilterBackend]  # a filter that cannot be applied is a 400, never the whole list
    pagination_class = CaseCursorPagination
    lookup_value_regex = "[0-9]+"  # `/cases/abc` is no route: the JSON 404 of huiyin.api.errors, signed in or not
    cursor_ordering = NEWEST_FIRST  # the list's `sort`, read by the paginator

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        if not self.request.user.has_perm("cases.view_case"):
            raise PermissionDenied
        return case_list_for_user(user=self.request.user).order_by(*NEWEST_FIRST)

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer

    def get_object(self):
        return case_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def filter_queryset(self, queryset):
        # An unknown parameter (a misspelt filter, `page`, `ordering`) is refused rather than ignored: the
        # whole list must never pass for a filtered or sorted one.
        known = LIST_PARAMETERS | set(self.filterset_class.base_filters)
        unknown = sorted(set(self.request.query_params) - known)
        if unknown:
            message = _("Unknown parameter: the list takes only the parameters described at {docs}.").format(
                docs=reverse("api:docs")
            )
            raise ValidationError({name: [message] for name in unknown})
        queryset = super().filter_queryset(queryset)
        # Valid once the filters are (CaseFilterBackend refuses any other sort).
        self.cursor_ordering = SORTS[self.request.query_params.get("sort") or "-received_at"]
        return queryset
