"""Writes for triage: scoring a source's sentences, the desk's decisions, and (re)training.

- ``source_triage`` scores every sentence of a source's snapshot with the active model;
- ``candidate_accept`` turns a candidate into a draft claim (through ``claims.services``) with
  the source as its appearance evidence and the overlapping quote;
- ``candidate_dismiss`` records why a candidate is not worth checking;
- ``model_retrain`` trains on the corpus's train split plus the desk's decisions and activates
  the new model only when it does not score worse on the held-out split;
- ``active_model`` returns the model that scores (training one from the repository's corpus on
  first use: no download, a second or two).
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from sklearn.pipeline import Pipeline

from claims import services as claim_services
from claims.models import Claim, Evidence, Topic
from factcheck.errors import Conflict, InvalidInput, NotFound, NotPermitted
from sources.models import Quote, Source
from triage import model as ml
from triage.features import guess_language, primary_language, split_sentences
from triage.models import SentenceCandidate, TriageModel

logger = logging.getLogger(__name__)
Status = SentenceCandidate.Status

# A sentence enters the queue from this score: below the model's decision threshold (0.5, where F1
# is measured), because the desk would rather dismiss a borderline sentence than never see a
# claim — the queue is ordered best first anyway. (The demo article's key sentence, "Sheinbaum
# confirmed that Trump proposed sending troops", scores 0.4.)
QUEUE_MIN_SCORE = 0.35
# Fewer words than this is never a claim ("Thank you.", a dateline).
MIN_WORDS = 4
DECIDE_PERMISSION = "triage.change_sentencecandidate"
# Serializes training and activation across processes (pg_advisory_xact_lock key).
_MODEL_LOCK = 0x7472696167  # "triag"


class CandidateDecided(Conflict):
    """The candidate was already accepted or dismissed (409 ``already_decided``)."""

    code = "already_decided"


# --- The active model -------------------------------------------------------------------------

_loaded: dict[int, Pipeline] = {}
_loaded_lock = threading.Lock()


@dataclass(frozen=True)
class ActiveModel:
    version: int
    pipeline: Pipeline


def active_model() -> ActiveModel:
    """The active model, loaded once per process (by row id). With none, or one pickled by
    another scikit-learn version, a model is trained from the repository's corpus and activated
    (a second or two; no download). One query when it is already loaded."""
    row = (TriageModel.objects.filter(is_active=True).values("pk", "version", "sklearn_version")
           .first())
    if row is None or row["sklearn_version"] != ml.SKLEARN_VERSION:
        reason = ("no model yet" if row is None
                  else f"scikit-learn {row['sklearn_version']} → {ml.SKLEARN_VERSION}")
        result = model_retrain(force=True, note=f"Trained on first use ({reason}).")
        row = {"pk": result.model.pk, "version": result.model.version}
    with _loaded_lock:
        pipeline = _loaded.get(row["pk"])
    if pipeline is None:
        blob = TriageModel.objects.values_list("blob", flat=True).get(pk=row["pk"])
        pipeline = ml.loads(blob)
        with _loaded_lock:
            _loaded.clear()  # only the active model is kept in memory
            _loaded[row["pk"]] = pipeline
    return ActiveModel(version=row["version"], pipeline=pipeline)


# --- Scoring a source -------------------------------------------------------------------------


def _topic_patterns() -> list[tuple[int, re.Pattern]]:
    return [
        (pk, re.compile(r"\b" + re.escape(name) + r"\b", re.IGNORECASE))
        for pk, name in Topic.objects.values_list("pk", "name")
        if name.strip()
    ]


def _overlapping_quote(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The anchored quote sharing most characters with ``[start, end)`` (quotes sorted by start)."""
    best, best_overlap = None, 0
    for quote in quotes:
        if quote.start >= end:
            break
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    return best


