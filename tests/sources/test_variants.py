"""Quote variants (sources/variants.py)."""

from __future__ import annotations

import pytest

from factcheck.actors import SYSTEM
from sources import services
from sources.variants import link_variants, source_link_variants
from tests import factories

pytestmark = pytest.mark.django_db

SUBTITLE = "It is possible to collaborate, we can work together, but you in your territory, we in ours"
BODY = "You can collaborate, we can work together, but you in your territory, we in ours"


def _quote(speaker, text, *, url=None):
    source = factories.SourceFactory(content=f'She said "{text}" on Saturday.',
                                     **({"url": url} if url else {}))
    return services.quote_create(actor=SYSTEM, source=source, speaker=speaker, text=text)


def test_renderings_of_the_same_words_by_the_same_speaker_are_linked_both_ways():
    speaker = factories.PersonFactory()
    first = _quote(speaker, SUBTITLE)
    second = _quote(speaker, BODY)
    assert link_variants(quote=second) == [first]
    assert list(first.variants.all()) == [second]


def test_other_speakers_and_other_words_are_not_variants():
    speaker = factories.PersonFactory()
    _quote(factories.PersonFactory(), SUBTITLE)  # someone else
    _quote(speaker, "Taxes will fall next year for every family in the country")
    assert link_variants(quote=_quote(speaker, BODY)) == []


def test_relinking_a_source_is_idempotent():
    speaker = factories.PersonFactory()
    first = _quote(speaker, SUBTITLE)
    second = _quote(speaker, BODY)
    assert source_link_variants(source=second.source) == 1
    assert source_link_variants(source=second.source) == 1
    assert first.variants.count() == 1 and second.variants.count() == 1
