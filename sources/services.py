"""Writes for the sources layer. Every door (admin, API, commands, jobs) goes through these.

Each service takes the ``actor`` and checks its model permission (``factcheck.actors``; a command
passes ``SYSTEM``). Update and delete services take ``expected`` (the API's If-Match, a
``factcheck.concurrency.ExpectedEtag``) and compare it under their own row lock: StaleVersion (412).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.text import Truncator

from factcheck.actors import require_permission
from factcheck.concurrency import ExpectedEtag, check_expected
from factcheck.errors import Conflict, InvalidInput, NotFound
from factcheck.fields import apply_fields, unique_slug
from sources.anchoring import anchor_exact
from sources.language import primary_language, settle_language
from sources.models import Outlet, Person, Quote, Source
from sources.reanchoring import reanchor
from sources.signals import source_snapshot_changed
from sources.text import normalize_quote_text, normalize_snapshot, sha256_hex
from sources.urls_normalize import normalize_domain, normalize_url, url_domain

# --- Renaming what public pages show ----------------------------------------------------------
#
# A person's or outlet's name appears on public verdict pages, so renaming one that published
# fact checks show is an editorial change: it needs ``sources.rename_public_person`` /
# ``rename_public_outlet`` (the Reviewer role; superusers and SYSTEM hold every permission).
# What is public is decided above this layer (claims decide what is published), so this layer
# never asks claims itself: the public site registers a check per model at start-up
# (``register_public_use`` in public/apps.py) and the services call it.

_PUBLIC_USE_CHECKS: dict[type, list[Callable[[int], bool]]] = {Person: [], Outlet: []}
RENAME_RULES = {
    Person: ("sources.rename_public_person",
             "Renaming a person that published fact checks show needs the reviewer role."),
    Outlet: ("sources.rename_public_outlet",
             "Renaming an outlet that published fact checks show needs the reviewer role."),
}
RENAMING_FIELDS = {"name"}


def register_public_use(model: type, check: Callable[[int], bool]) -> None:
    """Register ``check(pk) -> bool``: whether public pages show the ``model`` row ``pk``."""
    if check not in _PUBLIC_USE_CHECKS[model]:
        _PUBLIC_USE_CHECKS[model].append(check)


def is_shown_publicly(obj: Person | Outlet) -> bool:
    """Whether any registered check says public pages show ``obj`` (one query per check)."""
    return any(check(obj.pk) for check in _PUBLIC_USE_CHECKS[type(obj)])


def _new_unique(model, key: str, value, message: str, fields: dict, allowed: set[str]):
    """A new, unsaved ``model`` object with ``key=value`` and the ``allowed`` ``fields``; refused
    (InvalidInput, 400, ``message``) when one with that value exists."""
    if model.objects.filter(**{key: value}).exists():
        raise InvalidInput(message, fields={key: ["Duplicate."]})
    obj = model(**{key: value})
    apply_fields(obj, fields, allowed - {key})
    return obj


def _save_edit(obj: Person | Outlet, fields: dict, allowed: set[str], actor) -> None:
    """Set the ``allowed`` fields of a locked person or outlet, refuse a rename the actor may not
    make, validate and save what changed."""
    changed = apply_fields(obj, fields, allowed)
    _check_rename(obj, changed, actor)
    if changed:
        obj.full_clean()
        obj.save(update_fields=[*changed, "updated_at"])


def _check_rename(obj: Person | Outlet, changed: list[str], actor) -> None:
    """Refuse (NotPermitted, 403) a rename of a publicly shown person/outlet without the right."""
    if RENAMING_FIELDS.intersection(changed) and is_shown_publicly(obj):
        permission, message = RENAME_RULES[type(obj)]
        require_permission(actor, permission, message)


# --- Outlets and people ---------------------------------------------------------------------

OUTLET_FIELDS = {"name", "domain", "homepage_url", "country", "language"}


@transaction.atomic
def outlet_get_or_create(*, actor, domain: str, **defaults: Any) -> tuple[Outlet, bool]:
    """The outlet of ``domain`` (normalized), created with ``defaults`` when new."""
    domain = normalize_domain(domain)
    if not domain:
        raise InvalidInput("An outlet needs a domain.", fields={"domain": ["Required."]})
    defaults.setdefault("name", domain)
    if not Outlet.objects.filter(domain=domain).exists():
        require_permission(actor, "sources.add_outlet", "Your role does not allow you to create outlets.")
    outlet, created = Outlet.objects.get_or_create(domain=domain, defaults=defaults)
    if created:
        outlet.full_clean()
    return outlet, created


PERSON_FIELDS = {"name", "kind", "title", "country", "wikidata_id", "aliases", "url", "is_candidate"}


@transaction.atomic
def person_create(*, actor, name: str, slug: str = "", **fields: Any) -> Person:
    require_permission(actor, "sources.add_person", "Your role does not allow you to create people.")
    person = Person(name=name.strip(), slug=slug or unique_slug(Person, name))
    apply_fields(person, fields, PERSON_FIELDS)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, actor, expected: ExpectedEtag | None = None, **fields: Any) -> Person:
    """Edit a person. Locks the row; ``expected`` is compared under the lock (StaleVersion).
    Renaming someone public pages show needs ``sources.rename_public_person`` (NotPermitted)."""
    require_permission(actor, "sources.change_person", "Your role does not allow you to edit people.")
    person = _lock(Person, person.pk, "No such person.")
    check_expected(expected, person)
    _save_edit(person, fields, PERSON_FIELDS, actor)
    return person


# --- Sources --------------------------------------------------------------------------------

SOURCE_FIELDS = {
    "outlet", "title", "byline", "published_at", "language", "kind", "archive_url", "url",
}


def prepare_url(url: str) -> str:
    """The canonical spelling of a source URL (``normalize_url``); InvalidInput naming ``url``."""
    try:
        return normalize_url(url)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"url": [str(exc)]}) from exc


@transaction.atomic
def source_create(
    *, actor, url: str, content: str = "", retrieved_at=None, declared_language: str = "",
    **fields: Any,
) -> Source:
    """Create a Source with a normalized URL and text snapshot (and its SHA-256).

    When no outlet is given, the outlet is found or created from the URL's domain. A ``language``
    given is kept (``sources.language``); else the page's ``declared_language``, else the one
    detected from the snapshot (or the title).
    """
    require_permission(actor, "sources.add_source", "Your role does not allow you to create sources.")
    url = prepare_url(url)
    language = fields.pop("language", None)
    source = _new_unique(Source, "url", url, "A source with this URL already exists.", fields,
                         SOURCE_FIELDS)
    if source.outlet_id is None:
        source.outlet, _ = outlet_get_or_create(actor=actor, domain=url_domain(url))
    _set_content(source, content, retrieved_at)
    settle_language(source, text=source.content or source.title, given=language,
                    declared=declared_language)
    source.full_clean()
    source.save()
    return source


@transaction.atomic
def source_update(
    *, source: Source, actor, expected: ExpectedEtag | None = None, content: str | None = None,
    declared_language: str = "", **fields: Any,
) -> Source:
    """Update a source's metadata and, when ``content`` is given and differs, its snapshot.

    A changed snapshot re-anchors every quote of the source (the old text stays in the audit
    trail) and, unless the language was given, detects the language again (``declared_language``:
    the page's own). A ``language`` passed is given. Holds a row lock on the source while it
    works; ``expected`` is compared under it.
    """
    require_permission(actor, "sources.change_source", "Your role does not allow you to edit sources.")
    source = _lock(Source, source.pk, "No such source.", no_key=False)
    check_expected(expected, source)
    if "url" in fields:
        fields["url"] = prepare_url(fields["url"])
    language = fields.pop("language", None)
    changed = apply_fields(source, fields, SOURCE_FIELDS)
    content_changed = False
    if content is not None:
        normalized = normalize_snapshot(content)
        if normalized != source.content:
            _set_content(source, normalized, timezone.now())
            changed += ["content", "content_sha256", "retrieved_at"]
            content_changed = True
    changed += settle_language(source, text=source.content or source.title, given=language,
                               text_changed=content_changed, declared=declared_language)
    if changed:
        source.full_clean()
        source.save(update_fields=[*changed, "updated_at"])
    if content_changed:
        quotes_reanchor(source=source)
    return source


def _lock(model, pk: int, not_found: str, *, no_key: bool = True):
    """The row, locked until the transaction ends (FOR NO KEY UPDATE: rows merely referencing it
    are not blocked). Raises NotFound."""
    obj = model.objects.select_for_update(no_key=no_key).filter(pk=pk).first()
    if obj is None:
        raise NotFound(not_found)
    return obj


def _set_content(source: Source, content: str, retrieved_at) -> None:
    source.content = normalize_snapshot(content)
    source.content_sha256 = sha256_hex(source.content) if source.content else ""
    source.retrieved_at = retrieved_at or (timezone.now() if source.content else None)
    source_snapshot_changed.send(sender=Source, source=source)


# --- Quotes ---------------------------------------------------------------------------------

QUOTE_FIELDS = {"text", "speaker", "is_candidate", "rendering_of", "language"}


def _anchor(quote: Quote) -> None:
    """Compute the quote's selectors from its source's snapshot."""
    selector = anchor_exact(
        quote.source.content, quote.text, prefix=quote.prefix, suffix=quote.suffix, hint=quote.start
    )
    quote.exact, quote.prefix, quote.suffix = selector.exact, selector.prefix, selector.suffix
    quote.start, quote.end, quote.anchor_status = selector.start, selector.end, selector.status


@transaction.atomic
def quote_create(
    *, actor, source: Source, speaker: Person | None, text: str, is_candidate: bool = False,
    near: int | None = None, attribution: str = "", attribution_confidence: float | None = None,
    language: str | None = None, rendering_of: Quote | None = None,
) -> Quote:
    """Create a quote and anchor it in its source's snapshot (``unverified`` when not found).

    ``near`` picks among repeated occurrences: the one closest to that offset. ``speaker`` may be
    None only for a candidate (an import found the words but not who said them).
    ``attribution``/``attribution_confidence``: how an import found the speaker. ``language``
    is kept as given; else detected from the words, else the source's (``sources.language``).
    ``rendering_of``: the original these words translate (``quote_rendering_check``).
    """
    require_permission(actor, "sources.add_quote", "Your role does not allow you to create quotes.")
    text = normalize_quote_text(text)
    if not text:
        raise InvalidInput("A quote needs its words.", fields={"text": ["Required."]})
    if speaker is None and not is_candidate:
        raise InvalidInput("A confirmed quote needs its speaker.", fields={"speaker": ["Required."]})
    quote = Quote(source=source, speaker=speaker, text=text, is_candidate=is_candidate, start=near,
                  attribution=attribution, attribution_confidence=attribution_confidence,
                  rendering_of=rendering_of)
    settle_language(quote, text=text, given=language, fallback=source.language)
    if rendering_of is not None:
        quote_rendering_check(quote)
    _anchor(quote)
    quote.full_clean()
    quote.save()
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, actor, expected: ExpectedEtag | None = None, **fields: Any) -> Quote:
    """Edit a quote's words (anchored again), speaker or candidate flag (``is_candidate=False``
    confirms it), language (given: kept; else detected again when the words change) or the
    original it renders (``rendering_of``, checked by ``quote_rendering_check``). Locks the row;
    ``expected`` is compared under the lock (StaleVersion)."""
    require_permission(actor, "sources.change_quote", "Your role does not allow you to edit quotes.")
    quote = _lock(Quote, quote.pk, "No such quote.")
    check_expected(expected, quote)
    if "text" in fields:
        fields["text"] = normalize_quote_text(fields["text"])
    language = fields.pop("language", None)
    changed = apply_fields(quote, fields, QUOTE_FIELDS)
    changed += settle_language(quote, text=quote.text, given=language,
                               text_changed="text" in changed, fallback=quote.source.language)
    if {"rendering_of", "language"} & set(changed):
        quote_rendering_check(quote)
    if quote.speaker_id is None and not quote.is_candidate:
        raise InvalidInput("A confirmed quote needs its speaker: name who said it first.",
                           code="speaker_required", fields={"speaker": ["Required."]})
    if "speaker" in changed:  # an editor named the speaker: no longer the import's guess
        quote.attribution, quote.attribution_confidence = "editor", None
        changed += ["attribution", "attribution_confidence"]
    if "text" in changed:
        quote.prefix = quote.suffix = ""
        _anchor(quote)
        changed += ["exact", "prefix", "suffix", "start", "end", "anchor_status"]
    if changed:
        quote.full_clean()
        quote.save(update_fields=[*changed, "updated_at"])
    return quote


def quote_has_renderings(quote: Quote) -> bool:
    return Quote.objects.filter(rendering_of=quote.pk).exists()


def quote_rendering_check(quote: Quote) -> None:
    """Refuse (InvalidInput, ``invalid_rendering``) a rendering link that is not one original
    with its translations: the original must be another quote, in another language, and not a
    rendering itself; a quote that has renderings cannot become one (no chains, so no cycles).
    Renderings of a quote must not share the original's language either. The original's row is
    locked, so two opposite links cannot both pass."""
    def refuse(message: str):
        raise InvalidInput(message, code="invalid_rendering", fields={"rendering_of": [message]})

    if quote.rendering_of_id is not None:
        original = Quote.objects.select_for_update(no_key=True).filter(pk=quote.rendering_of_id).first()
        if original is None:
            raise NotFound("No such quote.")
        if original.pk == quote.pk:
            refuse("A quote cannot be a rendering of itself.")
        if original.rendering_of_id is not None:
            refuse("That quote is itself a rendering: link to its original.")
        if quote.pk and quote_has_renderings(quote):
            refuse("This quote has renderings of its own: it is an original.")
        if primary_language(original.language) == primary_language(quote.language):
            refuse("A rendering is in another language than its original "
                   f"(both are {quote.language or 'of unknown language'}).")
    elif quote.pk and quote.language:
        for pk, language in Quote.objects.filter(rendering_of=quote.pk).values_list("pk", "language"):
            if primary_language(language) == primary_language(quote.language):
                refuse(f"Quote #{pk} renders this one in the same language ({quote.language}).")


@transaction.atomic
def quote_delete(*, quote_id: int, actor, expected: ExpectedEtag | None = None) -> None:
    """Delete a quote (and its variant links) unless a claim's evidence cites it.

    Locks the quote row first, so evidence cannot start citing it while it is being deleted.
    Raises ``NotFound`` when there is no such quote and ``Conflict`` (code ``quote_in_use``, 409)
    when evidence uses it — the database's PROTECT, as a message an editor can act on. ``sources``
    does not know the claims, so the count comes from the protected rows themselves.
    """
    require_permission(actor, "sources.delete_quote", "Your role does not allow you to delete quotes.")
    quote = Quote.objects.select_for_update().filter(pk=quote_id).first()
    if quote is None:
        raise NotFound("No such quote.")
    check_expected(expected, quote)
    try:
        with transaction.atomic():  # a savepoint: a refusal leaves the caller's transaction usable
            quote.delete()
    except ProtectedError as error:
        uses = len(error.protected_objects)
        claims = _citing_claims(error.protected_objects)
        named = ", ".join(f"#{pk} “{Truncator(text).chars(60)}”" for pk, text in claims[:10])
        if len(claims) > 10:
            named += f" and {len(claims) - 10} more"
        raise Conflict(
            f"The quote “{Truncator(quote.text).chars(60)}” is cited as evidence {uses} "
            f"time{'s' if uses != 1 else ''}"
            + (f", by claim{'s' if len(claims) != 1 else ''} {named}" if claims else "")
            + ": remove it from those claims' evidence first.",
            code="quote_in_use",
            fields={"claims": [{"id": pk, "text": text} for pk, text in claims]},
        ) from error


def _citing_claims(protected_objects) -> list[tuple[int, str]]:
    """(id, text) of the claims whose evidence rows protect a quote, by id. ``sources`` does not
    import ``claims``: the claim model is found through the evidence row's own ``claim`` field."""
    rows = [row for row in protected_objects if hasattr(row, "claim_id")]
    if not rows:
        return []
    claim_model = type(rows[0])._meta.get_field("claim").related_model
    ids = {row.claim_id for row in rows}
    return list(claim_model.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "text"))


