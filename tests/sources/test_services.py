"""sources/services.py: writes of the lower layer (here: deleting a quote)."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from factcheck.errors import Conflict, NotFound
from sources import services
from sources.models import Quote
from tests import factories

pytestmark = pytest.mark.django_db


def test_quote_delete_removes_an_unused_quote_and_the_audit_trail_keeps_it():
    quote = factories.QuoteFactory()
    quote_pk = quote.pk

    services.quote_delete(quote_id=quote_pk)

    assert not Quote.objects.filter(pk=quote_pk).exists()
    # One transaction, one NOW(): compare the labels, not their order.
    assert sorted(event.pgh_label for event in Events.objects.tracks(quote)) == ["delete", "insert"]


def test_quote_delete_unlinks_its_variants_and_keeps_them():
    quote = factories.QuoteFactory()
    variant = factories.QuoteFactory(text=quote.text)
    quote.variants.add(variant)

    services.quote_delete(quote_id=quote.pk)

    variant.refresh_from_db()
    assert list(variant.variants.all()) == []


def test_quote_delete_refuses_a_quote_cited_as_evidence_with_a_clear_conflict():
    quote = factories.QuoteFactory(text="We will build bridges")
    factories.EvidenceFactory(source=quote.source, quote=quote)
    factories.EvidenceFactory(source=quote.source, quote=quote, relation="context")

    with pytest.raises(Conflict) as refused:
        services.quote_delete(quote_id=quote.pk)

    assert refused.value.code == "quote_in_use"
    assert refused.value.status == 409
    assert refused.value.message == (
        "The quote “We will build bridges” is cited as evidence 2 times: remove it from those "
        "claims' evidence first."
    )
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_quote_delete_of_a_missing_quote_is_not_found():
    with pytest.raises(NotFound):
        services.quote_delete(quote_id=987654)
