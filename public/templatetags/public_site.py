"""Template tags of the public site: the publisher's identity, the rating badge and what a claim's
page and its shared links are titled."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatechars
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext

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


WITHDRAWN_SYMBOL = "⊘"


@register.inclusion_tag("public/_rating.html")
def rating_badge(rating, size: str = "", withdrawn: bool = False) -> dict:
    """A rating's badge. ``withdrawn`` (a retracted claim's rating): neutral, struck through,
    never the verdict's colour."""
    symbol = WITHDRAWN_SYMBOL if withdrawn else RATING_SYMBOLS.get(getattr(rating, "slug", ""), "•")
    return {"rating": rating, "symbol": symbol, "size": size, "withdrawn": withdrawn}


@register.simple_tag
def review_publisher(claim) -> str:
    """Who published the review: another fact-checker's name (or site), else ours."""
    if claim.is_external:
        return claim.external_publisher_name or claim.external_publisher_site
    return settings.PUBLISHER["name"]


@register.simple_tag
def verdict_headline(claim) -> str:
    """What a title, og:title, twitter:title or feed entry leads with: "Retracted" for a retracted
    claim (never the withdrawn verdict), "Rated <label> by <publisher>" for another
    fact-checker's review, our rating's label otherwise; "" without a rating. In the reader's
    language (feeds and pages alike)."""
    if claim.status == "retracted":
        return gettext("Retracted")
    if claim.rating is None:
        return ""
    if claim.is_external:
        return gettext("Rated %(rating)s by %(publisher)s") % {
            "rating": rating_label(claim.rating), "publisher": review_publisher(claim)}
    return rating_label(claim.rating)


@register.simple_tag
def claim_title(claim, limit: int | None = None) -> str:
    """A claim page's title (``<title>``, og:title, twitter:title): the verdict headline, then the
    claim's text, cut to ``limit`` characters when given."""
    headline = verdict_headline(claim)
    text = truncatechars(claim.text, limit) if limit else claim.text
    return f"{headline}: {text}" if headline else text


@register.simple_tag
def share_description(claim, limit: int | None = None) -> str:
    """What a shared link to a claim says under its title (og:description, twitter:description):
    that the check was retracted, else its rating explanation, cut to ``limit`` characters when
    given."""
    if claim.status == "retracted":
        return gettext("This fact check was retracted; its rating no longer stands.")
    explanation = claim.rating_explanation
    return truncatechars(explanation, limit) if limit else explanation


def rating_label(rating) -> str:
    """A rating's label in the reader's language: the seeded scale is in the catalog
    (claims.models.SEEDED_RATING_TEXTS); a label the newsroom wrote itself shows as stored."""
    return pgettext("rating", rating.label) if rating and rating.label else ""


@register.simple_tag
def filter_options(options, selected: str, rating_labels: bool = False) -> str:
    """A filter's ``<option>`` elements (slug → name, or a rating's label), ``selected`` marked.
    Built in Python: the home page's filters hold hundreds of topics and claimants, which a
    template loop rendered in about 10 ms per page (docs/benchmarks.md)."""
    return mark_safe("".join(  # noqa: S308 - every value is escaped
        f'<option value="{escape(option.slug)}"{" selected" if option.slug == selected else ""}>'
        f"{escape(rating_label(option) if rating_labels else option.name)}</option>"
        for option in options))