@transaction.atomic
def quotes_confirm(*, quote_ids: list[int], actor) -> int:
    """Mark extracted candidate quotes as confirmed by an editor. Returns how many changed.

    A quote without a speaker stays a candidate (it needs a speaker first). Confirming a quote
    confirms its speaker too: the editor has checked who said it.
    """
    require_permission(actor, "sources.change_quote", "Your role does not allow you to confirm quotes.")
    changed = 0
    speakers = set()
    for quote in Quote.objects.select_for_update().filter(
        pk__in=quote_ids, is_candidate=True, speaker__isnull=False
    ):
        quote.is_candidate = False
        quote.save(update_fields=["is_candidate", "updated_at"])
        speakers.add(quote.speaker_id)
        changed += 1
    people_confirm(person_ids=sorted(speakers), actor=actor)
    return changed


@transaction.atomic
def people_confirm(*, person_ids: list[int], actor) -> int:
    """Confirm people an import created as candidates. Returns how many changed."""
    require_permission(actor, "sources.change_person", "Your role does not allow you to confirm people.")
    changed = 0
    for person in Person.objects.select_for_update().filter(pk__in=person_ids, is_candidate=True):
        person.is_candidate = False
        person.save(update_fields=["is_candidate", "updated_at"])
        changed += 1
    return changed


