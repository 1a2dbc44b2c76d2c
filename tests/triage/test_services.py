"""triage/services.py: scoring a source, the import hook, accepting, dismissing, retraining."""

import datetime as dt
import io
import json
import re
from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Claim, Evidence
from factcheck.actors import SYSTEM
from factcheck.errors import InvalidInput, NotFound, NotPermitted
from sources import services as source_services
from sources.importing import article_import
from sources.models import Quote, Source
from tests import factories
from tests.triage.conftest import ARTICLE
from triage import model as ml
from triage import services
from triage.models import SentenceCandidate, TriageModel

Status = SentenceCandidate.Status


def import_article(content=ARTICLE, url="https://news.example/mexico-economy", **kwargs):
    """Import as the importing command does; ``.source`` is the stored Source."""
    result = article_import(actor=SYSTEM, content=content, format="text", url=url,
                            title="Mexico's economy", published_at="2025-05-03T18:00:00Z",
                            language="en", **kwargs)
    return SimpleNamespace(source=Source.objects.get(pk=result.source.id),
                           quotes_created=list(Quote.objects.filter(pk__in=result.quotes_created)))


# --- Importing fills the queue ----------------------------------------------------------------


def test_importing_an_article_fills_the_queue_best_first(
        triage_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_article()
    candidates = list(SentenceCandidate.objects.filter(source=result.source).order_by("-score", "-id"))
    texts = [c.text for c in candidates]
    assert "Mexico's economy grew 3.2% last year, the fastest pace since 2021." in texts
    assert any(text.startswith("The government will spend 40 billion pesos") for text in texts)
    # Greetings, thanks and questions do not enter the queue.
    assert not any("Good morning" in text or "Thank you" in text or "guess" in text for text in texts)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    for candidate in candidates:
        assert result.source.content[candidate.start:candidate.end] == candidate.text
        assert candidate.status == Status.PENDING and candidate.model_version == 1
        assert candidate.language == "en"
        assert candidate.reasons and all(r["label"] for r in candidate.reasons)


def test_a_sentence_with_a_quote_links_the_quote_and_its_speaker(
        triage_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_article()
    [quote] = [q for q in result.quotes_created if q.text.startswith("unemployment fell")]
    candidate = SentenceCandidate.objects.get(source=result.source, quote=quote)
    assert candidate.speaker == quote.speaker
    assert quote.speaker.name == "Claudia Sheinbaum"
    assert "unemployment fell to 2.5 percent" in candidate.text


def test_the_import_hook_waits_for_the_commit(triage_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = import_article()
    assert not SentenceCandidate.objects.filter(source=result.source).exists()
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert SentenceCandidate.objects.filter(source=result.source).exists()


def test_a_new_snapshot_replaces_pending_candidates_and_keeps_decided_ones(triage_model, editor):
    source = source_services.source_create(actor=SYSTEM, url="https://news.example/a", content=ARTICLE,
                                           language="en")
    first = services.source_triage(source_id=source.pk)
    dismissed = first[0]
    services.candidate_dismiss(candidate_id=dismissed.pk, actor=editor, reason="Already reported.")
    source = source_services.source_update(
        source=source, actor=SYSTEM,
        content=ARTICLE + "\nInflation rose to 4.1% in March, the statistics agency said.\n")
    again = services.source_triage(source_id=source.pk)
    assert dismissed.text not in [c.text for c in again], "a decided sentence is not proposed again"
    assert SentenceCandidate.objects.get(pk=dismissed.pk).status == Status.DISMISSED
    assert any(c.text.startswith("Inflation rose to 4.1%") for c in again)
    assert not SentenceCandidate.objects.filter(pk__in=[c.pk for c in first[1:]]).exists()
    assert SentenceCandidate.objects.filter(source=source, status=Status.PENDING).count() == len(again)


def test_triage_is_idempotent(triage_model):
    source = factories.SourceFactory(content=ARTICLE)
    first = services.source_triage(source_id=source.pk)
    second = services.source_triage(source_id=source.pk)
    assert [(c.text, c.score) for c in first] == [(c.text, c.score) for c in second]
    assert SentenceCandidate.objects.filter(source=source).count() == len(second)


def test_a_spanish_source_is_scored_in_spanish(triage_model):
    source = factories.SourceFactory(language="es-MX", content=(
        "La economía creció 3,2% el año pasado, según el INEGI.\n\n¿Qué opina usted de eso?\n"))
    [candidate] = services.source_triage(source_id=source.pk)
    assert candidate.language == "es"
    assert candidate.text == "La economía creció 3,2% el año pasado, según el INEGI."


def test_topics_named_in_the_sentence_are_attached(triage_model):
    economy = factories.TopicFactory(name="Economy", slug="economy")
    factories.TopicFactory(name="Security", slug="security")
    source = factories.SourceFactory(content=ARTICLE, title="A report")
    candidates = services.source_triage(source_id=source.pk)
    growth = next(c for c in candidates if c.text.startswith("Mexico's economy grew"))
    assert list(growth.topics.all()) == [economy]


def test_triage_of_a_missing_source_is_not_found(triage_model):
    with pytest.raises(NotFound):
        services.source_triage(source_id=999999)


# --- Accept and dismiss -----------------------------------------------------------------------


@pytest.fixture
def candidate(triage_model, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = import_article()
    return SentenceCandidate.objects.exclude(quote=None).get(source=result.source)


def test_accept_creates_a_draft_claim_with_its_evidence_and_quote(candidate, editor):
    claim = services.candidate_accept(candidate_id=candidate.pk, actor=editor)
    assert claim.status == Claim.Status.DRAFT and claim.author == editor
    assert claim.text == " ".join(candidate.text.split())
    assert claim.claimant == candidate.speaker
    assert claim.claim_date == dt.date(2025, 5, 3)
    assert claim.language == "en"
    [evidence] = claim.evidence.all()
    assert (evidence.relation, evidence.source_id, evidence.quote_id) == (
        Evidence.Relation.APPEARANCE, candidate.source_id, candidate.quote_id)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.claim, candidate.decided_by) == (Status.ACCEPTED, claim, editor)
    assert candidate.decided_at is not None


def test_a_decided_candidate_cannot_be_decided_again(candidate, editor):
    claim = services.candidate_accept(candidate_id=candidate.pk, actor=editor)
    with pytest.raises(services.CandidateDecided) as refused:
        services.candidate_accept(candidate_id=candidate.pk, actor=editor)
    assert refused.value.status == 409 and refused.value.code == "already_decided"
    assert refused.value.fields == {"status": "accepted", "claim": claim.pk}
    with pytest.raises(services.CandidateDecided):
        services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="No.")
    assert Claim.objects.count() == 1


def test_dismiss_records_who_when_and_why(candidate, editor):
    services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="  Opinion,   not a fact. ")
    candidate.refresh_from_db()
    assert (candidate.status, candidate.dismiss_reason, candidate.decided_by) == (
        Status.DISMISSED, "Opinion, not a fact.", editor)
    assert candidate.decided_at <= timezone.now()


def test_dismiss_needs_a_reason(candidate, editor):
    with pytest.raises(InvalidInput) as refused:
        services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="   ")
    assert refused.value.code == "reason_required"
    candidate.refresh_from_db()
    assert candidate.status == Status.PENDING


