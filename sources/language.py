"""The language of a text: ``detect_language(text)`` → an ISO 639-1 code, or None when unsure.

Uses py3langid (a naive Bayes classifier over byte n-grams, 97 languages; its model ships inside
the package, nothing is downloaded). The model is loaded once per process, on first use (a few
seconds), and a call then takes milliseconds. Texts too short to tell, and answers below
``MIN_PROBABILITY``, give None rather than a guess.
"""

from __future__ import annotations

import functools
import re

from factcheck.errors import InvalidInput

MIN_LETTERS = 20
MIN_PROBABILITY = 0.8
# More than enough to tell a language; long articles are cut here to keep detection fast.
MAX_CHARS = 5000


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language (``"en"``, ``"es"``, …), or None when the text
    is too short or the detector is not sure."""
    sample = text[:MAX_CHARS]
    if len(re.findall(r"[^\W\d_]", sample)) < MIN_LETTERS:
        return None
    language, probability = _identifier().classify(sample)
    return str(language) if probability >= MIN_PROBABILITY else None


def primary_language(code: str | None) -> str | None:
    """``"es-MX"`` → ``"es"``; empty → None."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].strip().lower() or None


# --- Where a row's language came from -------------------------------------------------------
#
# Claims, sources and quotes carry ``language`` (BCP 47) and ``language_source``: ``given`` when
# an editor, an API caller or an import parameter named it (never changed by anything automatic
# afterwards), ``detected`` when it was detected from the text (or declared by the imported page)
# and follows the text, ``default`` when the text was too short to tell and a fallback was used
# (the newsroom's default language for a claim, the source's language for a quote, nothing for a
# source); a default is detected again when the text changes.

GIVEN, DETECTED, DEFAULT = "given", "detected", "default"
LANGUAGE_SOURCE_CHOICES = [
    (GIVEN, "Given by an editor"),
    (DETECTED, "Detected from the text"),
    (DEFAULT, "Default (the text was too short to tell)"),
]
LANGUAGE_CODE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_LANGUAGE_LENGTH = 12


def normalize_language(code: str) -> str:
    """``"ES_mx"`` → ``"es-MX"``; ``""`` stays ``""``. Raises ValueError for anything that is
    not a BCP 47 language tag (primary subtag lower case, a region upper case)."""
    code = (code or "").strip().replace("_", "-")
    if not code:
        return ""
    if len(code) > MAX_LANGUAGE_LENGTH or not LANGUAGE_CODE_RE.match(code):
        raise ValueError("Not a BCP 47 language code (e.g. en, es, es-MX).")
    primary, *rest = code.split("-")
    return "-".join([primary.lower(), *(p.upper() if len(p) == 2 else p for p in rest)])


def _valid(code: str) -> str:
    try:
        return normalize_language(code)
    except ValueError:
        return ""


def site_language() -> str:
    """The newsroom's default language (``settings.LANGUAGE_CODE``'s primary subtag, e.g. en):
    a claim's language when it is neither given nor detectable."""
    from django.conf import settings

    return primary_language(settings.LANGUAGE_CODE) or "en"


def settle_language(obj, *, text: str, given: str | None = None, text_changed: bool = True,
                    fallback: str = "", lenient: bool = False, declared: str = "") -> list[str]:
    """Set ``obj.language``/``obj.language_source`` by the rule above; the names that changed.

    ``given``: the language an editor or caller named (None: not named; ``""``: "detect it",
    which hands a given language back to detection). A language already ``given`` is kept
    whatever the text becomes; otherwise it is detected again when ``text_changed`` (or when the
    row is new), falling back to ``fallback``. A malformed ``given`` raises InvalidInput naming
    ``language`` — or, ``lenient`` (imports reading other people's data), counts as not given.
    ``declared``: the language an imported page declares (``<html lang>``), taken as detected.
    """
    before = (obj.language, obj.language_source)
    if given:
        try:
            given = normalize_language(given)
        except ValueError as error:
            if not lenient:
                raise InvalidInput(str(error), code="invalid_language",
                                   fields={"language": [str(error)]}) from error
            given = None
    if given:
        obj.language, obj.language_source = given, GIVEN
    elif given == "" or (obj.language_source != GIVEN and (text_changed or obj.pk is None)):
        detected = _valid(declared) or detect_language(text or "")
        if detected:
            obj.language, obj.language_source = detected, DETECTED
        else:
            obj.language, obj.language_source = fallback, DEFAULT
    return [name for name, old in zip(("language", "language_source"), before, strict=True)
            if getattr(obj, name) != old]


def backfill(queryset, decide, *, batch_size: int = 5000) -> int:
    """Set ``language``/``language_source`` on every row of ``queryset`` to ``decide(row)``'s
    ``(language, language_source)``, grouped into one UPDATE per distinct answer and batch (for
    data migrations: a row's own triggers see only these two columns change). Returns the count."""
    pending: dict[tuple[str, str], list[int]] = {}
    count = 0

    def flush() -> None:
        for (language, source), ids in pending.items():
            queryset.model._base_manager.filter(pk__in=ids).update(
                language=language, language_source=source)
        pending.clear()

    for row in queryset.order_by("pk").iterator(chunk_size=batch_size):
        pending.setdefault(decide(row), []).append(row.pk)
        count += 1
        if count % batch_size == 0:
            flush()
    flush()
    return count
