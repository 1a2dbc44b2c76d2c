"""Claims, the verdict scale, evidence, the editorial workflow's log and the public corrections.

Invariants that must hold whatever door a write comes through are enforced in PostgreSQL:
named check constraints for the workflow's facts, and triggers (django-pgtrigger) that bump
``Claim.version`` on every write, keep a published claim from being deleted and keep the
workflow log append-only. django-pghistory records every change to claims and evidence.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from factcheck.audit import audited
from sources.models import Person, Quote, Source, language_source_field

PUBLIC_STATUSES = ("published", "retracted")
# The path of a claim's public page: the one place it is spelled. ``Claim.get_absolute_url`` and
# the claim documents PostgreSQL renders (claims/selectors.py) both build on it.
CLAIM_PATH = "/claims/{slug}/"


@pghistory.track(*audited())
class Rating(models.Model):
    """One step of the verdict scale. ``value`` is null for non-ordinal verdicts (Misleading).

    A changed label changes every public page showing it: a trigger (migration 0009) touches the
    claims that carry it, so their ``updated_at`` ("last updated") and version (ETag) move."""

    label = models.CharField(_("label"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    value = models.PositiveSmallIntegerField(
        _("value"),
        null=True, blank=True, help_text=_("Ordinal value (higher is truer); empty for non-ordinal.")
    )
    description = models.TextField(_("description"),
                                   blank=True, help_text=_("What this rating means (methodology)."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        triggers = [
            pgtrigger.Trigger(
                name="rating_label_touches_claims",
                operation=pgtrigger.UpdateOf("label"),
                when=pgtrigger.After,
                condition=pgtrigger.Condition('OLD."label" IS DISTINCT FROM NEW."label"'),
                func="UPDATE claims_claim SET updated_at = now() WHERE rating_id = NEW.id; RETURN NULL;",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_ordinal(self) -> bool:
        return self.value is not None


# The seeded rating scale (migration 0002) for the translation catalog: pages show a rating's label
# and description through pgettext("rating", <stored text>), so the seeded scale reads in the
# reader's language; a label or description the newsroom writes itself shows as stored until the
# catalog has it (README, "Languages of the interface").
SEEDED_RATING_TEXTS = [
    pgettext_lazy("rating", "True"),
    pgettext_lazy("rating", "The statement is accurate and nothing significant is missing."),
    pgettext_lazy("rating", "Mostly true"),
    pgettext_lazy("rating", "The statement is accurate but needs clarification or additional "
                            "information."),
    pgettext_lazy("rating", "Half true"),
    pgettext_lazy("rating", "The statement is partially accurate but leaves out important details or "
                            "takes things out of context."),
    pgettext_lazy("rating", "Mostly false"),
    pgettext_lazy("rating", "The statement contains an element of truth but ignores facts that would "
                            "give a different impression."),
    pgettext_lazy("rating", "False"),
    pgettext_lazy("rating", "The statement is not accurate."),
    pgettext_lazy("rating", "Misleading"),
    pgettext_lazy("rating", "Accurate facts presented in a way that leads to a false conclusion."),
    pgettext_lazy("rating", "Unproven"),
    pgettext_lazy("rating", "The evidence available does not allow the statement to be confirmed or "
                            "refuted."),
]


@pghistory.track(*audited())
class Topic(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        # Claim pages show their topics: a renamed topic moves their version and "last updated".
        triggers = [
            pgtrigger.Trigger(
                name="topic_name_touches_claims",
                operation=pgtrigger.UpdateOf("name", "slug"),
                when=pgtrigger.After,
                condition=pgtrigger.Condition(
                    'OLD."name" IS DISTINCT FROM NEW."name" OR OLD."slug" IS DISTINCT FROM NEW."slug"'),
                func=("UPDATE claims_claim SET updated_at = now() WHERE id IN "
                      "(SELECT claim_id FROM claims_claim_topics WHERE topic_id = NEW.id); RETURN NULL;"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ClaimQuerySet(models.QuerySet):
    def public(self) -> ClaimQuerySet:
        """Claims the public may see: published and retracted ones."""
        return self.filter(status__in=PUBLIC_STATUSES)

    def needing_evidence_attention(self) -> ClaimQuerySet:
        """Published claims whose evidence changed under them and wait for a reviewer."""
        return self.filter(status="published", evidence_attention_at__isnull=False)


# Each text is indexed in its own language's text search configuration (``fc_regconfig``,
# migration 0017: the PostgreSQL stemmer of the language with accents removed by unaccent, else
# ``fc_simple``): the claim's text, claimant, explanation and analysis in the claim's language,
# each linked quote in the quote's own (the claim's when the quote has none).
SEARCH_FUNC = """
DECLARE
  config regconfig := fc_regconfig(NEW.language);
  claimant_name text;
  quote_texts text;
  quotes_vector tsvector := ''::tsvector;
  quote record;  -- one language's quotes: config, texts