def test_only_the_desk_decides(candidate, outsider):
    with pytest.raises(NotPermitted):
        services.candidate_accept(candidate_id=candidate.pk, actor=outsider)
    with pytest.raises(NotPermitted):
        services.candidate_dismiss(candidate_id=candidate.pk, actor=outsider, reason="No.")
    candidate.refresh_from_db()
    assert candidate.status == Status.PENDING and not Claim.objects.exists()


# --- Retraining -------------------------------------------------------------------------------


def test_the_first_use_trains_and_activates_a_model_from_the_corpus(db):
    assert not TriageModel.objects.exists()
    active = services.active_model()
    row = TriageModel.objects.get()
    assert (row.is_active, row.version, active.version) == (True, 1, 1)
    assert row.scores["languages"]["en"]["f1"] >= 0.70
    assert row.corpus_sha256 == ml.corpus_digest()
    assert row.note.startswith("Trained on first use")


def test_retrain_learns_from_the_desk_and_records_its_scores(triage_model, candidate, editor):
    services.candidate_dismiss(candidate_id=candidate.pk, actor=editor, reason="Old news.")
    result = services.model_retrain()
    assert result.model.version == 2 and result.model.desk_examples == 1
    assert result.model.training_size == triage_model.training_size + 1
    assert set(result.model.scores["languages"]) == {"en", "es"}
    assert result.previous == triage_model
    assert result.previous_scores["mean_f1"] == triage_model.scores["mean_f1"]


def backwards_corpus(tmp_path):
    """The corpus with its training half labelled backwards: the model trained on it is worse on
    the (correctly labelled) held-out half than the active one."""
    rows = [json.loads(line) for line in ml.CORPUS_PATH.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        if row["split"] == "train":
            row["label"] = 1 - row["label"]
    corpus = tmp_path / "sentences.jsonl"
    corpus.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    return corpus


def test_retrain_keeps_the_previous_model_when_the_new_one_scores_worse(triage_model, tmp_path):
    result = services.model_retrain(corpus_path=backwards_corpus(tmp_path))

    assert not result.activated
    assert TriageModel.objects.get(is_active=True) == triage_model
    worse = TriageModel.objects.get(version=2)
    assert not worse.is_active
    assert worse.scores["mean_f1"] < triage_model.scores["mean_f1"]
    assert worse.note.startswith("Kept v1: mean F1")


def test_a_forced_retrain_activates_even_a_worse_model(triage_model, tmp_path):
    result = services.model_retrain(corpus_path=backwards_corpus(tmp_path), force=True)
    assert result.activated
    assert TriageModel.objects.get(is_active=True).version == 2


def test_train_triage_prints_the_scores_and_says_which_model_is_active(triage_model):
    out = io.StringIO()
    call_command("train_triage", stdout=out)
    text = out.getvalue()
    assert "Model v2: trained on" in text
    assert re.search(r"^en\s+0\.\d{3}", text, re.M) and re.search(r"^es\s+0\.\d{3}", text, re.M)
    assert "Previous active model v1" in text
    assert "Model v2 is now active." in text
    assert TriageModel.objects.get(is_active=True).version == 2


def test_train_triage_with_a_missing_corpus_is_a_clear_error(triage_model):
    with pytest.raises(CommandError, match="Cannot train"):
        call_command("train_triage", corpus="/nonexistent/corpus.jsonl")
    assert TriageModel.objects.count() == 1
