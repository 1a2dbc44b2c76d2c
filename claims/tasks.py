"""Background work on claims (procrastinate tasks, found by autodiscovery).

- ``pull_claimreview_feed``: fetch one ``ClaimReviewFeed`` safely (``sources.fetch``) and import
  its reviews through ``claims.claimreview_import`` (all or nothing; importing the same reviews
  again changes nothing), recording when it was pulled or why it failed on the feed.
- ``pull_claimreview_feeds`` (hourly): queue a pull for every enabled feed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from procrastinate.contrib.django import app

from claims.claimreview_import import claimreview_import
from claims.models import ClaimReviewFeed
from factcheck.actors import SYSTEM, require_permission
from factcheck.audit import audit_context
from factcheck.errors import DomainError
from jobs.execution import RETRY, run_attempt
from jobs.models import Job
from jobs.services import job_defer
from sources.fetch import JSON_CONTENT_TYPES, FetchError, fetch_url
from sources.importing import REFUSALS, FetchFailed, FetchRefused

CLAIMREVIEW_PULL = "claimreview_pull"


@app.task(queue="imports", retry=RETRY, pass_context=True)
def pull_claimreview_feed(context, job_id: int) -> None:
    run_attempt(context, job_id, _pull)


def _pull(job: Job, actor) -> dict:
    feed = ClaimReviewFeed.objects.get(pk=job.arguments["feed"])
    try:
        page = fetch_url(feed.url, allowed_types=JSON_CONTENT_TYPES)
        with transaction.atomic(), audit_context(actor, action="claimreview_pull"):
            result = claimreview_import(content=page.text, actor=actor)
            _record(feed, error="")
    except FetchError as exc:
        _record(feed, error=exc.message)
        raise (FetchRefused if exc.code in REFUSALS else FetchFailed)(exc.message, code=exc.code) from exc
    except DomainError as exc:
        _record(feed, error=exc.message)
        raise
    return {"feed": feed.pk, "created": [c.pk for c in result.created],
            "updated": [c.pk for c, _ in result.updated], "unchanged": len(result.unchanged),
            "summary": result.summary()}


def _record(feed: ClaimReviewFeed, *, error: str) -> None:
    fields = {"last_error": error[:300]}
    if not error:
        fields["last_pulled_at"] = timezone.now()
    ClaimReviewFeed.objects.filter(pk=feed.pk).update(**fields)


def defer_feed_pull(*, feed: ClaimReviewFeed, actor) -> Job:
    require_permission(actor, "claims.add_claim", "Your role does not allow you to import reviews.")
    return job_defer(task=pull_claimreview_feed, kind=CLAIMREVIEW_PULL, actor=actor,
                     arguments={"feed": feed.pk}, subject=f"feed:{feed.pk}")


@app.periodic(cron="43 * * * *", periodic_id="pull_claimreview_feeds")
@app.task(queue="maintenance", queueing_lock="pull_claimreview_feeds")
def pull_claimreview_feeds(timestamp: int) -> int:
    """Hourly: queue a pull of every enabled feed (as the system)."""
    feeds = list(ClaimReviewFeed.objects.filter(enabled=True).order_by("pk"))
    for feed in feeds:
        defer_feed_pull(feed=feed, actor=SYSTEM)
    return len(feeds)