BEGIN
  SELECT coalesce(p.name, '') || ' ' || array_to_string(p.aliases, ' ') INTO claimant_name
    FROM sources_person p WHERE p.id = NEW.claimant_id;
  SELECT string_agg(q.text, ' ' ORDER BY e.id) INTO quote_texts
    FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id
   WHERE e.claim_id = NEW.id;
  -- The quotes of each language together, in their configuration, languages in order of appearance.
  FOR quote IN SELECT fc_regconfig(coalesce(nullif(q.language, ''), NEW.language)) AS config,
                      string_agg(q.text, ' ' ORDER BY e.id) AS texts
                 FROM claims_evidence e JOIN sources_quote q ON q.id = e.quote_id
                WHERE e.claim_id = NEW.id
                GROUP BY 1 ORDER BY min(e.id) LOOP
    quotes_vector := quotes_vector || to_tsvector(quote.config, quote.texts);
  END LOOP;
  NEW.search_text := concat_ws(' ', NEW.text, claimant_name, NEW.rating_explanation,
                               quote_texts, NEW.analysis);
  NEW.search_vector :=
      setweight(to_tsvector(config, coalesce(NEW.text, '')), 'A')
   || setweight(to_tsvector(config, coalesce(claimant_name, '')), 'A')
   || setweight(to_tsvector(config, coalesce(NEW.rating_explanation, '')), 'B')
   || setweight(quotes_vector, 'B')
   || setweight(to_tsvector(config, coalesce(NEW.analysis, '')), 'C')
   -- Where the claim sits in publication time (day, month, year, decade), for search windows;
   -- a claim never published: in which blocks of ids (migration 0022).
   || fc_publication_buckets(NEW.published_at)
   || fc_unpublished_buckets(NEW.id, NEW.published_at);
  RETURN NEW;
