"""The demo newsroom: the Voz.us article this product started from, its people, quotes and claims
(the quotes and claims as data, in claims/fixtures/demo.toml).

``load_demo`` is idempotent: each object is looked up by its natural key first, and the claims go
through the same workflow services editors use, so their review log is real.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from claims import services
from claims.models import Claim, Rating, Topic
from factcheck.actors import SYSTEM
from factcheck.audit import audit_context
from sources import services as source_services
from sources.models import Person, Quote, Source

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTICLE_FILE = FIXTURES / "voz-sheinbaum-sovereignty-not-for-sale.txt"
ARTICLE_URL = (
    "https://voz.us/sovereignty-is-not-for-sale-sheinbaum-rejects-trumps-offer-to-send-troops-"
    "to-mexico-to-fight-drug-trafficking/"
)
ARTICLE_TITLE = (
    "'Sovereignty is not for sale': Sheinbaum rejects Trump's offer to send troops to Mexico to "
    "fight drug trafficking"
)
ARTICLE_PUBLISHED = dt.datetime(2025, 5, 3, 18, 0, tzinfo=dt.UTC)
CLAIM_DATE = dt.date(2025, 5, 3)

# The publish gates want the appearance and the other evidence from two different sources: the
# desk's own research notes (demo data, on a reserved example domain) are the second one.
NOTES_URL = "https://factcheck.example/demo/desk-notes-2025-05-03/"
NOTES_TITLE = "Desk research notes, 3 May 2025 (demo data)"
NOTES_TEXT = (
    "Demo data: the research notes of the desk for the Voz.us article of 3 May 2025.\n\n"
    "The Wall Street Journal reported on Friday, 2 May 2025, that President Trump pushed for "
    "greater U.S. military involvement against the drug cartels on the shared border.\n\n"
    "The Mexican government has not published the authorizations for U.S. drone flights over "
    "its territory that it says it gives."
)

# Sheinbaum spoke in Spanish; the article quotes her in English, twice, in two places ("Sovereignty
# is not for sale" in its headline, "sovereignty is not for sale" in its body). The desk's Spanish
# transcript of her words (demo data, on the reserved example domain) holds the original, and the
# two English quotes are linked to it as its renderings: one statement.
ORIGINAL_URL = "https://factcheck.example/demo/sheinbaum-2025-05-03-es/"
ORIGINAL_TITLE = "Sheinbaum, 3 May 2025: her words in Spanish (demo data)"
ORIGINAL_TEXT = (
    "Datos de demostración: la transcripción del equipo de las palabras de Claudia Sheinbaum en un "
    "acto de gobierno en el Estado de México, el 3 de mayo de 2025.\n\n"
    "Sheinbaum dijo que le respondió al presidente Trump que la soberanía no se vende."
)
ORIGINAL_QUOTE = "la soberanía no se vende"
RENDERINGS = ("headline", "not-for-sale")

DEMO_USERS = [
    # username, password, group, superuser
    ("editor", "editor", "Editor", False),
    ("reviewer", "reviewer", "Reviewer", False),
    ("admin", "admin", None, True),
]

PEOPLE = {
    "claudia-sheinbaum": dict(
        name="Claudia Sheinbaum", title="President of Mexico", country="MX",
        aliases=["Sheinbaum", "the Mexican leader", "the president of Mexico", "Mexican President"],
    ),
    "donald-trump": dict(
        name="Donald Trump", title="President of the United States", country="US",
        wikidata_id="Q22686", aliases=["Trump", "President Trump", "President Donald Trump"],
    ),
    "agustina-blanco": dict(name="Agustina Blanco", title="Journalist, Voz.us", country="US"),
}


@dataclass(frozen=True)
class DemoQuote:
    key: str
    speaker: str
    text: str
    after: str = ""  # anchor the first occurrence after this text (repeated phrases)


@dataclass(frozen=True)
class DemoEvidence:
    relation: str
    quote: str | None = None  # a quote's key; None: the source as a whole
    note: str = ""


@dataclass(frozen=True)
class DemoClaim:
    text: str
    claimant: str
    state: str  # draft | in_review | published | retracted
    evidence: tuple[DemoEvidence, ...]  # links to the article
    research: DemoEvidence | None = None  # the desk notes as evidence
    topics: tuple[str, ...] = ()
    rating: str | None = None
    rating_explanation: str = ""
    analysis: str = ""
    correction: str = ""
    retraction: str = ""

    @classmethod
    def from_record(cls, record: dict) -> DemoClaim:
        """A ``[[claims]]`` table of the demo data file."""
        fields = dict(record)
        evidence = tuple(DemoEvidence(**item) for item in fields.pop("evidence"))
        research = fields.pop("research", None)
        topics = tuple(fields.pop("topics", ()))
        return cls(**fields, evidence=evidence, topics=topics,
                   research=DemoEvidence(**research) if research else None)


# The article's quotes and the claims checked in it are data: claims/fixtures/demo.toml.
DEMO_DATA = tomllib.loads((FIXTURES / "demo.toml").read_text(encoding="utf-8"))
QUOTES = [DemoQuote(**quote) for quote in DEMO_DATA["quotes"]]
CLAIMS = [DemoClaim.from_record(claim) for claim in DEMO_DATA["claims"]]

TOPICS = {
    "security": "Security",
    "us-mexico-relations": "U.S.–Mexico relations",
    "sovereignty": "Sovereignty",
    "drug-trafficking": "Drug trafficking",
}


def ensure_users() -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, password, group, superuser in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, password=password, email=f"{username}@example.org",
                is_staff=True, is_superuser=superuser,
            )
        if group:
            user.groups.add(Group.objects.get(name=group))
        users[username] = user
    return users


def ensure_people() -> dict[str, Person]:
    people = {}
    for slug, fields in PEOPLE.items():
        person = Person.objects.filter(slug=slug).first()
        people[slug] = person or source_services.person_create(actor=SYSTEM, slug=slug, **fields)
    return people


def ensure_article() -> Source:
    source = Source.objects.filter(url=ARTICLE_URL).first()
    if source:
        return source
    outlet, _ = source_services.outlet_get_or_create(
        actor=SYSTEM, domain="voz.us", name="Voz.us", homepage_url="https://voz.us/", country="US",
        language="en",
    )
    return source_services.source_create(
        actor=SYSTEM, url=ARTICLE_URL, outlet=outlet, title=ARTICLE_TITLE, byline="Agustina Blanco",
        published_at=ARTICLE_PUBLISHED, language="en", kind=Source.Kind.ARTICLE,
        content=ARTICLE_FILE.read_text(encoding="utf-8"),
    )


def ensure_notes() -> Source:
    source = Source.objects.filter(url=NOTES_URL).first()
    if source:
        return source
    outlet, _ = source_services.outlet_get_or_create(
        actor=SYSTEM, domain="factcheck.example", name="factcheck (demo desk)", language="en",
    )
    return source_services.source_create(
        actor=SYSTEM, url=NOTES_URL, outlet=outlet, title=NOTES_TITLE, language="en",
        published_at=ARTICLE_PUBLISHED, kind=Source.Kind.REPORT, content=NOTES_TEXT,
    )


def ensure_original(people: dict[str, Person], quotes: dict[str, Quote]) -> Quote:
    """The Spanish original of "sovereignty is not for sale", with the article's two English
    quotes linked to it as renderings (languages given: the desk knows them)."""
    source = Source.objects.filter(url=ORIGINAL_URL).first()
    if source is None:
        outlet, _ = source_services.outlet_get_or_create(
            actor=SYSTEM, domain="factcheck.example", name="factcheck (demo desk)", language="en",
        )
        source = source_services.source_create(
            actor=SYSTEM, url=ORIGINAL_URL, outlet=outlet, title=ORIGINAL_TITLE, language="es",
            published_at=ARTICLE_PUBLISHED, kind=Source.Kind.TRANSCRIPT, content=ORIGINAL_TEXT,
        )
    original = Quote.objects.filter(source=source, text=ORIGINAL_QUOTE).first()
    if original is None:
        original = source_services.quote_create(
            actor=SYSTEM, source=source, speaker=people["claudia-sheinbaum"], text=ORIGINAL_QUOTE,
            language="es",
        )
    for key in RENDERINGS:
        quote = quotes[key]
        if quote.rendering_of_id != original.pk:
            quotes[key] = source_services.quote_update(quote=quote, actor=SYSTEM, language="en",
                                                       rendering_of=original)
    return original


def ensure_quotes(source: Source, people: dict[str, Person]) -> dict[str, Quote]:
    quotes = {}
    for spec in QUOTES:
        near = source.content.index(spec.after) if spec.after else None
        existing = Quote.objects.filter(source=source, text=spec.text).order_by("start")
        quote = next(
            (q for q in existing if near is None or (q.start or 0) >= near), None
        ) if existing else None
        if quote is None:
            quote = source_services.quote_create(
                actor=SYSTEM, source=source, speaker=people[spec.speaker], text=spec.text, near=near
            )
        quotes[spec.key] = quote
    return quotes


def ensure_claims(source, people, quotes, users, notes: Source) -> list[Claim]:
    editor, reviewer = users["editor"], users["reviewer"]
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TOPICS.items()
    }
    claims = []
    for spec in CLAIMS:
        claim = Claim.objects.filter(text=spec.text).first()
        if claim is None:
            claim = services.claim_create(
                actor=editor, text=spec.text, claimant=people[spec.claimant],
                claim_date=CLAIM_DATE, topics=[topics[t] for t in spec.topics],
                rating=Rating.objects.get(slug=spec.rating) if spec.rating else None,
                rating_explanation=spec.rating_explanation, analysis=spec.analysis,
                assignee=editor,
            )
            for item in spec.evidence:
                services.evidence_add(
                    claim_id=claim.pk, actor=editor, source=source, relation=item.relation,
                    quote=quotes[item.quote] if item.quote else None, note=item.note,
                )
            if spec.research:
                services.evidence_add(
                    claim_id=claim.pk, actor=editor, source=notes, relation=spec.research.relation,
                    note=spec.research.note,
                )
            if spec.state != "draft":
                services.claim_submit(claim_id=claim.pk, actor=editor)
            if spec.state in {"published", "retracted"}:
                services.claim_publish(claim_id=claim.pk, actor=reviewer)
            if spec.correction:
                services.claim_correct(
                    claim_id=claim.pk, actor=reviewer, kind="update", note=spec.correction
                )
            if spec.state == "retracted":
                services.claim_retract(claim_id=claim.pk, actor=reviewer, note=spec.retraction)
            claim.refresh_from_db()
        claims.append(claim)
    return claims


@transaction.atomic
def load_demo() -> dict[str, int]:
    """Load (or complete) the demo data. Safe to run any number of times."""
    # pghistory merges nested contexts into one, so the claim services (which record their own
    # actor and action per call) run outside the command's context.
    with audit_context(command="load_demo"):
        users = ensure_users()
        people = ensure_people()
        source = ensure_article()
        quotes = ensure_quotes(source, people)
        ensure_original(people, quotes)
        notes = ensure_notes()
    claims = ensure_claims(source, people, quotes, users, notes)
    return {"users": len(users), "people": len(people), "quotes": len(quotes),
            "claims": len(claims)}
