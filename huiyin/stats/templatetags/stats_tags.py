from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """A rate from the selectors as "95.2%", or an em dash when there was nothing to divide."""
    if value is None:
        return "—"
    return f"{value:.1f}%"