def quotes_reanchor(*, source: Source) -> list[Quote]:
    """Find every quote of ``source`` again in its (changed) snapshot (``sources.reanchoring``).

    Exact text at the old offsets or elsewhere → ``anchored``; a good fuzzy match → ``drifted``
    with ``previous_exact`` keeping the old words; nothing good enough → ``orphaned`` (no
    position, selector kept, never deleted). Call inside the transaction that changed the
    snapshot: locks the source's quotes. Returns them.
    """
    quotes = list(Quote.objects.select_for_update().filter(source=source).order_by("pk"))
    for quote in quotes:
        quote.source = source
        old_exact = quote.exact or quote.text
        anchor = reanchor(
            source.content, exact=old_exact, prefix=quote.prefix, suffix=quote.suffix,
            start=quote.start,
        )
        selector = anchor.selector
        quote.exact, quote.prefix, quote.suffix = selector.exact, selector.prefix, selector.suffix
        quote.start, quote.end, quote.anchor_status = selector.start, selector.end, selector.status
        if selector.status in (Quote.AnchorStatus.DRIFTED, Quote.AnchorStatus.ORPHANED):
            quote.previous_exact = old_exact
        quote.save(update_fields=["exact", "prefix", "suffix", "start", "end", "anchor_status",
                                  "previous_exact", "updated_at"])
    return quotes