@transaction.atomic
def source_triage(*, source_id: int) -> list[SentenceCandidate]:
    """Score every sentence of the source's current snapshot; the check-worthy ones (score ≥
    ``QUEUE_MIN_SCORE``) become pending candidates, best first.

    Idempotent: the source's pending candidates are replaced; decided ones (accepted, dismissed)
    are kept, and a sentence with the same words as a decided one is not proposed again. Each
    candidate is linked to the anchored quote that overlaps it (and so to its speaker) and to
    the topics whose name it mentions. Locks the source row (concurrent runs take turns).
    Raises NotFound. Returns the new candidates, best first.
    """
    source = Source.objects.select_for_update().filter(pk=source_id).first()
    if source is None:
        raise NotFound("No such source.")
    model = active_model()
    SentenceCandidate.objects.filter(source=source, status=Status.PENDING).delete()
    decided = {" ".join(text.split()) for text in SentenceCandidate.objects.filter(
        source=source).values_list("text", flat=True)}
    sentences = [
        (position, sentence) for position, sentence in enumerate(split_sentences(source.content))
        if len(sentence.text.split()) >= MIN_WORDS and " ".join(sentence.text.split()) not in decided
    ]
    if not sentences:
        return []
    scored = ml.score(model.pipeline, [sentence.text for _, sentence in sentences])
    language = primary_language(source.language) or guess_language(source.content)
    quotes = list(Quote.objects.filter(source=source, start__isnull=False)
                  .select_related("speaker").order_by("start", "pk"))
    topics = _topic_patterns()
    candidates, candidate_topics = [], []
    for (position, sentence), result in zip(sentences, scored, strict=True):
        if result.score < QUEUE_MIN_SCORE:
            continue
        quote = _overlapping_quote(quotes, sentence.start, sentence.end)
        candidates.append(SentenceCandidate(
            source=source, position=position, start=sentence.start, end=sentence.end,
            text=sentence.text, language=language, score=result.score, reasons=result.reasons,
            quote=quote, speaker=quote.speaker if quote else None, model_version=model.version,
        ))
        candidate_topics.append([pk for pk, pattern in topics
                                 if pattern.search(sentence.text) or pattern.search(source.title)])
    SentenceCandidate.objects.bulk_create(candidates)
    Through = SentenceCandidate.topics.through
    Through.objects.bulk_create([
        Through(sentencecandidate_id=candidate.pk, topic_id=topic_id)
        for candidate, topic_ids in zip(candidates, candidate_topics, strict=True)
        for topic_id in topic_ids
    ])
    return sorted(candidates, key=lambda c: (-c.score, -c.pk))


# --- The desk's decisions ---------------------------------------------------------------------


def _ensure_can_decide(actor) -> None:
    if not (actor and actor.is_active and actor.has_perm(DECIDE_PERMISSION)):
        raise NotPermitted("Your role does not allow you to triage sentences.")


def _lock_pending(candidate_id: int) -> SentenceCandidate:
    candidate = (SentenceCandidate.objects.select_for_update(of=("self",))
                 .select_related("source", "quote").filter(pk=candidate_id).first())
    if candidate is None:
        raise NotFound("No such candidate.")
    if candidate.status != Status.PENDING:
        raise CandidateDecided(
            f"This sentence was already {candidate.status}.",
            fields={"status": candidate.status,
                    **({"claim": candidate.claim_id} if candidate.claim_id else {})},
        )
    return candidate


def _record_decision(candidate: SentenceCandidate, actor, **fields) -> None:
    """Save the decision's fields with who decided and when (the row is locked by the caller)."""
    fields.update(decided_by=actor, decided_at=timezone.now())
    for name, value in fields.items():
        setattr(candidate, name, value)
    candidate.save(update_fields=list(fields))


def _claim_text(text: str) -> str:
    """The sentence as a claim's text: whitespace collapsed, unbalanced outer quotation marks
    dropped (a sentence that opens a quotation running on to the next one)."""
    text = " ".join(text.split())
    for mark in "\"“”«»":
        if text.count(mark) == 1 and (text.startswith(mark) or text.endswith(mark)):
            text = text.strip(mark).strip()
    return text


@transaction.atomic
def candidate_accept(*, candidate_id: int, actor) -> Claim:
    """Turn a pending candidate into a draft claim and return it.

    The claim is created by ``claims.services.claim_create`` (its role checks apply) with the
    sentence as text, the quote's speaker as claimant, the source's publication date as claim
    date, the candidate's language and topics; ``claims.services.evidence_add`` links the source
    as its ``appearance`` evidence with the overlapping quote. Locks the candidate row.
    Raises NotPermitted (403), NotFound, CandidateDecided (409), and the claims services' errors.
    """
    _ensure_can_decide(actor)
    candidate = _lock_pending(candidate_id)
    source = candidate.source
    claim = claim_services.claim_create(
        actor=actor, text=_claim_text(candidate.text), claimant=candidate.speaker,
        claim_date=timezone.localdate(source.published_at) if source.published_at else None,
        # Detected from the sentence; when too short to tell, the source's (not an editor's choice).
        fallback_language=candidate.language or None, topics=list(candidate.topics.all()),
    )
    claim_services.evidence_add(
        claim_id=claim.pk, actor=actor, source=source, quote=candidate.quote,
        relation=Evidence.Relation.APPEARANCE,
        note="Check-worthy sentence accepted from the triage queue.",
    )
    _record_decision(candidate, actor, status=Status.ACCEPTED, claim=claim)
    return claim


