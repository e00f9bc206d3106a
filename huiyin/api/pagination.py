from base64 import b64decode, b64encode
from binascii import Error as Base64Error
from datetime import datetime
from urllib import parse

from django.utils.dateparse import parse_datetime
from drf_spectacular.plumbing import build_basic_type, build_parameter_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination, _positive_int
from rest_framework.utils.urls import replace_query_param

NEWEST_FIRST = ("-received_at", "-id")


def _aware_datetime(text: str) -> datetime | None:
    value = parse_datetime(text)
    return value if value is not None and value.tzinfo is not None else None


class CaseCursorPagination(CursorPagination):
    """Cursor paging: constant cost at any depth and no COUNT over a million rows.

    The order is the view's `cursor_ordering` when it sets one (the case list's `sort`), else newest first.
    DRF's cursor holds the value of the ordering's first column only and skips ties by an offset (capped at
    1,000), so every ordering leads with a unique or nearly unique, indexed column. A cursor names that
    column: followed under another sort it is refused, never misread.

    A `page_size` or `cursor` that cannot be used is a 400 naming the parameter, never a default page.
    """

    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = NEWEST_FIRST
    # How a cursor's position is read back for each leading column; a position that does not read is refused
    # (it would otherwise reach the database and fail there).
    position_readers = {"received_at": _aware_datetime, "case_no": str, "id": int}

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        field = serializers.IntegerField(min_value=1, max_value=self.max_page_size)
        try:
            return field.run_validation(value)
        except ValidationError as exc:
            raise ValidationError({self.page_size_query_param: exc.detail}) from None

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", None) or self.ordering)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            text = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = {key: values[-1] for key, values in parse.parse_qs(text, strict_parsing=True).items()}
            offset = _positive_int(tokens.get("o", "0"), cutoff=self.offset_cutoff)
            reverse = {"0": False, "1": True}[tokens.get("r", "0")]
            position = tokens.get("p")
            # Cursors made before they named their column were all newest first.
            if tokens.get("c", NEWEST_FIRST[0]) != self.ordering[0]:
                raise ValueError("made for another sort")
            read = self.position_readers.get(self.ordering[0].lstrip("-"), str)
            if position is not None and read(position) is None:
                raise ValueError("not a position in this column")
        except (KeyError, ValueError, Base64Error):  # UnicodeError is a ValueError
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        return Cursor(offset=offset, reverse=reverse, position=position)

    def encode_cursor(self, cursor):
        # DRF's tokens, and the column the position belongs to.
        tokens = {"c": self.ordering[0]}
        if cursor.offset != 0:
            tokens["o"] = str(cursor.offset)
        if cursor.reverse:
            tokens["r"] = "1"
        if cursor.position is not None:
            tokens["p"] = cursor.position
        encoded = b64encode(parse.urlencode(tokens).encode("ascii")).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_schema_operation_parameters(self, view):
        return [
            build_parameter_type(
                name=self.cursor_query_param,
                schema=build_basic_type(OpenApiTypes.STR),
                location=OpenApiParameter.QUERY,
                description="Where a page starts: the `next` or `previous` link of an answer holds it. A cursor "
                "made under another `sort` is refused (400).",
            ),
            build_parameter_type(
                name=self.page_size_query_param,
                schema={"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size},
                location=OpenApiParameter.QUERY,
                description=f"Rows per page, 1 to {self.max_page_size} (a value outside is refused with 400).",
            ),
        ]
