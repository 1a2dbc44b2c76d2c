"""Steps 3 and 4: who said each quotation, how that was found, and how sure it is.

Pipeline (``extract_quotes``): find spans (``spans``) → learn the article's people (``people``)
→ for each quotation find the speaker mention nearest in grammar, in this order, and resolve it:

  after_verb    right after the quote: ``"…," X said`` / ``said X`` / ``«…», dijo X`` / the
                narrator of a dialogue dash (``—…—dijo X—``); ``"…," he said`` → pronoun;
                ``«…», afirmó.`` (no subject) → pronoun
  according_to  ``according to X`` / ``según X`` / ``de acuerdo con X``, either side
  before_verb   earlier in the sentence: ``X said: "…"``, ``X told reporters that "…"``
  before_colon  ``X: "…"``, or a paragraph ending with a colon above the quote
  speaker_line  a line of its own above the quote: ``NAME, ROLE:`` (wire round-ups, capitals)
  subject       a quote inside a sentence, or after a colon: the sentence's subject; a quote
                opening its sentence: the person the narrative since the previous quote is
                about (a speech verb's subject first: "X, who said …") — nobody when that is
                someone unnamed ("a reporter asked")
  continuation  nothing in the sentence: the previous speaker, when the quote starts a paragraph
                or continues one (a quotation over several paragraphs, or interrupted)
  headline      nothing before it in the body: the person the headline names (a statement)
  outer         a nested quotation without its own attribution: the outer quote's speaker
  none          nobody found: the quotation is kept, with no speaker

A mention is resolved to a canonical name: a name through the article's people (nearest full
mention); a role ("the coach", "la mandataria", "the state's attorney general, Ana Ruiz" → the
name that follows) to the nearest person given that role, else the nearest person; a pronoun (or
a Spanish verb without subject) to the subject of the nearest sentence since the previous quote
that names a person, else the previous speaker — of the pronoun's or role's gender when the
text tells it; "answered"/"respondió" after a question goes to whoever spoke before the asker.
The method then says ``role`` or ``pronoun`` when that is how the speaker was reached;
``confidence`` comes from the method.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from sources.extraction.lexicon import LOWER, PARTICLES, UPPER, Lexicon, lexicon_for
from sources.extraction.people import NAME_RUN, NAME_WORD, KnownPerson, People, is_organization
from sources.extraction.spans import MASK, Span, find_spans, mask, paragraphs

# How a speaker was found, and how far to trust it (0..1).
METHOD_CONFIDENCE = {
    "after_verb": 0.95, "according_to": 0.9, "before_verb": 0.9, "before_colon": 0.85,
    "speaker_line": 0.9, "subject": 0.75, "role": 0.75, "pronoun": 0.7, "continuation": 0.7,
    "outer": 0.8, "headline": 0.6, "none": 0.0,
}

_WORD = re.compile(r"\w+")

# Marks of someone the article does not name ("a reporter", "otra vecina").
INDEFINITE = {"a", "an", "another", "un", "una", "otro", "otra", "unos", "unas"}
ANSWER_VERBS = re.compile(
    r"(?i)\b(?:answered|replied|responded|respondió|contestó|replicó|respondía|contestaba)\b")
# narrative_person's answer for a quotation introduced by someone unnamed: no speaker.
UNNAMED = ""

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "sen", "rep", "gov", "jr", "sr", "sra", "dra",
                 "prof", "vs", "u.s", "u.k", "u.n", "e.u", "no", "inc", "co", "corp", "lt", "col",
                 "sgt", "capt", "rev", "lic", "ing", "ee.uu", "uu", "gral", "mtro"}


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


@dataclass(frozen=True)
class Patterns:
    role: re.Pattern
    pronoun: re.Pattern
    mention: str
    after: tuple[re.Pattern, ...]
    after_bare_verb: re.Pattern
    before_speech: re.Pattern
    before_according: re.Pattern
    opinion_of: re.Pattern
    before_colon: re.Pattern
    before_bare_verb: re.Pattern
    titled: re.Pattern
    role_name: re.Pattern
    appositive_role_name: re.Pattern
    appositive_name_role: re.Pattern
    appositive_age: re.Pattern
    speaker_line: re.Pattern
    then_name: re.Pattern
    headline_by: re.Pattern


@functools.cache
def patterns_for(lex: Lexicon) -> Patterns:
    det = lex.determiner
    role_noun = r"(?i:" + lex.role_noun + r")"
    link = r"(?:of|for|at|in|de|del|en)"
    capital = r"[" + UPPER + r"][\w.\-]*"
    # "the state's attorney general", "el ministro de Economía y Finanzas", "Mexico's president"
    role = (
        r"(?:" + det + r"[^\S\n]+|" + NAME_WORD + r"['’]s[^\S\n]+)"
        + r"(?:(?:[\w'’\-]+|(?:\w\.){2,})[^\S\n]+){0,3}?"
        + r"(?:\d{1,3}-)?" + role_noun
        + r"(?:[\s-]+" + role_noun + r")*"
        + r"(?:\s+" + link + r"\s+(?:(?:the|la|el|los|las)\s+)?[\w.\-]+"
        + r"(?:\s+(?:(?:y|and|e|&|de|del|la|las|los|el|of|the|for)\s+)*" + capital + r"){0,4})?\b"
    )
    pronoun = lex.pronoun
    name = r"\(?(?:" + NAME_WORD + r"['’]s\s+)?(?:" + lex.title + r"\s+)*" + NAME_RUN + r"\)?"
    org_word = r"[" + UPPER + r"][\w.'’&-]*"
    organization = (
        r"(?:[Tt]he|[Ee]l|[Ll]a|[Ll]os|[Ll]as)\s+" + org_word
        + r"(?:\s+(?:(?:of|for|and|on|de|del|la|y)\s+(?:the\s+)?)?" + org_word + r"){0,5}"
    )
    mention = r"(?:" + role + r"|" + pronoun + r"|" + name + r"|" + organization + r")"
    aside = r"(?:,\s+[^,\"“”«»" + MASK + r"]{1,60},|\s+\([^)" + MASK + r"]{1,30}\))?"
    relative = r"(?:,?\s+(?:quien|who|que)\b)?"
    aux = r"(?:(?:" + "|".join(lex.aux) + r")\s+){0,2}"
    adverb = (r"(?:(?:[" + LOWER + r"]+(?:ly|mente)|" + "|".join(lex.adverbs) + r")\s+)?")
    verb = r"(?i:" + lex.verb + r")"
    # "according to X", "según un comunicado del Sindicato …": the document's author speaks.
    according = (r"(?i:" + "|".join(re.escape(a) for a in lex.according) + r")"
                 r"(?:\s+(?i:un|una|el|la|a|an|the)\s+(?i:comunicado|statement|nota|informe|report|release|"
                 r"post|tweet|mensaje|carta|letter|declaración|portavoz|spokesperson)\s+(?i:de|del|of|from|by)"
                 r"(?:\s+the)?)?")
    lead = r"^\s*[,.]?\s*[—–―-]?\s*"
    # A lowercase adjective between a role and its name ("la directora financiera, Nuria Castells").
    closed = "|".join(sorted(lex.prepositions | lex.determiners))
    adjective = r"(?:(?!(?:" + closed + r")\b)[" + LOWER + r"]+)"
    speech = aside + relative + r"\s+" + aux + adverb + verb + r"\b"
    return Patterns(
        role=re.compile(role),
        pronoun=re.compile(pronoun),
        mention=mention,
        after=(
            re.compile(lead + r"(?P<who>" + mention + r")" + speech),
            re.compile(lead + aux + verb + r"(?:\s+(?:a|to|al|ante)\s+[" + LOWER + r"\s]{2,30}?)?\s+"
                       + adverb + r"(?P<who>" + mention + r")"),
            re.compile(lead + according + r"\s+(?P<who>" + mention + r")"),
            re.compile(r"^\s*:\s*(?P<who>" + name + r")\b"),
        ),
        after_bare_verb=re.compile(lead + aux + verb + r"\b(?!\s+(?:" + name + r"))"),
        # Anchored at the end: searched backwards from each speech verb (see speech_matches).
        before_speech=re.compile(r"(?P<who>" + mention + r")" + speech + r"$"),
        before_according=re.compile(according + r"\s+(?P<who>" + mention + r")\s*(?:,|$)"),
        # "Para el ministro, la economía «…»" / "For Smith, it was "…"": whose view it is.
        opinion_of=re.compile(r"(?:^|[.;:]\s+)(?:Para|For)\s+(?P<who>" + mention + r"),"),
        before_colon=re.compile(r"(?:^|[.;]\s+|\n)\s*(?P<who>" + name + r"|" + organization + r")\s*:\s*$"),
        before_bare_verb=re.compile(r"^\s*" + aux + verb + r"\b[^.!?]*$"),
        titled=re.compile(
            r"(?:\b(?P<adj>[" + UPPER + r"][" + LOWER + r"]+)\s+)?(?P<title>" + lex.title + r")\s+(?P<name>"
            + NAME_RUN + r")"
        ),
        role_name=re.compile(
            r"(?P<role>(?:\b[" + UPPER + r"][\w.&-]*\s+)?\b" + role_noun + r"(?:\s+" + adjective
            + r")?)\s+(?P<name>" + NAME_RUN + r")"
        ),
        appositive_role_name=re.compile(
            r"(?P<role>" + role + r"(?:\s+" + adjective + r")?),\s+(?P<name>" + NAME_RUN
            + r")(?=\s*[,.;:(]|\s+\S)"),
        appositive_name_role=re.compile(r"(?P<name>" + NAME_RUN + r"),\s+(?P<role>" + role + r")\s*[,.;]"),
        appositive_age=re.compile(
            r"(?P<name>" + NAME_RUN + r"),\s+(?:\d{1,3}|de\s+\d{1,3}\s+años|aged\s+\d{1,3}),"),
        speaker_line=re.compile(
            r"^\s*(?P<who>(?:" + lex.title + r"\s+)?" + NAME_RUN + r"|" + organization
            + r")\s*(?:,[^:\"“”«»]{0,160})?:\s*$"
        ),
        # The name a role phrase is given: "…general, Dana Whitcomb", "La autora del gol de la
        # victoria, la delantera mexicana Ximena Garza".
        then_name=re.compile(
            r"^(?:\s+" + adjective + r")?(?:[^,.;:!?\"“”«»" + MASK + r"]{0,60},)?\s+(?:" + det
            + r"\s+(?:" + adjective + r"\s+){0,2})?(?P<name>(?:" + lex.title + r"\s+)?" + NAME_RUN + r")"),
        headline_by=re.compile(
            r"(?:(?i:\b(?:by|from|of|de|del)\s+(?:(?:the|la|el)\s+)?)(?P<who>(?:(?:" + lex.title + r"|"
            + role_noun + r")\s+)*" + NAME_RUN + r")"
            r"|(?P<owner>(?:" + lex.title + r"\s+)*" + NAME_RUN
            + r")['’]s\s+(?i:statement|remarks|speech|address|letter))"
        ),
    )


# --- Sentences ------------------------------------------------------------------------------


def sentence_bounds(masked: str, lo: int, hi: int) -> list[tuple[int, int]]:
    bounds, start = [], lo
    for match in re.finditer(r"[.!?]+[\"”’'»]?\s+(?=[" + UPPER + r"\"“‘'(«—¿¡])", masked[lo:hi]):
        cut = lo + match.start()
        word = re.search(r"([\w.]+)$", masked[start:cut + 1].rstrip(".!?\"”’'»"))
        if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        end = lo + match.end()
        bounds.append((start, end))
        start = end
    bounds.append((start, hi))
    return bounds


def is_headline(content: str, lo: int, hi: int) -> bool:
    """The first paragraph is a headline when more follows and it reads like one: short and
    without a closing full stop (or in capitals)."""
    if hi >= len(content.rstrip()):
        return False
    line = content[lo:hi].strip().rstrip("\"'”’»")
    return len(line.split()) <= 30 and not line.endswith((".", ":")) or line.isupper()


def is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


# --- The pipeline -----------------------------------------------------------------------------


class _Article:
    def __init__(self, content: str, language: str | None, known: Sequence[KnownPerson]):
        self.content = content
        self.lex = lexicon_for(language)
        self.p = patterns_for(self.lex)
        self.spans = find_spans(content, self.lex)
        self.masked = mask(content, self.spans)
        self.paragraphs = paragraphs(content)
        self.people = People(self.lex, known, common_words=frozenset(
            re.findall(r"(?<![\w'’])[" + LOWER + r"]{2,}(?![\w'’])", content)))
        self.sentences: list[tuple[int, int, int]] = []  # (lo, hi, paragraph)
        for index, (lo, hi) in enumerate(self.paragraphs):
            self.sentences.extend((a, b, index) for a, b in sentence_bounds(self.masked, lo, hi))
        first = self.paragraphs[0] if self.paragraphs else None
        self.headline = first if first and is_headline(content, *first) else None
        self.headline_title_case = bool(self.headline) and is_title_case(content[slice(*self.headline)])
        self._speakers: list[str] = []  # speakers so far, in text order
        self._current = len(content)  # where the quotation being attributed opens
        self._last_was_question = False
        self._speech_cache: dict[str, list[re.Match]] = {}
        self._learn_people()
        self.headline_speaker = self._headline_speaker()

    # --- people ----------------------------------------------------------------------------

    def speech_matches(self, text: str) -> list[re.Match]:
        """``X said`` in ``text``, left to right, without overlaps: each speech verb, and the
        mention before it (searched in the 160 characters before the verb, which is fast)."""
        cached = self._speech_cache.get(text)
        if cached is not None:
            return cached
        found: list[re.Match] = []
        verbs = self.lex.verbs_folded
        for word in _WORD.finditer(text):
            if word.group(0).lower() not in verbs:
                continue
            match = self.p.before_speech.search(text, max(0, word.start() - 160), word.end())
            if match and (not found or match.start() >= found[-1].end()):
                found.append(match)
        self._speech_cache[text] = found
        return found

    def _in_untrusted_headline(self, offset: int) -> bool:
        return self.headline_title_case and self.headline is not None and offset < self.headline[1]

    def _learn_people(self) -> None:
        people, masked, p = self.people, self.masked, self.p
        for person in people.known:
            for spelling in (person.name, *person.aliases):
                if spelling and spelling[0].isupper() and " " in spelling:
                    for match in re.finditer(re.escape(spelling), masked):
                        people.learn(person.name, match.start(), evidence=3)
        learned: list[tuple[int, str, str, int]] = []  # offset, raw name, role, evidence
        for match in p.titled.finditer(masked):
            adjective = match.group("adj")
            role = match.group("title") if not adjective or adjective in self.lex.not_names else (
                f"{adjective} {match.group('title')}")
            learned.append((match.start("name"), match.group("name"), role, 3))
        for match in p.role_name.finditer(masked):
            learned.append((match.start("name"), match.group("name"), match.group("role"), 2))
        for pattern in (p.appositive_role_name, p.appositive_name_role):
            for match in pattern.finditer(masked):
                learned.append((match.start("name"), match.group("name"), match.group("role"), 3))
        for match in p.appositive_age.finditer(masked):
            learned.append((match.start("name"), match.group("name"), "", 3))
        for match in self.speech_matches(masked):
            who = match.group("who").strip()
            if not (p.pronoun.fullmatch(who) or p.role.fullmatch(who)):
                learned.append((match.start("who"), who, "", 2))
        for lo, hi in self.paragraphs:
            line = p.speaker_line.match(masked[lo:hi])
            if line and MASK not in masked[lo:hi] and len(masked[lo:hi].split()) <= 25:
                learned.append((lo + line.start("who"), line.group("who"), masked[lo:hi], 4))
        complement = re.compile(
            r"(?i:" + self.lex.role_noun + r")\s+(?:of|for|at|de|del|en)\s+(?:(?:the|la|el)\s+)?$")
        for match in re.finditer(NAME_RUN, masked):
            run, start = match.group(0), match.start()
            if len(run.split()) > 1:
                if complement.search(masked[max(0, start - 60):start]):
                    # "catedrático de Derecho Constitucional Ignacio Bermejo": the role's
                    # complement, then the name.
                    name = self._name_after_complement(run)
                    start, run = start + run.rfind(name), name
                learned.append((start, run, "", 0))
        for offset, raw, role, evidence in sorted(learned, key=lambda x: (x[0], -x[3])):
            if self._in_untrusted_headline(offset):
                continue
            canonical = self.people.learn(raw, offset, role=role, evidence=evidence,
                                          speaker=evidence >= 2 and " " not in raw.strip())
            if canonical and role:
                self.people.add_role(canonical, role)

    def _name_after_complement(self, run: str) -> str:
        """The person's name at the end of "<complement> <Name>": the longest ending of two or
        three words whose last word the text also uses alone, else the last two words."""
        words = run.split()
        for size in (3, 2):
            if len(words) > size:
                tail = " ".join(words[-size:])
                if re.search(r"(?<![\w" + UPPER + r"])" + re.escape(words[-1]) + r"(?![\w])",
                             self.masked.replace(run, "")):
                    if size == 3 and words[-3].lower() not in PARTICLES and not self._name_like(words[-3]):
                        continue
                    return tail
        return " ".join(words[-2:])

    def _name_like(self, word: str) -> bool:
        """A word the text uses as (part of) a name elsewhere, not only inside this run."""
        return any(word in full.split() for full in self.people.entries)

    def _headline_speaker(self) -> str | None:
        if self.headline is None:
            return None
        lo, hi = self.headline
        text = self.masked[lo:hi]
        colon = re.match(r"^\s*(?P<who>" + NAME_RUN + r")\s*:", text)
        if colon and (" " in colon.group("who").strip() or self.lookup(colon.group("who"), lo)):
            return self.people.resolve(colon.group("who"), lo + colon.start("who"))
        match = self.p.headline_by.search(text)
        if match:
            group = "who" if match.group("who") else "owner"
            name = self.people.clean(match.group(group))
            if name and (" " in name or self.lookup(name, lo)):
                return self.people.resolve(match.group(group), lo + match.start(group))
        if not self.headline_title_case:
            match = self.p.titled.search(text)
            if match:
                return self.people.resolve(match.group("name"), lo + match.start("name"))
        return None

    # --- mentions ---------------------------------------------------------------------------

    def resolve(self, who: str, offset: int, *, after_text: str = "", previous: str | None,
                outer_speaker: str | None = None) -> tuple[str | None, str]:
        """``(canonical name, kind)`` of a mention; kind is name, role or pronoun."""
        who = who.strip()
        lowered = who.lower()
        if lowered in self.lex.pronouns1:
            return outer_speaker or previous, "pronoun"
        if not who or lowered in self.lex.pronouns3:
            gender = "f" if lowered in ("she", "ella") else "m" if lowered in ("he", "él") else None
            return self.pronoun_target(offset, previous, outer_speaker, gender), "pronoun"
        if self.p.role.fullmatch(who):  # also a role at an organisation ("the Union's leader")
            noun = re.search(r"\b(?i:" + self.lex.role_noun + r")\b", who)
            inside = [m for m in re.finditer(NAME_RUN, who)
                      if noun and m.start() > noun.end()
                      and len([w for w in m.group(0).split() if w.lower() not in PARTICLES]) > 2]
            if inside:  # the name written right after the role's complement, without a comma
                cleaned = self.people.clean(self._name_after_complement(inside[-1].group(0)))
                name = self.people.lookup(cleaned, offset) if " " in cleaned else None
                if name and not is_organization(name):
                    return name, "name"
            following = self.p.then_name.match(after_text)
            if following:  # "said the state's attorney general, Ana Ruiz": the name that follows
                name = self.people.resolve(following.group("name"), offset + len(who))
                if name:
                    return name, "name"
            gender = self.people.gender_of(who)
            return (self.people.for_role(who, offset)
                    or self.pronoun_target(offset, previous, outer_speaker, gender)), "role"
        name = self.people.resolve(who, offset)
        return name, "name"

    def subject(self, lo: int, hi: int) -> tuple[str, str, int] | None:
        """The first person mentioned in a sentence as its subject: ``(kind, text, offset)``,
        skipping mentions after a preposition ("about his captain, X,") and their appositives."""
        text = self.masked[lo:hi]
        found: list[tuple[int, str, str]] = []
        for match in self.p.role.finditer(text):
            found.append((match.start(), "role", match.group(0)))
        for match in self.p.pronoun.finditer(text):
            if match.group(0).lower() in self.lex.pronouns3:
                found.append((match.start(), "pronoun", match.group(0)))
        for match in re.finditer(NAME_RUN, text):
            name = self.people.clean(match.group(0))
            if name and self.lookup(name, lo + match.start()):
                found.append((match.start() + match.group(0).find(name.split()[0][:2]), "name", name))
        skip_until = -1
        for start, kind, mention in sorted(found):
            if start < skip_until:
                continue
            before = text[:start].rstrip()
            previous_word = re.search(r"([\w’']+)\s*$", before)
            word = previous_word.group(1).lower() if previous_word else ""
            if word in self.lex.prepositions or (word in self.lex.determiners and re.search(
                    r"\b(" + "|".join(map(re.escape, self.lex.prepositions)) + r")\s+\w+\s*$",
                    before.lower())):
                skip_until = start + len(mention) + 1
                appositive = re.match(r",\s+[^,]{1,80},", text[start + len(mention):])
                if appositive:
                    skip_until = start + len(mention) + appositive.end()
                continue
            return kind, mention, lo + start
        return None

    def lookup(self, name: str, offset: int) -> str | None:
        return self.people.lookup(name, offset)

    def subject_person(self, lo: int, hi: int, previous: str | None) -> str | None:
        found = self.subject(lo, hi)
        if found is None:
            return None
        kind, text, offset = found
        if kind == "pronoun":
            return None
        if kind == "role":
            following = self.p.then_name.match(self.masked[offset + len(text):hi])
            if following:
                return self.people.resolve(following.group("name"), offset)
            return self.people.for_role(text, offset) or self.pronoun_target(offset, previous)
        return self.people.resolve(text, offset)

    def narrative_person(self, offset: int, previous: str | None, outer: str | None = None,
                         gender: str | None = None) -> str | None:
        """The person the narrative since the previous quote is about: in the nearest sentence
        naming someone, whoever a speech verb has as subject ("X, who said …"), else the
        sentence's subject. Organisations and pronouns do not count (a pronoun looks further
        back)."""
        limit = self._previous_quote_end(offset)
        for lo, hi, paragraph in reversed(self.sentences):
            if lo >= offset:
                continue
            if hi <= limit or (paragraph == 0 and self.headline is not None):
                break  # the headline is not narrative
            hi = min(hi, offset)
            text = self.masked[lo:hi]
            for match in reversed(self.speech_matches(text)):
                who = match.group("who").strip()
                if self.p.pronoun.fullmatch(who):
                    continue
                if self.p.role.fullmatch(who):
                    following = self.p.then_name.match(text[match.end("who"):])
                    person = (self.people.resolve(following.group("name"), lo + match.end("who"))
                              if following else self.people.for_role(who, lo + match.start("who")))
                else:
                    person = self.people.resolve(who, lo + match.start("who"))
                if self._may_be(person, outer, gender):
                    return person
            found = self.subject(lo, hi)
            if found and found[0] == "role" and self._unnamed(found[1], lo, hi, found[2]):
                return UNNAMED
            if found and found[0] != "pronoun":
                person = self.subject_person(lo, hi, previous)
                if self._may_be(person, outer, gender):
                    return person
        return None

    def _unnamed(self, role: str, lo: int, hi: int, offset: int) -> bool:
        """"A reporter asked …", "Otra vecina …": someone the article does not name."""
        first = role.split()[0].lower()
        return first in INDEFINITE and not self.p.then_name.match(self.masked[offset + len(role):hi])

    def _answerer(self, verb_text: str, previous: str | None) -> str | None:
        """"—…? / —… —contestó.": an answer to a question goes to whoever spoke before the
        one who asked it."""
        if not ANSWER_VERBS.search(verb_text) or not self._last_was_question:
            return None
        return next((s for s in reversed(self._speakers) if s != previous), None)

    def _may_be(self, person: str | None, outer: str | None, gender: str | None) -> bool:
        return bool(person) and person != outer and not is_organization(person) and self.people.fits(
            person, gender)

    def pronoun_target(self, offset: int, previous: str | None, outer: str | None = None,
                       gender: str | None = None) -> str | None:
        """He/she/they (or a verb without subject): the person the narrative since the previous
        quote is about, else the previous speaker, else the nearest person — of the pronoun's
        gender when the text tells it ("she" is never a man introduced as "el presidente")."""
        person = self.narrative_person(offset, previous, outer, gender)
        if person:
            return person
        if person == UNNAMED:
            return None
        fits = self.people.fits
        if previous and not is_organization(previous) and fits(previous, gender):
            return previous
        people = [s for s in reversed(self._speakers) if not is_organization(s) and fits(s, gender)]
        if people:
            return people[0]
        nearest = [n for n in self.people.persons_before(offset) if fits(n, gender)]
        if nearest:
            return nearest[0]
        # Nobody before: the person the paragraph names next ("Mexico's president said: … X
        # spoke in …").
        paragraph = next(((lo, hi) for lo, hi in self.paragraphs if lo <= offset <= hi), None)
        if paragraph:
            for at, name in self.people.mentions:
                if offset <= at < paragraph[1] and not is_organization(name):
                    return name
        return self.headline_speaker

    def _previous_quote_end(self, offset: int) -> int:
        """Where the quotation before the one being attributed ends."""
        offset = min(offset, self._current)
        ends = [s.close for s in self.spans if s.close < offset and s.dialogue is None] + [
            s.dialogue[1] for s in self.spans if s.dialogue and s.dialogue[1] < offset]
        return max(ends, default=-1)

    # --- attribution ----------------------------------------------------------------------

    def attribute(self, after: str, after_offset: int, before: str, before_offset: int,
                  previous: str | None) -> tuple[str | None, str, str]:
        """``(speaker, method, kind)`` from the words after and before a quote, or (None, "", "")."""
        p = self.p
        for index, pattern in enumerate(p.after):
            match = pattern.search(after)
            if match and match.group("who").strip():
                who = match.group("who")
                speaker, kind = self.resolve(who, after_offset + match.start("who"),
                                             after_text=after[match.end("who"):], previous=previous)
                if speaker:
                    return speaker, "according_to" if index == 2 else "after_verb", kind
        bare = p.after_bare_verb.search(after)
        if bare:
            answerer = self._answerer(bare.group(0), previous)
            if answerer:
                return answerer, "after_verb", "pronoun"
            return self.pronoun_target(after_offset, previous), "after_verb", "pronoun"
        matches = [m for m in self.speech_matches(before) if m.group("who").strip()]
        for match in reversed(matches):
            speaker, kind = self.resolve(match.group("who"), before_offset + match.start("who"),
                                         after_text=before[match.end("who"):], previous=previous)
            if speaker:
                return speaker, "before_verb", kind
        match = ([None] + list(p.before_according.finditer(before)))[-1] or p.opinion_of.search(before)
        if match:
            speaker, kind = self.resolve(match.group("who"), before_offset + match.start("who"),
                                         after_text=before[match.end("who"):], previous=previous)
            if speaker:
                return speaker, "according_to", kind
        match = p.before_colon.search(before)
        if match:
            speaker, kind = self.resolve(match.group("who"), before_offset + match.start("who"),
                                         previous=previous)
            if speaker:
                return speaker, "before_colon", kind
        if p.before_bare_verb.search(before):
            return self.pronoun_target(before_offset, previous), "before_verb", "pronoun"
        return None, "", ""

    def run(self) -> list[ExtractedQuote]:
        masked = self.masked
        results: list[ExtractedQuote] = []
        previous: str | None = None
        previous_paragraph = -1
        top_level: list[tuple[Span, int]] = []
        deferred: dict[int, str] = {}
        for span in self.spans:
            self._current = span.open
            unnamed = False
            lo, hi = self.paragraphs[span.paragraph]
            s_lo, s_hi = next(((a, b) for a, b, _ in self.sentences if a <= span.open < b), (lo, hi))
            same = [s for s in self.spans if s.paragraph == span.paragraph and s_lo <= s.open < s_hi]
            speaker, method, kind = None, "", ""
            if span.dialogue:
                d_lo, d_hi = span.dialogue
                speaker, method, kind = self.attribute(masked[d_lo:d_hi], d_lo, "", d_lo, previous)
            else:
                after_end = min([s.open for s in same if s.open > span.open] + [s_hi])
                before_start = max([s.close + 1 for s in same if s.close < span.open] + [s_lo])
                after = masked[span.close + 1:after_end] if span.close < hi else ""
                before = masked[before_start:span.open]
                speaker, method, kind = self.attribute(after, span.close + 1, before, before_start, previous)
                if speaker is None and span.open > s_lo + 2 and MASK not in masked[s_lo:span.open]:
                    # A quote inside a sentence (no other quote before it there): the subject.
                    subject = self.subject(s_lo, span.open)
                    if subject and subject[0] != "pronoun":
                        speaker = self.subject_person(s_lo, span.open, previous)
                        method, kind = "subject", subject[0]
                    elif subject:
                        speaker, method, kind = self.pronoun_target(span.open, previous), "subject", "pronoun"
            if speaker is None and span.open == lo and span.paragraph > 0:
                speaker, method, kind = self._paragraph_above(span, previous)
            if (speaker is None and not span.continued and not span.runs_on and not span.dialogue
                    and not masked[s_lo:span.open].strip()):
                # A quotation opening its sentence after narrative that introduced someone.
                speaker = self.narrative_person(span.open, previous)
                method, kind = "subject", "name"
                if speaker == UNNAMED:  # introduced as "a reporter": nobody we can name
                    speaker, unnamed = None, True
            if speaker is None and previous and not unnamed and (
                span.paragraph == previous_paragraph or span.continued or span.open <= lo + 1
            ):
                if span.runs_on:
                    deferred[len(results)] = previous
                else:
                    speaker, method, kind = previous, "continuation", "name"
            if speaker is None and previous is None and self.headline_speaker and not unnamed:
                speaker, method, kind = self.headline_speaker, "headline", "name"
            if (speaker is None and span.open <= lo + 1 and span.paragraph > 0 and not span.continued
                    and len(results) not in deferred and not unnamed):
                # A quotation opening a paragraph after a sentence that introduced a person.
                speaker = self.pronoun_target(span.open, None)
                method, kind = "subject", "name"
            outer_index = len(results)
            results.append(self._quote(span, speaker, method, kind))
            for inner in span.nested:
                results.append(self._nested(span, inner, speaker, outer_index, previous))
            if speaker:
                previous, previous_paragraph = speaker, span.paragraph
                self._speakers.append(speaker)
            self._last_was_question = self.content[span.start:span.end].rstrip().endswith("?")
            top_level.append((span, outer_index))
        for (span, index), (following, following_index) in reversed(list(pairwise(top_level))):
            if results[index].speaker is None and span.runs_on and following.continued:
                self._set(results[index], results[following_index].speaker, "continuation")
        for index, speaker in deferred.items():
            if results[index].speaker is None:
                self._set(results[index], speaker, "continuation")
        return results

    def _paragraph_above(self, span: Span, previous: str | None) -> tuple[str | None, str, str]:
        """A speaker line (``NAME, ROLE:``) or a paragraph ending with a colon above the quote."""
        a_lo, a_hi = self.paragraphs[span.paragraph - 1]
        above = self.masked[a_lo:a_hi]
        if not above.rstrip().endswith(":"):
            return None, "", ""
        line = self.p.speaker_line.match(above)
        if line and MASK not in above and len(above.split()) <= 25:
            speaker = self.people.resolve(line.group("who"), a_lo + line.start("who"))
            if speaker:
                return speaker, "speaker_line", "name"
        i_lo, _ = sentence_bounds(self.masked, a_lo, a_hi)[-1]
        intro = self.masked[i_lo:a_hi].rstrip().rstrip(":")
        speaker, method, kind = self.attribute("", a_hi, intro, i_lo, previous)
        if speaker is None:
            speaker = self.subject_person(i_lo, a_hi, previous)
            kind = "name"
        return (speaker, "before_colon", kind) if speaker else (None, "", "")

    def _quote(self, span: Span, speaker: str | None, method: str, kind: str) -> ExtractedQuote:
        quote = ExtractedQuote(text=self.content[span.start:span.end], start=span.start, end=span.end,
                               speaker=None, paragraph=span.paragraph)
        self._set(quote, speaker, method, kind)
        return quote

    @staticmethod
    def _set(quote: ExtractedQuote, speaker: str | None, method: str, kind: str = "name") -> None:
        if not speaker:
            quote.speaker, quote.method, quote.confidence = None, "none", 0.0
            return
        confidence = METHOD_CONFIDENCE.get(method, 0.5)
        if kind in ("role", "pronoun") and method not in ("continuation", "headline"):
            confidence = min(confidence, METHOD_CONFIDENCE[kind])
            method = kind
        quote.speaker, quote.method, quote.confidence = speaker, method, confidence

    def _nested(self, outer: Span, inner: Span, outer_speaker, outer_index, previous) -> ExtractedQuote:
        content = self.content
        before_start = outer.start
        for other in outer.nested:
            if other.close < inner.open:
                before_start = other.close + 1
        before = content[before_start:inner.open]
        after = content[inner.close + 1:outer.end]
        speaker, method, kind = None, "", ""
        for pattern in self.p.after:
            match = pattern.search(after)
            if match and match.group("who").strip():
                speaker, kind = self.resolve(match.group("who"), inner.close + 1 + match.start("who"),
                                             previous=outer_speaker, outer_speaker=outer_speaker)
                method = "after_verb"
                break
        if speaker is None:
            matches = self.speech_matches(before)
            if matches:
                match = matches[-1]
                speaker, kind = self.resolve(match.group("who"), before_start + match.start("who"),
                                             previous=outer_speaker, outer_speaker=outer_speaker)
                method = "before_verb"
        if speaker is None:
            speaker, method, kind = outer_speaker, "outer", "name"
        quote = ExtractedQuote(text=content[inner.start:inner.end], start=inner.start, end=inner.end,
                               speaker=None, outer=outer_index, paragraph=inner.paragraph)
        self._set(quote, speaker, method, kind)
        return quote


def extract_quotes(
    content: str, *, language: str | None = None, known: Sequence[KnownPerson] = ()
) -> list[ExtractedQuote]:
    """Every direct quotation in ``content`` (a normalized snapshot), in text order (nested ones
    after the quotation holding them), each with its speaker's canonical name — or None, when
    nobody could be found — how it was attributed, and a confidence. ``language`` chooses the
    lexicon (English and Spanish; None or another language: both)."""
    return _Article(content, language, known).run()