@transaction.atomic
def candidate_dismiss(*, candidate_id: int, actor, reason: str) -> SentenceCandidate:
    """Record that a pending candidate is not worth checking, and why (required, ≤ 300
    characters). Locks the candidate row. Raises InvalidInput, NotPermitted, NotFound,
    CandidateDecided (409)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidInput("Say why the sentence is not worth checking.", code="reason_required",
                           fields={"reason": ["A reason is required to dismiss a sentence."]})
    if len(reason) > 300:
        raise InvalidInput("The reason is too long.", fields={"reason": ["At most 300 characters."]})
    _ensure_can_decide(actor)
    candidate = _lock_pending(candidate_id)
    _record_decision(candidate, actor, status=Status.DISMISSED, dismiss_reason=reason)
    return candidate


# --- Training ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetrainResult:
    model: TriageModel
    activated: bool
    previous: TriageModel | None
    previous_scores: dict | None  # the previous active model on the same held-out split


def desk_examples(*, exclude_texts: set[str] = frozenset()) -> list[ml.Example]:
    """Accepted (1) and dismissed (0) candidates as training examples, leaving out any sentence
    whose words are in ``exclude_texts`` (the held-out split must stay unseen)."""
    rows = (SentenceCandidate.objects.exclude(status=Status.PENDING)
            .values_list("text", "status", "language", "source_id").order_by("pk"))
    return [
        ml.Example(text=text, label=int(status == Status.ACCEPTED), language=language,
                   doc=f"source-{source_id}")
        for text, status, language, source_id in rows
        if " ".join(text.split()) not in exclude_texts
    ]


def model_retrain(*, corpus_path: Path | str | None = None, force: bool = False,
                  note: str = "") -> RetrainResult:
    """Train a model on the corpus's train split plus the desk's decisions, evaluate it on the
    corpus's held-out split and store it with its scores.

    It becomes the active model when there is none, when ``force``, or when its ``mean_f1`` (the
    mean over languages of the check-worthy class's F1) is at least the active model's on the
    same held-out split; otherwise the active model is kept and the new one is stored inactive
    with a note saying why. Training runs outside any transaction; storing and activating holds
    an advisory lock so concurrent retrains take turns. This is also the scheduled job's entry
    point.
    """
    examples = ml.load_corpus(corpus_path)
    train_examples, test_examples = ml.split(examples)
    held_out = {" ".join(example.text.split()) for example in test_examples}
    desk = desk_examples(exclude_texts=held_out)
    pipeline = ml.train(train_examples + desk)
    scores = ml.evaluate(pipeline, test_examples)
    blob = ml.dumps(pipeline)
    digest = ml.corpus_digest(corpus_path)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_MODEL_LOCK])
        previous = TriageModel.objects.select_for_update().filter(is_active=True).first()
        previous_scores = None
        if previous is not None and previous.sklearn_version == ml.SKLEARN_VERSION:
            previous_scores = ml.evaluate(ml.loads(previous.blob), test_examples)
        activate = force or previous is None or previous_scores is None \
            or scores["mean_f1"] >= previous_scores["mean_f1"]
        if not activate:
            note = (f"Kept v{previous.version}: mean F1 {scores['mean_f1']:.3f} < "
                    f"{previous_scores['mean_f1']:.3f} on the held-out split.")
        elif not note and previous_scores is not None:
            note = (f"Replaced v{previous.version} (mean F1 {previous_scores['mean_f1']:.3f} → "
                    f"{scores['mean_f1']:.3f}){' (forced)' if force else ''}.")
        if activate and previous is not None:
            previous.is_active = False
            previous.save(update_fields=["is_active"])
        version = (TriageModel.objects.aggregate(last=Max("version"))["last"] or 0) + 1
        row = TriageModel.objects.create(
            version=version, is_active=activate, blob=blob, sklearn_version=ml.SKLEARN_VERSION,
            corpus_sha256=digest, training_size=len(train_examples) + len(desk),
            desk_examples=len(desk), scores=scores, note=note[:300],
        )
    logger.info("Triage model v%s trained (mean F1 %.3f), %s", version, scores["mean_f1"],
                "activated" if activate else "kept the previous one")
    return RetrainResult(model=row, activated=activate, previous=previous,
                         previous_scores=previous_scores)
