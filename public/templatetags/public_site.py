"""Template tags of the public site: the publisher's identity and the rating badge."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()

# A symbol beside the label, so a rating never relies on colour alone (the label is always shown).
RATING_SYMBOLS = {
    "true": "✓", "mostly-true": "✓", "half-true": "◐", "mostly-false": "✗", "false": "✗",
    "misleading": "!", "unproven": "?",
}


@register.simple_tag
def site_name() -> str:
    return settings.PUBLISHER["name"]


@register.simple_tag
def site_url() -> str:
    return settings.SITE_URL


@register.simple_tag
def publisher_logo() -> str:
    return settings.PUBLISHER["logo"]


@register.inclusion_tag("public/_rating.html")
def rating_badge(rating, size: str = "") -> dict:
    return {"rating": rating, "symbol": RATING_SYMBOLS.get(getattr(rating, "slug", ""), "•"),
            "size": size}
