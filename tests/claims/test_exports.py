"""Claim exports (claims/exports.py, claims/api_export.py): CSV/JSON/NDJSON of a filtered list,
streamed in keyset batches, public claims only for the public."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from claims import exports
from claims.models import Claim
from tests import factories
from tests.api_helpers import session_client


def _body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


@pytest.fixture
def desk(claim_in):
    return {"published": claim_in("published"), "draft": claim_in("draft"),
            "retracted": claim_in("retracted")}


def test_ndjson_is_one_api_document_per_line_of_public_claims(client, desk):
    response = client.get("/api/v1/claims/export/", {"format": "ndjson"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    lines = _body(response).decode().splitlines()
    documents = [orjson.loads(line) for line in lines]
    assert [d["id"] for d in documents] == sorted([desk["published"].pk, desk["retracted"].pk])
    detail = client.get(f"/api/v1/claims/{desk['published'].pk}/").json()
    assert documents[0] == detail  # the API's own representation


def test_staff_export_everything_their_list_shows_and_filters_apply(editor, desk):
    client = session_client(editor)
    ids = [d["id"] for d in orjson.loads(_body(client.get("/api/v1/claims/export/?format=json")))]
    assert ids == sorted(c.pk for c in desk.values())
    drafts = orjson.loads(_body(client.get("/api/v1/claims/export/?format=json&status=draft")))
    assert [d["id"] for d in drafts] == [desk["draft"].pk]


def test_csv_opens_in_a_spreadsheet_and_defuses_formulas(client, desk):
    Claim.objects.filter(pk=desk["published"].pk).update(text="=HYPERLINK(\"http://evil\") says “sí”")
    response = client.get("/api/v1/claims/export/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = _body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == exports.CSV_COLUMNS
    by_id = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    published = by_id[str(desk["published"].pk)]
    assert published["text"] == "'=HYPERLINK(\"http://evil\") says “sí”"
    assert published["rating"] == desk["published"].rating.label
    assert published["claimant"] == desk["published"].claimant.name
    assert published["appearances"].startswith("http")
    assert set(by_id) == {str(desk["published"].pk), str(desk["retracted"].pk)}


def test_bad_format_or_filter_is_a_400_in_the_error_shape(client, db):
    bad_format = client.get("/api/v1/claims/export/?format=xlsx")
    assert bad_format.status_code == 400
    assert bad_format.json()["error"]["fields"] == {"format": ["Use one of csv, json, ndjson."]}
    bad_filter = client.get("/api/v1/claims/export/?format=csv&rating=nonexistent")
    assert bad_filter.status_code == 400
    assert "rating" in bad_filter.json()["error"]["fields"]


def test_batches_are_keyset_pages_of_ids(editor, reviewer, db):
    claims = [factories.ClaimFactory(author=editor) for _ in range(7)]
    batches = list(exports.claim_id_batches(Claim.objects.all(), batch_size=3))
    assert batches == [[c.pk for c in claims[i:i + 3]] for i in (0, 3, 6)]


def test_an_export_runs_two_queries_per_batch(client, editor, reviewer, django_assert_num_queries,
                                              monkeypatch, claim_in):
    for _ in range(5):
        claim_in("published")
    monkeypatch.setattr(exports, "EXPORT_BATCH_SIZE", 2)
    response = client.get("/api/v1/claims/export/?format=ndjson")
    # 3 batches of ids (2, 2, 1) + the empty one, and one document query per non-empty batch
    with django_assert_num_queries(3 + 4):
        lines = _body(response).splitlines()
    assert len(lines) == 5
