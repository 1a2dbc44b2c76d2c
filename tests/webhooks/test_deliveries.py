"""Webhooks end to end: a local receiver that verifies Standard Webhooks signatures, fails on
purpose, answers 410 and times out; jobs run for real through the queue."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from standardwebhooks import Webhook

from jobs.worker import run_until_idle
from tests.accounts.helpers import organisation
from tests.api_helpers import session_client
from tests.jobs.helpers import JOB_TESTS, clear_queue, empty_queue  # noqa: F401 - the fixture
from tests.webhooks.helpers import run_queue, subscribe
from webhooks import delivery as delivery_module
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint


@JOB_TESTS
def test_a_subscriber_receives_a_signed_webhook_for_a_publish(receiver, editor, reviewer, claim_in):
    hook = receiver(200)
    endpoint = subscribe(editor, hook.url, ["claim.published"])
    assert endpoint["secret"].startswith("whsec_")
    assert "secret" not in session_client(editor).get(f"/api/v1/webhooks/{endpoint['id']}/").json()
    claim = claim_in("published")
    run_queue()
    assert len(hook.received) == 1
    headers, body = hook.received[0]
    payload = Webhook(endpoint["secret"]).verify(body, {k.lower(): v for k, v in headers.items()})
    assert payload["type"] == "claim.published"
    assert payload["object"]["id"] == claim.pk
    assert payload["object"]["url"].endswith(f"/claims/{claim.pk}/")
    assert headers["webhook-id"] == f"evt_{payload['id']}"
    log = session_client(editor).get(f"/api/v1/webhooks/{endpoint['id']}/deliveries/").json()
    assert [(d["status"], d["response_status"]) for d in log] == [("succeeded", 200)]
    assert log[0]["response_ms"] is not None


@JOB_TESTS
def test_a_failing_receiver_is_retried_until_it_accepts(receiver, editor, claim_in):
    hook = receiver(500, 503, 200)
    subscribe(editor, hook.url, ["claim.published"])
    claim_in("published")
    run_queue()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
    ids = {headers["webhook-id"] for headers, _ in hook.received}
    assert len(hook.received) == 3 and len(ids) == 1  # the same message id on every attempt


@JOB_TESTS
def test_410_disables_the_endpoint(receiver, editor, claim_in):
    hook = receiver(410)
    endpoint = subscribe(editor, hook.url)
    claim_in("published")
    run_queue()
    assert len(hook.received) == 1  # no more posts once gone
    stored = WebhookEndpoint.objects.get(pk=endpoint["id"])
    assert not stored.is_active and "410" in stored.disabled_reason


@JOB_TESTS
def test_a_receiver_that_times_out_is_a_failed_attempt(receiver, editor, claim_in, monkeypatch):
    monkeypatch.setattr(delivery_module, "READ_TIMEOUT", 0.3)
    hook = receiver(200, delay=1.0)
    subscribe(editor, hook.url, ["claim.published"])
    claim_in("published")
    settings_dict = connection.settings_dict
    kept, settings_dict["CONN_MAX_AGE"] = settings_dict.get("CONN_MAX_AGE"), 0
    try:
        run_until_idle(queues=["webhooks"])  # one pass: the first attempt only
    finally:
        settings_dict["CONN_MAX_AGE"] = kept
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "retrying" and delivery.attempts == 1
    assert delivery.error == "The endpoint did not answer in time."


@JOB_TESTS
def test_deliveries_are_posted_outside_any_transaction(receiver, editor, claim_in, monkeypatch):
    hook = receiver(200)
    seen = []
    real_post = services.post_signed

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real_post(*args, **kwargs)

    monkeypatch.setattr(services, "post_signed", spy)
    subscribe(editor, hook.url, ["claim.published"])
    claim_in("published")
    run_queue()
    assert seen == [False]


@JOB_TESTS
def test_owners_only_receive_what_they_may_see_and_resend_works(receiver, editor, outsider, claim_in):
    staff_hook, public_hook = receiver(200), receiver(200)
    from django.conf import settings

    settings.FACTCHECK_OUTBOUND_ALLOW = [f"127.0.0.1:{staff_hook.server.server_port}",
                                         f"127.0.0.1:{public_hook.server.server_port}"]
    subscribe(editor, staff_hook.url, ["claim.created"])
    outsider_endpoint = subscribe(outsider, public_hook.url, ["claim.created", "claim.published"])
    claim_in("draft")
    run_queue()
    assert [json.loads(b)["type"] for _, b in staff_hook.received] == ["claim.created"]
    assert public_hook.received == []  # a draft is nobody's business outside the desk
    claim_in("published")
    run_queue()
    assert [json.loads(b)["type"] for _, b in public_hook.received] == ["claim.published"]
    delivery = WebhookDelivery.objects.get(endpoint_id=outsider_endpoint["id"])
    resent = session_client(outsider).post(
        f"/api/v1/webhooks/{outsider_endpoint['id']}/deliveries/{delivery.pk}/resend/")
    assert resent.status_code == 202
    run_queue()
    assert len(public_hook.received) == 2


@pytest.mark.django_db
def test_private_addresses_are_refused_in_words(editor):
    response = session_client(editor).post("/api/v1/webhooks/", {"url": "http://10.1.2.3/hook"},
                                           format="json")
    assert response.status_code == 400
    assert "private or local address" in response.json()["error"]["message"]
    unknown = session_client(editor).post("/api/v1/webhooks/",
                                          {"url": "https://example.org/h", "events": ["claim.exploded"]},
                                          format="json")
    assert unknown.status_code == 400 and "events" in unknown.json()["error"]["fields"]
    assert not WebhookEndpoint.objects.exists()


@JOB_TESTS
def test_an_organisation_receives_what_every_member_may_see(receiver, editor, reviewer, outsider, claim_in):
    from django.conf import settings

    staff_hook, mixed_hook = receiver(200), receiver(200)
    settings.FACTCHECK_OUTBOUND_ALLOW = [f"127.0.0.1:{staff_hook.server.server_port}",
                                         f"127.0.0.1:{mixed_hook.server.server_port}"]
    organisation("Desk", managers=[reviewer], members=[editor])
    organisation("Mixed", managers=[reviewer], members=[outsider])
    types = ["claim.created", "claim.published"]
    subscribe(editor, staff_hook.url, types, organisation="desk")
    subscribe(reviewer, mixed_hook.url, types, organisation="mixed")
    claim_in("draft")
    run_queue()
    assert [json.loads(b)["type"] for _, b in staff_hook.received] == ["claim.created"]
    assert mixed_hook.received == []  # a member with no role may not see drafts
    claim_in("published")
    run_queue()
    assert [json.loads(b)["type"] for _, b in mixed_hook.received] == ["claim.published"]
