"""Admin plumbing shared by every app's ModelAdmin: saving through services, extra pages.

The admin writes only through services (``claims.services``, ``sources.services``), so a save can
be refused by a rule the form cannot see (a retracted claim's evidence is frozen, a quote belongs to
another source, a URL is already taken). ``ServiceAdminMixin`` turns such a refusal into what an
editor expects from a form: nothing saved, the page shown again with their input, the refusal
explained in a message and next to the field it concerns.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext

from factcheck.errors import DomainError
from factcheck.history import readable_history

REFUSAL_ATTR = "_service_refusal"


def refusal_field_errors(error: DomainError) -> dict[str, list[str]]:
    """The refusal's per-field messages, when they are plain text (some carry structured data)."""
    result = {}
    for name, value in (error.fields or {}).items():
        if isinstance(value, str):
            result[name] = [value]
        elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            result[name] = list(value)
    return result


def form_values(form, names, *, changed_only: bool = False) -> dict:
    """The form's cleaned values for the fields a service accepts (``names``); with
    ``changed_only``, just those the editor changed — what an ``*_update`` service wants."""
    return {
        name: form.cleaned_data[name] for name in names
        if name in form.cleaned_data and (not changed_only or name in form.changed_data)
    }


class RefusedSaveFormMixin:
    """Makes a form invalid with the service's refusal, so the change form is shown again."""

    service_refusal: DomainError

    def clean(self):
        cleaned_data = super().clean()
        for name, field_messages in refusal_field_errors(self.service_refusal).items():
            if name in self.fields:
                for message in field_messages:
                    self.add_error(name, message)
        self.add_error(None, gettext("Nothing was saved: %(why)s") % {"why": self.service_refusal.message})
        return cleaned_data


class ServiceAdminMixin:
    """For ModelAdmins whose ``save_model``/``save_formset`` call services.

    A ``DomainError`` raised while saving aborts the admin's transaction (so nothing of the request
    is kept: not the claim fields, not half the inline rows); the view then runs once more with the
    same POST and a form made invalid by the refusal, which re-renders the page with the editor's
    input, an error message and the field errors.
    """

    # Saving declared rather than written: the create and update services (``staticmethod``s)
    # and the fields they take. The update service gets the object under its model name
    # (``rating_update(rating=…)``) and only the fields the editor changed; it re-reads the stored
    # row itself. Without them, ``save_model`` is the subclass's.
    create_service = None
    update_service = None
    service_fields: frozenset[str] = frozenset()

    def create_values(self, form) -> dict:
        """What the create service takes from the form (override to add more)."""
        return form_values(form, self.service_fields)

    def save_model(self, request, obj, form, change):
        if self.update_service is None:
            return super().save_model(request, obj, form, change)
        if change:
            self.update_service(actor=request.user, **{self.model._meta.model_name: obj},
                                **form_values(form, self.service_fields, changed_only=True))
        else:
            obj.pk = self.create_service(actor=request.user, **self.create_values(form)).pk
        obj.refresh_from_db()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            if request.method != "POST" or hasattr(request, REFUSAL_ATTR):
                raise
            setattr(request, REFUSAL_ATTR, error)
            messages.error(request, error.message)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        """A refused deletion (e.g. the claim left the draft state meanwhile) is a message on the
        object's page, not a server error."""
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as error:
            messages.error(request, error.message)
            opts = self.model._meta
            return HttpResponseRedirect(reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=[object_id]
            ))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, REFUSAL_ATTR, None)
        if refusal is None:
            return form
        return type(form.__name__, (RefusedSaveFormMixin, form), {"service_refusal": refusal})


class AbsentMeansUnchangedFormSet(BaseInlineFormSet):
    """An inline formset that a POST may leave out entirely.

    The admin page always posts every inline's management form; a script or test posting only the
    parent's fields (and the inlines it cares about) leaves the other inlines' rows untouched
    instead of failing with "ManagementForm data is missing".
    """

    def __init__(self, data=None, files=None, instance=None, save_as_new=False, prefix=None,
                 queryset=None, **kwargs):
        prefix = prefix or self.get_default_prefix()
        self.is_absent = data is not None and f"{prefix}-TOTAL_FORMS" not in data
        if self.is_absent:
            data = files = None
        super().__init__(data, files, instance=instance, save_as_new=save_as_new, prefix=prefix,
                         queryset=queryset, **kwargs)

    def is_valid(self):
        return True if self.is_absent else super().is_valid()

    def save(self, commit=True):
        if self.is_absent:
            self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
            return []
        return super().save(commit=commit)


def delete_rows(formset, delete) -> None:
    """Delete the formset's existing rows marked for deletion, each through ``delete(instance)``
    (a service call), and record them among the formset's deleted objects."""
    for row in formset.deleted_forms:
        if row.instance.pk:
            delete(row.instance)
            formset.deleted_objects.append(row.instance)


def changed_rows(formset, rows=None) -> list:
    """The rows (``formset.forms``, or the ones given) that changed and are not being deleted."""
    return [row for row in (formset.forms if rows is None else rows)
            if row not in formset.deleted_forms and row.has_changed()]


class ReadableHistoryMixin:
    """The object page's *History* shows the audit trail in words (``factcheck.history``): when,
    who, what action, each changed field as before → after. Staff who may view the object may
    read it; a missing object is a 404."""

    history_limit = 200

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404("No such object.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"History: {obj}",
            "subtitle": None,
            "object": obj,
            "opts": opts,
            "entries": readable_history(obj, limit=self.history_limit),
            "history_limit": self.history_limit,
            "audit_trail_url": raw_audit_trail_url(request, self.admin_site, obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/readable_history.html", context)


def raw_audit_trail_url(request, admin_site, obj) -> str | None:
    """The pghistory Events admin filtered to ``obj``'s raw rows, if the user may see them."""
    from pghistory.models import Events

    model_admin = admin_site._registry.get(Events)
    if model_admin is None or not model_admin.has_view_permission(request):
        return None
    try:
        url = reverse(f"{admin_site.name}:pghistory_events_changelist")
    except NoReverseMatch:
        return None
    return url + "?" + urlencode({"obj": f"{obj._meta.label_lower}:{obj.pk}", "method": "tracks"})


class ExtraPagesAdminMixin:
    """A ModelAdmin's own pages, declared as ``extra_pages``: (route, view method name, URL name
    suffix). Each is behind ``admin_site.admin_view`` (staff only), named
    ``<app_label>_<model_name>_<suffix>`` and matched before the default URLs, whose
    ``<path:object_id>/`` would otherwise take it."""

    extra_pages: tuple[tuple[str, str, str], ...] = ()

    def get_urls(self):
        opts = self.model._meta
        return [
            *(path(route, self.admin_site.admin_view(getattr(self, view)),
                   name=f"{opts.app_label}_{opts.model_name}_{suffix}")
              for route, view, suffix in self.extra_pages),
            *super().get_urls(),
        ]


class QueryListFilter(admin.SimpleListFilter):
    """A changelist filter declared as ``conditions``: parameter value → (label, condition)."""

    conditions: dict[str, tuple[str, Q]] = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _) in self.conditions.items()]

    def queryset(self, request, queryset):
        if self.value() in self.conditions:
            return queryset.filter(self.conditions[self.value()][1])
        return queryset
