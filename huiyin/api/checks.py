"""System checks of the API settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register


def largest_json_bodies() -> dict[str, int]:
    """The largest body each JSON operation accepts, every character escaped as long as JSON allows."""
    from huiyin.api.triage_serializers import BODY_MAX, TITLE_MAX
    from huiyin.portal.api import PortalApiView
    from huiyin.portal.validation import Field, json_body_max_bytes

    sizes = {
        view.__name__: json_body_max_bytes(view.SPEC)
        for view in PortalApiView.__subclasses__()
        if hasattr(view, "SPEC")
    }
    classify = {"title": Field(str, max_length=TITLE_MAX), "body": Field(str, max_length=BODY_MAX)}
    sizes["triage classify"] = json_body_max_bytes(classify)
    return sizes


@register()
def json_body_limit_check(app_configs, **kwargs) -> list[Error]:
    """HUIYIN_JSON_MAX_BYTES fits the largest body the fields allow: lower, a text within its limits would be
    refused as too large when a client escapes it (Python's json.dumps does, by default)."""
    sizes = largest_json_bodies()
    name, largest = max(sizes.items(), key=lambda item: item[1])
    if largest <= settings.HUIYIN_JSON_MAX_BYTES:
        return []
    return [
        Error(
            f"HUIYIN_JSON_MAX_BYTES is {settings.HUIYIN_JSON_MAX_BYTES}, but a body of {name} may take {largest} bytes.",
            hint=f"Set HUIYIN_JSON_MAX_BYTES to at least {largest} (the default is {256 * 1024}).",
            id="api.E001",
        )
    ]
