"""Direct quotations in an article's text snapshot, and who said them.

Pure functions over a normalized snapshot (``sources.text.normalize_snapshot``): no database.
``extract_quotes`` returns every direct quotation with its offsets and a speaker *name*;
``sources.importing`` matches the names to Person rows.

Quotations found
  straight and curly double quotes; single quotes inside them (a quote inside a quote) and at
  top level when they hold at least two words (headlines quote with single marks); a quotation
  interrupted by its attribution (each part is a quote of the same speaker); a quotation running
  over several paragraphs (each paragraph's part is a quote, all of the same speaker, because a
  quote must be one contiguous span of the snapshot to be anchored).

The quote's words are the text between the marks without a trailing comma or full stop (they
belong to the sentence), but with any inner closing mark kept, as an editor anchors them.

Speakers, in order of preference
  1. right after the quote: ``"…," X said`` / ``said X`` / ``according to X`` / ``'…': X …``;
  2. before it in the same sentence: ``X said: "…"``, ``X told reporters that "…"``,
     ``according to X, "…"``;
  3. a colon introduction (also a paragraph ending with a colon above the quote) or a quote
     inside a sentence: the subject of the sentence;
  4. nothing in the sentence: the previous quote's speaker, when the quote continues a
     paragraph or starts one (a continued or interrupted quotation).
  A pronoun is resolved to the subject of its sentence, else to the previous speaker; ``I``/
  ``we`` inside a quote to the quote's speaker; a role ("the Mexican leader") to the named
  person it fits — known aliases, an appositive in the text ("The president of Mexico, Claudia
  Sheinbaum,"), a known title — else the most recent named person. A surname is resolved to the
  full name used elsewhere in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

# --- Vocabulary -----------------------------------------------------------------------------


def _word_list(text: str) -> list[str]:
    return text.split()


SPEECH_VERBS = (
    "said says say told tells tell wrote writes added adds insisted insists recounted recounts "
    "emphasized emphasizes emphasised stressed stresses stated states explained explains noted "
    "notes declared declares argued argues claimed claims asked asks replied replies answered "
    "answers warned warns announced announces confirmed confirms continued continues recalled "
    "recalls affirmed affirms assured assures maintained maintains tweeted tweets posted posts "
    "commented comments remarked remarks acknowledged acknowledges admitted admits urged urges "
    "concluded concludes reiterated reiterates responded responds insisting saying adding "
    "explaining noting declared promised promises vowed vows denied denies"
)
VERB = r"(?:" + "|".join(sorted(set(_word_list(SPEECH_VERBS)), key=len, reverse=True)) + r")"
AUX = r"(?:(?:has|had|have|was|is|would|will|also|then|later|again|once|previously|had\s+also)\s+)?"
ADVERB = r"(?:[a-z]+ly\s+)?"

TITLES = (
    "President Vice-President Vice Prime Minister Senator Sen. Representative Rep. Governor Gov. "
    "Mayor Secretary Chancellor Judge Justice General Gen. Mr. Mrs. Ms. Dr. Prof. Sir Dame "
    "Congressman Congresswoman Ambassador King Queen Pope Premier Commissioner Chairman "
    "Chairwoman Director Chief Minister"
)
TITLE = r"(?:" + "|".join(re.escape(t) for t in sorted(_word_list(TITLES), key=len, reverse=True)) + r")"

ROLE_NOUNS = (
    "leader president minister spokesperson spokesman spokeswoman official senator governor "
    "mayor chancellor secretary director chief head ceo chairman chairwoman chair candidate "
    "lawmaker congressman congresswoman representative ambassador general commander judge "
    "author journalist activist expert economist premier king queen pope prosecutor attorney "
    "president-elect lawyer analyst researcher scientist professor doctor officer"
)
ROLE_NOUN = r"(?:" + "|".join(sorted(_word_list(ROLE_NOUNS), key=len, reverse=True)) + r")"

# Words that start a capitalized run without being part of a name.
NOT_NAMES = set(_word_list(
    "The A An In On At Although Though But And However After Before When While If This That These "
    "Those It Its As For From With Without By Of To Then Yet So Also Meanwhile Still Now Here "
    "There Despite During Since Until Under Over About Against Among Between Both Either Neither "
    "Each Every Some Many Most Such What Which Who Whom Whose Why How Where Our Your Their His Her "
    "My We They He She I You Tension Published Updated Photo Credit Source According Last Next "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December No Yes Not"
))

PRONOUN_3RD = {"he", "she", "they"}
PRONOUN_1ST = {"i", "we"}

GENERIC_ROLE_WORDS = {
    "the", "a", "an", "of", "his", "her", "their", "its", "leader", "official", "head", "chief",
    "s", "former", "then", "current", "new",
}
DEMONYMS = {
    "mexican": "mexico", "american": "united-states", "u.s.": "united-states", "us": "united-states",
    "united": "united-states", "states": "united-states", "america": "united-states",
    "british": "united-kingdom", "uk": "united-kingdom", "u.k.": "united-kingdom",
    "britain": "united-kingdom", "french": "france", "german": "germany", "canadian": "canada",
    "chinese": "china", "russian": "russia", "ukrainian": "ukraine", "spanish": "spain",
    "brazilian": "brazil", "argentine": "argentina", "argentinian": "argentina",
    "colombian": "colombia", "venezuelan": "venezuela", "cuban": "cuba", "israeli": "israel",
    "italian": "italy", "indian": "india", "japanese": "japan",
}

NAME_WORD = r"(?:[A-Z][a-z\u00c0-\u017f]+(?:[-'’][A-Z][a-z\u00c0-\u017f]+)?|[A-Z]{2,}(?![a-z.]))"
NAME_RUN = NAME_WORD + r"(?:\s+(?:(?:de|del|la|van|von|da|di|bin|al|dos|das)\s+)?" + NAME_WORD + r"){0,3}"
NAME = r"\(?(?:" + TITLE + r"\s+)*" + NAME_RUN + r"\)?"
ROLE = (
    r"(?:(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Aa]n?)\s+|[A-Z][\w.]*['’]s\s+)(?:[A-Za-z.\-]+\s+){0,3}?"
    + ROLE_NOUN
    + r"(?:\s+(?:of|for|at|in)\s+(?:the\s+)?[\w.\-]+(?:\s+[A-Z][\w.\-]*){0,2})?\b"
)
PRONOUN = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e)\b"
# Words that make a name an organisation's ("the White House", "the Ministry of Foreign Affairs",
# "Human Rights Watch"): such speakers are stored as organisations, never resolved from a role.
ORGANIZATION_WORDS = frozenset(_word_list(
    "House Ministry Ministries Department Office Bank Agency Commission Council Court Party "
    "Government Administration Army Navy Military Police Pentagon Kremlin Secretariat Institute "
    "University Union Nations Committee Company Corporation Association Foundation Federation "
    "Bureau Service Embassy Consulate Congress Senate Parliament Cabinet Presidency Campaign Guard "
    "Organization Organisation Authority Board Group Network Press Reuters Times Post Journal "
    "News Inc Inc. Corp Corp. Ltd LLC Watch Fund Center Centre Coalition Alliance Movement Chamber "
    "Assembly Tribunal Command Forces Cartel Registry"
))
ORGANIZATION_WORD = (
    r"(?:" + "|".join(re.escape(w) for w in sorted(ORGANIZATION_WORDS, key=len, reverse=True)) + r")"
)
_ORG_LINK = r"(?:(?:of|for|and|on|de|del)\s+(?:the\s+)?)?"
# "the White House", "the Ministry of Foreign Affairs": a name with its article, which NAME (a
# capitalized run) cannot start with; only when one of its words names an organisation.
ORGANIZATION = (
    r"[Tt]he\s+(?=(?:[A-Z][\w.'’-]*\s+" + _ORG_LINK + r"){0,5}" + ORGANIZATION_WORD + r"\b)"
    + NAME_WORD + r"(?:\s+" + _ORG_LINK + NAME_WORD + r"){0,5}"
)
MENTION = r"(?:" + ROLE + r"|" + PRONOUN + r"|" + NAME + r"|" + ORGANIZATION + r")"
# An aside between a speaker and the verb: "Smith, 54, said", "Warren (D-Mass.) said".
ASIDE = r"(?:,\s+[^,\"“”\u2063]{1,60},|\s+\([^)\u2063]{1,30}\))?"

AFTER_PATTERNS = [
    re.compile(
        r"^\s*,?\s*(?:—|–|-)?\s*(?P<who>" + MENTION + r")" + ASIDE + r"\s+" + AUX + ADVERB + VERB + r"\b"
    ),
    re.compile(r"^\s*,?\s*" + VERB + r"\s+(?P<who>" + MENTION + r")"),
    re.compile(r"^\s*,?\s*according\s+to\s+(?P<who>" + MENTION + r")"),
    re.compile(r"^\s*:\s*(?P<who>" + NAME + r")\b"),
]
BEFORE_SPEECH = re.compile(r"(?P<who>" + MENTION + r")" + ASIDE + r"\s+" + AUX + ADVERB + VERB + r"\b")
BEFORE_ACCORDING = re.compile(r"[Aa]ccording\s+to\s+(?P<who>" + MENTION + r")\s*,?\s*$")
COLON_NAME = re.compile(r"^\s*(?P<who>" + NAME + r")\s*:\s*$")
TITLED_NAME = re.compile(
    r"(?:\b(?P<adj>[A-Z][a-z]+)\s+)?(?P<title>" + TITLE + r")\s+(?P<name>" + NAME_RUN + r")"
)
APPOSITIVE_ROLE_NAME = re.compile(r"(?P<role>" + ROLE + r"),\s+(?P<name>" + NAME_RUN + r"),")
APPOSITIVE_NAME_ROLE = re.compile(r"(?P<name>" + NAME_RUN + r"),\s+(?P<role>" + ROLE + r"),")
ROLE_RE = re.compile(ROLE)
PRONOUN_RE = re.compile(PRONOUN)

OPEN_DOUBLE = "“„"
CLOSE_DOUBLE = "”"
SINGLES = "'‘’‚"
MASK = "\u2063"  # invisible separator: never part of a word, so no pattern matches inside a quote
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "jr", "sr", "prof", "vs",
                 "u.s", "u.k", "u.n", "e.u", "no", "inc", "co", "corp", "lt", "col", "sgt"}


# --- Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the database, to recognise names, aliases and roles in the text."""

    name: str
    aliases: tuple[str, ...] = ()
    title: str = ""
    # False for a person an import created and no editor has confirmed yet: found by full name
    # or alias only, never by surname alone.
    confirmed: bool = True


