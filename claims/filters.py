"""django-filter FilterSets for the claims API (every parameter appears in the OpenAPI schema).

Unknown values of a choice or relation filter are a 400 naming the parameter — never a silently
ignored filter. Relation filters use EXISTS subqueries so a claim never appears twice in a page.
The full-text ``q`` is applied last, on the otherwise filtered set (see ``claims.search``).
"""

from __future__ import annotations

import re
from datetime import timedelta

import django_filters as filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from claims.models import Claim, Correction, Evidence, Rating, Topic
from claims.search import claims_matching
from claims.selectors import people_visible_to, sees_private, sources_visible_to
from factcheck.api.filtering import (
    IdFilter,
    StrictBooleanFilter,
    StrictDateTimeFilter,
    ViewerFilterSet,
    as_bool,
)
from factcheck.errors import InvalidInput
from sources.urls_normalize import normalize_domain, normalize_url

CLAIM_ORDERINGS = {
    "published_at": ("published_at", False),
    "-published_at": ("published_at", True),
    "claim_date": ("claim_date", False),
    "-claim_date": ("claim_date", True),
    "updated_at": ("updated_at", False),
    "-updated_at": ("updated_at", True),
    "relevance": (None, True),
}
DEFAULT_CLAIM_ORDERING = "-published_at"
TOPIC_HELP = "Topic slug; repeat for several (any of them)."


# --- Google Fact Check Tools parameters: one meaning on /api/v1/claims/ and on claims:search ---------

LANGUAGE_CODE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def language_code_condition(code: str, *, param: str = "languageCode") -> Q:
    """Claims in the language a BCP-47 ``code`` names, as Google's ``languageCode``: only the
    primary subtag counts (``en-US`` matches ``en``, ``en-US`` and ``en-GB``; ``en`` matches them
    too). Raises InvalidInput naming ``param`` for anything that is not a language code."""
    code = code.strip()
    if not LANGUAGE_CODE_RE.match(code):
        raise InvalidInput(f"{param} must be a BCP-47 code such as en or en-US.",
                           fields={param: ["Not a BCP-47 language code."]})
    primary = code.split("-")[0]
    return Q(language__iexact=primary) | Q(language__istartswith=f"{primary}-")


def max_age_condition(days: int) -> Q:
    """Claims at most ``days`` old, as Google's ``maxAgeDays``: by review (publication) date or
    claim date, whichever is newer."""
    since = timezone.now() - timedelta(days=days)
    # An imported review's date is the other fact-checker's (when known), not our import day.
    reviewed = Q(is_external=False, published_at__gte=since) | Q(
        is_external=True, external_reviewed_at__gte=since) | Q(
        is_external=True, external_reviewed_at__isnull=True, published_at__gte=since)
    return reviewed | Q(claim_date__gte=since.date())


def unknown(param: str, value) -> InvalidInput:
    return InvalidInput(f"Unknown {param}: {value}.", code="unknown_value",
                        fields={param: [f"No such {param}: {value}."]})


def _person_condition(value: str) -> Q:
    return Q(pk=int(value)) if value.isdigit() else Q(slug=value)


