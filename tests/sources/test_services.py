"""sources/services.py: writes of the lower layer — deleting a quote, roles, expected versions."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from factcheck.actors import SYSTEM
from factcheck.concurrency import ExpectedEtag
from factcheck.errors import Conflict, InvalidInput, NotFound, NotPermitted, StaleVersion
from sources import services
from sources.models import Quote
from tests import factories

pytestmark = pytest.mark.django_db


def test_quote_delete_removes_an_unused_quote_and_the_audit_trail_keeps_it():
    quote = factories.QuoteFactory()
    quote_pk = quote.pk

    services.quote_delete(actor=SYSTEM, quote_id=quote_pk)

    assert not Quote.objects.filter(pk=quote_pk).exists()
    # One transaction, one NOW(): compare the labels, not their order.
    assert sorted(event.pgh_label for event in Events.objects.tracks(quote)) == ["delete", "insert"]


def test_quote_delete_unlinks_its_variants_and_keeps_them():
    quote = factories.QuoteFactory()
    variant = factories.QuoteFactory(text=quote.text)
    quote.variants.add(variant)

    services.quote_delete(actor=SYSTEM, quote_id=quote.pk)

    variant.refresh_from_db()
    assert list(variant.variants.all()) == []


def test_quote_delete_refuses_a_quote_cited_as_evidence_with_a_clear_conflict():
    quote = factories.QuoteFactory(text="We will build bridges")
    first = factories.EvidenceFactory(source=quote.source, quote=quote, claim__text="Bridges are free")
    second = factories.EvidenceFactory(source=quote.source, quote=quote, relation="context",
                                       claim__text="Nobody pays tolls")

    with pytest.raises(Conflict) as refused:
        services.quote_delete(actor=SYSTEM, quote_id=quote.pk)

    assert refused.value.code == "quote_in_use"
    assert refused.value.status == 409
    assert refused.value.message == (
        "The quote “We will build bridges” is cited as evidence 2 times, by claims "
        f"#{first.claim_id} “Bridges are free”, #{second.claim_id} “Nobody pays tolls”: remove it "
        "from those claims' evidence first."
    )
    assert refused.value.fields == {"claims": [{"id": first.claim_id, "text": "Bridges are free"},
                                               {"id": second.claim_id, "text": "Nobody pays tolls"}]}
    assert Quote.objects.filter(pk=quote.pk).exists()


def test_quote_delete_of_a_missing_quote_is_not_found():
    with pytest.raises(NotFound):
        services.quote_delete(actor=SYSTEM, quote_id=987654)


def test_services_check_the_actors_role_whatever_the_door(editor, outsider):
    quote = factories.QuoteFactory()
    with pytest.raises(NotPermitted, match="create people"):
        services.person_create(actor=outsider, name="Ann Brown")
    with pytest.raises(NotPermitted, match="edit sources"):
        services.source_update(actor=outsider, source=quote.source, title="Renamed")
    with pytest.raises(NotPermitted, match="delete quotes"):
        services.quote_delete(actor=None, quote_id=quote.pk)  # no actor is no permission
    with pytest.raises(NotPermitted, match="create outlets"):
        services.outlet_get_or_create(actor=outsider, domain="new.example")
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert services.person_create(actor=editor, name="Ann Brown").slug == "ann-brown"
    assert services.person_create(actor=SYSTEM, name="Ann Brown").slug == "ann-brown-2"


def test_update_services_compare_the_expected_state_under_their_lock(editor):
    person = factories.PersonFactory(title="Mayor")
    seen: list[str] = []

    def title_etag(locked) -> str:
        seen.append(locked.title)
        return locked.title

    with pytest.raises(StaleVersion):
        services.person_update(actor=editor, person=person, title="Governor",
                               expected=ExpectedEtag(etags=("Senator",), etag_of=title_etag))
    person.refresh_from_db()
    assert person.title == "Mayor" and seen == ["Mayor"]
    services.person_update(actor=editor, person=person, title="Governor",
                           expected=ExpectedEtag(etags=("Mayor",), etag_of=title_etag))
    person.refresh_from_db()
    assert person.title == "Governor"
    services.person_update(actor=editor, person=person, title="Senator",
                           expected=ExpectedEtag(etags=("*",), etag_of=title_etag))
    person.refresh_from_db()
    assert person.title == "Senator" and seen == ["Mayor", "Mayor"]


# --- Languages of sources and quotes; renderings ---------------------------------------------

SPANISH = "La presidenta aseguró este martes que no habrá aumento de impuestos el próximo año."
ENGLISH = "The president said on Tuesday that taxes would not rise next year, despite the deficit."


def test_a_source_without_a_language_gets_the_detected_one_and_a_given_one_is_kept():
    detected = services.source_create(actor=SYSTEM, url="https://example.org/a", content=SPANISH)
    given = services.source_create(actor=SYSTEM, url="https://example.org/b", content=SPANISH,
                                   language="pt")
    unknown = services.source_create(actor=SYSTEM, url="https://example.org/c", content="Hola")
    assert (detected.language, detected.language_source) == ("es", "detected")
    assert (given.language, given.language_source) == ("pt", "given")
    assert (unknown.language, unknown.language_source) == ("", "default")
    detected = services.source_update(source=detected, actor=SYSTEM, content=ENGLISH)
    given = services.source_update(source=given, actor=SYSTEM, content=ENGLISH)
    assert (detected.language, detected.language_source) == ("en", "detected")
    assert (given.language, given.language_source) == ("pt", "given")


def test_a_quote_is_detected_else_takes_its_sources_language_and_an_editors_is_kept():
    source = services.source_create(actor=SYSTEM, url="https://example.org/a",
                                    content=f"{SPANISH} Dijo: «Sí». And: “{ENGLISH}”", language="es")
    speaker = factories.PersonFactory()
    short = services.quote_create(actor=SYSTEM, source=source, speaker=speaker, text="Sí")
    english = services.quote_create(actor=SYSTEM, source=source, speaker=speaker, text=ENGLISH)
    assert (short.language, short.language_source) == ("es", "default")
    assert (english.language, english.language_source) == ("en", "detected")
    english = services.quote_update(quote=english, actor=SYSTEM, language="en-GB")
    english = services.quote_update(quote=english, actor=SYSTEM, text=SPANISH)
    assert (english.language, english.language_source) == ("en-GB", "given")
    short = services.quote_update(quote=short, actor=SYSTEM, text=ENGLISH)
    assert (short.language, short.language_source) == ("en", "detected")


def test_a_rendering_links_a_translation_to_its_original_and_nothing_else():
    speaker = factories.PersonFactory()
    original = factories.QuoteFactory(text=SPANISH, language="es", speaker=speaker)
    english = factories.QuoteFactory(text=ENGLISH, language="en", speaker=speaker)
    another = factories.QuoteFactory(text=ENGLISH + " Again.", language="en", speaker=speaker)
    spanish_too = factories.QuoteFactory(text=SPANISH + " Otra vez.", language="es", speaker=speaker)

    english = services.quote_update(quote=english, actor=SYSTEM, rendering_of=original)
    assert list(original.renderings.all()) == [english]

    def refused(quote, **fields):
        with pytest.raises(InvalidInput) as error:
            services.quote_update(quote=quote, actor=SYSTEM, **fields)
        assert error.value.code == "invalid_rendering"

    refused(spanish_too, rendering_of=original)  # same language as the original
    refused(another, rendering_of=english)  # a rendering of a rendering: a chain
    refused(original, rendering_of=english)  # an original cannot become a rendering (a cycle)
    refused(original, rendering_of=original)  # itself
    refused(original, language="en")  # its rendering is in English
    refused(english, language="es")  # the same language as its original
    # Unlinking is fine.
    english = services.quote_update(quote=english, actor=SYSTEM, rendering_of=None)
    assert english.rendering_of is None


def test_quote_create_can_name_the_original_it_renders():
    original = factories.QuoteFactory(text=SPANISH, language="es")
    source = services.source_create(actor=SYSTEM, url="https://example.org/en", content=f"“{ENGLISH}”")
    rendering = services.quote_create(actor=SYSTEM, source=source, speaker=original.speaker,
                                      text=ENGLISH, rendering_of=original)
    assert (rendering.rendering_of, rendering.language) == (original, "en")
    with pytest.raises(InvalidInput):
        services.quote_create(actor=SYSTEM, source=source, speaker=original.speaker, text=ENGLISH,
                              language="es", rendering_of=original)
