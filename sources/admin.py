"""Admin for the lower layer: outlets, people, sources with their text snapshots, anchored quotes.

Saves go through ``sources.services`` so URLs and snapshots are normalized and every quote's
selectors are computed from the snapshot, never typed by hand. Quotes whose anchoring needs a
person's eye — ``unverified``, ``drifted``, ``orphaned``, and extracted candidates — are flagged.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelect
from django.db import models
from django.db.models import Count, Q
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from factcheck.admin_mixins import (
    AbsentMeansUnchangedFormSet,
    QueryListFilter,
    ReadableHistoryMixin,
    ServiceAdminMixin,
    changed_rows,
    delete_rows,
    form_values,
)
from factcheck.errors import DomainError
from sources import services
from sources.admin_jobs import SourceImportAdminMixin
from sources.models import Outlet, Person, Quote, Source

# Typed URLs without a scheme are taken as https (Django 6's default; silences its warning).
URL_FIELDS_HTTPS = {models.URLField: {"assume_scheme": "https"}}

NEEDS_REVIEW = [
    Quote.AnchorStatus.UNVERIFIED, Quote.AnchorStatus.DRIFTED, Quote.AnchorStatus.ORPHANED,
]


def anchor_badge(quote: Quote) -> str:
    label = quote.get_anchor_status_display()
    if quote.anchor_status in NEEDS_REVIEW:
        label = f"⚠ {label}"
    return format_html('<span class="fc-badge fc-anchor-{}">{}</span>', quote.anchor_status, label)


def drift_html(quote: Quote) -> str:
    """Old and new anchored text of a drifted (or orphaned) quote, for an editor to compare."""
    if not quote.previous_exact:
        return "—"
    new = quote.exact if quote.anchor_status == Quote.AnchorStatus.DRIFTED else gettext("(not found)")
    return format_html('<div class="fc-drift">{} <del>{}</del><br>{} <ins>{}</ins></div>',
                       gettext("was:"), quote.previous_exact, gettext("now:"), new)


def snapshot_html(content: str, quotes: list[Quote]) -> str:
    """The snapshot as paragraphs, anchored quotes highlighted (outermost one where they nest)."""
    if not content:
        return "—"
    pieces, cursor = [], 0
    spans = sorted(
        (q for q in quotes if q.start is not None and q.end is not None and q.end <= len(content)),
        key=lambda q: (q.start, -q.end),
    )
    for quote in spans:
        if quote.start < cursor:
            continue  # nested in (or overlapping) a quote already highlighted
        pieces.append(escape(content[cursor:quote.start]))
        css = "fc-mark-candidate" if quote.is_candidate else ""
        pieces.append(format_html(
            '<mark class="{}" title="{} — {}">{}</mark>', css, quote.speaker or gettext("speaker unknown"),
            quote.get_anchor_status_display(), content[quote.start:quote.end],
        ))
        cursor = quote.end
    pieces.append(escape(content[cursor:]))
    # Joined as safe text, so the paragraph filter keeps the marks and escapes nothing twice.
    paragraphs = linebreaks_filter(format_html_join("", "{}", ((piece,) for piece in pieces)))
    return format_html('<div class="fc-snapshot">{}</div>', paragraphs)


# --- Outlets and people ---------------------------------------------------------------------


@admin.register(Outlet)
class OutletAdmin(ServiceAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["name", "domain", "country", "language"]
    search_fields = ["name", "domain"]
    list_filter = ["country", "language"]

    create_service = staticmethod(services.outlet_create)
    update_service = staticmethod(services.outlet_update)
    service_fields = services.OUTLET_FIELDS


@admin.register(Person)
class PersonAdmin(ServiceAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["name", "kind", "title", "country", "wikidata_id", "candidate"]
    list_filter = ["is_candidate", "kind", "country"]
    search_fields = ["name", "aliases", "title"]
    fields = ["name", "kind", "title", "country", "wikidata_id", "aliases", "url", "is_candidate",
              "slug"]
    readonly_fields = ["slug"]
    actions = ["confirm_people"]

    @admin.display(description=_("candidate"), ordering="is_candidate")
    def candidate(self, person: Person) -> str:
        if not person.is_candidate:
            return ""
        return format_html('<span class="fc-badge fc-candidate">{}</span>', gettext("to confirm"))

    @admin.action(description=_("Confirm selected people"), permissions=["change"])
    def confirm_people(self, request, queryset):
        confirmed = services.people_confirm(person_ids=list(queryset.values_list("pk", flat=True)),
                                            actor=request.user)
        messages.success(request, f"{confirmed} candidate person(s) confirmed.")

    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    service_fields = services.PERSON_FIELDS


# --- Sources and quotes ---------------------------------------------------------------------


class QuoteInline(admin.TabularInline):
    """A source's quotes. Their selectors are computed from the snapshot when saved."""

    model = Quote
    formset = AbsentMeansUnchangedFormSet
    extra = 0
    fields = ["speaker", "text", "is_candidate", "anchor", "position", "drift"]
    readonly_fields = ["anchor", "position", "drift"]
    autocomplete_fields = ["speaker"]
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker")

    @admin.display(description=_("anchor status"))
    def anchor(self, quote: Quote) -> str:
        return anchor_badge(quote) if quote.pk else "—"

    @admin.display(description=_("position"))
    def position(self, quote: Quote) -> str:
        return f"{quote.start}–{quote.end}" if quote.start is not None else "—"

    @admin.display(description=_("old → new text"))
    def drift(self, quote: Quote) -> str:
        return drift_html(quote)