class ClaimFilter(ViewerFilterSet):
    q = filters.CharFilter(method="filter_noop", max_length=200, help_text=(
        "Full-text search over claim text, rating explanation, analysis, claimant and quotes; "
        "tolerates misspellings. Enables ordering=relevance (the default when q is given)."))
    query = filters.CharFilter(method="filter_noop", max_length=200,
                               help_text="Alias of q (Google Fact Check Tools).")
    slug = filters.CharFilter(field_name="slug", help_text="Find one claim by its slug.")
    status = filters.MultipleChoiceFilter(
        choices=Claim.Status.choices,
        help_text="Staff only (others only ever see published and retracted). Repeat for several.")
    rating = filters.ModelMultipleChoiceFilter(
        method="filter_rating", to_field_name="slug", queryset=Rating.objects.all(),
        help_text="Rating slug; repeat for several.")
    claimant = filters.CharFilter(method="filter_claimant", help_text="Claimant slug or id.")
    speaker = filters.CharFilter(method="filter_speaker",
                                 help_text="Slug or id of a person quoted in the claim's evidence.")
    topic = filters.ModelMultipleChoiceFilter(
        method="filter_topic", to_field_name="slug", queryset=Topic.objects.all(), help_text=TOPIC_HELP)
    source = IdFilter(method="filter_source", help_text="Id of a source cited as evidence.")
    source_url = filters.CharFilter(method="filter_source_url",
                                    help_text="URL of a source cited as evidence (normalized).")
    outlet = filters.CharFilter(method="filter_outlet",
                                help_text="Domain of an outlet whose source is cited, e.g. voz.us.")
    language = filters.CharFilter(field_name="language", max_length=12, help_text="BCP 47 code, e.g. en.")
    languageCode = filters.CharFilter(  # noqa: N815
        method="filter_language_code", max_length=35,
        help_text="Google Fact Check Tools: a BCP-47 code whose primary language must match "
                  "(en-US finds en, en-US and en-GB).")
    claim_date_after = filters.DateFilter(field_name="claim_date", lookup_expr="gte")
    claim_date_before = filters.DateFilter(field_name="claim_date", lookup_expr="lte")
    published_after = StrictDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = StrictDateTimeFilter(field_name="published_at", lookup_expr="lte")
    updated_after = StrictDateTimeFilter(
        field_name="updated_at", lookup_expr="gte",
        help_text="Changed at or after this time (for sync clients; ISO 8601).")
    has_corrections = StrictBooleanFilter(method="filter_has_corrections")
    origin = filters.ChoiceFilter(
        method="filter_origin", choices=[("own", "own"), ("external", "external")],
        help_text="Whose review: own (ours) or external (imported from another fact-checker; "
                  "see the claim's review object).")
    maxAgeDays = filters.NumberFilter(  # noqa: N815
        method="filter_max_age_days", min_value=0, max_value=36500,
        help_text="Google Fact Check Tools: published, or claimed, at most this many days ago.")
    evidence = filters.ChoiceFilter(
        method="filter_evidence", choices=[("attention", "attention")],
        help_text="Staff only (others get no claims): evidence=attention lists published claims "
                  "whose evidence changed (a cited quote drifted, was orphaned or no longer "
                  "verified, or a cited source stopped fetching) and waits for a reviewer.")
    ordering = filters.ChoiceFilter(
        method="filter_noop", choices=[(key, key) for key in CLAIM_ORDERINGS],
        help_text="Sort order (default -published_at; relevance when q is given).")

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_rating(self, queryset, name, value):
        return queryset.filter(rating_id__in=[rating.pk for rating in value]) if value else queryset

    def filter_claimant(self, queryset, name, value):
        person = people_visible_to(self.viewer).filter(_person_condition(value)).values("pk").first()
        if person is None:
            raise unknown("claimant", value)
        return queryset.filter(claimant_id=person["pk"])

    def filter_speaker(self, queryset, name, value):
        person = people_visible_to(self.viewer).filter(_person_condition(value)).values("pk").first()
        if person is None:
            raise unknown("speaker", value)
        return queryset.filter(Exists(
            Evidence.objects.filter(claim=OuterRef("pk"), quote__speaker_id=person["pk"])))

    # The schema cannot guess the values' type from a method filter: a slug per value.
    @extend_schema_field({"type": "string", "description": TOPIC_HELP})
    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        topic_ids = [topic.pk for topic in value]
        return queryset.filter(Exists(
            Claim.topics.through.objects.filter(claim_id=OuterRef("pk"), topic_id__in=topic_ids)))

    def filter_source(self, queryset, name, value):
        if not sources_visible_to(self.viewer).filter(pk=int(value)).exists():
            raise unknown("source", int(value))
        return queryset.filter(Exists(Evidence.objects.filter(claim=OuterRef("pk"), source_id=int(value))))

    def filter_source_url(self, queryset, name, value):
        try:
            url = normalize_url(value)
        except ValueError:
            raise InvalidInput("source_url is not an http(s) URL.",
                               fields={"source_url": ["Give an http(s) URL."]})
        source = sources_visible_to(self.viewer).filter(url=url).values("pk").first()
        if source is None:
            raise unknown("source_url", value)
        return queryset.filter(Exists(Evidence.objects.filter(claim=OuterRef("pk"), source_id=source["pk"])))

    def filter_outlet(self, queryset, name, value):
        from claims.selectors import outlets_visible_to

        outlet = outlets_visible_to(self.viewer).filter(domain=normalize_domain(value)).values("pk").first()
        if outlet is None:
            raise unknown("outlet", value)
        return queryset.filter(Exists(
            Evidence.objects.filter(claim=OuterRef("pk"), source__outlet_id=outlet["pk"])))

    def filter_has_corrections(self, queryset, name, value):
        has = Exists(Correction.objects.filter(claim=OuterRef("pk")))
        return queryset.filter(has if as_bool(value) else ~has)

    def filter_origin(self, queryset, name, value):
        return queryset.filter(is_external=(value == "external"))

    def filter_evidence(self, queryset, name, value):
        # Like status: the public never sees the desk's state, so nothing matches for them.
        if not sees_private(self.viewer):
            return queryset.none()
        return queryset.needing_evidence_attention()

    def filter_language_code(self, queryset, name, value):
        return queryset.filter(language_code_condition(value))

    def filter_max_age_days(self, queryset, name, value):
        return queryset.filter(max_age_condition(int(value)))

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        text = self.form.cleaned_data.get("q") or self.form.cleaned_data.get("query")
        if text:
            queryset = claims_matching(queryset, text)
        return queryset

    @property
    def search_text(self) -> str:
        return self.form.cleaned_data.get("q") or self.form.cleaned_data.get("query") or ""

    def ordering_key(self) -> str:
        """The requested ordering, or the default; relevance needs q."""
        key = self.form.cleaned_data.get("ordering") or ("relevance" if self.search_text else "")
        if key == "relevance" and not self.search_text:
            raise InvalidInput("ordering=relevance needs a search (q).",
                               fields={"ordering": ["relevance is only available with q."]})
        return key or DEFAULT_CLAIM_ORDERING

