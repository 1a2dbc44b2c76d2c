"""The triage queue's filters (every parameter appears in the OpenAPI schema).

An unknown source, outlet, speaker or topic is a 400 naming the parameter, never an ignored
filter. ``days`` and ``status`` are read by the view (they choose the queue, see
``triage.selectors.triage_queue``).
"""

from __future__ import annotations

import django_filters as filters
from drf_spectacular.utils import extend_schema_field

from claims.filters import unknown
from claims.models import Topic
from claims.selectors import outlets_visible_to, people_visible_to, sources_visible_to
from factcheck.api.filtering import IdFilter, ViewerFilterSet
from triage.models import SentenceCandidate
from triage.selectors import RECENT_DAYS

TOPIC_HELP = ("Topic slug (a topic whose name the sentence or its source's title mentions); "
              "repeat for several.")


class TriageFilter(ViewerFilterSet):
    source = IdFilter(method="filter_source", help_text="Id of the source the sentence is from.")
    outlet = filters.CharFilter(method="filter_outlet",
                                help_text="Domain of the source's outlet, e.g. voz.us.")
    speaker = filters.CharFilter(method="filter_speaker",
                                 help_text="Slug or id of the person whose quote the sentence contains.")
    topic = filters.ModelMultipleChoiceFilter(
        method="filter_topic", to_field_name="slug", queryset=Topic.objects.all(), help_text=TOPIC_HELP)
    language = filters.CharFilter(method="filter_language", max_length=12,
                                  help_text="Primary language subtag, e.g. en or es.")
    min_score = filters.NumberFilter(field_name="score", lookup_expr="gte", min_value=0, max_value=1,
                                     help_text="Only sentences scoring at least this (0..1).")
    days = filters.NumberFilter(method="filter_noop", min_value=1, max_value=36500,
                                help_text=f"Sources of the last N days (default {RECENT_DAYS}).")
    status = filters.ChoiceFilter(method="filter_noop", choices=SentenceCandidate.Status.choices,
                                  help_text="pending (default: the queue), accepted or dismissed.")

    class Meta:
        model = SentenceCandidate
        fields: list[str] = []

    # Relation values are looked up among what the caller may see, so the filters never tell a
    # caller whether a private object exists.
    def filter_source(self, queryset, name, value):
        if not sources_visible_to(self.viewer).filter(pk=int(value)).exists():
            raise unknown("source", int(value))
        return queryset.filter(source_id=int(value))

    def filter_outlet(self, queryset, name, value):
        domain = value.strip().lower().removeprefix("www.")
        outlet = outlets_visible_to(self.viewer).filter(domain=domain).values("pk").first()
        if outlet is None:
            raise unknown("outlet", value)
        return queryset.filter(source__outlet_id=outlet["pk"])

    def filter_speaker(self, queryset, name, value):
        condition = {"pk": int(value)} if value.isdigit() else {"slug": value}
        person = people_visible_to(self.viewer).filter(**condition).values("pk").first()
        if person is None:
            raise unknown("speaker", value)
        return queryset.filter(speaker_id=person["pk"])

    @extend_schema_field({"type": "string", "description": TOPIC_HELP})
    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(topics__in=[topic.pk for topic in value]).distinct()

    def filter_language(self, queryset, name, value):
        return queryset.filter(language=value.strip().lower().split("-")[0])

    def queue_arguments(self) -> dict:
        """``days`` and ``status`` for ``triage_queue``."""
        data = self.form.cleaned_data
        return {"days": int(data["days"]) if data.get("days") else RECENT_DAYS,
                "status": data.get("status") or SentenceCandidate.Status.PENDING}
