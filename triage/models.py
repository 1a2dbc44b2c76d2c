"""The triage queue: sentences of imported sources scored for check-worthiness, and the models.

This app sits above ``sources`` and ``claims`` (it imports both; neither imports it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Topic
from sources.models import Person, Quote, Source


class SentenceCandidate(models.Model):
    """One sentence of a source's snapshot that may be worth checking.

    ``text == source.content[start:end]`` for the snapshot it was scored in. Pending candidates
    are replaced when the snapshot changes; decided ones (accepted, dismissed) stay, with who
    decided, when and why, and they become training data (``triage.services.model_retrain``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("To consider")
        ACCEPTED = "accepted", _("Accepted (draft claim created)")
        DISMISSED = "dismissed", _("Dismissed")

    source = models.ForeignKey(Source, verbose_name=_("source"),
                               on_delete=models.CASCADE, related_name="triage_candidates")
    position = models.PositiveIntegerField(_("position"),
                                           help_text=_("The sentence's index in the snapshot."))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=12)
    score = models.FloatField(_("score"),
                              help_text=_("Check-worthiness, 0..1 (higher is more worth checking)."))
    reasons = models.JSONField(
        _("reasons"), default=list, blank=True,
        help_text=_('[{"code", "label", "weight"}]: the cues that weighed most, strongest first.'),
    )
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="triage_candidates",
        help_text=_("A quote of the source overlapping this sentence."),
    )
    speaker = models.ForeignKey(
        Person, verbose_name=_("speaker"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="triage_candidates",
        help_text=_("The quote's speaker."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"),
                                    blank=True, related_name="triage_candidates")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    dismiss_reason = models.CharField(_("dismiss reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"),
        on_delete=models.SET_NULL, null=True, blank=True, related_name="triage_candidates",
        help_text=_("The draft claim created when the candidate was accepted."),
    )
    model_version = models.PositiveIntegerField(_("model version"),
                                                help_text=_("The TriageModel version that scored it."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("check-worthy sentence")
        verbose_name_plural = _("triage queue")
        indexes = [
            # The queue: pending, best first (keyset pagination on (score, id)).
            models.Index(fields=["-score", "-id"], condition=Q(status="pending"),
                         name="triage_pending_score_idx"),
            models.Index(fields=["language", "-score", "-id"], condition=Q(status="pending"),
                         name="triage_pending_lang_idx"),
            models.Index(fields=["source", "position"], name="triage_source_position_idx"),
            # Desk decisions are training data.
            models.Index(fields=["status", "decided_at"], condition=~Q(status="pending"),
                         name="triage_decided_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="triage_span_valid"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1),
                                   name="triage_score_range"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="triage_decided_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="dismissed") | ~Q(dismiss_reason=""),
                name="triage_dismissed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class TriageModel(models.Model):
    """A fitted check-worthiness model (``triage.model``), its scores on the held-out corpus,
    and whether it is the one scoring new sources (at most one is active)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    is_active = models.BooleanField(_("is active"), default=False)
    blob = models.BinaryField(_("blob"), editable=False, help_text=_("The fitted pipeline (joblib)."))
    sklearn_version = models.CharField(_("sklearn version"), max_length=20)
    corpus_sha256 = models.CharField(_("corpus sha256"), max_length=64)
    training_size = models.PositiveIntegerField(_("training size"),
                                                help_text=_("Sentences trained on (corpus + desk)."))
    desk_examples = models.PositiveIntegerField(
        _("desk examples"), default=0, help_text=_("Of those, accepted and dismissed candidates."))
    scores = models.JSONField(_("scores"),
                              default=dict, help_text=_("Held-out scores (triage.model.evaluate)."))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("triage model")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True),
                                    name="triage_one_active_model"),
        ]

    def __str__(self) -> str:
        return f"Triage model v{self.version}{' (active)' if self.is_active else ''}"

    @property
    def mean_f1(self) -> float | None:
        return (self.scores or {}).get("mean_f1")
