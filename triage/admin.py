"""Admin: the triage queue (check-worthy sentences, best first, with Accept and Dismiss on every
row) and the models' scores.

Two clicks from the queue to a draft: **Accept** creates the draft claim (text, claimant, date,
language, the appearance evidence with its quote) through ``triage.services.candidate_accept``
and opens its change page. **Dismiss** needs a reason (typed beside the button). Both are POSTs
inside the changelist's form (which carries the CSRF token); the services decide (role, state).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from factcheck.admin_mixins import ExtraPagesAdminMixin
from factcheck.errors import DomainError
from triage import services
from triage.models import SentenceCandidate, TriageModel
from triage.selectors import similar_claims_for

DISMISS_REASONS = ("Opinion, not a fact", "Not verifiable", "Already checked",
                   "Not of public interest", "Procedure or greeting")


class StatusFilter(admin.SimpleListFilter):
    """Pending by default: the queue; accepted and dismissed ones on request."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(value, label) for value, label in SentenceCandidate.Status.choices] + [("all", "All")]

    def queryset(self, request, queryset):
        value = self.value() or SentenceCandidate.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)

    def choices(self, changelist):
        current = self.value() or SentenceCandidate.Status.PENDING
        for value, label in self.lookup_choices:
            yield {"selected": current == value, "display": label,
                   "query_string": changelist.get_query_string({self.parameter_name: value})}