# How a speaker was found, and how far to trust it (0..1). ``none``: nobody was found.
METHOD_CONFIDENCE = {
    "after_verb": 0.95, "before_verb": 0.9, "before_colon": 0.85, "speaker_line": 0.9,
    "according_to": 0.9, "headline": 0.7, "subject": 0.75, "pronoun": 0.7, "role": 0.7,
    "continuation": 0.65, "outer": 0.8, "none": 0.0,
}


@dataclass
class ExtractedQuote:
    text: str
    start: int
    end: int
    speaker: str | None  # a canonical name, or None when nobody could be found
    method: str = "none"  # how the speaker was found: a key of METHOD_CONFIDENCE
    confidence: float = 0.0
    outer: int | None = None  # index of the quote this one is nested in
    paragraph: int = 0


@dataclass
class _Span:
    open: int  # offset of the opening mark (or of the paragraph start for a continuation)
    close: int  # offset of the closing mark (or of the paragraph end when left open)
    start: int  # the quote's words
    end: int
    paragraph: int
    continued: bool = False  # a multi-paragraph quotation carried on from the paragraph before
    runs_on: bool = False  # left open at the end of its paragraph (continued in the next one)
    nested: list[_Span] = field(default_factory=list)


# --- Finding quotation spans ----------------------------------------------------------------


