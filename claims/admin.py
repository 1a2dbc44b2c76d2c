"""The editors' daily tool: claims, their evidence and the editorial workflow in Django admin.

Every write goes through ``claims.services`` — the claim form (``save_model``), the inlines
(``save_formset``), the workflow buttons (``workflow_view``) and the bulk actions — so the admin
obeys exactly the rules the API does: roles, the state table, four eyes, the publish gates, frozen
retracted claims. Permissions shown in the page (which buttons, which inlines are editable) are
derived from the same table (``claims.workflow``: ``allowed_actions``, ``can_edit``), and the
services refuse whatever a forged POST tries anyway. The workflow buttons, their forms and the
bulk actions are generated from ``claims.workflow.ACTIONS``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, format_lazy
from django.utils.timezone import localtime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims import selectors, services
from claims.admin_forms import ClaimAdminForm, workflow_form
from claims.errors import PublishGateError
from claims.exports import FORMATS, export_response
from claims.models import (
    Claim,
    ClaimRelation,
    ClaimReviewFeed,
    Correction,
    Evidence,
    Rating,
    ReviewEvent,
    Topic,
)
from claims.workflow import (
    ACTIONS,
    GATES,
    Action,
    allowed_actions,
    can_edit,
    claim_publish_problems,
)
from factcheck.admin_mixins import (
    AbsentMeansUnchangedFormSet,
    ExtraPagesAdminMixin,
    ReadableHistoryMixin,
    ServiceAdminMixin,
    changed_rows,
    delete_rows,
    form_values,
    raw_audit_trail_url,
)
from factcheck.errors import DomainError

Status = Claim.Status

def refusal_text(error: DomainError) -> str:
    """A refusal as one line; a refused publish names every missing item."""
    if isinstance(error, PublishGateError):
        return "missing: " + "; ".join(item["message"] for item in error.missing) + "."
    return error.message


# --- Inlines --------------------------------------------------------------------------------


class ClaimStateInlineMixin:
    """An inline whose rows may change only while the parent claim's content may."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and can_edit(obj, request.user)

    def has_change_permission(self, request, obj=None):
        return (super().has_change_permission(request, obj)
                and can_edit(obj, request.user))

    def has_delete_permission(self, request, obj=None):
        return (super().has_delete_permission(request, obj)
                and can_edit(obj, request.user))


class EvidenceInlineForm(forms.ModelForm):
    # Not a model field: saved by services.evidence_anchor_override (reviewers only).
    anchor_override = forms.CharField(
        required=False, max_length=2000, label=_("accept unanchored quote (reviewers): how checked"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 24}),
        help_text=_("Public, under the quote: e.g. “checked against the broadcast recording”."),
    )


class EvidenceInline(ClaimStateInlineMixin, admin.TabularInline):
    """Sources and quotes linked to the claim; rows are written by the evidence services."""

    model = Evidence
    form = EvidenceInlineForm
    formset = AbsentMeansUnchangedFormSet
    extra = 0
    fields = ["relation", "source", "quote", "note", "order", "anchor", "anchor_override"]
    readonly_fields = ["anchor"]
    autocomplete_fields = ["source", "quote"]
    verbose_name = _("evidence")
    verbose_name_plural = _("evidence (an appearance and at least one other source are needed to publish)")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}}

    class Media:
        # After Django's autocomplete.js, which it wraps: the quote search sends the row's source
        # (QuoteAdmin.get_search_results narrows on it).
        js = ["admin/js/jquery.init.js", "admin/js/autocomplete.js",
              "claims/admin/evidence_quote_autocomplete.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in {"source", "quote"} and formfield is not None:
            # Deleting a source or quote from a claim's evidence row is one click from disaster.
            formfield.widget.can_delete_related = False
        return formfield

    def get_extra(self, request, obj=None, **kwargs):
        # A new claim needs two rows to be publishable (an appearance and one more): offer them.
        return 2 if obj is None else 0

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not request.user.has_perm("claims.review_claim"):
            fields.remove("anchor_override")
        return fields

    @admin.display(description=_("anchor"))
    def anchor(self, evidence: Evidence) -> str:
        """The cited quote's anchor status, and a reviewer's override when there is one."""
        quote = evidence.quote if evidence.pk else None
        if quote is None:
            return "—"
        text = format_html('<span class="fc-anchor-{}">{}{}</span>', quote.anchor_status,
                           "" if quote.anchor_status == "anchored" else "⚠ ",
                           quote.get_anchor_status_display())
        if evidence.anchor_override_reason:
            text = format_html("{}<br><small>Accepted by {}: {}</small>", text,
                               evidence.anchor_override_by, evidence.anchor_override_reason)
        return text

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "source", "quote__speaker", "anchor_override_by")


