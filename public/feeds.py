"""Atom feeds of the public site: new claims and corrections (public claims only).

Titles and wording follow the reader's interface language like the pages (feed readers mostly send
no Accept-Language: English); dates stay machine dates (RFC 3339)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext, gettext_lazy

from claims.models import Claim, Correction
from public import selectors
from public.templatetags.public_site import rating_label, verdict_headline

FEED_ITEMS = 50


def entry_updated(published, updated):
    """An entry's ``updated``, never before its ``published``: ``updated_at`` is the writing
    transaction's start, which precedes the ``published_at`` set inside it (by milliseconds), and
    an imported review may carry any date."""
    return max(published, updated) if published and updated else (updated or published)


class SiteFeed(Feed):
    """An Atom feed of the site, by the publisher: ``page_path`` is the page it follows and
    ``feed_path`` the feed itself (both below ``SITE_URL``)."""

    feed_type = Atom1Feed
    page_path = "/"
    feed_path = ""

    def link(self) -> str:
        return f"{settings.SITE_URL}{self.page_path}"

    def feed_url(self) -> str:
        return f"{settings.SITE_URL}{self.feed_path}"

    def author_name(self) -> str:
        return settings.PUBLISHER["name"]

    def item_guid(self, item) -> str:
        # An entry's id is its link.
        return self.item_link(item)


class ClaimsFeed(SiteFeed):
    """The latest published (and retracted) fact checks, newest first."""

    title = gettext_lazy("Latest fact checks")
    subtitle = gettext_lazy("Claims we checked, with our rating.")
    page_path = "/"
    feed_path = "/feeds/claims.atom"

    def items(self):
        # Ours only: other fact-checkers' reviews are not our fact checks.
        return list(selectors.own_public_claims().prefetch_related("topics")  # as categories
                    .order_by("-published_at", "-id")[:FEED_ITEMS])

    def item_title(self, item: Claim) -> str:
        # A retracted check leads with "Retracted", never with the verdict it withdrew.
        return f"{verdict_headline(item)}: {item.text}"

    def item_description(self, item: Claim) -> str:
        return item.rating_explanation

    def item_link(self, item: Claim) -> str:
        return item.canonical_url

    def item_pubdate(self, item: Claim):
        return item.published_at

    def item_updateddate(self, item: Claim):
        return entry_updated(item.published_at, item.updated_at)

    def item_categories(self, item: Claim) -> list[str]:
        return [topic.name for topic in item.topics.all()]


class CorrectionsFeed(SiteFeed):
    """Every correction, update, rating change and retraction, newest first."""

    title = gettext_lazy("Corrections and retractions")
    subtitle = gettext_lazy("Changes we made to published fact checks, and why.")
    page_path = "/corrections/"
    feed_path = "/feeds/corrections.atom"

    def items(self):
        return list(selectors.public_corrections().order_by("-created_at", "-id")[:FEED_ITEMS])

    def item_title(self, item: Correction) -> str:
        return f"{item.get_kind_display()}: {item.claim.text}"

    def item_description(self, item: Correction) -> str:
        if item.kind == Correction.Kind.RATING_CHANGE:
            changed = gettext("Rating changed from %(old)s to %(new)s.") % {
                "old": rating_label(item.old_rating), "new": rating_label(item.new_rating)}
            return f"{changed} {item.note}"
        return item.note

    def item_link(self, item: Correction) -> str:
        return f"{item.claim.canonical_url}#correction-{item.pk}"

    def item_pubdate(self, item: Correction):
        return item.created_at
