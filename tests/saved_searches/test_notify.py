"""Saved searches that notify a webhook (saved_searches/services.py: the matcher): a claim
published — or corrected or updated while published — that a search matches is posted, signed,
through the webhook machinery, once per (search, claim, event), outside any transaction."""

from __future__ import annotations

from django.db import connection
from standardwebhooks import Webhook

from claims import services as claim_services
from saved_searches import services
from saved_searches.models import SavedSearch
from tests.accounts.helpers import organisation
from tests.api_helpers import assert_error, session_client
from tests.jobs.helpers import JOB_TESTS, empty_queue  # noqa: F401 - the fixture
from tests.webhooks.helpers import run_queue, subscribe
from webhooks import services as webhook_services
from webhooks.models import WebhookDelivery

URL = "/api/v1/saved-searches/"


def notifying_search(user, endpoint: dict, query: str = "language=es", **fields) -> dict:
    response = session_client(user).post(URL, {"name": "Spanish", "query": query,
                                               "notify_endpoint": endpoint["id"], **fields},
                                         format="json")
    assert response.status_code == 201, response.content
    return response.json()


def verified(hook, endpoint: dict) -> list[dict]:
    return [Webhook(endpoint["secret"]).verify(body, {k.lower(): v for k, v in headers.items()})
            for headers, body in hook.received]


@JOB_TESTS
def test_a_matching_publish_is_posted_once_signed_and_thin(receiver, editor, claim_in):
    hook = receiver(200)
    endpoint = subscribe(editor, hook.url, ["claim.retracted"])  # no plain event of these claims
    search = notifying_search(editor, endpoint)
    assert search["notify_endpoint"] == endpoint["id"]
    spanish = claim_in("published", language="es")
    claim_in("published", language="en")
    claim_in("draft", language="es")
    run_queue()
    [payload] = verified(hook, endpoint)
    assert payload["type"] == "saved_search.matched"
    assert (payload["saved_search"]["id"], payload["saved_search"]["name"]) == (search["id"], "Spanish")
    assert payload["saved_search"]["url"].endswith(f"{URL}{search['id']}/")
    assert payload["object"]["id"] == spanish.pk
    assert payload["object"]["url"].endswith(f"/api/v1/claims/{spanish.pk}/")
    assert payload["event"]["type"] == "claim.published"
    headers = hook.received[0][0]
    assert headers["webhook-id"] == f"evt_{payload['event']['id']}_saved_search_{search['id']}"
    # Never twice: another pass of the matcher (its cursor moved on) and a forced re-match.
    services.matches_dispatch()
    run_queue()
    delivery = WebhookDelivery.objects.get(subject=f"saved_search:{search['id']}")
    assert webhook_services.delivery_create(endpoint=delivery.endpoint, event=delivery.event,
                                            subject=delivery.subject) is None
    assert len(hook.received) == 1
    log = session_client(editor).get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").json()
    assert [(d["type"], d["status"]) for d in log] == [("saved_search.matched", "succeeded")]


@JOB_TESTS
def test_corrections_and_updates_of_a_published_match_are_posted_too(receiver, editor, reviewer,
                                                                     claim_in):
    hook = receiver(200)
    endpoint = subscribe(editor, hook.url, ["claim.retracted"])
    notifying_search(editor, endpoint)
    claim = claim_in("published", language="es")
    claim_services.claim_correct(claim_id=claim.pk, actor=reviewer, kind="update", note="A date fixed.")
    claim_services.claim_update(claim_id=claim.pk, actor=reviewer, analysis="More context.")
    run_queue()
    kinds = [p["event"]["type"] for p in verified(hook, endpoint)]
    assert kinds == ["claim.published", "claim.corrected", "claim.updated"]


@JOB_TESTS
def test_matches_are_posted_outside_any_transaction_only_after_notify_was_set(receiver, editor,
                                                                              claim_in, monkeypatch):
    hook = receiver(200)
    endpoint = subscribe(editor, hook.url, ["claim.retracted"])
    claim_in("published", language="es")  # before the search notified: not announced later
    seen = []
    real_post = webhook_services.post_signed

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real_post(*args, **kwargs)

    monkeypatch.setattr(webhook_services, "post_signed", spy)
    notifying_search(editor, endpoint)
    run_queue()
    assert hook.received == []
    claim_in("published", language="es")
    run_queue()
    assert seen == [False] and len(hook.received) == 1


@JOB_TESTS
def test_an_organisations_search_notifies_its_endpoint_with_what_all_members_may_see(
        receiver, editor, reviewer, outsider, claim_in):
    hook = receiver(200)
    organisation("Mixed", managers=[reviewer], members=[outsider])
    endpoint = subscribe(reviewer, hook.url, ["claim.retracted"], organisation="mixed")
    search = notifying_search(reviewer, endpoint, query="", organisation="mixed")
    assert SavedSearch.objects.get(pk=search["id"]).organisation.slug == "mixed"
    published = claim_in("published", language="es")
    run_queue()
    assert [p["object"]["id"] for p in verified(hook, endpoint)] == [published.pk]


def test_a_search_notifies_only_a_webhook_of_its_own_owner(editor, reviewer, db, settings):
    settings.FACTCHECK_OUTBOUND_ALLOW = ["127.0.0.1:9"]
    theirs = subscribe(reviewer, "http://127.0.0.1:9/hook")
    error = assert_error(session_client(editor).post(
        URL, {"name": "x", "query": "", "notify_endpoint": theirs["id"]}, format="json"), 400)
    assert error["fields"] == {"notify_endpoint": ["Not a webhook of the search's owner."]}
    organisation("Desk", managers=[editor])
    team_endpoint = subscribe(editor, "http://127.0.0.1:9/hook", organisation="desk")
    mine = session_client(editor).post(URL, {"name": "x", "query": ""}, format="json").json()
    refused = session_client(editor).patch(f"{URL}{mine['id']}/", {"notify_endpoint": team_endpoint["id"]},
                                           format="json", HTTP_IF_MATCH='"v1"')
    assert "notify_endpoint" in assert_error(refused, 400)["fields"]
    own = subscribe(editor, "http://127.0.0.1:9/hook")
    pointed = session_client(editor).patch(f"{URL}{mine['id']}/", {"notify_endpoint": own["id"]},
                                           format="json", HTTP_IF_MATCH='"v1"')
    assert pointed.status_code == 200 and pointed.json()["notify_endpoint"] == own["id"]
    assert SavedSearch.objects.get(pk=mine["id"]).notify_since is not None
    stopped = session_client(editor).patch(f"{URL}{mine['id']}/", {"notify_endpoint": None},
                                           format="json", HTTP_IF_MATCH='"v2"')
    assert (stopped.json()["notify_endpoint"], stopped.json()["version"]) == (None, 3)
