"""The benchmark's synthetic newsroom, written straight into PostgreSQL with COPY.

``dataset_build(claims=100_000)`` creates about 2,000 people, 200 topics, 300 outlets, one source
per claim, 2–3 evidence rows per claim each with an anchored quote, 3 topics per claim, 80% of the
claims published (3% retracted, the rest drafts and claims in review) and a few corrections, with
text generated from ``bench.vocabulary`` so full-text search meets realistic term frequencies.

Why not the ORM or the services: a per-row ``save()`` (with the audit, version and search
triggers firing) would take hours at this size. The load runs with
``session_replication_role = replica`` — no triggers and no foreign-key checks — so the builder
itself keeps the data consistent and fills ``search_text``/``search_vector`` with the very
expression of ``claims.models.SEARCH_FUNC`` (``tests/bench/test_dataset.py`` checks that the trigger
computes the same vector). That needs a superuser (the embedded server's ``postgres`` is one).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils.text import slugify

from bench import vocabulary as words
from sources.text import sha256_hex

STATUS_SHARES = [("published", 0.80), ("retracted", 0.03), ("in_review", 0.08), ("draft", 0.09)]
RATING_SHARES = [
    ("false", 30), ("mostly-false", 15), ("half-true", 15), ("mostly-true", 10), ("true", 10),
    ("misleading", 15), ("unproven", 5),
]
OTHER_RELATIONS = ["supports", "refutes", "context"]
CORRECTED_SHARE = 0.02
EPOCH = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

# The same expression as the claim_search trigger (claims.models.SEARCH_FUNC), over a staging row
# ``s`` that carries the claim's columns plus ``quote_texts``, joined to its claimant ``p``. The
# generated quotes have no language of their own: they are indexed in the claim's.
CLAIMANT_NAME_SQL = "(coalesce(p.name, '') || ' ' || array_to_string(p.aliases, ' '))"
SEARCH_TEXT_SQL = (
    f"concat_ws(' ', s.text, {CLAIMANT_NAME_SQL}, s.rating_explanation, s.quote_texts, s.analysis)"
)
SEARCH_VECTOR_SQL = f"""
      setweight(to_tsvector(fc_regconfig(s.language), coalesce(s.text, '')), 'A')
   || setweight(to_tsvector(fc_regconfig(s.language), coalesce({CLAIMANT_NAME_SQL}, '')), 'A')
   || setweight(to_tsvector(fc_regconfig(s.language), coalesce(s.rating_explanation, '')), 'B')
   || setweight(to_tsvector(fc_regconfig(s.language), coalesce(s.quote_texts, '')), 'B')
   || setweight(to_tsvector(fc_regconfig(s.language), coalesce(s.analysis, '')), 'C')
   || fc_publication_buckets(s.published_at)
   || fc_unpublished_buckets(s.id, s.published_at)"""

CLAIM_COLUMNS = [
    "id", "text", "slug", "claim_date", "language", "status", "rating_explanation", "analysis",
    "published_at", "created_at", "updated_at", "version", "is_external", "external_review_url",
    "external_publisher_name", "external_publisher_site", "author_id", "claimant_id", "reviewer_id",
    "rating_id",
]


@dataclass(frozen=True)
class DatasetSummary:
    claims: int
    public_claims: int
    people: int
    topics: int
    outlets: int
    sources: int
    quotes: int
    evidence: int
    claim_topics: int
    corrections: int


def dataset_build(*, claims: int, seed: int = 20261127) -> DatasetSummary:
    """Add ``claims`` synthetic claims (and everything they hang off) to the default database.

    Runs in one transaction with triggers off (``SET LOCAL session_replication_role = replica``,
    restored before returning); ids continue after the existing rows and the sequences are moved
    past them, so it also works on a database that already holds data (the tests' one). The
    same ``seed`` and size give the same data. Requires a superuser connection. Does not
    ANALYZE: the caller does, outside the transaction.
    """
    rng = random.Random(seed)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        generator = _Generator(rng, cursor, claims=claims)
        summary = generator.write()
        cursor.execute("SET LOCAL session_replication_role = origin")
    return summary


class _Generator:
    """Generates rows in memory (seeded) and COPYs them table by table."""

    def __init__(self, rng: random.Random, cursor, *, claims: int):
        self.rng = rng
        self.cursor = cursor
        self.claim_count = claims
        self.person_count = max(20, claims // 50)
        self.topic_count = min(len(words.TOPIC_BASES) * len(words.TOPIC_QUALIFIERS), max(10, claims // 500))
        self.outlet_count = max(5, claims // 330)
        self.source_count = max(10, claims)
        self.filler_weights = _zipf_cumulative(len(words.FILLER), exponent=0.8)
        self.subject_weights = _zipf_cumulative(len(words.SUBJECTS), exponent=0.5)
        self.topic_weights = _zipf_cumulative(self.topic_count, exponent=0.8)

    # --- orchestration ------------------------------------------------------------------------

    def write(self) -> DatasetSummary:
        self.author_id, self.reviewer_id = self._bench_users()
        self.ratings = self._ratings()
        ids = {table: self._next_id(table) for table in [
            "sources_outlet", "sources_person", "claims_topic", "sources_source", "sources_quote",
            "claims_claim", "claims_claim_topics", "claims_evidence", "claims_correction",
        ]}
        outlets = self._write_outlets(ids["sources_outlet"])
        people = self._write_people(ids["sources_person"])
        topic_ids = self._write_topics(ids["claims_topic"])
        claims = self._plan_claims(ids["claims_claim"], people)
        evidence = self._plan_evidence(claims, people, first_source_id=ids["sources_source"])
        quotes = self._write_sources_and_quotes(
            evidence, outlets, first_source_id=ids["sources_source"], first_quote_id=ids["sources_quote"]
        )
        self._write_claims(claims, evidence, quotes)
        claim_topics = self._write_claim_topics(claims, topic_ids, ids["claims_claim_topics"])
        self._write_evidence(evidence, quotes, ids["claims_evidence"])
        corrections = self._write_corrections(claims, ids["claims_correction"])
        for table in ids:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 (fixed names)
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        return DatasetSummary(
            claims=len(claims), public_claims=sum(c["published_at"] is not None for c in claims),
            people=len(people), topics=len(topic_ids), outlets=len(outlets),
            sources=len({q["source_id"] for q in quotes.values()}), quotes=len(quotes),
            evidence=len(evidence), claim_topics=claim_topics, corrections=corrections,
        )

    # --- reference rows -----------------------------------------------------------------------

    def _bench_users(self) -> tuple[int, int]:
        User = get_user_model()
        ids = []
        for username in ("bench-author", "bench-reviewer"):
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username, is_staff=True)
                user.set_unusable_password()
                user.save()
            ids.append(user.pk)
        return ids[0], ids[1]

    def _ratings(self) -> dict[str, int]:
        self.cursor.execute("SELECT slug, id FROM claims_rating")
        ratings = dict(self.cursor.fetchall())
        missing = {slug for slug, _ in RATING_SHARES} - set(ratings)
        if missing:
            raise RuntimeError(f"ratings missing (run migrate first): {sorted(missing)}")
        return ratings

    def _next_id(self, table: str) -> int:
        self.cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")  # noqa: S608
        return self.cursor.fetchone()[0]

    def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        column_list = ", ".join(f'"{column}"' for column in columns)
        with self.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def _write_outlets(self, first_id: int) -> list[tuple[int, str]]:
        rows = []
        for n in range(self.outlet_count):
            name = f"The {self.rng.choice(words.OUTLET_WORDS)} {self.rng.choice(words.OUTLET_NOUNS)}"
            domain = f"{slugify(name)}-{first_id + n}.example"
            outlet_id = first_id + n
            rows.append(
                (outlet_id, f"{name} {outlet_id}", domain, f"https://{domain}/", "US", "en", EPOCH, EPOCH)
            )
        self._copy("sources_outlet", ["id", "name", "domain", "homepage_url", "country", "language",
                                      "created_at", "updated_at"], rows)
        return [(row[0], row[2]) for row in rows]

    def _write_people(self, first_id: int) -> list[tuple[int, str]]:
        people, rows = [], []
        for n in range(self.person_count):
            first, last = self.rng.choice(words.FIRST_NAMES), self.rng.choice(words.LAST_NAMES)
            name = f"{first} {last}"
            person_id = first_id + n
            rows.append((
                person_id, name, f"{slugify(name)}-{person_id}", "person", self.rng.choice(words.TITLES),
                "US", "", [last, f"{first[0]}. {last}"], "", EPOCH, EPOCH,
            ))
            people.append((person_id, name))
        self._copy("sources_person", ["id", "name", "slug", "kind", "title", "country", "wikidata_id",
                                      "aliases", "url", "created_at", "updated_at"], rows)
        return people

    def _write_topics(self, first_id: int) -> list[int]:
        names = [base + qualifier for qualifier in words.TOPIC_QUALIFIERS for base in words.TOPIC_BASES]
        rows = [(first_id + n, name, slugify(name)) for n, name in enumerate(names[: self.topic_count])]
        # Topic names are unique: on a database that has them already (tests), suffix the new ones.
        self.cursor.execute("SELECT count(*) FROM claims_topic")
        if self.cursor.fetchone()[0]:
            rows = [(pk, f"{name} {pk}", f"{slug}-{pk}") for pk, name, slug in rows]
        self._copy("claims_topic", ["id", "name", "slug"], rows)
        return [row[0] for row in rows]

    # --- claims -------------------------------------------------------------------------------

    def _plan_claims(self, first_id: int, people: list[tuple[int, str]]) -> list[dict]:
        rng = self.rng
        statuses = _shares(STATUS_SHARES)
        ratings = _shares([(slug, weight / 100) for slug, weight in RATING_SHARES])
        claims = []
        span = (NOW - EPOCH).total_seconds()
        for n in range(self.claim_count):
            claim_id = first_id + n
            status = rng.choices(statuses[0], cum_weights=statuses[1])[0]
            public = status in ("published", "retracted")
            # Claims are written as the desk creates them: ids (and so the table's physical
            # order, which a real archive has too) follow creation time.
            created = EPOCH + dt.timedelta(seconds=span * 0.97 * (n + rng.random()) / self.claim_count)
            published = created + dt.timedelta(seconds=rng.uniform(3600, 9 * 86400)) if public else None
            updated = (published or created) + dt.timedelta(seconds=rng.uniform(0, 20 * 86400))
            claimant_id, claimant_name = rng.choice(people)
            text = self._claim_text(claimant_name)
            rated = public or rng.random() < 0.5
            claims.append({
                "id": claim_id,
                "text": text,
                "slug": f"{slugify(text)[:60].strip('-')}-{claim_id}",
                "claim_date": (created - dt.timedelta(days=rng.randint(0, 30))).date(),
                "language": "en" if rng.random() < 0.9 else rng.choice(["es", "fr"]),
                "status": status,
                "rating_explanation": self._explanation() if rated else "",
                "analysis": self._analysis(),
                "published_at": published,
                "created_at": created,
                "updated_at": updated,
                "version": rng.randint(1, 6),
                "is_external": False,
                "external_review_url": "",
                "external_publisher_name": "",
                "external_publisher_site": "",
                "author_id": self.author_id,
                "claimant_id": claimant_id,
                "reviewer_id": self.reviewer_id if public else None,
                "rating_id": (
                    self.ratings[rng.choices(ratings[0], cum_weights=ratings[1])[0]] if rated else None
                ),
            })
        return claims

    def _write_claims(self, claims: list[dict], evidence: list[dict], quotes: dict[int, dict]) -> None:
        quote_texts: dict[int, list[str]] = {}
        for row in evidence:
            quote_texts.setdefault(row["claim_id"], []).append(quotes[row["quote_key"]]["text"])
        column_list = ", ".join(f'"{column}"' for column in CLAIM_COLUMNS)
        # Same column types, no constraints: search_text is filled on the way into claims_claim.
        self.cursor.execute(
            f"CREATE TEMP TABLE bench_claim_stage ON COMMIT DROP AS SELECT {column_list}, "  # noqa: S608
            "''::text AS quote_texts FROM claims_claim WITH NO DATA"
        )
        self._copy(
            "bench_claim_stage", [*CLAIM_COLUMNS, "quote_texts"],
            ([claim[column] for column in CLAIM_COLUMNS] + [" ".join(quote_texts.get(claim["id"], []))]
             for claim in claims),
        )
        select_list = ", ".join(f's."{column}"' for column in CLAIM_COLUMNS)
        self.cursor.execute(
            f"INSERT INTO claims_claim ({column_list}, search_text, search_vector) "  # noqa: S608
            f"SELECT {select_list}, {SEARCH_TEXT_SQL}, {SEARCH_VECTOR_SQL} "
            "FROM bench_claim_stage s LEFT JOIN sources_person p ON p.id = s.claimant_id"
        )
        self.cursor.execute("DROP TABLE bench_claim_stage")
        # The misspelling lexicon (claims migration 0005) is filled by a statement trigger, which
        # replica mode skips: run the trigger's own statement over the new claims instead.
        self.cursor.execute("SELECT to_regclass('claims_search_word') IS NOT NULL")
        if self.cursor.fetchone()[0]:
            self.cursor.execute(
                "INSERT INTO claims_search_word (word) SELECT DISTINCT w FROM claims_claim c, "
                "regexp_split_to_table(unaccent(lower(c.search_text)), '[^[:alnum:]]+') AS w "
                "WHERE length(w) BETWEEN 3 AND 40 AND c.id >= %s ORDER BY w ON CONFLICT DO NOTHING",
                [claims[0]["id"] if claims else 0],
            )
            self.cursor.execute(
                "INSERT INTO claims_search_config (config) SELECT DISTINCT fc_regconfig(c.language)::text "
                "FROM claims_claim c WHERE c.id >= %s ORDER BY 1 ON CONFLICT DO NOTHING",
                [claims[0]["id"] if claims else 0],
            )

    def _write_claim_topics(self, claims: list[dict], topic_ids: list[int], first_id: int) -> int:
        rows = []
        count = min(3, len(topic_ids))
        for claim in claims:
            chosen: list[int] = []
            while len(chosen) < count:
                topic = topic_ids[self.rng.choices(range(len(topic_ids)), cum_weights=self.topic_weights)[0]]
                if topic not in chosen:
                    chosen.append(topic)
            rows.extend((first_id + len(rows) + i, claim["id"], topic) for i, topic in enumerate(chosen))
        self._copy("claims_claim_topics", ["id", "claim_id", "topic_id"], rows)
        return len(rows)

    def _write_corrections(self, claims: list[dict], first_id: int) -> int:
        rows = []
        for claim in claims:
            if claim["published_at"] is None or self.rng.random() >= CORRECTED_SHARE:
                continue
            created = claim["published_at"] + dt.timedelta(seconds=self.rng.uniform(3600, 86400 * 5))
            rows.append((
                first_id + len(rows), self.rng.choice(["correction", "update"]),
                self.rng.choice(words.CORRECTION_NOTES), created, claim["id"], self.reviewer_id,
            ))
        columns = ["id", "kind", "note", "created_at", "claim_id", "created_by_id"]
        self._copy("claims_correction", columns, rows)
        return len(rows)

    # --- evidence, sources, quotes -------------------------------------------------------------

    def _plan_evidence(self, claims: list[dict], people: list[tuple[int, str]], *, first_source_id: int):
        """One row per evidence item: its relation, its quote's speaker and text, and its source.

        The appearance quotes the claimant; each source holds ~2.5 quotes from different claims,
        like an article quoting several people.
        """
        rows = []
        for claim in claims:
            rows.append(self._evidence_row(claim, "appearance", claim["claimant_id"], 0, first_source_id))
            for order in range(1, self.rng.choice([2, 3])):
                speaker_id, _ = self.rng.choice(people)
                relation = self.rng.choice(OTHER_RELATIONS)
                rows.append(self._evidence_row(claim, relation, speaker_id, order, first_source_id))
        return rows

    def _evidence_row(self, claim: dict, relation: str, speaker_id: int, order: int, first_source_id: int):
        source_id = first_source_id + self.rng.randrange(self.source_count)
        if relation == "appearance":
            text = claim["text"].rstrip(".") + ", " + self._sentence(5, 9).rstrip(".")
        else:
            text = self._quote_text()
        note = self.rng.choice(words.RELATION_NOTES).format(year=self.rng.randint(2010, 2024))
        return {
            "claim_id": claim["id"], "relation": relation, "speaker_id": speaker_id, "order": order,
            "source_id": source_id, "text": text, "note": note, "quote_key": None,
            "created_at": claim["created_at"],
        }

    def _write_sources_and_quotes(self, evidence, outlets, *, first_source_id, first_quote_id):
        """Sources whose text snapshot contains their quotes, anchored (selectors computed here)."""
        by_source: dict[int, list[dict]] = {}
        for row in evidence:
            by_source.setdefault(row["source_id"], []).append(row)
        person_names = dict(self._people_names())
        source_rows, quote_rows, quotes = [], [], {}
        for source_id in sorted(by_source):
            rows = by_source[source_id]
            parts, anchors, position = [], [], 0
            for row in rows:
                lead = f"{person_names[row['speaker_id']]} said: \u201c"
                start = position + len(lead)
                parts.append(f"{lead}{row['text']}\u201d {self._sentence(8, 16)}")
                anchors.append((row, start, start + len(row["text"])))
                position += len(parts[-1]) + 1
            content = " ".join(parts)
            published = min(row["created_at"] for row in rows) - dt.timedelta(days=self.rng.randint(0, 3))
            title = self._sentence(5, 10).rstrip(".")
            outlet_id, domain = self.rng.choice(outlets)
            source_rows.append((
                source_id, f"https://{domain}/{published:%Y/%m}/{source_id}", title,
                f"By {self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}", published,
                "en", self.rng.choice(["article", "article", "article", "statement", "transcript"]), content,
                sha256_hex(content), published, "", "", published, published, outlet_id,
            ))
            for row, start, end in anchors:
                quote_id = first_quote_id + len(quote_rows)
                row["quote_key"] = quote_id
                quotes[quote_id] = {"text": row["text"], "source_id": source_id}
                quote_rows.append((
                    quote_id, row["text"], row["text"], content[max(0, start - 32):start][-32:],
                    content[end:end + 32], start, end, "anchored", False, published, published,
                    row["speaker_id"], source_id, "",
                ))
        self._copy("sources_source", [
            "id", "url", "title", "byline", "published_at", "language", "kind", "content",
            "content_sha256", "retrieved_at", "archive_url", "fetch_error", "created_at", "updated_at",
            "outlet_id",
        ], source_rows)
        self._copy("sources_quote", [
            "id", "text", "exact", "prefix", "suffix", "start", "end", "anchor_status", "is_candidate",
            "created_at", "updated_at", "speaker_id", "source_id", "previous_exact",
        ], quote_rows)
        return quotes

    def _people_names(self):
        self.cursor.execute("SELECT id, name FROM sources_person")
        return self.cursor.fetchall()

    def _write_evidence(self, evidence: list[dict], quotes: dict[int, dict], first_id: int) -> None:
        self._copy("claims_evidence", [
            "id", "relation", "note", "order", "created_at", "claim_id", "quote_id", "source_id",
        ], (
            (first_id + n, row["relation"], row["note"], row["order"], row["created_at"],
             row["claim_id"], row["quote_key"], quotes[row["quote_key"]]["source_id"])
            for n, row in enumerate(evidence)
        ))

    # --- text ---------------------------------------------------------------------------------

    def _number(self) -> int:
        return self.rng.choice([2, 3, 4, 5, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 100, 200])

    def _subject(self) -> str:
        index = self.rng.choices(range(len(words.SUBJECTS)), cum_weights=self.subject_weights)[0]
        return words.SUBJECTS[index]

    def _fill(self, template: str) -> str:
        return template.format(n=self._number(), year=self.rng.randint(1990, 2024))

    def _claim_text(self, claimant_name: str) -> str:
        rng = self.rng
        subject = self._subject()
        trend = self._fill(rng.choice(words.TRENDS))
        when = self._fill(rng.choice(words.TIMEFRAMES))
        place = rng.choice(words.PLACES)
        shape = rng.randrange(4)
        if shape == 0:
            text = f"{subject} in {place} {trend} {when}"
        elif shape == 1:
            text = f"under {claimant_name.split()[-1]}'s opponents, {subject} {trend} {when}"
        elif shape == 2:
            text = f"{place} now has more {subject} than any other place, and it {trend} {when}"
        else:
            plan = rng.choice(words.FILLER)
            text = f"the new {plan} plan will cut {subject} in {place} by {self._number()} percent"
        return text[0].upper() + text[1:] + "."

    def _explanation(self) -> str:
        source = self.rng.choice(
            ["Official figures", "The agency's data", "Independent estimates", "Census data"]
        )
        trend = self._fill(self.rng.choice(words.TRENDS))
        when = self._fill(self.rng.choice(words.TIMEFRAMES))
        return f"{source} show {self._subject()} {trend} {when}."

    def _analysis(self) -> str:
        return " ".join(
            self._sentence(8, 18, topical=self.rng.random() < 0.3) for _ in range(self.rng.randint(3, 6))
        )

    def _quote_text(self) -> str:
        return self._sentence(8, 16, topical=True).rstrip(".")

    def _sentence(self, low: int, high: int, *, topical: bool = False) -> str:
        picked = [words.FILLER[i] for i in self.rng.choices(
            range(len(words.FILLER)), cum_weights=self.filler_weights, k=self.rng.randint(low, high)
        )]
        if topical:
            picked.insert(self.rng.randrange(len(picked)), self._subject())
            if self.rng.random() < 0.4:
                picked.insert(self.rng.randrange(len(picked)), f"in {self.rng.choice(words.PLACES)}")
        sentence = " ".join(picked)
        return re.sub(r"^\w", lambda m: m.group().upper(), sentence) + "."


def _zipf_cumulative(size: int, exponent: float = 1.0) -> list[float]:
    """Cumulative weights for random.choices: item i has weight 1 / (i + 1) ** exponent."""
    total, cumulative = 0.0, []
    for i in range(size):
        total += 1 / (i + 1) ** exponent
        cumulative.append(total)
    return cumulative


def _shares(shares: list[tuple[str, float]]) -> tuple[list[str], list[float]]:
    names, cumulative, total = [], [], 0.0
    for name, share in shares:
        total += share
        names.append(name)
        cumulative.append(total)
    return names, cumulative
