"""Quote variants: the same words of the same speaker reported differently.

Two outlets (or one article twice) render a sentence with small differences — "It is possible to
collaborate, we can work together…" and "You can collaborate, we can work together…". Those
quotes are linked through the symmetrical ``Quote.variants`` relation when their texts are
similar enough by pg_trgm ``similarity`` (GIN trigram index on ``sources_quote.text``, migration
0003). What is *not* a variant:

- a quote of another speaker (common phrases are shared by everybody);
- a quote overlapping it in the same source (a quote inside a quote is a different quote);
- the very same words repeated in the same source (a headline echoing the body is a repetition).
"""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity
from django.db import transaction
from django.db.models import Q

from sources.models import Quote, Source

# Trigram similarity above which two quotes of one speaker are the same words. The demo's two
# renderings score ~0.6; unrelated sentences of one speaker stay under ~0.3.
VARIANT_THRESHOLD = 0.5


def variant_candidates(*, quote: Quote) -> list[Quote]:
    """Quotes of the same speaker similar enough to ``quote`` to be its variants (one query).

    A quote without a speaker has none until an editor names who said it."""
    if quote.speaker_id is None:
        return []
    candidates = (
        # ``%`` (trigram_similar, threshold 0.3) can use the GIN trigram index; the exact score
        # then keeps what reaches VARIANT_THRESHOLD.
        Quote.objects.filter(speaker_id=quote.speaker_id, text__trigram_similar=quote.text)
        .exclude(pk=quote.pk)
        .annotate(similarity=TrigramSimilarity("text", quote.text))
        .filter(similarity__gte=VARIANT_THRESHOLD)
        .select_related("source")
        .order_by("-similarity", "id")
    )
    found = []
    for other in candidates:
        if other.source_id == quote.source_id:
            if other.text.casefold() == quote.text.casefold():
                continue
            if _overlaps(quote, other):
                continue
        found.append(other)
    return found


def _overlaps(a: Quote, b: Quote) -> bool:
    if None in (a.start, a.end, b.start, b.end):
        return False
    return a.start < b.end and b.start < a.end


@transaction.atomic
def link_variants(*, quote: Quote) -> list[Quote]:
    """Link ``quote`` with every variant found (existing links are kept). Returns the variants.

    Links are only ever added automatically, never removed: an editor unlinks a wrong pair.
    """
    found = variant_candidates(quote=quote)
    if found:
        quote.variants.add(*found)
    return found


@transaction.atomic
def source_link_variants(*, source: Source) -> int:
    """Link the variants of every quote of ``source``. Returns how many quotes have variants."""
    linked = 0
    for quote in Quote.objects.filter(source=source).filter(~Q(text="")):
        if link_variants(quote=quote):
            linked += 1
    return linked