def _paragraphs(content: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in content.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _words_bounds(content: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces, and one trailing comma or full stop that belongs to the sentence."""
    while start < end and content[start].isspace():
        start += 1
    while end > start and content[end - 1].isspace():
        end -= 1
    if end > start and content[end - 1] in ",." and not content[start:end].endswith(".."):
        end -= 1
        while end > start and content[end - 1].isspace():
            end -= 1
    return start, end


def _double_spans(content: str, lo: int, hi: int, paragraph: int, carried: bool) -> tuple[list[_Span], bool]:
    """Double-quoted spans in one paragraph. Returns them and whether a quote is left open."""
    spans: list[_Span] = []
    opened: int | None = None
    if carried and content[lo] not in OPEN_DOUBLE + '"':
        carried = False  # a carried-over quotation must restart with an opening mark
    for pos in range(lo, hi):
        char = content[pos]
        if opened is None and (char in OPEN_DOUBLE or char == '"'):
            opened = pos
        elif opened is not None and (char in CLOSE_DOUBLE or char == '"'):
            spans.append(_Span(opened, pos, *_words_bounds(content, opened + 1, pos), paragraph))
            opened = None
    left_open = opened is not None
    if left_open:
        spans.append(_Span(opened, hi, *_words_bounds(content, opened + 1, hi), paragraph, runs_on=True))
    if carried and spans and spans[0].open == lo:
        spans[0].continued = True
    return spans, left_open


def _is_open_single(content: str, pos: int, lo: int) -> bool:
    before = content[pos - 1] if pos > lo else " "
    after = content[pos + 1] if pos + 1 < len(content) else " "
    return content[pos] in "'‘‚" and (before.isspace() or before in "([{“\":—–-") and after.isalnum()


def _is_close_single(content: str, pos: int, hi: int) -> bool:
    before = content[pos - 1]
    after = content[pos + 1] if pos + 1 < hi else " "
    return content[pos] in "'’" and not before.isspace() and not after.isalnum()


def _single_spans(content: str, lo: int, hi: int, paragraph: int, min_words: int) -> list[_Span]:
    spans, opened = [], None
    for pos in range(lo, hi):
        if opened is None and _is_open_single(content, pos, lo):
            opened = pos
        elif opened is not None and _is_close_single(content, pos, hi):
            start, end = _words_bounds(content, opened + 1, pos)
            if len(content[start:end].split()) >= min_words:
                spans.append(_Span(opened, pos, start, end, paragraph))
            opened = None
    return spans


def find_quotation_spans(content: str) -> list[_Span]:
    """Every top-level quotation, each with its nested quotations, in text order."""
    spans: list[_Span] = []
    carried = False
    for index, (lo, hi) in enumerate(_paragraphs(content)):
        doubles, carried = _double_spans(content, lo, hi, index, carried)
        for span in doubles:
            span.nested = _single_spans(content, span.start, span.end + 1, index, min_words=1)
        # Top-level single quotes (headlines) outside every double-quoted span.
        outside = [(lo, hi)]
        for span in doubles:
            outside = [
                piece for a, b in outside
                for piece in ((a, min(b, span.open)), (max(a, span.close + 1), b))
                if piece[0] < piece[1]
            ]
        singles = [s for a, b in outside for s in _single_spans(content, a, b, index, min_words=2)]
        spans.extend(sorted(doubles + singles, key=lambda s: s.open))
    return [s for s in spans if s.end > s.start]


# --- Sentences and mentions -----------------------------------------------------------------


def _mask(content: str, spans: Iterable[_Span]) -> str:
    chars = list(content)
    for span in spans:
        last = min(span.close, len(chars))
        # A quotation ending its sentence ("… territory.” He added) keeps its full stop visible,
        # so the sentence splitter sees the end of the sentence.
        while last > span.open + 1 and content[last - 1] in ".!?":
            last -= 1
        for pos in range(span.open + 1, last):
            chars[pos] = MASK
    return "".join(chars)


def _sentence_bounds(masked: str, lo: int, hi: int) -> list[tuple[int, int]]:
    bounds, start = [], lo
    for match in re.finditer(r"[.!?]+[\"”’']?\s+(?=[A-Z\"“‘'(])", masked[lo:hi]):
        cut = lo + match.start()
        word = re.search(r"([\w.]+)$", masked[start:cut + 1].rstrip(".!?\"”’'"))
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        end = lo + match.end()
        bounds.append((start, end))
        start = end
    bounds.append((start, hi))
    return bounds


def is_organization(name: str) -> bool:
    """Whether a speaker's name is an organisation's (a word of ORGANIZATION_WORDS in it)."""
    return any(word in ORGANIZATION_WORDS for word in name.replace("’s", "").replace("'s", "").split())


def _clean_name(raw: str) -> str:
    words = raw.strip("() ").split()
    while words and (words[0] in NOT_NAMES or words[0] == "the" or re.fullmatch(TITLE, words[0])):
        words = words[1:]
    words = [w.rstrip("’'").removesuffix("’s").removesuffix("'s") for w in words]
    return " ".join(words)


def _role_keys(role: str) -> set[str]:
    words = re.findall(r"[a-z.\-]+", role.lower().replace("’s", "").replace("'s", ""))
    return {DEMONYMS.get(w.strip("."), DEMONYMS.get(w, w.strip("."))) for w in words
            if w.strip(".") and w.strip(".") not in GENERIC_ROLE_WORDS}


def _normal_alias(text: str) -> str:
    return re.sub(r"^(the|a|an)\s+", "", " ".join(text.lower().split()))


class _People:
    """The people of one article: canonical names, the roles given to them, and lookups."""

    def __init__(self, known: Sequence[KnownPerson]):
        self.known = list(known)
        self.names: dict[str, set[str]] = {}  # canonical name -> role texts

    def add(self, raw: str, role: str = "") -> str | None:
        name = _clean_name(raw)
        if not name or name.lower() in PRONOUN_3RD | PRONOUN_1ST:
            return None
        canonical = self.canonical(name) or name
        if " " in name and canonical != name and len(name) > len(canonical):
            # A fuller spelling of a name seen before (surname first): keep the fuller one.
            self.names[name] = self.names.pop(canonical, set())
            canonical = name
        roles = self.names.setdefault(canonical, set())
        if role:
            roles.add(role)
        return canonical

    def canonical(self, name: str) -> str | None:
        name = _clean_name(name)
        if not name:
            return None
        lowered = name.lower()
        for person in self.known:
            spellings = [person.name, *person.aliases]
            if any(lowered == s.lower() for s in spellings):
                return person.name
        for full in self.names:
            if full.lower() == lowered:
                return full
        surname = lowered.split()[-1]
        fuller = [full for full in self.names if full.lower().split()[-1] == surname]
        if fuller:
            return max(fuller, key=len)
        known = [p.name for p in self.known if p.name.lower().split()[-1] == surname]
        if len(known) == 1:
            return known[0]
        return None

    def for_role(self, role: str, recent: Sequence[str]) -> str | None:
        """The person a role phrase refers to (see the module docstring)."""
        alias = _normal_alias(role)
        for person in self.known:
            if any(_normal_alias(a) == alias for a in person.aliases) or _normal_alias(person.title) == alias:
                return person.name
        keys = _role_keys(role)
        candidates = [name for name in dict.fromkeys([*reversed(recent), *self.names])
                      if not is_organization(name)]
        if keys:
            for name in candidates:
                texts = set(self.names.get(name, set()))
                texts |= {p.title for p in self.known if p.name == name}
                texts |= {a for p in self.known if p.name == name for a in p.aliases}
                if any(keys <= _role_keys(text) for text in texts if text):
                    return name
        return candidates[0] if candidates else None


# --- Extraction -----------------------------------------------------------------------------


def extract_quotes(
    content: str, *, language: str | None = None, known: Sequence[KnownPerson] = ()
) -> list[ExtractedQuote]:
    """Every direct quotation in ``content`` (a normalized snapshot) with its speaker's name.

    Nested quotations follow the quotation that holds them. ``speaker`` is None when nobody
    could be attributed (the importer skips those and reports them).
    """
    spans = find_quotation_spans(content)
    masked = _mask(content, spans)
    people = _People(known)
    _register_people(content, masked, people)
    paragraphs = _paragraphs(content)

    results: list[ExtractedQuote] = []
    recent: list[str] = []  # named people in text order, as met
    previous_speaker: str | None = None
    previous_paragraph = -1
    cursor = 0
    top_level: list[tuple[_Span, int]] = []
    deferred: dict[int, str] = {}  # result index -> the previous speaker, if nothing better comes
    for span in spans:
        lo, hi = paragraphs[span.paragraph]
        recent.extend(_names_between(masked, cursor, span.open, people))
        cursor = max(cursor, span.open)
        sentences = _sentence_bounds(masked, lo, hi)
        s_lo, s_hi = next(((a, b) for a, b in sentences if a <= span.open < b), (lo, hi))
        same_sentence = [s for s in spans if s.paragraph == span.paragraph and s_lo <= s.open < s_hi]
        after_end = min([s.open for s in same_sentence if s.open > span.open] + [s_hi])
        before_start = max([s.close + 1 for s in same_sentence if s.close < span.open] + [s_lo])
        after = masked[span.close + 1:after_end] if span.close < hi else ""
        before = masked[before_start:span.open]
        sentence_text = masked[s_lo:s_hi]
        recent_after = recent + _names_between(masked, span.open, s_hi, people)

        who, how = _attribute(after, before, people)
        speaker = None
        if who is not None:
            speaker = _resolve(who, people, recent_after, previous_speaker,
                               sentence_subject=_subject(sentence_text, people))
        if speaker is None and not who:
            subject = _subject(sentence_text, people)
            if subject and subject[0] not in PRONOUN_3RD and span.open > s_lo + len(subject[1]):
                speaker, how = _resolve(subject[1], people, recent_after, previous_speaker), "subject"
        if speaker is None and not who and span.open == lo and span.paragraph > 0:
            # A paragraph introducing the quote below it: 'Jones said in a statement:'.
            intro_lo, intro_hi = paragraphs[span.paragraph - 1]
            if masked[intro_lo:intro_hi].rstrip().endswith(":"):
                i_lo, _ = _sentence_bounds(masked, intro_lo, intro_hi)[-1]
                intro = masked[i_lo:intro_hi]
                who, how = _attribute("", intro, people)
                subject = _subject(intro, people)
                if who is None and subject:
                    who, how = subject[1], "before"
                if who is not None:
                    speaker = _resolve(who, people, recent_after, previous_speaker, sentence_subject=subject)
        if speaker is None and previous_speaker and (
            span.paragraph == previous_paragraph or span.continued or span.open == lo
        ):
            if span.runs_on:
                # A quotation running on is usually attributed further down: decide after.
                deferred[len(results)] = previous_speaker
            else:
                speaker, how = previous_speaker, "previous"
        outer_index = len(results)
        results.append(ExtractedQuote(
            text=content[span.start:span.end], start=span.start, end=span.end, speaker=speaker,
            method=how, paragraph=span.paragraph,
        ))
        for inner in span.nested:
            results.append(_nested_quote(content, span, inner, speaker, outer_index, people, recent_after))
        if speaker:
            previous_speaker, previous_paragraph = speaker, span.paragraph
            recent.append(speaker)
        top_level.append((span, outer_index))
    # A quotation running over paragraphs is often attributed only in a later paragraph.
    for (span, index), (following, following_index) in reversed(list(pairwise(top_level))):
        if results[index].speaker is None and span.runs_on and following.continued:
            results[index].speaker = results[following_index].speaker
            results[index].method = "continuation"
    for index, speaker in deferred.items():
        if results[index].speaker is None:
            results[index].speaker, results[index].method = speaker, "continuation"
    names = {"after": "after_verb", "before": "before_verb", "previous": "continuation"}
    for quote in results:
        quote.method = names.get(quote.method, quote.method) if quote.speaker else "none"
        quote.confidence = METHOD_CONFIDENCE.get(quote.method, 0.5)
    return results


def _attribute(after: str, before: str, people: _People) -> tuple[str | None, str]:
    for pattern in AFTER_PATTERNS:
        match = pattern.search(after)
        if match and _is_mention(match.group("who"), people):
            return match.group("who"), "after"
    matches = [m for m in BEFORE_SPEECH.finditer(before) if _is_mention(m.group("who"), people)]
    if matches:
        return matches[-1].group("who"), "before"
    match = BEFORE_ACCORDING.search(before) or COLON_NAME.search(before)
    if match and _is_mention(match.group("who"), people):
        return match.group("who"), "before"
    return None, ""


def _is_mention(text: str, people: _People) -> bool:
    """A pronoun, a role, or a name (not a capitalized common word such as "Tension")."""
    text = text.strip()
    if PRONOUN_RE.fullmatch(text) or ROLE_RE.fullmatch(text):
        return True
    return bool(_clean_name(text))


def _resolve(
    who: str, people: _People, recent: Sequence[str], previous_speaker: str | None, *,
    sentence_subject: tuple[str, str] | None = None, outer_speaker: str | None = None,
) -> str | None:
    who = who.strip()
    lowered = who.lower()
    if lowered in PRONOUN_1ST:
        return outer_speaker or previous_speaker
    if lowered in PRONOUN_3RD:
        if sentence_subject and sentence_subject[0] not in PRONOUN_3RD | PRONOUN_1ST:
            subject = _resolve(sentence_subject[1], people, recent, previous_speaker)
            if subject and subject != outer_speaker:
                return subject
        return previous_speaker or (recent[-1] if recent else None)
    if ROLE_RE.fullmatch(who):
        return people.for_role(who, recent)
    return people.canonical(who) or people.add(who)


def _subject(sentence: str, people: _People) -> tuple[str, str] | None:
    """The first person mentioned in a sentence: ``(kind, text)`` with kind a pronoun, ``role``
    or ``name``. Only names the article attributes words to, or already known, count."""
    found: list[tuple[int, str, str]] = []
    for match in ROLE_RE.finditer(sentence):
        found.append((match.start(), "role", match.group(0)))
    for match in PRONOUN_RE.finditer(sentence):
        if match.group(0).lower() in PRONOUN_3RD:
            found.append((match.start(), match.group(0).lower(), match.group(0)))
    for match in re.finditer(NAME_RUN, sentence):
        name = _clean_name(match.group(0))
        if name and people.canonical(name):
            found.append((match.start() + match.group(0).find(name.split()[0]), "name", name))
    if not found:
        return None
    _, kind, text = min(found)
    return kind, text


def _names_between(masked: str, lo: int, hi: int, people: _People) -> list[str]:
    names = []
    for match in re.finditer(NAME_RUN, masked[lo:hi]):
        canonical = people.canonical(match.group(0))
        if canonical:
            names.append(canonical)
    return names


def _nested_quote(content, outer: _Span, inner: _Span, outer_speaker, outer_index, people, recent):
    before = content[outer.start:inner.open]
    # Only what follows the last closing of an earlier nested quote belongs to this one.
    for other in outer.nested:
        if other.close < inner.open:
            before = content[other.close + 1:inner.open]
    after = content[inner.close + 1:outer.end]
    who, how = _attribute(after, before, people)
    speaker = None
    if who:
        speaker = _resolve(who, people, recent, outer_speaker, outer_speaker=outer_speaker)
    if speaker is None:
        speaker, how = outer_speaker, "outer"
    return ExtractedQuote(
        text=content[inner.start:inner.end], start=inner.start, end=inner.end, speaker=speaker,
        method=how, outer=outer_index, paragraph=inner.paragraph,
    )


def _register_people(content: str, masked: str, people: _People) -> None:
    """First pass: the names this article gives people (so later surnames and roles resolve)."""
    for person in people.known:
        for spelling in (person.name, *person.aliases):
            if spelling and spelling[0].isupper() and spelling in content:
                people.names.setdefault(person.name, set())
    for match in TITLED_NAME.finditer(masked):
        role = f"{match.group('adj') or ''} {match.group('title')}".strip()
        people.add(match.group("name"), role if match.group("adj") not in NOT_NAMES else match.group("title"))
    for pattern in (APPOSITIVE_ROLE_NAME, APPOSITIVE_NAME_ROLE):
        for match in pattern.finditer(masked):
            people.add(match.group("name"), match.group("role"))
    for match in BEFORE_SPEECH.finditer(masked):
        who = match.group("who")
        if not (PRONOUN_RE.fullmatch(who.strip()) or ROLE_RE.fullmatch(who.strip())):
            people.add(who)
    for pattern in AFTER_PATTERNS:
        for match in re.finditer(r"[\"”’']" + pattern.pattern.lstrip("^"), masked):
            who = match.group("who")
            if not (PRONOUN_RE.fullmatch(who.strip()) or ROLE_RE.fullmatch(who.strip())):
                people.add(who)
