"""django-filter FilterSets for the sources API. Unknown relation values are a 400.

A relation filter (``speaker``, ``source``, ``outlet``) checks the named object exists among what
the caller may see: otherwise a 400 for a private id and an empty page for a missing one would tell
an anonymous client which private ids exist. Visibility depends on claims, which this app must not
import, so the view passes the visible querysets in (``scopes``, see ``RelationScopedFilterSet``);
without them every relation value is unknown (fail closed).
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q

from factcheck.api.filtering import (
    TRUE_VALUES,
    CachedFormFilterSet,
    IdFilter,
    StrictBooleanFilter,
    StrictDateTimeFilter,
)
from factcheck.errors import InvalidInput
from sources.models import Outlet, Person, Quote, Source
from sources.urls_normalize import normalize_domain, normalize_url


def _unknown(param: str, value) -> InvalidInput:
    return InvalidInput(f"Unknown {param}: {value}.", code="unknown_value",
                        fields={param: [f"No such {param}: {value}."]})


class RelationScopedFilterSet(CachedFormFilterSet):
    """A FilterSet whose relation filters look names up in querysets the view supplies.

    ``scopes`` maps a scope name (e.g. ``"people"``) to the queryset of such objects the caller may
    see; a missing scope is an empty queryset, so an unscoped use never confirms a private id.
    """

    scope_models: dict[str, type] = {}

    def __init__(self, *args, scopes: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes = scopes or {}

    def scope(self, name: str):
        if name in self.scopes:
            return self.scopes[name]
        return self.scope_models[name].objects.none()


def _text_search(queryset, fields: list[str], value: str):
    """Case-insensitive containment over a few short columns (small tables, staff-sized lists)."""
    value = value.strip()
    if len(value) < 2:
        raise InvalidInput("The search query is too short.", code="invalid_query",
                           fields={"q": ["Give at least two characters."]})
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class SourceFilter(RelationScopedFilterSet):
    url = filters.CharFilter(method="filter_url", help_text="Exact URL (normalized before matching).")
    outlet = filters.CharFilter(method="filter_outlet", help_text="Outlet domain, e.g. voz.us.")
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)
    language = filters.CharFilter(max_length=12)
    published_after = StrictDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = StrictDateTimeFilter(field_name="published_at", lookup_expr="lte")
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Words in the title or byline.")

    scope_models = {"outlets": Outlet}

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_url(self, queryset, name, value):
        try:
            return queryset.filter(url=normalize_url(value))
        except ValueError:
            raise InvalidInput("url is not an http(s) URL.", fields={"url": ["Give an http(s) URL."]})

    def filter_outlet(self, queryset, name, value):
        domain = normalize_domain(value)
        if not self.scope("outlets").filter(domain=domain).exists():
            raise _unknown("outlet", value)
        return queryset.filter(outlet__domain=domain)

    def filter_q(self, queryset, name, value):
        return _text_search(queryset, ["title", "byline"], value)


class QuoteFilter(RelationScopedFilterSet):
    speaker = filters.CharFilter(method="filter_speaker", help_text="Speaker slug or id.")
    source = IdFilter(method="filter_source", help_text="Source id.")
    anchor_status = filters.MultipleChoiceFilter(choices=Quote.AnchorStatus.choices)
    is_candidate = StrictBooleanFilter(field_name="is_candidate")
    needs_speaker = StrictBooleanFilter(
        method="filter_needs_speaker",
        help_text="true: quotes an import kept without a speaker (the editors' queue).")
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Words in the quote.")

    scope_models = {"people": Person, "sources": Source}

    class Meta:
        model = Quote
        fields: list[str] = []

    def filter_speaker(self, queryset, name, value):
        condition = Q(pk=int(value)) if value.isdigit() and len(value) < 18 else Q(slug=value)
        person = self.scope("people").filter(condition).values("pk").first()
        if person is None:
            raise _unknown("speaker", value)
        return queryset.filter(speaker_id=person["pk"])

    def filter_needs_speaker(self, queryset, name, value):
        return queryset.filter(speaker__isnull=value in TRUE_VALUES)

    def filter_source(self, queryset, name, value):
        if not self.scope("sources").filter(pk=int(value)).exists():
            raise _unknown("source", int(value))
        return queryset.filter(source_id=int(value))

    def filter_q(self, queryset, name, value):
        return _text_search(queryset, ["text"], value)


class PersonFilter(CachedFormFilterSet):
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Name, alias or title.")
    kind = filters.ChoiceFilter(choices=Person.Kind.choices)
    is_candidate = StrictBooleanFilter(field_name="is_candidate",
                                       help_text="true: people an import created, not yet confirmed.")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return _text_search(queryset, ["name", "title"], value) | queryset.filter(aliases__contains=[value])


class OutletFilter(CachedFormFilterSet):
    domain = filters.CharFilter(method="filter_domain")
    q = filters.CharFilter(method="filter_q", max_length=200, help_text="Name or domain.")

    class Meta:
        model = Outlet
        fields: list[str] = []

    def filter_domain(self, queryset, name, value):
        return queryset.filter(domain=normalize_domain(value))

    def filter_q(self, queryset, name, value):
        return _text_search(queryset, ["name", "domain"], value)
