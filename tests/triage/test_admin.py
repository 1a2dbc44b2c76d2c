"""The triage queue in admin: pending sentences best first with their reasons and closest claims;
Accept opens the new draft claim (two clicks from the queue); Dismiss needs a reason."""

import re

from django.test import Client

from claims.models import Claim, Evidence
from tests import factories
from triage import services
from triage.models import SentenceCandidate

QUEUE = "/admin/triage/sentencecandidate/"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_shows_pending_sentences_best_first_with_reasons(source, editor, claim_in):
    claim_in("published", text="Unemployment in Mexico fell to 2.5 percent, its lowest rate.")
    page = login(editor).get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Triage queue" in html
    candidates = list(SentenceCandidate.objects.filter(source=source).order_by("-score", "-id"))
    positions = [html.index(c.text.replace('"', "&quot;").replace("'", "&#x27;")) for c in candidates]
    assert positions == sorted(positions), "best first"
    assert "a percentage" in html and "Accept" in html and "Dismiss" in html
    assert "Unemployment in Mexico fell to 2.5 percent, its lowest rate." in html  # closest claim
    assert 'list="triage-dismiss-reasons"' in html and "<datalist" in html


def test_accept_opens_the_new_draft_claim(source, editor):
    candidate = SentenceCandidate.objects.get(source=source, quote__isnull=False)
    client = login(editor)
    html = client.get(QUEUE).content.decode()  # click 1: the queue
    accept_url = f"{QUEUE}{candidate.pk}/accept/"
    assert f'formaction="{accept_url}"' in html
    response = client.post(accept_url)  # click 2: Accept
    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/claims/claim/{claim.pk}/change/"
    assert claim.status == Claim.Status.DRAFT and claim.claimant == candidate.speaker
    assert claim.evidence.get().relation == Evidence.Relation.APPEARANCE
    assert claim.evidence.get().quote == candidate.quote
    opened = client.get(response["Location"])
    assert opened.status_code == 200
    assert "Draft claim created from the sentence" in opened.content.decode()


def test_dismiss_with_a_reason_goes_back_to_the_queue(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = login(editor)
    response = client.post(f"{QUEUE}{candidate.pk}/dismiss/", {f"reason-{candidate.pk}": "Already checked"},
                           HTTP_REFERER=f"http://testserver{QUEUE}?language=en")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{QUEUE}?language=en"
    candidate.refresh_from_db()
    assert (candidate.status, candidate.dismiss_reason, candidate.decided_by) == (
        "dismissed", "Already checked", editor)
    assert candidate.text not in client.get(QUEUE).content.decode()
    assert candidate.text in client.get(QUEUE + "?status=dismissed").content.decode()


def test_dismiss_without_a_reason_is_refused_with_a_message(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = login(editor)
    response = client.post(f"{QUEUE}{candidate.pk}/dismiss/", {f"reason-{candidate.pk}": " "}, follow=True)
    assert "Say why the sentence is not worth checking." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.status == "pending"


def test_accepting_a_decided_sentence_is_refused_with_a_message(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="Opinion, not a fact")
    response = login(editor).post(f"{QUEUE}{candidate.pk}/accept/", follow=True)
    assert "This sentence was already dismissed." in response.content.decode()
    assert not Claim.objects.exists()


def test_get_on_the_buttons_is_not_allowed(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    assert login(editor).get(f"{QUEUE}{candidate.pk}/accept/").status_code == 405


def test_staff_without_a_role_cannot_see_the_queue(source):
    staff = factories.UserFactory(username="staffonly", is_staff=True)
    client = login(staff)
    assert client.get(QUEUE).status_code == 403
    candidate = SentenceCandidate.objects.filter(source=source).first()
    assert client.post(f"{QUEUE}{candidate.pk}/accept/").status_code == 404
    assert not Claim.objects.exists()


def test_the_candidate_page_shows_its_details_and_buttons(source, editor):
    candidate = SentenceCandidate.objects.get(source=source, quote__isnull=False)
    html = login(editor).get(f"{QUEUE}{candidate.pk}/change/").content.decode()
    assert "Claudia Sheinbaum" in html
    assert re.search(r'formaction="[^"]*/accept/"', html)


def test_the_models_page_lists_scores(triage_model, editor):
    html = login(editor).get("/admin/triage/triagemodel/").content.decode()
    assert f"{triage_model.scores['languages']['en']['f1']:.3f}" in html
