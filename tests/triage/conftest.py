"""Triage fixtures: a model trained once per test session from the repository's corpus, stored
as the active TriageModel in each test that needs one (training in every test would cost a
second or two each)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories
from triage import model as ml
from triage import services
from triage.models import TriageModel

ARTICLE = """Mexico's economy grew 3.2% last year, the fastest pace since 2021.

President Claudia Sheinbaum said on Monday that "unemployment fell to 2.5 percent, the lowest rate \
in two decades."

Good morning to everyone who joined us today.

What will happen next is anyone's guess.

The government will spend 40 billion pesos on new hospitals by 2026, Sheinbaum promised.

Thank you very much.
"""


@pytest.fixture(scope="session")
def trained_pipeline():
    train, test = ml.split(ml.load_corpus())
    pipeline = ml.train(train)
    return pipeline, ml.evaluate(pipeline, test), len(train)


@pytest.fixture
def triage_model(db, trained_pipeline):
    """The active model (version 1), as ``model_retrain`` would have stored it."""
    pipeline, scores, size = trained_pipeline
    return TriageModel.objects.create(
        version=1, is_active=True, blob=ml.dumps(pipeline), sklearn_version=ml.SKLEARN_VERSION,
        corpus_sha256=ml.corpus_digest(), training_size=size, scores=scores,
    )


@pytest.fixture
def source(triage_model):
    """ARTICLE as a source of news.example published two days ago, with Claudia Sheinbaum's quote
    anchored in it, scored: its candidates are in the queue."""
    speaker = factories.PersonFactory(name="Claudia Sheinbaum", slug="claudia-sheinbaum")
    source = factories.SourceFactory(
        content=ARTICLE, title="Mexico's economy", url="https://news.example/economy",
        outlet=factories.OutletFactory(domain="news.example", name="News"),
        published_at=timezone.now() - dt.timedelta(days=2))
    text = "unemployment fell to 2.5 percent, the lowest rate in two decades"
    start = ARTICLE.index(text)
    factories.QuoteFactory(source=source, speaker=speaker, text=text, exact=text, start=start,
                           end=start + len(text))
    services.source_triage(source_id=source.pk)
    return source
