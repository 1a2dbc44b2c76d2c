"""Exports as admin actions on the claims list (claims/admin.py ``export_action``): the selected
claims only, streamed by the API's exporter (claims/exports.py) in the same formats."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from claims import exports

CLAIMS = "/admin/claims/claim/"


@pytest.fixture
def three(claim_in):
    return [claim_in("published"), claim_in("draft"), claim_in("in_review")]


def export(client, user, action: str, claims) -> tuple[str, bytes]:
    client.force_login(user)
    response = client.post(CLAIMS, {"action": action, "_selected_action": [c.pk for c in claims]})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    return response["Content-Type"], b"".join(response.streaming_content)


def test_csv_of_the_selected_claims_as_the_apis_csv(client, editor, three):
    content_type, body = export(client, editor, "export_csv", three[:2])
    assert content_type == "text/csv; charset=utf-8"
    text = body.decode("utf-8")
    assert text.startswith("\ufeff")  # the same byte-order mark as the API's CSV
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == exports.CSV_COLUMNS
    assert [int(row[0]) for row in rows[1:]] == sorted(c.pk for c in three[:2])


@pytest.mark.parametrize("action", ["export_json", "export_ndjson"])
def test_json_and_ndjson_hold_the_apis_documents_of_the_selected_claims(client, editor, three, action):
    content_type, body = export(client, editor, action, three[1:])
    if action == "export_json":
        assert content_type == "application/json"
        documents = orjson.loads(body)
    else:
        assert content_type == "application/x-ndjson"
        documents = [orjson.loads(line) for line in body.splitlines()]
    assert [d["id"] for d in documents] == sorted(c.pk for c in three[1:])
    assert {"status", "text", "rating", "url"} <= set(documents[0])


def test_the_actions_are_offered_in_words(client, editor, three):
    client.force_login(editor)
    page = client.get(CLAIMS).content.decode()
    for label in ["Export selected as CSV", "Export selected as JSON", "Export selected as NDJSON"]:
        assert label in page
