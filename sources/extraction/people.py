"""Step 2: the people of one article — every named person, where they are mentioned, their roles.

A first pass over the text (quotations masked) learns every name: titled names ("Senator Ann
Brown", "la senadora Lilly Téllez"), appositives ("Ann Brown, the mayor," / "su entrenador,
Julián Ibarra,"), speakers of speech verbs, speaker lines ("JOHN SMITH, CEO:"), and any other
run of two or more capitalised words that is not an organisation or a place. Each mention keeps
its offset, so a bare surname resolves to the **nearest full mention before it** (else the first
one after): two people sharing a surname stay apart, and two different first names are never
merged. Names in a title-case headline ("Minister Slams Plan") are not learnt; capitals are read
as names only at word starts; "<Company> CEO" is a role at a company, not a name.

People already in the database (``KnownPerson``) are recognised by full name or alias; by surname
alone only when confirmed and when the article names nobody else with that surname.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from sources.extraction.lexicon import (
    DEMONYMS,
    FEMININE,
    GENERIC_ROLES,
    LOWER,
    MASCULINE,
    ORGANIZATION_WORDS,
    PARTICLES,
    PLACE_WORDS,
    ROLE_GROUP,
    UPPER,
    Lexicon,
)


@dataclass(frozen=True)
class KnownPerson:
    """A person already in the database, to recognise names, aliases and roles in the text."""

    name: str
    aliases: tuple[str, ...] = ()
    title: str = ""
    # False for a person an import created and no editor has confirmed yet: found by full name
    # or alias only, never by surname alone.
    confirmed: bool = True


_PARTICLE = r"(?:" + "|".join(re.escape(p) for p in PARTICLES) + r")"
NAME_WORD = (
    r"(?<![\w'’.-])(?:(?:[" + UPPER + r"]['’])?[" + UPPER + r"][" + LOWER + r"]+"
    r"(?:[" + UPPER + r"][" + LOWER + r"]+)?"
    r"(?:[-'’][" + UPPER + r"][" + LOWER + r"]+)?"
    r"|[" + UPPER + r"]{2,}(?:[-'’][" + UPPER + r"]{2,})?(?![" + LOWER + r".])"
    r"|[" + UPPER + r"]\.)"
)
_SMALL_WORDS = frozenset(("for", "of", "and", "the", "on", "in", "at", "to", *PARTICLES))
_SPACE = r"[^\S\n]+"  # a name never runs over a line break
NAME_RUN = (
    NAME_WORD + r"(?:" + _SPACE + r"(?:" + _PARTICLE + _SPACE + r"){0,2}" + NAME_WORD + r"){0,4}"
)


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case, accents and spacing ignored: the key names are compared by."""
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def is_organization(name: str) -> bool:
    """Whether a speaker's name is an organisation's (an organisation word in it, or an acronym
    such as "NASA")."""
    words = name.replace("’s", "").replace("'s", "").split()
    return any(word in ORGANIZATION_WORDS for word in words) or (
        len(words) == 1 and words[0].isupper() and 2 <= len(words[0]) <= 5)


def title_case(word: str) -> str:
    """JOHN → John, MCALLISTER → McAllister, EL-KHOURY → El-Khoury; mixed case is kept."""
    if not (word.isupper() and len(word) > 1):
        return word
    word = re.sub(r"[^\W\d_]+", lambda m: m.group(0).capitalize(), word.lower())
    return re.sub(r"^Mc([a-z])", lambda m: "Mc" + m.group(1).upper(), word)


@dataclass
class Entry:
    name: str
    kind: str = "person"  # or "organization"
    roles: set[str] = field(default_factory=set)
    evidence: int = 0  # how sure we are it is a person (titles, appositives, speech)
    known: bool = False
    gender: str | None = None  # "f" or "m" when a role or title says so, else unknown


