from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from huiyin.api.pagination import CaseCursorPagination
from huiyin.api.serializers import CaseDetailSerializer, CaseListSerializer
from huiyin.cases.filtersets import CaseFilterSet
from huiyin.cases.models import Case
from huiyin.cases.selectors import case_get_for_user, case_list_for_user


@extend_schema_view(retrieve=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]))
class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases in the caller's scope. Out-of-scope cases answer 404, like missing ones."""

    filterset_class = CaseFilterSet
    lookup_value_regex = "[0-9]+"  # `/cases/abc` is no route: the JSON 404 of huiyin.api.errors, signed in or not
    pagination_class = CaseCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        if not self.request.user.has_perm("cases.view_case"):
            raise PermissionDenied
        return case_list_for_user(user=self.request.user).order_by("-received_at", "-id")

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer

    def get_object(self):
        return case_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def filter_queryset(self, queryset):
        filterset = CaseFilterSet(self.request.query_params or None, queryset=queryset, user=self.request.user)
        if not filterset.is_bound:
            return queryset
        if not filterset.is_valid():
            # A filter that cannot be applied is an error, never the whole list as if it were the filtered one.
            raise ValidationError(filterset.errors)
        return filterset.qs
