"""The sources admin's ingestion pages: "Import article" (a URL, or pasted text/HTML) queues the
same import as the command and the API, then its status page follows the job (it reloads itself
until the job ends, no JavaScript) and links to the candidate quotes to review; "Fetch again"
queues a re-import of the selected sources."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from factcheck.admin_mixins import ExtraPagesAdminMixin
from factcheck.errors import DomainError
from jobs.selectors import jobs_visible_to
from sources.fetch import FetchError
from sources.parsing import FORMATS
from sources.tasks import defer_article_import


class ImportArticleForm(forms.Form):
    url = forms.URLField(required=False, max_length=2000, assume_scheme="https",
                         help_text="The article's address. Fetched when no text is pasted below.")
    content = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
                              strip=False, label="Pasted text or HTML",
                              help_text="Optional: the article itself (HTML, Markdown or plain text).")
    format = forms.ChoiceField(choices=[("", "Guess")] + [(f, f) for f in FORMATS], required=False)
    title = forms.CharField(required=False, max_length=500)
    outlet = forms.CharField(required=False, max_length=253, help_text="The outlet's domain, e.g. voz.us.")
    published_at = forms.DateTimeField(required=False, help_text="e.g. 2025-05-03 18:00")
    language = forms.CharField(required=False, max_length=12)

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("content"):
            raise forms.ValidationError("Give the article's URL, or paste its text.")
        return data


class SourceImportAdminMixin(ExtraPagesAdminMixin):
    """Mixed into SourceAdmin: the import page, the job status page and the "Fetch again" action."""

    actions = ["fetch_again"]

    extra_pages = (
        ("import/", "import_view", "import"),
        ("import/jobs/<int:job_id>/", "import_job_view", "import_job"),
    )

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportArticleForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                job = defer_article_import(
                    actor=request.user, url=data["url"], content=data["content"] or None,
                    format=data["format"], title=data["title"], outlet_domain=data["outlet"],
                    published_at=data["published_at"], language=data["language"],
                )
            except (DomainError, FetchError) as exc:
                form.add_error("url" if isinstance(exc, FetchError) else None, exc.message)
            else:
                return redirect("admin:sources_source_import_job", job_id=job.pk)
        context = {**self.admin_site.each_context(request), "opts": self.model._meta,
                   "title": "Import article", "form": form}
        return TemplateResponse(request, "admin/sources/source/import_article.html", context)

    def import_job_view(self, request, job_id: int):
        job = jobs_visible_to(request.user).filter(pk=job_id).first()
        if job is None:
            raise Http404("No such job.")
        source_id = (job.result or {}).get("source", {}).get("id")
        candidates = f"?source__id__exact={source_id}&is_candidate__exact=1"
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": f"Import job #{job.pk}: {job.get_status_display().lower()}", "job": job,
            "arguments_url": job.arguments.get("url", ""),
            "source_url": reverse("admin:sources_source_change", args=[source_id]) if source_id else "",
            "candidates_url": reverse("admin:sources_quote_changelist") + candidates if source_id else "",
        }
        return TemplateResponse(request, "admin/sources/source/import_job.html", context)

    def fetch_again(self, request, queryset):
        queued, skipped = [], 0
        for source in queryset.order_by("pk"):
            if not source.url:
                skipped += 1
                continue
            try:
                job = defer_article_import(actor=request.user, source=source, url=source.url)
            except (DomainError, FetchError) as exc:
                messages.error(request, f"{source.url}: {exc.message}")
                continue
            queued.append(job)
        if queued:
            links = ", ".join(f"#{job.pk}" for job in queued)
            messages.success(request, f"Queued {len(queued)} fetch{'es' if len(queued) != 1 else ''} "
                                      f"(jobs {links}); the sources update when the jobs finish.")
        if skipped:
            messages.warning(request, f"{skipped} source(s) without a URL skipped.")

    fetch_again.short_description = "Fetch again (re-import the selected sources)"
    fetch_again.allowed_permissions = ("add",)