END;
"""


@pghistory.track(*audited(), exclude=["search_vector", "search_text"])
class Claim(models.Model):
    """A statement checked by the newsroom.

    ``status``, ``published_at``, ``reviewer`` and ``version`` move only through the workflow
    services in ``claims.services``; ``version`` and ``updated_at`` are set by a trigger on every
    UPDATE, so no door can forget them.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        RETRACTED = "retracted", _("Retracted")

    text = models.TextField(_("text"), help_text=_("The statement checked, as a single sentence."))
    slug = models.SlugField(_("slug"), max_length=120, unique=True, editable=False)
    claimant = models.ForeignKey(
        Person, verbose_name=_("claimant"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    claim_date = models.DateField(_("claim date"),
                                  null=True, blank=True, help_text=_("When the claim was made."))
    language = models.CharField(_("language"),
                                max_length=12, default="en", help_text=_("BCP 47, e.g. en, es"))
    language_source = language_source_field()
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="claims")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    rating = models.ForeignKey(
        Rating, verbose_name=_("rating"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    rating_explanation = models.CharField(
        _("rating explanation"),
        max_length=500, blank=True, help_text=_("One or two sentences: why this rating.")
    )
    analysis = models.TextField(_("analysis"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="authored_claims", editable=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"),
        on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_claims",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="reviewed_claims", editable=False,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # Reviews imported from other fact-checkers (ClaimReview import).
    is_external = models.BooleanField(_("is external"), default=False, editable=False)
    external_review_url = models.URLField(_("external review url"),
                                          max_length=2000, blank=True, editable=False)
    external_publisher_name = models.CharField(_("external publisher name"),
                                               max_length=200, blank=True, editable=False)
    external_publisher_site = models.CharField(_("external publisher site"),
                                               max_length=253, blank=True, editable=False)
    # When the other fact-checker published its review (ClaimReview ``datePublished``): the
    # date an imported review is shown with. ``published_at`` is when it went up on our site.
    external_reviewed_at = models.DateTimeField(_("external reviewed at"),
                                                null=True, blank=True, editable=False)
    # Maintained by the claim_search trigger (see SEARCH_FUNC): claim text and claimant (A),
    # rating explanation and linked quotes (B), analysis (C), and the publication-time lexemes
    # search windows use (``~y2026``…; migration 0019, claims.search). Quote and person edits
    # touch the claims that show them (migration 0004), so the vector never goes stale.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # Evidence health: set by database triggers (migration 0009) when a quote a published claim
    # cites drifts, is orphaned or no longer verified, or a cited source's fetch starts failing;
    # cleared when every cited quote is anchored again and no cited source fails, by a correction
    # or by a reviewer's ``dismiss_attention`` (a reason in the review log).
    evidence_attention_at = models.DateTimeField(
        "evidence changed at", null=True, blank=True, editable=False,
        help_text=_("When the published claim's evidence changed under it (needs a reviewer)."),
    )
    evidence_attention_reason = models.TextField(  # db_default: raw inserts need not name it
        "what changed in the evidence", blank=True, editable=False, default="", db_default="",
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        permissions = [
            ("submit_claim", "Can submit claims for review"),
            ("review_claim", "Can request changes, publish, correct and retract claims"),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="claim_status_pub_idx"),
            # The public list ("published or retracted, newest first") — measured by make bench.
            models.Index(
                fields=["-published_at", "-id"], condition=Q(status__in=PUBLIC_STATUSES),
                name="claim_public_pub_idx",
            ),
            models.Index(fields=["-updated_at", "-id"], name="claim_updated_idx"),
            models.Index(fields=["claimant", "status"], name="claim_claimant_idx"),
            models.Index(
                fields=["-evidence_attention_at"], condition=Q(evidence_attention_at__isnull=False),
                name="claim_evidence_attention_idx",
            ),
            GinIndex(fields=["search_vector"], name="claim_search_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES)
                | Q(rating__isnull=False, published_at__isnull=False),
                name="claim_published_has_rating_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATUSES)
                | Q(reviewer__isnull=False)
                | Q(is_external=True),
                name="claim_published_has_reviewer",
            ),
            models.CheckConstraint(
                condition=Q(status__in=PUBLIC_STATUSES) | Q(published_at__isnull=True),
                name="claim_unpublished_has_no_published_at",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True)
                | Q(author__isnull=True)
                | ~Q(reviewer=F("author")),
                name="claim_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["external_review_url"],
                condition=~Q(external_review_url=""),
                name="claim_external_review_url_unique",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="claim_search",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=SEARCH_FUNC,
            ),
            pgtrigger.Trigger(
                name="claim_bump_version",
                operation=pgtrigger.Update,
                when=pgtrigger.Before,
                func="NEW.version := OLD.version + 1; NEW.updated_at := now(); RETURN NEW;",
            ),
            pgtrigger.Protect(
                name="claim_public_not_deleted",
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__status__in=PUBLIC_STATUSES),
            ),
            pgtrigger.Protect(
                name="claim_slug_stable",
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition("OLD.slug IS DISTINCT FROM NEW.slug"),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return CLAIM_PATH.format(slug=self.slug)

    @property
    def canonical_url(self) -> str:
        """The public page's absolute URL on ``settings.SITE_URL`` (whether or not it is public)."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def reviewed_at(self):
        """When the review was published by whoever wrote it: our publication date, or the
        other fact-checker's review date for an imported review."""
        if self.is_external:
            return self.external_reviewed_at
        return self.published_at

    @property
    def needs_evidence_attention(self) -> bool:
        return self.evidence_attention_at is not None


def touch_claims(name: str, *claim_columns: str) -> pgtrigger.Trigger:
    """A trigger that touches the claims a row points to through ``claim_columns`` (before and
    after the change), so their version (and so their ETag) moves with the row."""
    ids = ", ".join(f"{row}.{column}" for row in ("NEW", "OLD") for column in claim_columns)
    return pgtrigger.Trigger(
        name=name,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        when=pgtrigger.After,
        func=f"UPDATE claims_claim SET updated_at = now() WHERE id IN ({ids}); RETURN NULL;",  # noqa: S608 - column names
    )


# Touch the parent claim so its version (and so its ETag) moves with its evidence.
TOUCH_CLAIM = touch_claims("touch_claim", "claim_id")


@pghistory.track(*audited())
class Evidence(models.Model):
    """A claim's link to a source (and optionally one quote in it)."""

    class Relation(models.TextChoices):
        APPEARANCE = "appearance", _("Appearance (where the claim was made)")
        SUPPORTS = "supports", _("Supports")
        REFUTES = "refutes", _("Refutes")
        CONTEXT = "context", _("Context")

    claim = models.ForeignKey(Claim, verbose_name=_("claim"),
                              on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, verbose_name=_("source"),
                               on_delete=models.PROTECT, related_name="evidence")
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A reviewer's recorded check of a quote that is not anchored in our snapshot (e.g. "checked
    # against the broadcast recording"): the only way such a quote passes the publish gates.
    # Written by ``claims.services.evidence_anchor_override``; shown publicly under the quote.
    anchor_override_reason = models.TextField(
        "anchor override", blank=True, editable=False, default="", db_default="",
        help_text=_("Why a reviewer accepts this quote although it is not anchored in our snapshot."),
    )
    anchor_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("anchor override by"),
        on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False,
    )
    anchor_override_at = models.DateTimeField(_("anchor override at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = _("evidence")
        indexes = [
            models.Index(fields=["claim", "order", "id"], name="evidence_claim_idx"),
            models.Index(fields=["source"], name="evidence_source_idx"),
            models.Index(fields=["quote"], name="evidence_quote_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source", "quote", "relation"],
                nulls_distinct=False,
                name="evidence_unique_link",
            ),
            models.CheckConstraint(
                condition=Q(anchor_override_reason="")
                | Q(anchor_override_by__isnull=False, anchor_override_at__isnull=False,
                    quote__isnull=False),
                name="evidence_override_recorded",
            ),
        ]
        triggers = [TOUCH_CLAIM]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.source}"


class ReviewEvent(models.Model):
    """Append-only log of workflow transitions (rows can never be updated)."""

    claim = models.ForeignKey(Claim, verbose_name=_("claim"),
                              on_delete=models.CASCADE, related_name="review_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"),
        on_delete=models.PROTECT, null=True, related_name="+"
    )
    from_status = models.CharField(_("from status"), max_length=12, choices=Claim.Status.choices)
    to_status = models.CharField(_("to status"), max_length=12, choices=Claim.Status.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="reviewevent_claim_idx")]
        triggers = [pgtrigger.Protect(name="reviewevent_append_only", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Correction(models.Model):
    """A public record of a change made after publication."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")
        RATING_CHANGE = "rating_change", _("Rating change")
        RETRACTION = "retraction", _("Retraction")

    claim = models.ForeignKey(Claim, verbose_name=_("claim"),
                              on_delete=models.PROTECT, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.TextField(_("note"), help_text=_("Public note explaining what changed and why."))
    old_rating = models.ForeignKey(
        Rating, verbose_name=_("old rating"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_rating = models.ForeignKey(
        Rating, verbose_name=_("new rating"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="correction_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rating_change")
                | Q(old_rating__isnull=False, new_rating__isnull=False),
                name="correction_rating_change_has_ratings",
            ),
            models.CheckConstraint(condition=~Q(note=""), name="correction_has_note"),
        ]
        triggers = [
            pgtrigger.Protect(name="correction_append_only", operation=pgtrigger.Update),
            TOUCH_CLAIM,
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.claim}"


@pghistory.track(*audited())
class ClaimRelation(models.Model):
    """A typed link an editor draws between two claims."""

    class Kind(models.TextChoices):
        SAME_AS = "same_as", _("Same as")
        VARIANT_OF = "variant_of", _("Variant of")
        CONTRADICTS = "contradicts", _("Contradicts")
        SUPERSEDES = "supersedes", _("Supersedes")
        TRANSLATION_OF = "translation_of", _("Translation of")

    from_claim = models.ForeignKey(Claim, verbose_name=_("from claim"),
                                   on_delete=models.CASCADE, related_name="relations_out")
    to_claim = models.ForeignKey(Claim, verbose_name=_("to claim"),
                                 on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"),
        on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"], name="claimrelation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")), name="claimrelation_not_self"
            ),
        ]
        # Both claims show the relation in their representation: move both versions (ETags).
        triggers = [touch_claims("touch_related_claims", "from_claim_id", "to_claim_id")]

    def __str__(self) -> str:
        return f"{self.from_claim} {self.get_kind_display().lower()} {self.to_claim}"


class ClaimReviewFeed(models.Model):
    """Another fact-checker's ClaimReview feed, pulled on a schedule (``claims.tasks``): a URL
    serving ClaimReview JSON-LD (an object, a list, a DataFeed, or HTML pages embedding it)."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("url"), max_length=2000, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True, help_text=_("Pulled every hour while enabled."))
    last_pulled_at = models.DateTimeField(_("last pulled at"), null=True, blank=True, editable=False)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("ClaimReview feed")

    def __str__(self) -> str:
        return self.name