CLAIM_CHANGE_PATH = re.compile(r"/claims/claim/(\d+)/change/")


def related_claim_source_id(request) -> int | None:
    """On the related-claims autocomplete (``claimrelation.to_claim``), the claim whose page asks:
    its ``exclude`` parameter, else the claim change page in the Referer (same-origin policy: the
    browser sends the full path)."""
    if getattr(request.resolver_match, "url_name", "") != "autocomplete" or (
            request.GET.get("model_name"), request.GET.get("field_name")) != ("claimrelation", "to_claim"):
        return None
    exclude = request.GET.get("exclude", "")
    if exclude.isdigit():
        return int(exclude)
    match = CLAIM_CHANGE_PATH.search(request.headers.get("Referer", ""))
    return int(match.group(1)) if match else None


class ClaimRelationInline(ClaimStateInlineMixin, admin.TabularInline):
    """Typed links to other claims. Existing links are read-only: delete one and add another."""

    model = ClaimRelation
    fk_name = "from_claim"
    formset = AbsentMeansUnchangedFormSet
    extra = 0
    fields = ["kind", "to_claim", "note", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    autocomplete_fields = ["to_claim"]
    verbose_name = _("related claim")
    verbose_name_plural = _("related claims (this claim … the other one)")

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("to_claim", "created_by")


class ReadOnlyInline(admin.TabularInline):
    formset = AbsentMeansUnchangedFormSet
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields = ["created_at", "kind", "note", "old_rating", "new_rating", "created_by"]
    readonly_fields = fields
    verbose_name_plural = _("corrections (public; add one with the “Add correction” button)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("old_rating", "new_rating", "created_by")


class IncomingClaimRelationInline(ReadOnlyInline):
    """Links other claims drew to this one (edit them from the other claim's page)."""

    model = ClaimRelation
    fk_name = "to_claim"
    fields = ["from_claim", "kind", "note", "created_by", "created_at"]
    readonly_fields = fields
    verbose_name = _("claim linking here")
    verbose_name_plural = _("claims linking here (the other one … this claim)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("from_claim", "created_by")


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fields = ["created_at", "actor", "from_status", "to_status", "comment"]
    readonly_fields = fields
    verbose_name = _("review log entry")
    verbose_name_plural = _("review log")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


# --- Changelist filters ---------------------------------------------------------------------


class ClaimQueueFilter(admin.SimpleListFilter):
    """The editor's own queues: what I wrote or was given, and what waits for my review."""

    title = _("queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        queues = [("mine", _("My claims")), ("assigned", _("Assigned to me")),
                  ("returned", _("Returned to me"))]
        if request.user.has_perm("claims.review_claim"):
            queues.append(("to_review", _("Waiting for my review")))
        return queues

    def queryset(self, request, queryset):
        user = request.user
        if self.value() == "mine":
            return queryset.filter(Q(author=user) | Q(assignee=user))
        if self.value() == "assigned":
            return queryset.filter(assignee=user)
        if self.value() == "returned":
            return selectors.claims_returned_to(user, queryset)
        if self.value() == "to_review":
            return selectors.claims_waiting_for_review(user, queryset)
        return queryset


class EvidenceAttentionFilter(admin.SimpleListFilter):
    """Published claims whose evidence changed under them (set by the database triggers)."""

    title = _("evidence")
    parameter_name = "evidence"

    def lookups(self, request, model_admin):
        return [("attention", _("Evidence changed (published)"))]

    def queryset(self, request, queryset):
        if self.value() == "attention":
            return queryset.needing_evidence_attention()
        return queryset


# --- Claims ---------------------------------------------------------------------------------


def export_action(export_format: str):
    """The admin action "Export selected as <format>": the selected claims (only those), streamed
    by the API's exporter (``claims.exports``), as the editor may see them."""

    def export_selected(modeladmin, request, queryset):
        claims = selectors.claims_visible_to(request.user).filter(pk__in=queryset.values("pk"))
        return export_response(claims, request.user, export_format)

    export_selected.__name__ = f"export_{export_format}"
    return admin.action(description=format_lazy(_("Export selected as {}"), export_format.upper()))(
        export_selected)


@admin.register(Claim)
class ClaimAdmin(ExtraPagesAdminMixin, ReadableHistoryMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["short_text", "claimant", "status_badge", "readiness", "rating", "assignee",
                    "updated_at"]
    list_display_links = ["short_text"]
    list_select_related = ["claimant", "rating", "assignee"]
    list_filter = [
        ClaimQueueFilter, EvidenceAttentionFilter, "status", "rating", "topics",
        ("claimant", admin.RelatedOnlyFieldListFilter),
        ("assignee", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "claimant__name"]  # see get_search_results: full-text, indexed
    search_help_text = _("Words of the claim or the claimant's name (prefixes match: “Sheinb”).")
    date_hierarchy = "updated_at"
    show_full_result_count = False  # no second unfiltered COUNT(*) on every page
    list_per_page = 50
    autocomplete_fields = ["claimant", "topics"]
    inlines = [EvidenceInline, ClaimRelationInline, IncomingClaimRelationInline, CorrectionInline,
               ReviewEventInline]
    # The exports; the bulk workflow actions come from the table (get_actions).
    actions: list = [export_action(name) for name in FORMATS]
    form = ClaimAdminForm
    change_form_template = "admin/claims/claim/change_form.html"
    change_list_template = "admin/claims/claim/change_list.html"
    readonly_fields = [
        "status_badge", "slug", "author", "reviewer", "published_at", "version",
        "similar_claims_panel", "external_review", "recent_changes", "evidence_alert",
        "language_source",
    ]
    fieldsets = [
        (None, {"fields": ["text", "claimant", "claim_date", "language", "language_source", "topics"]}),
        (_("Verdict"), {"fields": ["rating", "rating_explanation", "analysis"]}),
        (_("Desk"), {"fields": ["assignee", "loaded_version"]}),
        (_("Workflow (changed only by the workflow buttons)"), {
            "fields": ["status_badge", "slug", "author", "reviewer", "published_at", "version"],
        }),
    ]

    # --- list ---

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, claim: Claim) -> str:
        return Truncator(claim.text).chars(110)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, claim: Claim) -> str:
        return format_html(
            '<span class="fc-badge fc-status-{}">{}</span>', claim.status, claim.get_status_display()
        )

    @admin.display(description=_("ready to publish?"))
    def readiness(self, claim: Claim) -> str:
        """“ready” or “n missing” for drafts and claims in review (set on the page's claims by
        ``changelist_view``, computed for the whole page at once); “—” past publication."""
        problems = getattr(claim, "publish_problems", None)
        if problems is None:
            return "—"
        if not problems:
            return format_html('<span class="fc-ready">✓ {}</span>', gettext("ready"))
        return format_html('<span class="fc-missing" title="{}">✗ {}</span>',
                           "; ".join(problem["message"] for problem in problems),
                           ngettext("%(count)d missing", "%(count)d missing", len(problems))
                           % {"count": len(problems)})

    def get_queryset(self, request):
        # The search columns are large and never shown here.
        return super().get_queryset(request).defer("search_vector", "search_text")

    def get_search_results(self, request, queryset, search_term):
        """Full-text search on the claim's stored, GIN-indexed search vector (claim text, the
        claimant's name and aliases, explanation, quotes) — every word as a prefix — instead of
        ILIKE scans, which read the whole table."""
        own = related_claim_source_id(request)
        if own is not None:  # a claim is never offered as related to itself
            queryset = queryset.exclude(pk=own)
        return selectors.claims_matching_prefixes(queryset, search_term), False

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Only drafts may be deleted, one at a time from the claim page (claim_delete).
        actions.pop("delete_selected", None)
        for action in ACTIONS.values():
            if action.bulk and request.user.has_perm(action.permission):
                name = f"{action.name}_selected"
                actions[name] = (bulk_action(action), name, action.bulk)
        return actions

    # --- permissions: the role's, narrowed by the claim's state ---

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_edit(obj, request.user)

    def has_delete_permission(self, request, obj=None):
        # Only drafts may be deleted (claim_delete); published ones are retracted instead.
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == Status.DRAFT)

    def delete_model(self, request, obj):
        services.claim_delete(claim_id=obj.pk, actor=request.user)

    # --- the form ---

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_public:
            fields.append("rating")  # a published rating changes only by a rating-change correction
        return fields

    def get_inlines(self, request, obj):
        if obj is None:  # a new claim has no history and nothing links to it yet
            return [EvidenceInline, ClaimRelationInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:  # a new claim is a draft with no slug, author or history yet: nothing to show
            return [fieldset for fieldset in fieldsets if "status_badge" not in fieldset[1]["fields"]]
        fieldsets.insert(1, (_("Similar claims already in the desk"), {
            "fields": ["similar_claims_panel"],
            "description": _("Check these before researching: link them below as related claims."),
        }))
        if obj.evidence_attention_at is not None:
            fieldsets.insert(0, (_("⚠ Evidence changed since publication"), {
                "fields": ["evidence_alert"],
                "description": _("Check the evidence, then re-anchor the quote, add a correction "
                                 "or dismiss the alert with a reason (workflow panel)."),
            }))
        if obj.is_external:
            fieldsets.append((_("Imported review"), {"fields": ["external_review"]}))
        fieldsets.append((_("History (from the audit trail)"), {
            "fields": ["recent_changes"], "classes": ["collapse"],
        }))
        return fieldsets

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignee":
            kwargs["queryset"] = get_user_model().objects.filter(
                Q(is_superuser=True) | Q(groups__name__in=["Editor", "Reviewer"]), is_active=True,
            ).distinct().order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        help_texts = {
            "claimant": _("Who made the claim. Type to search people and organizations."),
            "claim_date": _("When the claim was made (needed to publish)."),
            "rating": _("Needed to publish. After publication it changes only by a correction."),
            "rating_explanation": _("Needed to publish: one or two sentences shown with the rating."),
            "assignee": _("Who is researching it now."),
        }
        for name, text in help_texts.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return form

    def get_object(self, request, object_id, from_field=None):
        claim = super().get_object(request, object_id, from_field)
        if claim is not None:
            # Read-only panels get only the claim: they read as this user (``viewer``).
            claim.viewer = request.user
        return claim

    @admin.display(description=_("similar claims"))
    def similar_claims_panel(self, claim: Claim) -> str:
        if claim.pk is None:
            return "—"
        suggestions = selectors.claims_similar_to_claim(claim.viewer, claim, limit=5)
        if not suggestions:
            return _("No similar claims found.")
        return format_html(
            '<ul class="fc-similar">{}</ul>',
            format_html_join(
                "", '<li><a href="{}">{}</a> <span class="fc-badge fc-status-{}">{}</span>{} '
                    '<small>({} {})</small></li>',
                (
                    (reverse("admin:claims_claim_change", args=[s.claim.pk]),
                     Truncator(s.claim.text).chars(140), s.claim.status,
                     s.claim.get_status_display(),
                     f" · {s.claim.claimant}" if s.claim.claimant_id else "", gettext("similarity"),
                     number_format(s.score, 2))
                    for s in suggestions
                ),
            ),
        )

    @admin.display(description=_("recent changes"))
    def recent_changes(self, claim: Claim) -> str:
        """The claim's last recorded changes — who changed which fields — for everyone who can
        open the claim (the full Events admin is for administrators)."""
        changes = [
            (date_format(localtime(change.at), "DATETIME_FORMAT"), change.label,
             change.username or "—", ", ".join(change.fields) or "—")
            for change in selectors.claim_recent_changes(claim, limit=10)
        ]
        if not changes:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("when"), gettext("what"), gettext("who"), gettext("fields"),
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", changes),
        )

    @admin.display(description=_("what changed"))
    def evidence_alert(self, claim: Claim) -> str:
        return format_html("{}<br><small>{}</small>", linebreaksbr(claim.evidence_attention_reason),
                           gettext("since %(date)s") % {"date": date_format(
                               localtime(claim.evidence_attention_at), "DATETIME_FORMAT")})

    @admin.display(description=_("external review"))
    def external_review(self, claim: Claim) -> str:
        return format_html(
            '{} — <a href="{}" rel="noopener noreferrer">{}</a>',
            claim.external_publisher_name or claim.external_publisher_site,
            claim.external_review_url, claim.external_review_url,
        )

    def view_on_site(self, claim: Claim) -> str | None:
        """The public page, only for claims the public can see."""
        return claim.get_absolute_url() if claim.is_public else None

    # --- saving through the services ---

    def save_model(self, request, obj, form, change):
        if change:
            services.claim_update(
                claim_id=obj.pk, actor=request.user,
                expected_version=form.cleaned_data.get("loaded_version"),
                **form_values(form, services.EDITABLE_FIELDS, changed_only=True),
            )
        else:
            fields = form_values(form, services.EDITABLE_FIELDS)
            fields["topics"] = fields.get("topics") or []
            obj.pk = services.claim_create(actor=request.user, **fields).pk
            self._point_out_similar_claims(request, obj)
        obj.refresh_from_db()

    def _point_out_similar_claims(self, request, claim: Claim) -> None:
        suggestions = selectors.claims_similar_to_claim(request.user, claim, limit=3)
        if suggestions:
            messages.info(request, format_html(
                _("Already in the desk and similar: {} — link them from the claim's page."),
                format_html_join(", ", '<a href="{}">“{}”</a>', (
                    (reverse("admin:claims_claim_change", args=[s.claim.pk]),
                     Truncator(s.claim.text).chars(80)) for s in suggestions
                )),
            ))

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): topics were saved by claim_create / claim_update.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if getattr(formset, "is_absent", False):
            return
        if formset.model is Evidence:
            self._save_evidence(request, formset)
        elif formset.model is ClaimRelation:
            self._save_relations(request, formset)
        # Corrections and the review log are read-only here.

    def _save_evidence(self, request, formset) -> None:
        claim = formset.instance

        def remove(evidence):
            with refusal_about(evidence):
                services.evidence_remove(evidence_id=evidence.pk, actor=request.user)

        delete_rows(formset, remove)
        for row in changed_rows(formset):
            data = {name: row.cleaned_data.get(name) for name in ["source", "quote", "relation", "note"]}
            if row.instance.pk:
                changed = {name: row.cleaned_data.get(name) for name in row.changed_data
                           if name in {"source", "quote", "relation", "note", "order"}}
                evidence = row.instance
                if changed:
                    with refusal_about(row.instance):
                        evidence = services.evidence_update(
                            evidence_id=row.instance.pk, actor=request.user, **changed
                        )
                    formset.changed_objects.append((evidence, list(changed)))
            else:
                if "order" in row.changed_data:  # else the link goes last
                    data["order"] = row.cleaned_data.get("order")
                with refusal_about(data["source"]):
                    evidence = services.evidence_add(
                        claim_id=claim.pk, actor=request.user, source=data["source"],
                        quote=data["quote"], relation=data["relation"], note=data["note"] or "",
                        order=data.get("order"),
                    )
                formset.new_objects.append(evidence)
            if (row.cleaned_data.get("anchor_override") or "").strip():
                with refusal_about(evidence):
                    services.evidence_anchor_override(
                        evidence_id=evidence.pk, actor=request.user,
                        reason=row.cleaned_data["anchor_override"],
                    )

    def _save_relations(self, request, formset) -> None:
        claim = formset.instance
        delete_rows(formset, lambda relation: services.claim_relation_remove(
            relation_id=relation.pk, actor=request.user))
        for row in changed_rows(formset, formset.extra_forms):
            relation = services.claim_relation_add(
                actor=request.user, from_claim=claim, to_claim=row.cleaned_data["to_claim"],
                kind=row.cleaned_data["kind"], note=row.cleaned_data.get("note") or "",
            )
            formset.new_objects.append(relation)

    # --- workflow buttons ---

    extra_pages = (("<path:object_id>/workflow/<str:action>/", "workflow_view", "workflow"),)

    def workflow_view(self, request, object_id: str, action: str):
        """POST only: run one workflow service on the claim, report the outcome as a message and
        go back to the claim. The service decides (role, state, four eyes, gates, comment/note)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in ACTIONS:
            raise Http404("No such workflow action.")
        claim = self.get_object(request, unquote(object_id))
        if claim is None or not self.has_view_permission(request, claim):
            raise Http404("No such claim.")
        form = workflow_form(ACTIONS[action])(request.POST)
        if not form.is_valid():
            errors = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
            messages.error(request, f"{ACTIONS[action].label}: {errors}")
        else:
            run_workflow_action(request, claim, ACTIONS[action], form.cleaned_data)
        return HttpResponseRedirect(reverse("admin:claims_claim_change", args=[claim.pk]))

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        extra_context["evidence_changed"] = Claim.objects.needing_evidence_attention().count()
        extra_context["waiting_for_my_review"] = (
            selectors.claims_waiting_for_review(request.user).count()
            if request.user.has_perm("claims.review_claim") else None
        )
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # The readiness column for the whole page at once (3 queries, not 3 a row).
            changelist.result_list = selectors.claims_with_readiness(changelist.result_list)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        claim = self.get_object(request, unquote(object_id))
        if claim is not None:
            extra_context.update(workflow_context(request, claim))
        return super().change_view(request, object_id, form_url, extra_context)


# --- workflow helpers (shared by the buttons and the bulk actions) ----------------------------


def bulk_action(action: Action):
    """The admin bulk action for ``action``: one service call per claim (each in its own
    transaction), so a refusal of one claim neither stops nor undoes the others, and each
    outcome is reported by name."""

    def run_on_selected(modeladmin, request, queryset):
        for claim in queryset.order_by("pk"):
            run_workflow_action(request, claim, action, {})

    run_on_selected.__name__ = f"{action.name}_selected"
    return run_on_selected


@contextmanager
def refusal_about(subject):
    """Prefix a refusal's message with the evidence row it concerns (“Evidence ‘Article 3’: …”)."""
    try:
        yield
    except DomainError as error:
        error.message = f"Evidence “{subject}”: {error.message}"
        raise


def run_workflow_action(request, claim: Claim, action: Action, data: dict) -> bool:
    """Carry out ``action`` on ``claim`` through its service; report success or refusal as a
    message."""
    name = Truncator(claim.text).chars(80)
    try:
        action.run(claim_id=claim.pk, actor=request.user, data=data)
    except DomainError as error:
        messages.error(request, gettext("“%(claim)s” was %(refused)s: %(why)s") % {
            "claim": name, "refused": action.refused, "why": refusal_text(error)})
        return False
    messages.success(request, gettext("“%(claim)s” %(done)s.") % {"claim": name, "done": action.done})
    return True


def workflow_context(request, claim: Claim) -> dict:
    """What the claim page's workflow panel needs: a button and its form per allowed action,
    the publish gates still open, and the audit trail link."""
    allowed = allowed_actions(claim, request.user)
    return {
        "workflow_actions": [
            {"action": action.name, "label": action.label, "primary": action.primary,
             "form": workflow_form(action)(auto_id=f"id_wf_%s_{action.name}"),
             "url": reverse("admin:claims_claim_workflow", args=[claim.pk, action.name])}
            for action in ACTIONS.values() if action.name in allowed
        ],
        **checklist_context(claim),
        "returned": selectors.claim_returned_note(claim),
        "audit_trail_url": audit_trail_url(request, claim),
    }


def checklist_context(claim: Claim) -> dict:
    """The publish checklist of a draft or a claim in review (nothing past publication)."""
    if claim.status not in selectors.UNPUBLISHED:
        return {"checklist": None}
    checklist = publish_checklist(claim_publish_problems(claim))
    missing = sum(not line["ok"] for line in checklist)
    return {"checklist": checklist, "publish_ready": not missing, "publish_missing": missing}


def publish_checklist(problems: list[dict]) -> list[dict]:
    """Every publish gate of ``claims.workflow.GATES`` as a checklist line — ``ok``, where to fix
    it (an anchor on the claim's page) and the problems it has (a quote's problem links to the
    quote's page) — then any problem of a gate the table does not know, under its own message."""
    by_code: dict[str, list[dict]] = {}
    for problem in problems:
        by_code.setdefault(problem["code"], []).append(problem)
    lines = [{"label": gate.label, "fix": gate.fix, "ok": gate.code not in by_code,
              "problems": [problem_line(p) for p in by_code.pop(gate.code, []) if says_more(p)]}
             for gate in GATES]
    lines += [{"label": items[0]["message"], "fix": "", "ok": False,
               "problems": [problem_line(p) for p in items[1:]]} for items in by_code.values()]
    return lines


def says_more(problem: dict) -> bool:
    """Whether a problem says more than its gate's line: it names what it is about (a quote, a
    source) or why (the markup check)."""
    return bool(set(problem) - {"code", "message"}) or problem["code"] == "claimreview"


def problem_line(problem: dict) -> dict:
    url = (reverse("admin:sources_quote_change", args=[problem["quote"]])
           if problem.get("quote") else "")
    return {"message": problem["message"], "url": url}


def audit_trail_url(request, obj) -> str | None:
    """The pghistory Events admin filtered to ``obj``'s raw rows, if the user may see them."""
    return raw_audit_trail_url(request, admin.site, obj)


# --- The scale and topics -------------------------------------------------------------------


@admin.register(Rating)
class RatingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """The verdict scale: only admins edit it (editors and reviewers may look)."""

    list_display = ["label", "slug", "value", "order"]
    list_editable = ["order"]
    ordering = ["order", "id"]
    prepopulated_fields = {"slug": ["label"]}

    create_service = staticmethod(services.rating_create)
    update_service = staticmethod(services.rating_update)
    service_fields = services.RATING_FIELDS


@admin.register(Topic)
class TopicAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    create_service = staticmethod(services.topic_create)
    update_service = staticmethod(services.topic_update)
    service_fields = services.TOPIC_FIELDS


admin.site.site_header = _("factcheck — editors' desk")
admin.site.site_title = _("factcheck admin")
admin.site.index_title = _("Claims, sources and the review workflow")


@admin.register(ClaimReviewFeed)
class ClaimReviewFeedAdmin(admin.ModelAdmin):
    """Other fact-checkers' ClaimReview feeds, pulled hourly by the job worker (claims/tasks.py)."""

    list_display = ["name", "url", "enabled", "last_pulled_at", "last_error"]
    list_filter = ["enabled"]
    search_fields = ["name", "url"]
    readonly_fields = ["last_pulled_at", "last_error", "created_at"]
    actions = ["pull_now"]

    @admin.action(description=_("Pull the selected feeds now"))
    def pull_now(self, request, queryset):
        from claims.tasks import defer_feed_pull

        jobs = [defer_feed_pull(feed=feed, actor=request.user) for feed in queryset.order_by("pk")]
        queued = ngettext("Queued %(count)d pull: %(jobs)s", "Queued %(count)d pulls: %(jobs)s", len(jobs))
        self.message_user(request, queued % {"count": len(jobs), "jobs": ", ".join(f"#{j.pk}" for j in jobs)})
