from rest_framework.pagination import CursorPagination


class CaseCursorPagination(CursorPagination):
    """Cursor paging: constant cost at any depth and no COUNT over a million rows."""

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-received_at", "-id")