class People:
    """The people of one article (see the module docstring)."""

    def __init__(self, lexicon: Lexicon, known: Sequence[KnownPerson] = (),
                 common_words: frozenset[str] = frozenset()):
        self.lexicon = lexicon
        # Words the text also writes in lower case: a capitalised one is not a name ("Solo").
        self.common_words = common_words
        self.known = list(known)
        self.entries: dict[str, Entry] = {}
        self._index: dict[str, set[str]] = {}  # folded word -> entries with that word
        self.mentions: list[tuple[int, str]] = []  # (offset, canonical full name), sorted
        self._title_re = re.compile(r"^(?:" + lexicon.title + r")$")

    # --- names ---------------------------------------------------------------------------------

    def clean(self, raw: str) -> str:
        """A mention's name without titles, articles, possessives; capitals made title case."""
        words = raw.strip("()[] ,;:").split()
        owner = max((i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "’s"))), default=-1)
        words = words[owner + 1:]  # "DataCorp's McAllister": the company's person
        lex = self.lexicon
        while words and (words[0] in lex.not_names or words[0].lower() in lex.determiners
                         or self._title_re.match(words[0]) or words[0].lower() in lex.roles):
            words = words[1:]
        cut = max((i for i, w in enumerate(words[:-1]) if w.lower().strip(".") in lex.roles
                   or self._title_re.match(w)
                   or (i == 0 and w in PLACE_WORDS and not is_organization(" ".join(words)))), default=-1)
        words = words[cut + 1:]  # "Brightline CEO Maria Okafor", "State Margaret Liu"
        while words and ((words[-1].lower() in lex.roles and (words[-1].isupper() or words[-1].islower()))
                         or words[-1] in lex.not_names or words[-1].lower() in PARTICLES):
            words = words[:-1]  # "Acme CEO": a role at a company (but "Transit Forward" is a name)
        words = [w.rstrip("’'").removesuffix("’s").removesuffix("'s") for w in words]
        if words and words[-1].endswith(".") and len(words[-1]) > 4:
            words[-1] = words[-1].rstrip(".")  # the sentence's full stop, not "Inc." or "Jr."
        while words and (words[0].lower() in PARTICLES or re.fullmatch(r"(?:[A-Z]\.){1,3}", words[0])):
            words = words[1:]  # "de la Fiscalía …" (an organisation after a preposition), "U.S."
        if not words:
            return ""
        if len(words) == 1 and words[0].isupper() and len(words[0]) <= 5:
            return words[0]  # an acronym: CEOE, NASA
        caps = sum(w.isupper() and len(w) > 2 for w in words)
        if caps:  # "INTERNATIONAL COMMITTEE FOR RELIEF" → "International Committee for Relief"
            words = [title_case(w) if i == 0 or w.lower() not in _SMALL_WORDS else w.lower()
                     for i, w in enumerate(words)]
        return " ".join(w for w in words if w)

    def looks_like_person(self, name: str) -> bool:
        words = name.split()
        if not words or is_organization(name):
            return False
        if all(w in PLACE_WORDS or w.lower() in PARTICLES for w in words):
            return False
        if any(w in self.lexicon.not_names for w in words):
            return False
        return not any(w.lower() in self.lexicon.verbs for w in words)

    # --- learning ----------------------------------------------------------------------------

    def learn(self, raw: str, offset: int, *, role: str = "", evidence: int = 1,
              speaker: bool = False) -> str | None:
        """Record a mention of a full name (or a speaker's single name); returns its canonical."""
        name = self.clean(raw)
        if not name:
            return None
        if is_organization(name):
            if speaker:
                entry = self._entry(name, kind="organization")
                entry.evidence += evidence
                return name
            return None
        if not self.looks_like_person(name):
            return None
        words = name.split()
        if len(words) == 1 and not speaker:
            return None  # a bare word is resolved later, never learnt as a person on its own
        if len(words) == 1 and name.lower() in self.common_words and not self.lookup(name, offset):
            return None
        canonical = self.known_full(name) or (self.lookup(name, offset) if len(words) == 1 else None) or name
        entry = self._entry(canonical, known=canonical != name)
        entry.evidence += evidence
        if role:
            entry.roles.add(role)
        entry.gender = entry.gender or self.gender_of(f"{role} {raw}" if role else raw)
        if len(words) > 1 or speaker:
            bisect.insort(self.mentions, (offset, canonical))
        return canonical

    def _entry(self, name: str, **fields) -> Entry:
        entry = self.entries.get(name)
        if entry is None:
            entry = self.entries[name] = Entry(name, **fields)
            for word in name.split():
                self._index.setdefault(fold(word), set()).add(name)
        return entry

    def _sharing(self, words: list[str]) -> list[str]:
        """Entries sharing a word with ``words`` (the only ones a name can be compatible with)."""
        found: set[str] = set()
        for word in words:
            found |= self._index.get(fold(word), set())
        return [name for name in self.entries if name in found]  # in the order they were learnt

    def add_role(self, canonical: str, role: str) -> None:
        if canonical in self.entries and role:
            entry = self.entries[canonical]
            entry.roles.add(role)
            entry.gender = entry.gender or self.gender_of(role)

    def gender_of(self, text: str) -> str | None:
        """"f"/"m" from a role or title phrase: its article (la/el), a title (Mrs., Sr.), a
        gendered noun (spokeswoman), a Spanish role noun with its other form in the lexicon
        (ministra/ministro, presidenta/presidente). Possessives ("her lawyer") say nothing."""
        words = text.lower().replace(",", " ").split()
        if not words:
            return None
        checks = [words[0]] if words[0] in ("la", "una", "el", "un") else []
        roles = self.lexicon.roles
        for word in words:
            if word in roles and word.endswith("a") and (word[:-1] + "o" in roles or word[:-1] in roles
                                                         or word[:-1] + "e" in roles):
                checks.append("f-noun")
            elif word in roles and word.endswith(("o", "e")) and word[:-1] + "a" in roles:
                checks.append("m-noun")  # ministro, presidente (not the English "president")
            elif word in GENDERED_WORDS:
                checks.append(word)
        for word in checks:
            if word in FEMININE or word == "f-noun":
                return "f"
            if word in MASCULINE or word == "m-noun":
                return "m"
        return None

    def fits(self, name: str | None, gender: str | None) -> bool:
        """Whether ``name`` may be the person a gendered mention refers to."""
        if not name or not gender:
            return True
        entry = self.entries.get(name)
        return entry is None or entry.gender in (None, gender)

    # --- resolving --------------------------------------------------------------------------

    def known_full(self, name: str) -> str | None:
        """A known person by full name or alias (any case and accents)."""
        key = fold(name)
        for person in self.known:
            if key == fold(person.name) or any(key == fold(a) for a in person.aliases):
                return person.name
        return None

    def resolve(self, raw: str, offset: int) -> str | None:
        """The canonical name a name mention at ``offset`` refers to (learning it when new)."""
        name = self.clean(raw)
        if not name:
            return None
        known = self.known_full(name)
        if known and (" " in name or is_organization(name)):
            return known  # a known full name, or alias in capitals ("AMLO" is a person, not an acronym)
        if is_organization(name):
            return self.learn(name, offset, speaker=True)
        return self.lookup(name, offset) or self.learn(name, offset, speaker=True)

    def lookup(self, name: str, offset: int) -> str | None:
        """A cleaned name as someone the article (or the database) already knows, or None.

        Several words: a known person's name or alias, else the article's full name it fits
        (nearest mention). One word: the surname of an article's full name (nearest mention),
        else a known alias, else a confirmed known person's surname, else a first name."""
        words = name.split()
        if len(words) > 1:
            known = self.known_full(name)
            if known:
                return known
            compatible = [full for full in self._sharing(words) if _compatible(words, full.split())]
            if compatible:
                return self._nearest(compatible, offset) or max(compatible, key=len)
            return None
        persons = [full for full in self._sharing(words)
                   if self.entries[full].kind == "person" and len(full.split()) > 1]
        fuller = [full for full in persons if _compatible(words, full.split())]
        if fuller:
            return self._nearest(fuller, offset) or fuller[0]
        key = fold(name)
        for person in self.known:
            if any(fold(a) == key for a in person.aliases):
                return person.name
        confirmed = [p.name for p in self.known if p.confirmed and fold(p.name).split()[-1] == key]
        if len(confirmed) == 1:
            return confirmed[0]
        first = [full for full in persons if fold(full.split()[0]) == key]  # "Linda" → Linda Harlow
        if first:
            return self._nearest(first, offset)
        return name if name in self.entries else None

    def _nearest(self, names: list[str], offset: int) -> str | None:
        """Of ``names``, the one mentioned last before ``offset``, else first after it."""
        wanted = set(names)
        index = bisect.bisect_right(self.mentions, (offset, "\uffff"))
        for position in range(index - 1, -1, -1):
            if self.mentions[position][1] in wanted:
                return self.mentions[position][1]
        for position in range(index, len(self.mentions)):
            if self.mentions[position][1] in wanted:
                return self.mentions[position][1]
        return None

    def persons_before(self, offset: int) -> list[str]:
        """People mentioned before ``offset``, nearest first (each once)."""
        index = bisect.bisect_left(self.mentions, (offset, ""))
        seen = dict.fromkeys(
            name for _, name in reversed(self.mentions[:index])
            if self.entries.get(name, Entry(name)).kind == "person"
        )
        return list(seen)

    def for_role(self, role: str, offset: int) -> str | None:
        """The person a role phrase ("the coach", "la mandataria") refers to: a known alias or
        title; else the nearest person given a fitting role (the same role noun or a synonym,
        the same country); else the nearest person named with some confidence."""
        alias = _normal_alias(role)
        for person in self.known:
            if any(_normal_alias(a) == alias for a in person.aliases) or (
                person.title and _normal_alias(person.title) == alias
            ):
                return person.name
        gender = self.gender_of(role)
        before = [n for n in self.persons_before(offset) if self.fits(n, gender)]
        after = [n for n in dict.fromkeys(n for o, n in self.mentions if o >= offset)
                 if self.entries.get(n, Entry(n)).kind == "person" and n not in before
                 and self.fits(n, gender)]
        order = before + after
        nouns, places = self.role_keys(role)
        if nouns or places:
            for name in order:
                texts = set(self.entries.get(name, Entry(name)).roles)
                texts |= {p.title for p in self.known if p.name == name}
                texts |= {a for p in self.known if p.name == name for a in p.aliases}
                for text in filter(None, texts):
                    their_nouns, their_places = self.role_keys(text)
                    if places and not places & their_places:
                        continue
                    if nouns and their_nouns and not nouns & their_nouns:
                        continue
                    if (nouns & their_nouns) or (places & their_places):
                        return name
        return None

    def role_keys(self, role: str) -> tuple[set[str], set[str]]:
        """The role nouns (synonyms folded: "coach" = "manager") and countries of a role phrase."""
        words = re.findall(r"[\w.\-]+", role.lower().replace("’s", "").replace("'s", ""))
        nouns = {ROLE_GROUP.get(w, w) for w in words if w in self.lexicon.roles and w not in GENERIC_ROLES}
        places = {DEMONYMS.get(w) or DEMONYMS.get(w.strip(".")) or (w if w in _COUNTRIES else None)
                  for w in words}
        return nouns, places - {None}


