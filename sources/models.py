"""The lower layer: outlets, people, the documents they appear in, and the quotes anchored there.

This app never imports ``claims``.
"""

from __future__ import annotations

import pghistory
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from factcheck.audit import audited
from sources.language import DEFAULT, LANGUAGE_SOURCE_CHOICES


def language_source_field() -> models.CharField:
    """Where a row's ``language`` came from (``sources.language``): given, detected or default.
    Set by the services; ``db_default`` so raw inserts (bulk loads) need not name it."""
    return models.CharField(
        "language from", max_length=8, choices=LANGUAGE_SOURCE_CHOICES, default=DEFAULT,
        db_default=DEFAULT, editable=False,
        help_text="Given by an editor (kept), detected from the text, or a default.",
    )


@pghistory.track(*audited())
class Outlet(models.Model):
    """A publisher: a newspaper, broadcaster, government site, platform."""

    name = models.CharField(_("name"), max_length=200)
    domain = models.CharField(
        _("domain"), max_length=253, unique=True, help_text=_("Registrable host, lower case, e.g. voz.us")
    )
    homepage_url = models.URLField(_("homepage url"), max_length=500, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    language = models.CharField(_("language"),
                                max_length=12, blank=True, help_text=_("BCP 47, e.g. en, es-MX"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            ("rename_public_outlet", "Can rename an outlet that public pages show"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=models.functions.Lower("domain")), name="outlet_domain_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.domain})"


@pghistory.track(*audited())
class Person(models.Model):
    """A speaker or claimant: a person or an organization."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organization")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    title = models.CharField(
        "role / title", max_length=200, blank=True, help_text=_('e.g. "President of Mexico"')
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2"))
    wikidata_id = models.CharField(_("wikidata id"), max_length=20, blank=True, help_text=_("e.g. Q7502"))
    aliases = ArrayField(
        models.CharField(max_length=200), default=list, blank=True,
        help_text=_("Other names and spellings, used to match speakers in imported text."),
    )
    url = models.URLField("reference URL", max_length=500, blank=True)
    is_candidate = models.BooleanField(
        _("is candidate"), default=False, db_default=False,
        help_text=_("Created by an article import and not yet confirmed by an editor: a candidate "
                  "never receives a quotation by surname alone in later imports."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("people")
        permissions = [
            ("rename_public_person", "Can rename a person that public pages show"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="person_wikidata_id_format",
            ),
        ]
        indexes = [
            GinIndex(fields=["aliases"], name="person_aliases_gin"),
            # People in name order (lists, the home page's claimant filter: the first 200 named
            # claimants of public claims read 200 people, not all 20,000 at 1,000,000 claims).
            models.Index(fields=["name", "id"], name="person_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name


@pghistory.track(*audited())
class Source(models.Model):
    """A document where something was said or reported, with the text snapshot it was read from."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("News article")
        STATEMENT = "statement", _("Official statement")
        TRANSCRIPT = "transcript", _("Transcript")
        SOCIAL_POST = "social_post", _("Social media post")
        REPORT = "report", _("Report")
        DATASET = "dataset", _("Dataset")
        FACT_CHECK = "fact_check", _("Fact check (external review)")

    url = models.URLField(
        "canonical URL", max_length=2000, unique=True,
        help_text=_("Normalized: lower-case scheme and host, no fragment, no tracking parameters."),
    )
    outlet = models.ForeignKey(
        Outlet, verbose_name=_("outlet"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="sources"
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=12, blank=True,
                                help_text=_("BCP 47, e.g. en, es-MX"))
    language_source = language_source_field()
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    content = models.TextField(
        "text snapshot", blank=True,
        help_text=_("The normalized full text the quotes are anchored in."),
    )
    content_sha256 = models.CharField(_("content sha256"), max_length=64, blank=True, editable=False)
    retrieved_at = models.DateTimeField(_("retrieved at"), null=True, blank=True)
    archive_url = models.URLField("archived copy", max_length=2000, blank=True)
    fetch_error = models.CharField(
        _("fetch error"),
        max_length=300, blank=True, help_text=_("Why the last fetch failed (generic message).")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="source_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_sha256="") | Q(content_sha256__regex=r"^[0-9a-f]{64}$"),
                name="source_sha256_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.url


@pghistory.track(*audited())
class Quote(models.Model):
    """Words a Person said as they appear in one Source, anchored with W3C Web Annotation selectors.

    ``exact``/``prefix``/``suffix`` form the TextQuoteSelector, ``start``/``end`` the
    TextPositionSelector (character offsets into ``Source.content``). Selectors are computed by
    ``sources.services.quote_create``/``quote_update``, never typed by hand.
    """

    class AnchorStatus(models.TextChoices):
        ANCHORED = "anchored", _("Anchored")
        DRIFTED = "drifted", _("Drifted (needs review)")
        ORPHANED = "orphaned", _("Orphaned")
        UNVERIFIED = "unverified", _("Unverified (not found in the snapshot)")

    source = models.ForeignKey(Source, verbose_name=_("source"),
                               on_delete=models.PROTECT, related_name="quotes")
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"),
        on_delete=models.PROTECT, related_name="quotes", null=True, blank=True,
        help_text=_("Empty when an import found the quotation but not who said it (needs a speaker)."),
    )
    text = models.TextField(_("text"))
    language = models.CharField(
        _("language"), max_length=12, blank=True, default="", db_default="",
        help_text=_("BCP 47 language of the words; detected from them when not given."),
    )
    language_source = language_source_field()
    rendering_of = models.ForeignKey(
        "self", verbose_name=_("rendering of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="renderings",
        help_text=_("The original quote these words render in another language (a translation)."),
    )
    exact = models.TextField(_("exact"), blank=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=64, blank=True, editable=False)
    suffix = models.CharField(_("suffix"), max_length=64, blank=True, editable=False)
    start = models.PositiveIntegerField(_("start"), null=True, blank=True, editable=False)
    end = models.PositiveIntegerField(_("end"), null=True, blank=True, editable=False)
    anchor_status = models.CharField(
        _("anchor status"), max_length=12, choices=AnchorStatus.choices, default=AnchorStatus.UNVERIFIED,
        editable=False,
    )
    previous_exact = models.TextField(
        _("previous exact"), blank=True, editable=False,
        help_text=_("The anchored text before the last re-anchoring, when it drifted or was orphaned."),
    )
    is_candidate = models.BooleanField(
        _("is candidate"), default=False,
        help_text=_("Found by automatic extraction and not yet confirmed by an editor."),
    )
    attribution = models.CharField(
        _("attribution"), max_length=20, blank=True, editable=False, db_default="",
        help_text=_("How the import found the speaker (after_verb, speaker_line, pronoun, role, "
                  "continuation, …; none: not found). Empty for quotes typed by an editor."),
    )
    attribution_confidence = models.FloatField(
        _("attribution confidence"), null=True, blank=True, editable=False,
        help_text=_("The import's confidence in the speaker, 0–1."),
    )
    variants = models.ManyToManyField(
        "self", verbose_name=_("variants"), symmetrical=True, blank=True,
        help_text=_("The same words reported differently (other outlets, translations)."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["source_id", "start", "id"]
        indexes = [
            models.Index(fields=["source", "start"], name="quote_source_start_idx"),
            models.Index(fields=["speaker"], name="quote_speaker_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(start__isnull=True, end__isnull=True)
                    | Q(start__isnull=False, end__isnull=False, end__gt=models.F("start"))
                ),
                name="quote_position_range_valid",
            ),
            models.CheckConstraint(
                condition=~Q(anchor_status__in=["anchored", "drifted"]) | Q(start__isnull=False),
                name="quote_anchored_has_position",
            ),
            models.CheckConstraint(
                condition=~Q(rendering_of=models.F("id")), name="quote_rendering_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker or 'Unknown speaker'}: “{self.text[:60]}”"
