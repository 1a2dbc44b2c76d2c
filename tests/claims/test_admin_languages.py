"""The editors' admin in Spanish (README, "Languages of the interface"): the claim page's workflow
panel, its buttons, fields and messages, the publish checklist and the desk's labels follow the
editor's language (Accept-Language or the switch), like Django's own admin."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from lxml import html

from tests import factories

pytestmark = pytest.mark.django_db

CLAIMS = "/admin/claims/claim/"


def spanish(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    return client


def page(response):
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def words(tree, selector: str) -> list[str]:
    return [" ".join(node.text_content().split()) for node in tree.cssselect(selector)]


def test_the_claim_page_and_its_workflow_buttons_read_in_spanish(claim_in, reviewer):
    claim = claim_in("in_review")
    tree = page(spanish(reviewer).get(f"{CLAIMS}{claim.pk}/change/"))
    assert tree.get("lang") == "es"
    buttons = {node.get("name"): node.get("value") for node in tree.cssselect("#workflow input[type=submit]")}
    assert buttons["_workflow_publish"] == "Publicar"
    assert buttons["_workflow_request_changes"] == "Pedir cambios"
    workflow = " ".join(words(tree, "#workflow h2"))
    assert workflow.startswith("Flujo de trabajo — estado:") and "En revisión" in workflow
    assert "Qué hay que cambiar (obligatorio)" in words(tree, "#workflow label")
    assert "Lista de control para publicar — lista para publicar" in words(tree, "#publish-checklist h3")
    assert "Una calificación" in " ".join(words(tree, ".fc-checklist li"))
    assert "Veredicto" in words(tree, "fieldset h2")  # a fieldset of ClaimAdmin
    # Django's own admin strings come from Django's Spanish catalog.
    assert "Guardar" in [node.get("value") for node in tree.cssselect("input[name=_save]")]
    # The language switch sits in the user tools.
    switch = tree.cssselect("#user-tools form.language-switch")[0]
    assert switch.cssselect("button[value=es]")[0].get("aria-pressed") == "true"


def test_a_workflow_action_reports_in_spanish(claim_in, reviewer):
    claim = claim_in("in_review")
    response = spanish(reviewer).post(f"{CLAIMS}{claim.pk}/workflow/publish/")
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.endswith(": publicada.")


def test_the_claims_list_queues_and_bulk_actions_read_in_spanish(claim_in, reviewer):
    claim_in("in_review")
    tree = page(spanish(reviewer).get(CLAIMS))
    assert "Mis afirmaciones" in words(tree, ".object-tools a")
    assert any(text.startswith("Esperan mi revisión") for text in words(tree, ".object-tools a"))
    actions = words(tree, "select[name=action] option")
    assert "Publicar las afirmaciones seleccionadas" in actions


def test_the_switch_sets_the_admin_language_for_the_editor(editor):
    client = Client()
    client.force_login(editor)
    assert "Mis afirmaciones" not in client.get(CLAIMS).content.decode()
    response = client.post("/i18n/setlang/", {"language": "es", "next": CLAIMS})
    assert response["Location"] == CLAIMS
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Mis afirmaciones" in client.get(CLAIMS).content.decode()


def test_a_quote_page_shows_its_anchor_status_and_labels_in_spanish(admin_user):
    quote = factories.QuoteFactory()
    tree = page(spanish(admin_user).get(f"/admin/sources/quote/{quote.pk}/change/"))
    assert tree.get("lang") == "es"
    assert quote.anchor_status == "anchored" and "Anclada" in words(tree, ".readonly")
    assert "Anclaje en la copia de la fuente (se calcula al guardar)" in words(tree, "fieldset h2")
