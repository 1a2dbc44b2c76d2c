"""public/templatetags/public_site.py: what a claim's page and its shared links are titled, and the
home page's filter options."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from public.templatetags.public_site import claim_title, filter_options, share_description

RATED = SimpleNamespace(label="False", slug="false")


@pytest.fixture(autouse=True)
def _english():
    """The labels are translated: English here, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def claim(**fields):
    values = {"status": "published", "rating": RATED, "is_external": False,
              "text": "The bridge cost " + "a lot " * 30, "rating_explanation": "It did not. " * 30}
    return SimpleNamespace(**{**values, **fields})


def test_the_title_leads_with_the_verdict_and_cuts_only_the_text():
    checked = claim()
    assert claim_title(checked) == f"False: {checked.text}"
    assert claim_title(checked, 70) == f"False: {checked.text[:69]}…"


def test_the_title_of_a_retracted_claim_leads_with_retracted_and_an_unrated_one_with_the_text():
    assert claim_title(claim(status="retracted"), 20).startswith("Retracted: The bridge cost")
    assert claim_title(claim(rating=None, text="Short.")) == "Short."


def test_the_shared_description_is_the_explanation_or_the_retraction():
    checked = claim()
    assert share_description(checked) == checked.rating_explanation
    assert share_description(checked, 200) == checked.rating_explanation[:199] + "…"
    assert share_description(claim(status="retracted"), 20) == (
        "This fact check was retracted; its rating no longer stands.")


def test_filter_options_escape_names_and_mark_the_selected_one():
    people = [SimpleNamespace(slug="ana", name="Ana <b>& co</b>"), SimpleNamespace(slug="bo", name="Bo")]
    assert str(filter_options(people, "bo")) == (
        '<option value="ana">Ana &lt;b&gt;&amp; co&lt;/b&gt;</option>'
        '<option value="bo" selected>Bo</option>')


def test_filter_options_show_ratings_in_the_readers_language():
    with translation.override("es"):
        assert str(filter_options([RATED], "", rating_labels=True)) == '<option value="false">Falso</option>'
