"""/api/v1/triage/: the queue, one candidate with similar claims, accept (201 + the claim) and
dismiss; who may do what; constant query counts."""

import datetime as dt

import pytest
from django.utils import timezone

from claims.models import Claim
from tests import factories
from tests.api_helpers import assert_error, session_client, token_client
from triage import services
from triage.models import SentenceCandidate

pytestmark = pytest.mark.usefixtures("fresh_throttles")
LIST = "/api/v1/triage/"


def test_the_queue_lists_pending_sentences_best_first(source, editor):
    response = session_client(editor).get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    results = body["results"]
    assert len(results) == SentenceCandidate.objects.filter(source=source).count() >= 3
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    first = results[0]
    assert {"id", "text", "score", "reasons", "source", "quote", "speaker"} <= set(first)
    assert first["source"] == {
        "id": source.pk, "url": "https://news.example/economy", "title": "Mexico's economy",
        "outlet": {"name": "News", "domain": "news.example"},
        "published_at": source.published_at.isoformat()}
    quoted = next(r for r in results if r["quote"])
    assert quoted["speaker"]["name"] == "Claudia Sheinbaum"
    assert quoted["quote"]["speaker"] == {"id": quoted["speaker"]["id"], "name": "Claudia Sheinbaum"}
    assert all(r["reasons"] and {"code", "label", "weight"} == set(r["reasons"][0]) for r in results)


def test_the_queue_pages_with_a_cursor(source, editor):
    client = session_client(editor)
    everything = [r["id"] for r in client.get(LIST).json()["results"]]
    seen, url = [], f"{LIST}?page_size=1"
    while url:
        page = client.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == everything
    back = client.get(client.get(f"{LIST}?page_size=1").json()["next"]).json()["previous"]
    assert [r["id"] for r in client.get(back).json()["results"]] == everything[:1]


def test_filters(source, editor):
    client = session_client(editor)
    speaker = source.quotes.get().speaker
    other = factories.SourceFactory(language="es",
                                    content="La inflación subió 4,5% en marzo, según el INEGI.")
    services.source_triage(source_id=other.pk)

    def ids(query):
        response = client.get(LIST + query)
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    mine = set(SentenceCandidate.objects.filter(source=source).values_list("pk", flat=True))
    theirs = set(SentenceCandidate.objects.filter(source=other).values_list("pk", flat=True))
    assert theirs and ids("") == mine | theirs
    assert ids(f"?source={source.pk}") == mine
    assert ids("?outlet=news.example") == mine
    assert ids("?language=es") == theirs
    assert ids(f"?speaker={speaker.slug}") == set(
        SentenceCandidate.objects.filter(speaker=speaker).values_list("pk", flat=True)) != set()
    assert ids("?min_score=0.99") == set(
        SentenceCandidate.objects.filter(score__gte=0.99).values_list("pk", flat=True))


def test_the_topic_filter(triage_model, editor):
    factories.TopicFactory(name="Inflation", slug="inflation")
    source = factories.SourceFactory(
        content="Inflation rose to 4.5% in March.\n\nThe budget grew 3% in 2024.")
    services.source_triage(source_id=source.pk)
    response = session_client(editor).get(LIST + "?topic=inflation")
    assert [r["text"] for r in response.json()["results"]] == ["Inflation rose to 4.5% in March."]
    assert response.json()["results"][0]["topics"] == [{"slug": "inflation", "name": "Inflation"}]


@pytest.mark.parametrize(("query", "param"), [
    ("?source=999999", "source"), ("?outlet=nowhere.example", "outlet"), ("?speaker=nobody", "speaker"),
    ("?topic=nothing", "topic"), ("?min_score=2", "min_score"), ("?status=maybe", "status"),
    ("?days=0", "days"),
])
def test_unknown_filter_values_are_a_400_naming_the_parameter(source, editor, query, param):
    error = assert_error(session_client(editor).get(LIST + query), 400)
    assert param in error["fields"]


def test_old_sources_leave_the_queue_unless_asked_for(source, editor):
    old = factories.SourceFactory(content="Exports fell 12% in 2019, the ministry said.",
                                  published_at=timezone.now() - dt.timedelta(days=90))
    services.source_triage(source_id=old.pk)
    client = session_client(editor)
    assert {r["source"]["id"] for r in client.get(LIST).json()["results"]} == {source.pk}
    assert old.pk in {r["source"]["id"] for r in client.get(LIST + "?days=120").json()["results"]}


def test_decided_sentences_leave_the_queue_and_can_be_listed(source, editor):
    client = session_client(editor)
    first = client.get(LIST).json()["results"][0]
    client.post(f"{LIST}{first['id']}/dismiss/", {"reason": "Stale."}, format="json")
    assert first["id"] not in [r["id"] for r in client.get(LIST).json()["results"]]
    dismissed = client.get(LIST + "?status=dismissed").json()["results"]
    assert [(r["id"], r["status"], r["dismiss_reason"]) for r in dismissed] == [
        (first["id"], "dismissed", "Stale.")]


def test_the_list_runs_a_constant_number_of_queries(source, editor, django_assert_num_queries):
    for candidate in SentenceCandidate.objects.filter(source=source):
        factories.ClaimFactory(text=candidate.text)  # every row has similar claims to show
    client = session_client(editor)
    client.get(LIST)  # warm the session and permission caches
    # session + user, page (with source, outlet, quote, speaker), topics, similar claims' scores
    # and the claims themselves
    with django_assert_num_queries(6):
        one = client.get(LIST + "?page_size=1")
    with django_assert_num_queries(6):
        many = client.get(LIST + "?page_size=100")
    assert len(one.json()["results"]) == 1 and len(many.json()["results"]) >= 3


