"""Shared filter classes (factcheck/api/filtering.py)."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from claims.filters import ClaimFilter
from claims.models import Claim
from sources.filters import QuoteFilter, SourceFilter
from sources.models import Quote, Source

pytestmark = pytest.mark.django_db


def test_form_class_is_built_once_per_filterset_class():
    first = ClaimFilter(QueryDict("rating=false"), queryset=Claim.objects.none())
    second = ClaimFilter(QueryDict("rating=true"), queryset=Claim.objects.none())
    assert first.get_form_class() is second.get_form_class()
    assert set(first.form.fields) == set(ClaimFilter.base_filters)
    # Each request still validates with its own field copies and its own data.
    assert first.form.fields["rating"] is not second.form.fields["rating"]
    assert first.is_valid() and second.is_valid()
    assert [r.slug for r in first.form.cleaned_data["rating"]] == ["false"]
    assert [r.slug for r in second.form.cleaned_data["rating"]] == ["true"]


def test_sibling_filtersets_do_not_share_a_form_class():
    quotes = QuoteFilter(QueryDict(""), queryset=Quote.objects.none()).get_form_class()
    sources = SourceFilter(QueryDict(""), queryset=Source.objects.none()).get_form_class()
    assert quotes is not sources
    assert set(quotes.base_fields) == set(QuoteFilter.base_filters)
    assert set(sources.base_fields) == set(SourceFilter.base_filters)