class FetchFailedFilter(QueryListFilter):
    """Sources whose last fetch failed (``fetch_error`` set): the articles to fetch again."""

    title = _("last fetch")
    parameter_name = "fetch"
    conditions = {"failed": (_("⚠ Failed"), ~Q(fetch_error="")), "ok": (_("No error"), Q(fetch_error=""))}


class DateFirstSplitDateTime(AdminSplitDateTime):
    """Shows a publication at 00:00 UTC as its date alone (the time box left empty)."""

    def decompress(self, value):
        day, time = super().decompress(value)
        return [day, None if time is not None and time.replace(microsecond=0) == dt.time() else time]


class PublishedAtFormField(forms.SplitDateTimeField):
    """A publication date with an optional time: a date alone is that day at 00:00 UTC."""

    widget = DateFirstSplitDateTime

    def compress(self, data_list):
        if data_list and data_list[0] is not None and data_list[1] in self.empty_values:
            data_list = [data_list[0], dt.time()]
        return super().compress(data_list)


@admin.register(Source)
class SourceAdmin(SourceImportAdminMixin, ReadableHistoryMixin, ServiceAdminMixin, admin.ModelAdmin):
    formfield_overrides = URL_FIELDS_HTTPS
    list_display = ["title_or_url", "outlet", "kind", "published", "quote_count", "flagged"]
    list_select_related = ["outlet"]
    list_filter = [
        "kind", "language", ("outlet", admin.RelatedOnlyFieldListFilter), FetchFailedFilter,
    ]
    search_fields = ["title", "url", "byline"]
    date_hierarchy = "published_at"
    show_full_result_count = False
    autocomplete_fields = ["outlet"]
    inlines = [QuoteInline]
    readonly_fields = ["snapshot", "content_sha256", "retrieved_at", "fetch_error", "created_at",
                       "updated_at", "language_source"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "published_at":
            return PublishedAtFormField(
                required=False, label=_("Published"),
                help_text=_("The time (UTC) may be left empty: a date alone is fine."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("published"), ordering="published_at")
    def published(self, obj):
        """The date alone for a publication at 00:00 UTC, else date and time (UTC)."""
        if obj.published_at is None:
            return "-"
        when = obj.published_at.astimezone(dt.UTC)
        return f"{when:%Y-%m-%d}" if when.time() == dt.time() else f"{when:%Y-%m-%d %H:%M} UTC"

    def get_fieldsets(self, request, obj=None):
        snapshot = ["content"] if obj is None else ["snapshot", "content_sha256", "retrieved_at"]
        return [
            (None, {"fields": ["url", "title", "outlet", "byline", "published_at", "language",
                               *(["language_source"] if obj else []), "kind", "archive_url"]}),
            (_("Text snapshot"), {
                "fields": snapshot,
                "description": (
                    "The normalized text the quotes are anchored in. Highlighted: the quotes "
                    "below. A changed text comes from a re-import, which re-anchors every quote."
                ) if obj else "Paste the full text; it is normalized (spaces, line breaks) on save.",
            }),
            (_("Fetching"), {"fields": ["fetch_error", "created_at", "updated_at"],
                          "classes": ["collapse"]}),
        ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if getattr(request.resolver_match, "url_name", "") != "sources_source_changelist":
            return queryset  # change pages and autocomplete searches need no counts
        return queryset.annotate(
            n_quotes=Count("quotes", distinct=True),
            n_flagged=Count("quotes", filter=Q(quotes__anchor_status__in=NEEDS_REVIEW), distinct=True),
        )

    @admin.display(description=_("source"), ordering="title")
    def title_or_url(self, source: Source) -> str:
        return Truncator(source.title or source.url).chars(90)

    @admin.display(description=_("quotes"), ordering="n_quotes")
    def quote_count(self, source: Source) -> int:
        return source.n_quotes

    @admin.display(description=_("quotes to check"), ordering="n_flagged")
    def flagged(self, source: Source) -> str:
        if not source.n_flagged:
            return "—"
        return format_html('<span class="fc-badge fc-anchor-drifted">⚠ {}</span>', source.n_flagged)

    @admin.display(description=_("text snapshot"))
    def snapshot(self, source: Source) -> str:
        return snapshot_html(source.content, list(source.quotes.select_related("speaker")))

    create_service = staticmethod(services.source_create)
    update_service = staticmethod(services.source_update)
    service_fields = services.SOURCE_FIELDS

    def create_values(self, form) -> dict:
        return {**super().create_values(form), "content": form.cleaned_data.get("content", "")}

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.is_absent:
            return
        source = formset.instance
        # Refused (and nothing of the page saved) while evidence cites the quote.
        delete_rows(formset, lambda quote: services.quote_delete(quote_id=quote.pk, actor=request.user))
        for row in changed_rows(formset):
            if row.instance.pk:
                changed = {name: row.cleaned_data[name] for name in row.changed_data
                           if name in services.QUOTE_FIELDS}
                quote = services.quote_update(quote=row.instance, actor=request.user, **changed)
                formset.changed_objects.append((quote, list(changed)))
            else:
                formset.new_objects.append(services.quote_create(
                    actor=request.user, source=source, speaker=row.cleaned_data["speaker"],
                    text=row.cleaned_data["text"], is_candidate=row.cleaned_data["is_candidate"],
                ))


class AnchorStatusFilter(admin.SimpleListFilter):
    """Anchor status, plus "needs review": every quote an editor should look at."""

    title = _("anchor status")
    parameter_name = "anchor"

    def lookups(self, request, model_admin):
        return [("needs_review", "⚠ Needs review (unverified, drifted, orphaned)"),
                *Quote.AnchorStatus.choices]

    def queryset(self, request, queryset):
        if self.value() == "needs_review":
            return queryset.filter(anchor_status__in=NEEDS_REVIEW)
        if self.value() in Quote.AnchorStatus.values:
            return queryset.filter(anchor_status=self.value())
        return queryset


class SpeakerForm(forms.Form):
    """One person, chosen with the admin's autocomplete (as on the quote's page)."""

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"] = forms.ModelChoiceField(
            queryset=Person.objects.all(), help_text=_("Type to search people."),
            widget=AutocompleteSelect(Quote._meta.get_field("speaker"), admin_site),
        )


class NeedsSpeakerFilter(QueryListFilter):
    """Quotations an import kept without finding who said them."""

    title = _("needs a speaker")
    parameter_name = "needs_speaker"
    conditions = {"yes": (_("Needs a speaker"), Q(speaker__isnull=True)),
                  "no": (_("Has a speaker"), Q(speaker__isnull=False))}


def autocomplete_source_id(request) -> int | None:
    """The source an autocomplete search for quotes is narrowed to (its ``source`` parameter)."""
    if getattr(request.resolver_match, "url_name", "") != "autocomplete":
        return None
    source_id = request.GET.get("source", "")
    return int(source_id) if source_id.isdigit() else None


@admin.register(Quote)
class QuoteAdmin(ReadableHistoryMixin, ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["short_text", "speaker", "source_title", "anchor", "candidate", "attributed",
                    "drift"]
    list_select_related = ["speaker", "source"]
    list_filter = [NeedsSpeakerFilter, AnchorStatusFilter, "is_candidate",
                   ("speaker", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "speaker__name", "source__title"]
    show_full_result_count = False
    autocomplete_fields = ["source", "speaker", "rendering_of"]
    actions = ["confirm_candidates", "set_speaker"]
    readonly_fields = ["anchor", "drift", "exact", "prefix", "suffix", "start", "end",
                       "variant_list", "created_at", "updated_at", "language_source"]

    def get_search_results(self, request, queryset, search_term):
        """An autocomplete search may send ``source=<id>`` to be offered only that source's
        quotes (a claim's evidence row sends the source chosen in the row)."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source_id = autocomplete_source_id(request)
        if source_id is not None:
            queryset = queryset.filter(source_id=source_id)
        return queryset, may_have_duplicates

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["source", "speaker", "text", "is_candidate"]}),
                     (_("Language"), {"fields": ["language", *(["language_source"] if obj else []),
                                              "rendering_of"]})]
        if obj is not None:
            fieldsets.append((_("Anchor in the source's snapshot (computed on save)"), {
                "fields": ["anchor", "drift", "exact", "prefix", "suffix", "start", "end"],
            }))
            fieldsets.append((_("Variants"), {"fields": ["variant_list"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("source")  # a quote belongs to one source for good
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "text" in form.base_fields:
            form.base_fields["text"].help_text = (
                "The words exactly as the snapshot has them (without the quotation marks). "
                "Not found in the snapshot → saved as “unverified” and flagged."
            )
        return form

    @admin.display(description=_("quote"), ordering="text")
    def short_text(self, quote: Quote) -> str:
        return Truncator(quote.text).chars(100)

    @admin.display(description=_("source"), ordering="source__title")
    def source_title(self, quote: Quote) -> str:
        return Truncator(quote.source.title or quote.source.url).chars(60)

    @admin.display(description=_("anchor status"), ordering="anchor_status")
    def anchor(self, quote: Quote) -> str:
        return anchor_badge(quote)

    @admin.display(description=_("candidate"), ordering="is_candidate")
    def candidate(self, quote: Quote) -> str:
        if not quote.is_candidate:
            return "—"
        return format_html('<span class="fc-badge fc-candidate">{}</span>', gettext("to confirm"))

    @admin.display(description=_("old → new text"))
    def drift(self, quote: Quote) -> str:
        return drift_html(quote)

    @admin.display(description=_("variants"))
    def variant_list(self, quote: Quote) -> str:
        variants = list(quote.variants.select_related("source"))
        if not variants:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join(
            "", "<li>{} <small>({})</small></li>",
            ((v.text, v.source.title or v.source.url) for v in variants),
        ))

    def get_deleted_objects(self, objs, request):
        """Django's "Cannot delete" page names the claims whose evidence cites each quote."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            cited = Quote.objects.filter(pk__in=[quote.pk for quote in objs], evidence__isnull=False)
            protected = [f"Claim #{pk} “{Truncator(text).chars(80)}” cites “{Truncator(quote).chars(40)}”"
                         for pk, text, quote in cited.order_by("pk", "evidence__claim_id").distinct()
                         .values_list("evidence__claim_id", "evidence__claim__text", "text")]
        return to_delete, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        services.quote_delete(quote_id=obj.pk, actor=request.user)

    def delete_queryset(self, request, queryset):
        """The bulk "delete selected" action: one service call per quote. Django's confirmation
        page already refuses quotes cited as evidence; one cited since is reported, not a 500."""
        for quote_id in queryset.order_by("pk").values_list("pk", flat=True):
            try:
                services.quote_delete(quote_id=quote_id, actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)

    @admin.display(description=_("attributed"), ordering="attribution_confidence")
    def attributed(self, quote: Quote) -> str:
        """How the import found the speaker, and its confidence."""
        if not quote.attribution or quote.attribution_confidence is None:
            return quote.attribution
        return f"{quote.attribution.replace('_', ' ')} ({quote.attribution_confidence:.0%})"

    @admin.action(description=_("Set the speaker of selected quotes"), permissions=["change"])
    def set_speaker(self, request, queryset):
        """The "needs a speaker" queue's tool: pick who said the selected quotes (one person)."""
        form = SpeakerForm(request.POST if "apply" in request.POST else None,
                           admin_site=self.admin_site)
        if form.is_valid():
            speaker = form.cleaned_data["speaker"]
            quotes = list(queryset)
            for quote in quotes:
                services.quote_update(quote=quote, actor=request.user, speaker=speaker)
            messages.success(request, f"{len(quotes)} quote(s) now attributed to {speaker}.")
            return None
        quotes = list(queryset.select_related("speaker", "source"))
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
            "media": self.media + form.media, "quotes": quotes,
            "title": f"Who said {len(quotes)} selected quote{'s' if len(quotes) != 1 else ''}?",
        }
        return TemplateResponse(request, "admin/sources/quote/set_speaker.html", context)

    @admin.action(description=_("Confirm selected candidate quotes"), permissions=["change"])
    def confirm_candidates(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        confirmed = services.quotes_confirm(quote_ids=ids, actor=request.user)
        messages.success(request, f"{confirmed} candidate quote(s) confirmed (and their speakers).")
        unnamed = Quote.objects.filter(pk__in=ids, is_candidate=True, speaker__isnull=True).count()
        if unnamed:
            messages.warning(request, f"{unnamed} quote(s) left as candidates: name the speaker first.")

    def save_model(self, request, obj, form, change):
        if change:
            services.quote_update(
                quote=obj, actor=request.user,
                **form_values(form, services.QUOTE_FIELDS, changed_only=True),
            )
        else:
            obj.pk = services.quote_create(
                actor=request.user, source=form.cleaned_data["source"], speaker=form.cleaned_data["speaker"],
                text=form.cleaned_data["text"], is_candidate=form.cleaned_data["is_candidate"],
                language=form.cleaned_data.get("language") or None,
                rendering_of=form.cleaned_data.get("rendering_of"),
            ).pk
        obj.refresh_from_db()
        if obj.anchor_status != Quote.AnchorStatus.ANCHORED:
            messages.warning(
                request, f"The quote was not found in the source's text: saved as "
                f"“{obj.get_anchor_status_display()}”. Check the words against the snapshot."
            )