def test_the_list_shows_each_candidates_closest_claims(source, editor, claim_in):
    published = claim_in("published", text="Unemployment in Mexico fell to 2.5 percent, its lowest rate.")
    results = session_client(editor).get(LIST).json()["results"]
    quoted = next(r for r in results if r["quote"])
    assert [s["id"] for s in quoted["similar"]] == [published.pk]
    assert set(quoted["similar"][0]) == {"id", "slug", "text", "status", "url", "score"}
    assert all("similar" in r for r in results)


def test_detail_shows_the_closest_existing_claims(source, editor, claim_in):
    published = claim_in("published", text="Unemployment in Mexico fell to 2.5 percent, its lowest rate.")
    claim_in("draft", text="The moon is made of cheese.")
    candidate = SentenceCandidate.objects.get(source=source, quote__isnull=False)
    response = session_client(editor).get(f"{LIST}{candidate.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == candidate.pk and body["text"] == candidate.text
    assert [s["id"] for s in body["similar"]] == [published.pk]
    assert body["similar"][0]["score"] > 0.35


def test_accept_answers_201_with_the_claim_and_its_location(source, editor):
    candidate = SentenceCandidate.objects.get(source=source, quote__isnull=False)
    response = session_client(editor).post(f"{LIST}{candidate.pk}/accept/")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert response["Location"] == f"/api/v1/claims/{claim.pk}/"
    body = response.json()
    assert body == session_client(editor).get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["status"] == "draft" and body["text"] == candidate.text
    assert body["claimant"]["name"] == "Claudia Sheinbaum"
    assert body["claim_date"] == timezone.localdate(source.published_at).isoformat()
    [evidence] = body["evidence"]
    assert evidence["relation"] == "appearance" and evidence["source"]["id"] == source.pk
    assert evidence["quote"]["id"] == candidate.quote_id


def test_accepting_twice_is_a_409(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = session_client(editor)
    assert client.post(f"{LIST}{candidate.pk}/accept/").status_code == 201
    error = assert_error(client.post(f"{LIST}{candidate.pk}/accept/"), 409, "already_decided")
    assert error["fields"]["status"] == "accepted"


def test_dismiss_records_the_reason(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    response = session_client(editor).post(f"{LIST}{candidate.pk}/dismiss/", {"reason": "An opinion."},
                                           format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["dismiss_reason"]) == ("dismissed", "An opinion.")
    candidate.refresh_from_db()
    assert candidate.decided_by == editor


@pytest.mark.parametrize(("body", "field"), [({}, "reason"), ({"reason": ""}, "reason"),
                                             ({"reason": "x" * 301}, "reason"),
                                             ({"reason": "ok", "status": "accepted"}, "status")])
def test_dismiss_refuses_bad_input(source, editor, body, field):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    response = session_client(editor).post(f"{LIST}{candidate.pk}/dismiss/", body, format="json")
    error = assert_error(response, 400)
    assert field in error["fields"]


def test_anonymous_callers_must_authenticate(source):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = session_client(None)
    assert_error(client.get(LIST), 401, "not_authenticated")
    assert_error(client.get(f"{LIST}{candidate.pk}/"), 401, "not_authenticated")
    assert_error(client.post(f"{LIST}{candidate.pk}/accept/"), 401, "not_authenticated")


def test_non_staff_see_an_empty_queue_and_no_candidate(source, outsider):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = session_client(outsider)
    assert client.get(LIST).json()["results"] == []
    assert_error(client.get(f"{LIST}{candidate.pk}/"), 404, "not_found")
    assert_error(client.post(f"{LIST}{candidate.pk}/accept/"), 403)
    assert not Claim.objects.exists()


def test_a_read_token_cannot_decide(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    client = token_client(editor, "read")
    assert client.get(LIST).status_code == 200
    assert_error(client.post(f"{LIST}{candidate.pk}/accept/"), 403)
    assert_error(client.post(f"{LIST}{candidate.pk}/dismiss/", {"reason": "no"}, format="json"), 403)


def test_a_write_token_can_accept(source, editor):
    candidate = SentenceCandidate.objects.filter(source=source).first()
    assert token_client(editor, "write").post(f"{LIST}{candidate.pk}/accept/").status_code == 201


def test_missing_candidates_are_404(source, editor):
    client = session_client(editor)
    assert_error(client.get(f"{LIST}999999/"), 404, "not_found")
    assert_error(client.get(f"{LIST}99999999999999999999/"), 404, "not_found")
    assert_error(client.post(f"{LIST}999999/accept/"), 404, "not_found")


def test_the_schema_documents_the_triage_endpoints(db, editor):
    schema = session_client(editor).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert {"/api/v1/triage/", "/api/v1/triage/{id}/", "/api/v1/triage/{id}/accept/",
            "/api/v1/triage/{id}/dismiss/"} <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/triage/"]["get"]["parameters"]}
    assert {"source", "outlet", "speaker", "topic", "language", "cursor", "page_size"} <= parameters
    assert "201" in paths["/api/v1/triage/{id}/accept/"]["post"]["responses"]


def test_filters_do_not_reveal_private_objects_to_non_staff(source, outsider):
    """A source only the desk can see answers like one that does not exist."""
    client = session_client(outsider)
    assert_error(client.get(f"{LIST}?source={source.pk}"), 400)
    assert_error(client.get(f"{LIST}?source=999999"), 400)
