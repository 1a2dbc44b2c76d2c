"""Background work on sources (procrastinate tasks, found by autodiscovery).

- ``import_article``: one article import (``sources.importing.article_import`` with the arguments
  stored on the Job, run as the user who asked, or the system for scheduled work). Idempotent:
  importing the same URL and text again changes nothing; the store is one transaction.
- ``recheck_sources`` (hourly): re-imports, in batches, articles whose text was last checked more
  than ``FACTCHECK_RECHECK_HOURS`` ago — a changed page gets a new snapshot and its quotes are
  re-anchored (drifted and orphaned quotes are flagged for editors).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from procrastinate.contrib.django import app

from factcheck.actors import SYSTEM, require_permission
from jobs.execution import RETRY, run_attempt
from jobs.models import Job
from jobs.services import job_defer
from sources.fetch import check_url
from sources.importing import article_import
from sources.models import Source

ARTICLE_IMPORT = "article_import"
IMPORT_ARGUMENTS = frozenset({"url", "content", "format", "fetch_from", "title", "outlet_domain",
                              "published_at", "language", "byline"})


@app.task(queue="imports", retry=RETRY, pass_context=True)
def import_article(context, job_id: int) -> None:
    run_attempt(context, job_id, _run_import)


def _run_import(job: Job, actor) -> dict:
    return article_import(**job.arguments, actor=actor).as_json()


def defer_article_import(*, actor, source: Source | None = None, **arguments) -> Job:
    """Queue an article import (same arguments as ``article_import``) and return its Job.

    Checked now, before anything is queued: the actor's permission, and a URL whose scheme or
    literal address the fetcher would refuse (a name is resolved and checked by the job).
    """
    require_permission(actor, "sources.add_source", "Your role does not allow you to import articles.")
    unknown = set(arguments) - IMPORT_ARGUMENTS
    if unknown:
        raise TypeError(f"Unknown import arguments: {sorted(unknown)}")
    if arguments.get("content") is None and (arguments.get("fetch_from") or arguments.get("url")):
        check_url(arguments.get("fetch_from") or arguments["url"])
    if isinstance(arguments.get("published_at"), dt.datetime):
        arguments["published_at"] = arguments["published_at"].isoformat()
    arguments = {name: value for name, value in arguments.items() if value not in ("", None)}
    return job_defer(task=import_article, kind=ARTICLE_IMPORT, actor=actor, arguments=arguments,
                     subject=f"source:{source.pk}" if source is not None else "")


def sources_due_for_recheck(*, hours: float, limit: int) -> list[Source]:
    """Articles with a URL and a text snapshot, not fetched (nor queued for it) in ``hours``."""
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    recent_job = Job.objects.filter(
        kind=ARTICLE_IMPORT, created_at__gte=cutoff,
        subject=Concat(Value("source:"), Cast(OuterRef("pk"), CharField())),
    )
    return list(
        Source.objects.filter(kind=Source.Kind.ARTICLE).exclude(url="")
        .filter(Q(retrieved_at__lt=cutoff) | Q(retrieved_at__isnull=True))
        .exclude(Exists(recent_job))
        .order_by("retrieved_at", "pk").only("pk", "url")[:limit]
    )


@app.periodic(cron="17 * * * *", periodic_id="recheck_sources")
@app.task(queue="maintenance", queueing_lock="recheck_sources")
def recheck_sources(timestamp: int) -> int:
    """Hourly: queue an import job for each article due for a re-check (one batch)."""
    due = sources_due_for_recheck(hours=settings.FACTCHECK_RECHECK_HOURS,
                                  limit=settings.FACTCHECK_RECHECK_BATCH)
    for source in due:
        defer_article_import(actor=SYSTEM, source=source, url=source.url)
    return len(due)