# --- API writes: outlets --------------------------------------------------------------------


@transaction.atomic
def outlet_create(*, actor, domain: str, **fields: Any) -> Outlet:
    """Create an outlet; unlike ``outlet_get_or_create`` a known domain is an error (400)."""
    require_permission(actor, "sources.add_outlet", "Your role does not allow you to create outlets.")
    domain = normalize_domain(domain)
    outlet = _new_unique(Outlet, "domain", domain, "An outlet with this domain exists.", fields,
                         OUTLET_FIELDS)
    outlet.name = outlet.name or domain
    outlet.full_clean()
    outlet.save()
    return outlet


@transaction.atomic
def outlet_update(*, outlet: Outlet, actor, expected: ExpectedEtag | None = None, **fields: Any) -> Outlet:
    """Edit an outlet's name, domain (normalized), homepage, country or language. Locks the row;
    ``expected`` is compared under the lock (StaleVersion). Renaming an outlet public pages show
    needs ``sources.rename_public_outlet`` (NotPermitted)."""
    require_permission(actor, "sources.change_outlet", "Your role does not allow you to edit outlets.")
    outlet = _lock(Outlet, outlet.pk, "No such outlet.")
    check_expected(expected, outlet)
    if "domain" in fields:
        fields["domain"] = normalize_domain(fields["domain"])
    _save_edit(outlet, fields, OUTLET_FIELDS, actor)
    return outlet


# --- Ingestion ------------------------------------------------------------------------------


@transaction.atomic
def source_set_fetch_error(*, source: Source, actor, message: str) -> Source:
    """Record why the last fetch of ``source`` failed (a generic message), or clear it with ""."""
    require_permission(actor, "sources.change_source", "Your role does not allow you to edit sources.")
    message = message[:300]
    if source.fetch_error != message:
        source.fetch_error = message
        source.save(update_fields=["fetch_error", "updated_at"])
    return source
