"""An anonymous crawl of every list endpoint never returns anything private (claims/selectors.py)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from claims.models import Evidence
from claims.services import claim_relation_add
from tests import factories
from tests.api_helpers import session_client, token_client
from tests.conftest import bring_to, make_ready_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

LISTS = ["claims", "evidence", "sources", "quotes", "people", "outlets", "topics", "ratings"]
FILTERS = {
    "claims": ["", "q=zanzibarian", "q=public", "status=draft", "status=in_review", "rating=false",
               "ordering=-updated_at", "has_corrections=false", "claimant=secret-person"],
    "sources": ["", "q=Secret", "outlet=secret.example"],
    "quotes": ["", "q=zanzibarian", "anchor_status=anchored", "speaker=secret-person"],
    "people": ["", "q=Secret"],
    "outlets": ["", "q=secret"],
}


@pytest.fixture
def private_world(editor, reviewer):
    """Private things with recognizable texts, next to public ones that share some of them."""
    secret_person = factories.PersonFactory(name="Secret Person", slug="secret-person")
    secret_outlet = factories.OutletFactory(domain="secret.example", name="Secret Outlet")
    secret_source = factories.SourceFactory(outlet=secret_outlet, title="Secret Source Title",
                                            url="https://secret.example/leak")
    secret_quote = factories.QuoteFactory(speaker=secret_person, text="zanzibarian secret quote words")
    secret_quote.source.outlet = secret_outlet
    secret_quote.source.title = "Secret Quote Source"
    secret_quote.source.save()
    draft = make_ready_claim(editor, text="Zanzibarian draft claim text", claimant=secret_person,
                             analysis="Secret analysis")
    factories.EvidenceFactory(claim=draft, source=secret_source, relation=Evidence.Relation.CONTEXT,
                              note="Secret evidence note")
    factories.EvidenceFactory(claim=draft, source=secret_quote.source, quote=secret_quote,
                              relation=Evidence.Relation.SUPPORTS)
    in_review = bring_to(make_ready_claim(editor, text="Zanzibarian claim in review"), "in_review",
                         author=editor, reviewer=reviewer)
    public = bring_to(make_ready_claim(editor, text="A public claim about zanzibarian taxes"),
                      "published", author=editor, reviewer=reviewer)
    retracted = bring_to(make_ready_claim(editor, text="A retracted public claim"), "retracted",
                         author=editor, reviewer=reviewer)
    claim_relation_add(actor=editor, from_claim=draft, to_claim=public, kind="same_as")
    secrets = ["Zanzibarian draft claim text", "Secret Person", "Secret Outlet", "Secret Source Title",
               "zanzibarian secret quote words", "Secret Quote Source", "Secret analysis",
               "Secret evidence note", "Zanzibarian claim in review", "secret.example"]
    return {"secrets": secrets, "public": public, "retracted": retracted, "draft": draft,
            "in_review": in_review}


def crawl(client) -> tuple[str, set[int]]:
    """Every page of every list with and without filters; the text seen and the claim ids."""
    seen_text, claim_ids = [], set()
    for resource in LISTS:
        for query in FILTERS.get(resource, [""]):
            url = f"/api/v1/{resource}/?page_size=2&{query}"
            while url:
                response = client.get(url)
                assert response.status_code in (200, 400), (url, response.content)
                text = response.content.decode()
                if response.status_code != 200:
                    # A 400 names the value the caller sent ("No such outlet: secret.example."):
                    # an echo of the request, not a leak.
                    for _, value in parse_qsl(query):
                        text = text.replace(value, "<sent>")
                    seen_text.append(text)
                    break
                seen_text.append(text)
                body = response.json()
                if resource == "claims":
                    claim_ids |= {c["id"] for c in body["results"]}
                url = body["next"]
    return "\n".join(seen_text), claim_ids


@pytest.mark.parametrize("caller", ["anon", "read_token_of_non_staff"])
def test_public_crawl_never_leaks_private_text(private_world, caller, outsider):
    client = session_client(None) if caller == "anon" else token_client(outsider, "read")
    text, claim_ids = crawl(client)
    for secret in private_world["secrets"]:
        assert secret not in text, secret
    assert claim_ids == {private_world["public"].pk, private_world["retracted"].pk}


def test_public_details_of_private_objects_are_404(private_world):
    client = session_client(None)
    draft = private_world["draft"]
    evidence = list(draft.evidence.all())
    paths = [f"/api/v1/claims/{draft.pk}/", f"/api/v1/claims/{draft.pk}/history/",
             f"/api/v1/claims/{private_world['in_review'].pk}/",
             f"/api/v1/claimant/{draft.claimant_id}/"]
    paths += [f"/api/v1/evidence/{e.pk}/" for e in evidence]
    paths += [f"/api/v1/sources/{e.source_id}/" for e in evidence]
    paths += [f"/api/v1/quotes/{e.quote_id}/" for e in evidence if e.quote_id]
    paths += [f"/api/v1/people/{draft.claimant_id}/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_staff_crawl_sees_private_claims(private_world, editor):
    _, claim_ids = crawl(session_client(editor))
    assert {private_world["draft"].pk, private_world["in_review"].pk} <= claim_ids
