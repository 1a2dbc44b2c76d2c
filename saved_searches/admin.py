"""Saved searches in admin: a user's own and their organisations', what is new in each, their
exports (CSV, JSON, NDJSON — the API's exporter), and "Save this search" from the claims list."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.selectors import changeable_by, organisations_of, shared_with
from claims.exports import FORMATS, export_response
from factcheck.admin_mixins import ExtraPagesAdminMixin, ServiceAdminMixin
from factcheck.errors import DomainError, InvalidInput
from saved_searches import selectors, services
from saved_searches.from_admin import api_query_from_admin
from saved_searches.models import SavedSearch
from webhooks.models import WebhookEndpoint


def query_errors(error: InvalidInput) -> list[str]:
    """A refused query's problems as lines (``rating: …``)."""
    return [f"{name.removeprefix('query.')}: {' '.join(map(str, problems))}"
            for name, problems in error.fields.items()] or [error.message]


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "query", "organisation", "notify_endpoint"]

    def clean_query(self):
        try:
            selectors.claims_filter(self.cleaned_data["query"].lstrip("?"), self.user)
        except InvalidInput as error:
            raise forms.ValidationError(query_errors(error)) from None
        return self.cleaned_data["query"]


class SaveClaimsSearchForm(forms.Form):
    """"Save this search" from the claims list: a name for the list's filters."""

    name = forms.CharField(label=_("name"), max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=None, required=False,
        help_text=_("Empty: the search is yours. Else it belongs to the organisation."))
    claims_query = forms.CharField(widget=forms.HiddenInput, required=False)
    without_untranslated = forms.BooleanField(
        label=_("Save it without the filters above that the API has no equivalent for"), required=False)


@admin.register(SavedSearch)
class SavedSearchAdmin(ExtraPagesAdminMixin, ServiceAdminMixin, admin.ModelAdmin):
    """Saved searches you may see (yours, your organisations'), with what is new, links to the
    list and exports; saved and changed through the services (the same rules as the API)."""

    form = SavedSearchForm
    list_display = ["name", "owned_by", "query", "new", "links", "last_seen_at"]
    search_fields = ["name", "query"]
    change_form_template = "admin/saved_searches/savedsearch/change_form.html"

    def get_queryset(self, request):
        return selectors.saved_searches_of(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # A bulk delete would skip the services' rule (an organisation's managers and its creator).
        actions.pop("delete_selected", None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        return ["organisation"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the user's own organisations and the webhook endpoints they may see are offered.
        if db_field.name == "organisation":
            kwargs["queryset"] = organisations_of(request.user)
        elif db_field.name == "notify_endpoint":
            kwargs["queryset"] = shared_with(request.user, WebhookEndpoint.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("belongs to"))
    def owned_by(self, obj):
        return obj.owner_label

    @admin.display(description=_("new since last visit"))
    def new(self, obj):
        return selectors.new_matches(obj, selectors.search_viewer(obj))

    @admin.display(description=_("open"))
    def links(self, obj):
        exports = format_html_join(" · ", '<a href="{}">{}</a>', (
            (reverse("admin:saved_searches_savedsearch_export", args=[obj.pk, name]), name.upper())
            for name in FORMATS))
        return format_html('<a href="/api/v1/claims/?{}">claims</a> · {} · <a href="/api/v1/saved-searches/'
                           '{}/">API</a>', obj.query, exports, obj.pk)

    def save_model(self, request, obj, form, change):
        notify = form.cleaned_data.get("notify_endpoint")
        notify_id = notify.pk if notify else None
        if change:
            saved = services.saved_search_update(actor=request.user, search_id=obj.pk, name=obj.name,
                                                 query=obj.query, notify_endpoint=notify_id)
        else:
            organisation = form.cleaned_data.get("organisation")
            saved = services.saved_search_create(
                actor=request.user, name=obj.name, query=obj.query, notify_endpoint=notify_id,
                organisation=organisation.slug if organisation else None)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.saved_search_delete(actor=request.user, search_id=obj.pk)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._changeable(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._changeable(request, obj))

    def _changeable(self, request, obj) -> bool:
        return changeable_by(request.user, SavedSearch.objects.filter(pk=obj.pk)).exists()

    # --- extra pages: export, and "Save this search" from the claims list ---

    extra_pages = (
        ("from-claims/", "from_claims_view", "from_claims"),
        ("<int:pk>/export/<str:export_format>/", "export_view", "export"),
    )

    def export_view(self, request, pk: int, export_format: str):
        """The search's claims in ``export_format``, as the API's export streams them."""
        if export_format not in FORMATS or not self.has_view_permission(request):
            raise Http404("No such export.")
        try:
            search = selectors.saved_search_of(request.user, pk)
            claims = selectors.saved_search_claims(search, request.user)
        except DomainError as error:
            raise Http404(error.message) from None
        return export_response(claims, request.user, export_format)

    def from_claims_view(self, request):
        """A form asking for a name, saving the claims list's filters (``claims_query``: the admin
        claims list's query string) as the API's equivalent query; filters without an equivalent
        are named, and saving needs the editor to agree to leave them out."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SaveClaimsSearchForm(request.POST or None,
                                    initial={"claims_query": request.GET.get("claims_query", "")})
        form.fields["organisation"].queryset = organisations_of(request.user)
        if not form.fields["organisation"].queryset.exists():
            del form.fields["organisation"]  # not in any organisation: the search is theirs
        claims_query = (form.data.get("claims_query") if form.is_bound
                        else request.GET.get("claims_query", "")) or ""
        translation = api_query_from_admin(claims_query)
        if form.is_bound and form.is_valid():
            if translation.untranslated and not form.cleaned_data["without_untranslated"]:
                form.add_error("without_untranslated", _("These filters would not be kept: agree "
                                                         "to save without them, or remove them."))
            else:
                saved = self._save_from_claims(request, form, translation.query)
                if saved is not None:
                    messages.success(request, _("Saved the search “%(name)s”.") % {"name": saved.name})
                    return HttpResponseRedirect(
                        reverse("admin:saved_searches_savedsearch_change", args=[saved.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Save this search"), "opts": self.model._meta, "form": form,
            "api_query": translation.query, "untranslated": translation.untranslated,
            "claims_list_url": reverse("admin:claims_claim_changelist") + (
                f"?{claims_query}" if claims_query else ""),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/saved_searches/savedsearch/from_claims.html", context)

    def _save_from_claims(self, request, form, query: str) -> SavedSearch | None:
        organisation = form.cleaned_data.get("organisation")
        try:
            return services.saved_search_create(
                actor=request.user, name=form.cleaned_data["name"], query=query,
                organisation=organisation.slug if organisation else None)
        except InvalidInput as error:
            for name, problems in error.fields.items():
                target = name if name in form.fields and name != "claims_query" else None
                form.add_error(target, [f"{name}: {p}" if target is None else str(p) for p in problems])
            if not error.fields:
                form.add_error(None, error.message)
            return None
