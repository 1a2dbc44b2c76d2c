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
