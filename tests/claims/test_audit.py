"""The audit trail (django-pghistory triggers) sees every door."""

from __future__ import annotations

import pytest
from pghistory.models import Events

from claims import services
from claims.models import Claim
from tests import factories


def claim_events(claim):
    return Events.objects.tracks(claim).order_by("pgh_created_at", "pgh_id")


@pytest.mark.django_db
def test_service_call_is_recorded_with_its_actor(editor):
    claim = services.claim_create(actor=editor, text="Inflation is at 2 percent.")
    services.claim_update(claim_id=claim.pk, actor=editor, analysis="CPI data.")
    events = list(claim_events(claim))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[-1].pgh_context["user"] == editor.pk
    assert events[-1].pgh_diff["analysis"] == ["", "CPI data."]


@pytest.mark.django_db
def test_queryset_update_is_recorded(editor):
    claim = factories.ClaimFactory(author=editor)
    Claim.objects.filter(pk=claim.pk).update(analysis="Changed in bulk.")
    last = claim_events(claim).last()
    assert last.pgh_label == "update"
    assert last.pgh_diff["analysis"] == ["", "Changed in bulk."]


@pytest.mark.django_db
def test_admin_edit_is_recorded_with_the_user(client, editor):
    claim = factories.ClaimFactory(author=editor)
    client.force_login(editor)
    response = client.post(
        f"/admin/claims/claim/{claim.pk}/change/",
        {
            "text": claim.text, "claimant": claim.claimant_id, "claim_date": "2025-05-03",
            "language": "en", "rating_explanation": "", "analysis": "Edited in admin.",
            "evidence-TOTAL_FORMS": "0", "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0", "evidence-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    last = claim_events(claim).last()
    assert last.pgh_diff["analysis"] == ["", "Edited in admin."]
    assert last.pgh_context["user"] == editor.pk


@pytest.mark.django_db
def test_raw_sql_is_recorded():
    from django.db import connection

    claim = factories.ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim SET analysis = %s WHERE id = %s", ["Raw SQL.", claim.pk])
    last = claim_events(claim).last()
    assert (last.pgh_label, last.pgh_diff["analysis"]) == ("update", ["", "Raw SQL."])


@pytest.mark.django_db
def test_evidence_sources_and_quotes_are_recorded_too(editor):
    from sources import services as source_services

    claim = factories.ClaimFactory(author=editor)
    quote = factories.QuoteFactory()
    evidence = services.evidence_add(claim_id=claim.pk, actor=editor, source=quote.source,
                                     quote=quote, relation="appearance")
    services.evidence_remove(evidence_id=evidence.pk, actor=editor)
    source_services.source_update(actor=editor, source=quote.source, title="Renamed")
    source_services.quote_update(actor=editor, quote=quote, is_candidate=True)

    assert sorted(e.pgh_label for e in Events.objects.tracks(evidence)) == ["delete", "insert"]
    assert any((e.pgh_diff or {}).get("title", [None])[-1] == "Renamed"
               for e in Events.objects.tracks(quote.source))
    assert any((e.pgh_diff or {}).get("is_candidate") == [False, True]
               for e in Events.objects.tracks(quote))


@pytest.mark.django_db
def test_an_admin_edit_of_a_source_is_recorded_with_the_user(client, editor):
    source = factories.SourceFactory(title="Old title")
    client.force_login(editor)
    response = client.post(f"/admin/sources/source/{source.pk}/change/", {
        "url": source.url, "title": "New title", "outlet": source.outlet_id, "byline": "",
        "published_at_0": "", "published_at_1": "", "language": "en", "kind": "article",
        "archive_url": "", "quotes-TOTAL_FORMS": "0", "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0", "quotes-MAX_NUM_FORMS": "1000", "_save": "Save",
    })
    assert response.status_code == 302
    change = [e for e in Events.objects.tracks(source) if "title" in (e.pgh_diff or {})][-1]
    assert change.pgh_diff["title"] == ["Old title", "New title"]
    assert change.pgh_context["user"] == editor.pk


@pytest.mark.django_db
def test_management_command_writes_are_recorded_with_who_and_what():
    """load_demo: its source writes name the command; each workflow step names its actor."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from sources.models import Source

    call_command("load_demo")
    for source in Source.objects.all():  # the article and the desk's notes
        source_contexts = [e.pgh_context for e in Events.objects.tracks(source)]
        assert source_contexts and all(c["command"] == "load_demo" for c in source_contexts)

    published = Claim.objects.filter(status="published").order_by("id").first()
    by_action = {e.pgh_context["action"]: e.pgh_context["user"] for e in claim_events(published)}
    users = dict(get_user_model().objects.values_list("username", "pk"))
    assert by_action["claim_create"] == users["editor"]
    assert by_action["claim_submit"] == users["editor"]
    assert by_action["claim_publish"] == users["reviewer"]