@admin.register(SentenceCandidate)
class SentenceCandidateAdmin(ExtraPagesAdminMixin, admin.ModelAdmin):
    list_display = ["score_display", "sentence", "reasons_display", "source_link", "speaker",
                    "closest_claims", "decide"]
    list_display_links = None
    list_filter = [StatusFilter, "language", ("source__outlet", admin.RelatedOnlyFieldListFilter),
                   ("speaker", admin.RelatedOnlyFieldListFilter),
                   ("source", admin.RelatedOnlyFieldListFilter),
                   ("topics", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "source__title", "speaker__name"]
    ordering = ["-score", "-id"]
    list_per_page = 25
    actions = None
    readonly_fields = ["text", "score", "reasons_display", "source_link", "quote", "speaker",
                       "language", "status", "dismiss_reason", "decided_by", "decided_at",
                       "claim", "model_version", "closest_claims", "decide"]
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "source", "source__outlet", "speaker", "quote", "claim", "decided_by")

    def has_add_permission(self, request):
        return False  # sentences come from sources (source_triage), never typed in

    def has_delete_permission(self, request, obj=None):
        return False  # a decision is training data; pending ones go with the next snapshot

    # --- columns ---

    @admin.display(description=_("score"), ordering="score")
    def score_display(self, obj):
        return f"{obj.score:.2f}"

    @admin.display(description=_("sentence"))
    def sentence(self, obj):
        change = reverse("admin:triage_sentencecandidate_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', change, obj.text)

    @admin.display(description=_("why"))
    def reasons_display(self, obj):
        return format_html_join(
            ", ", '<span title="{}">{}{}</span>',
            ((f"weight {reason['weight']:+.2f}", "" if reason["weight"] > 0 else "not: ",
              reason["label"]) for reason in obj.reasons),
        ) or "—"

    @admin.display(description=_("source"))
    def source_link(self, obj):
        source = obj.source
        return format_html('<a href="{}">{}</a>{}', reverse("admin:sources_source_change", args=[source.pk]),
                           Truncator(str(source)).chars(60),
                           f" ({source.outlet.domain})" if source.outlet else "")

    @admin.display(description=_("closest existing claims"))
    def closest_claims(self, obj):
        found = getattr(obj, "similar", None)
        if found is None:  # the change page: one candidate
            found = similar_claims_for([obj], None, limit=2)[obj.pk]
        if not found:
            return "none"
        return format_html_join(
            mark_safe("<br>"), '<a href="{}">{}</a> ({}, {})',
            ((reverse("admin:claims_claim_change", args=[item.claim.pk]),
              Truncator(item.claim.text).chars(70), item.claim.get_status_display().lower(),
              f"{item.score:.2f}") for item in found),
        )

    @admin.display(description=_("decide"))
    def decide(self, obj):
        if obj.status != SentenceCandidate.Status.PENDING:
            if obj.claim_id:
                return format_html('{} <a href="{}">{}</a>', gettext("Accepted:"),
                                   reverse("admin:claims_claim_change", args=[obj.claim_id]),
                                   gettext("draft claim"))
            return f"{obj.get_status_display()}: {obj.dismiss_reason}" if obj.dismiss_reason else \
                obj.get_status_display()
        accept = reverse("admin:triage_sentencecandidate_accept", args=[obj.pk])
        dismiss = reverse("admin:triage_sentencecandidate_dismiss", args=[obj.pk])
        return format_html(
            '<button type="submit" class="button default" formaction="{}" formmethod="post">{}</button> '
            '<input type="text" name="reason-{}" list="triage-dismiss-reasons" maxlength="300" '
            'placeholder="{}" aria-label="{}" size="14"> '
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            accept, gettext("Accept"), obj.pk, gettext("Why not?"), gettext("Reason to dismiss"),
            dismiss, gettext("Dismiss"),
        )

    # --- views ---

    def get_changelist_instance(self, request):
        """The page's closest claims in one statement for all its rows (everyone in admin is
        staff and sees every claim)."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        found = similar_claims_for(rows, None, limit=2)
        for row in rows:
            row.similar = found[row.pk]
        changelist.result_list = rows
        return changelist

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["dismiss_reasons"] = DISMISS_REASONS
        extra_context["title"] = "Triage queue: sentences worth checking, best first"
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["dismiss_reasons"] = DISMISS_REASONS
        return super().change_view(request, object_id, form_url, extra_context)

    extra_pages = (
        ("<path:object_id>/accept/", "accept_view", "accept"),
        ("<path:object_id>/dismiss/", "dismiss_view", "dismiss"),
    )

    def _candidate(self, request, object_id: str) -> SentenceCandidate:
        candidate = self.get_object(request, unquote(object_id))
        if candidate is None or not self.has_view_permission(request, candidate):
            raise Http404("No such sentence.")
        return candidate

    def _back(self, request):
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(referer)
        return HttpResponseRedirect(reverse("admin:triage_sentencecandidate_changelist"))

    def accept_view(self, request, object_id: str):
        """POST: make the draft claim and open it (the second click of the two)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate(request, object_id)
        try:
            claim = services.candidate_accept(candidate_id=candidate.pk, actor=request.user)
        except DomainError as error:
            messages.error(request, f"“{Truncator(candidate.text).chars(60)}”: {error.message}")
            return self._back(request)
        messages.success(request, "Draft claim created from the sentence, with the source as its "
                                  "appearance evidence. Check it, then submit it for review.")
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def dismiss_view(self, request, object_id: str):
        """POST with ``reason-<id>`` (or ``reason``): record why, back to the queue."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        candidate = self._candidate(request, object_id)
        reason = request.POST.get(f"reason-{candidate.pk}") or request.POST.get("reason", "")
        try:
            services.candidate_dismiss(candidate_id=candidate.pk, actor=request.user, reason=reason)
        except DomainError as error:
            messages.error(request, f"“{Truncator(candidate.text).chars(60)}”: {error.message}")
        else:
            messages.success(request, f"Dismissed “{Truncator(candidate.text).chars(60)}”: {reason.strip()}")
        return self._back(request)


def _score_column(description: str, language: str, name: str):
    """A changelist column showing one of a model's evaluation scores (``scores["languages"]``)."""

    @admin.display(description=description)
    def column(self, obj):
        value = (obj.scores or {}).get("languages", {}).get(language, {}).get(name)
        return "—" if value is None else f"{value:.3f}"

    return column


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    """The models trained so far and their held-out scores (``manage.py train_triage``)."""

    list_display = ["version", "is_active", "created_at", "f1_en", "f1_es", "p10_en", "p10_es",
                    "training_size", "desk_examples", "note"]
    readonly_fields = ["version", "is_active", "created_at", "sklearn_version", "corpus_sha256",
                       "training_size", "desk_examples", "scores", "note"]
    exclude = ["blob"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    f1_en = _score_column("F1 en", "en", "f1")
    f1_es = _score_column("F1 es", "es", "f1")
    p10_en = _score_column("P@10 en", "en", "precision_at_10")
    p10_es = _score_column("P@10 es", "es", "precision_at_10")

