"""Template tags of the public site: the publisher's identity, the rating badge and what a claim's
page and its shared links are titled."""

from __future__ import annotations

import datetime as dt
import functools
import html

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import truncatechars
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

register = template.Library()


def escape(value) -> str:
    """What ``django.utils.html.escape`` writes, without its check for lazy strings: this module
    escapes a thousand values a page (the filters' options, the result cards)."""
    return html.escape(str(value))


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


@register.simple_tag
def rating_badge(rating, size: str = "", withdrawn: bool = False) -> SafeString:
    """A rating's badge: its symbol and its label in the reader's language. ``size``: "small" or
    "large"; ``withdrawn`` (a retracted claim's rating): neutral, struck through, never the
    verdict's colour. Nothing without a rating."""
    if not rating:
        return mark_safe("")
    symbol = WITHDRAWN_SYMBOL if withdrawn else RATING_SYMBOLS.get(rating.slug, "•")
    modifier = "rating--withdrawn" if withdrawn else f"rating--{escape(rating.slug)}"
    size_class = f" rating--{escape(size)}" if size else ""
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<span class="rating {modifier}{size_class}"><span class="rating__symbol" aria-hidden="true">'
        f'{symbol}</span> <span class="rating__label">{escape(rating_label(rating))}</span></span>')


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
    template loop rendered in about 10 ms per page (docs/benchmarks.md). The escaped list is kept
    per process for the same options (``_options_html``); the selected one is marked in it."""
    pairs = tuple((option.slug, rating_label(option) if rating_labels else option.name)
                  for option in options)
    markup = _options_html(pairs)
    if selected:
        value = f'<option value="{escape(selected)}">'
        markup = markup.replace(value, f'{value[:-1]} selected>', 1)
    return mark_safe(markup)  # noqa: S308 - every value is escaped


@functools.lru_cache(maxsize=32)
def _options_html(pairs: tuple[tuple[str, str], ...]) -> str:
    """``<option value="slug">label</option>`` for each ``(slug, label)``, escaped: the same on
    every page until the options change (400 options: 0.68 ms built, 0.14 ms kept and marked)."""
    return "".join(f'<option value="{escape(slug)}">{escape(label)}</option>' for slug, label in pairs)


# A card's phrases that hold a <time> element (translated when a card is built).
SAID_ON = gettext_noop('said on <time datetime="%(iso)s">%(date)s</time>')
CHECKED_ON = gettext_noop('checked <time datetime="%(iso)s">%(date)s</time>')
REVIEWED_BY_ON = gettext_noop('reviewed by %(publisher)s on <time datetime="%(iso)s">%(date)s</time>')


@functools.lru_cache(maxsize=64)
def _translated(language: str, message: str) -> str:
    """``gettext(message)`` in ``language`` (the active one: callers pass ``get_language()``),
    kept per process — the catalogs do not change while it runs, and a page of 20 cards asks for
    the same few phrases 60 times."""
    return gettext(message)


@functools.lru_cache(maxsize=4096)
def _day(language: str, day: dt.date) -> str:
    """``day`` in ``language``'s date format (the active one), kept per process: formatting a
    date costs about 35 µs, and a list shows the same days again and again."""
    return date_format(day, "DATE_FORMAT")


# What formats a date or picks a catalog (tests change them): the kept phrases and days follow.
FORMAT_SETTINGS = ("DATE_FORMAT", "FORMAT_MODULE_PATH", "LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS",
                   "USE_I18N")


@receiver(setting_changed)
def _forget_kept_texts(*, setting, **kwargs) -> None:
    if setting in FORMAT_SETTINGS:
        _translated.cache_clear()
        _day.cache_clear()


def _time_phrase(phrase: str, value: dt.date | dt.datetime | None, language: str, **names: str) -> str:
    """``phrase`` in the reader's language (``language``, the active one), holding a ``<time>``
    element: ``%(iso)s`` (``value`` in ISO 8601, as the ``date`` filter writes it with "c", or
    "Y-m-d" for a date) and ``%(date)s`` (the language's date format), both in the current time
    zone; and ``names`` (escaped, as ``blocktranslate`` escapes its variables)."""
    iso = day = ""
    if value:
        if isinstance(value, dt.datetime):
            value = template_localtime(value)
            iso, day = value.isoformat(), _day(language, value.date())
        else:
            iso, day = value.isoformat(), _day(language, value)
    return _translated(language, phrase) % {"iso": escape(iso), "date": escape(day),
                                            **{name: escape(text) for name, text in names.items()}}


@register.simple_tag
def claim_card(claim, heading_level: int = 2) -> SafeString:
    """A claim in a list (the home page, a search, a person's page): its verdict, its text linked
    to its page, who said it and when, who checked it and when, and the rating's explanation.

    Built in Python, like ``filter_options``: a page of search results renders 20 cards, which
    the template engine took 10–15 ms to build (docs/benchmarks.md, "Targets at 1,000,000
    claims"); this took 3–4 ms, and 1–2 ms since the formatted days and the translated
    phrases are kept per process (``_day``, ``_translated``: 95 µs a phrase before, most of it
    formatting the date). Every value is escaped; the translated phrases are the catalog's, with
    the same message ids the template had."""
    publisher = review_publisher(claim)
    reader = get_language()
    language = escape(claim.language or "en")
    if claim.status == "retracted":
        kind, retracted, withdrawn = " card--retracted", gettext("Retracted"), gettext("rating withdrawn:")
        verdict = (f'<span class="tag tag--retracted">{escape(retracted)}</span> '
                   f'<span class="card__withdrawn">{escape(withdrawn)}</span> '
                   f'{rating_badge(claim.rating, "", True)}')
    elif claim.is_external:
        kind, rated = " card--external", gettext("Rated")
        by = gettext("by %(publisher)s") % {"publisher": escape(publisher)}
        verdict = (f'<span class="card__by">{escape(rated)}</span> {rating_badge(claim.rating)} '
                   f'<span class="card__by">{by}</span>')
    else:
        kind, verdict = "", rating_badge(claim.rating)
    said = ""
    if claim.claimant:
        said = f'<a href="/people/{escape(claim.claimant.slug)}/">{escape(claim.claimant.name)}</a>'
        if claim.claim_date:
            said += ", "
    if claim.claim_date:
        said += _time_phrase(SAID_ON, claim.claim_date, reader)
    if not claim.is_external:
        checked = _time_phrase(CHECKED_ON, claim.published_at, reader)
    elif claim.external_reviewed_at:
        checked = _time_phrase(REVIEWED_BY_ON, claim.external_reviewed_at, reader, publisher=publisher)
    else:
        checked = gettext("reviewed by %(publisher)s") % {"publisher": escape(publisher)}
    explanation = (f'<p class="card__explanation" lang="{language}">{escape(claim.rating_explanation)}</p>'
                   if claim.rating_explanation else "")
    level = int(heading_level)
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<article class="card{kind}">\n'
        f'  <div class="card__rating">{verdict}</div>\n'
        f'  <h{level} class="card__title"><a href="{escape(claim.get_absolute_url())}" lang="{language}">'
        f"{escape(claim.text)}</a></h{level}>\n"
        f'  <p class="card__meta">{said}\n    · {checked}</p>\n'
        f"  {explanation}\n"
        "</article>\n")