_COUNTRIES = frozenset(DEMONYMS.values())


# Gendered words that count anywhere in a role phrase (articles count only at its start).
GENDERED_WORDS = (FEMININE | MASCULINE) - {"la", "una", "el", "un", "she", "ella", "he", "él"}


def _compatible(mention: list[str], full: list[str]) -> bool:
    return _compatible_names(tuple(mention), tuple(full))


@functools.lru_cache(maxsize=8192)
def _compatible_names(mention: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether a mention's words can name the person of ``full``: the same name, its surname(s)
    ("López Obrador", "de la Fuente"), or the same first name with fewer or initialled other
    names. Two different first names never match."""
    m = [fold(w) for w in mention if w.lower() not in PARTICLES]
    f = [fold(w) for w in full if w.lower() not in PARTICLES]
    if not m or not f:
        return False
    if m == f:
        return True
    tail = f[1:]
    for i in range(len(tail) - len(m) + 1):
        if tail[i:i + len(m)] == m:
            return True  # a surname, or the surnames
    if len(m) > 1 and (m[0] == f[0] or (len(m[0]) == 2 and m[0].endswith(".") and f[0][0] == m[0][0])):
        return set(m[1:]) <= set(tail)
    return False


def _normal_alias(text: str) -> str:
    return re.sub(r"^(the|a|an|el|la|los|las)\s+", "", fold(text))
