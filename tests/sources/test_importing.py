"""Importing articles (sources/importing.py, sources/parsing.py, manage.py import_article)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pghistory.models
import pytest
from django.core.management import CommandError, call_command

from claims import demo
from factcheck.actors import SYSTEM
from factcheck.errors import InvalidInput
from sources import services
from sources.fetch import allow_loopback_for_tests
from sources.importing import ArticleImportResult, FetchFailed, article_import
from sources.models import Person, Quote, Source
from sources.parsing import read_file
from sources.text import normalize_snapshot
from tests import factories
from tests.sources.test_extraction import DEMO_EXPECTED

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HTML_FILE = FIXTURES / "voz-sheinbaum-sovereignty-not-for-sale.html"
TEXT = demo.ARTICLE_FILE.read_text(encoding="utf-8")
URL = demo.ARTICLE_URL

pytestmark = pytest.mark.django_db


def source_of(result: ArticleImportResult) -> Source:
    return Source.objects.get(pk=result.source.id)


def people_of(result: ArticleImportResult) -> list[Person]:
    return list(Person.objects.filter(pk__in=result.people_created).order_by("pk"))


def quotes_of(result: ArticleImportResult) -> list[Quote]:
    return list(Quote.objects.filter(pk__in=result.quotes_created).select_related("speaker").order_by("pk"))


def _quotes(source) -> list[tuple[str, str]]:
    return [(q.text, q.speaker.name) for q in Quote.objects.filter(source=source)
            .select_related("speaker").order_by("start", "-end")]


def test_text_import_stores_the_snapshot_and_every_quote_as_an_anchored_candidate():
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL + "?utm_source=x")

    source = source_of(result)
    assert result.created
    assert source.url == URL
    assert source.content == normalize_snapshot(TEXT)
    assert len(source.content_sha256) == 64 and source.retrieved_at is not None
    assert source.outlet.domain == "voz.us"
    # Sorted by position, outer before inner: the order of the hand-written list.
    assert _quotes(source) == DEMO_EXPECTED
    quotes = Quote.objects.filter(source=source)
    assert all(q.is_candidate and q.anchor_status == "anchored" for q in quotes)
    assert all(source.content[q.start:q.end] == q.text for q in quotes)
    assert sorted(p.name for p in people_of(result)) == ["Claudia Sheinbaum", "Donald Trump"]


def test_known_people_are_matched_by_name_and_alias_not_duplicated():
    people = demo.ensure_people()
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    assert result.people_created == []
    assert Person.objects.count() == len(people)
    speakers = {q.speaker.slug for q in Quote.objects.filter(source_id=result.source.id)}
    assert speakers == {"claudia-sheinbaum", "donald-trump"}


def test_speakers_are_matched_by_surname_and_alias():
    newsom = factories.PersonFactory(name="Gavin Newsom")
    amlo = factories.PersonFactory(name="Andrés Manuel López Obrador", aliases=["AMLO"])
    text = '"We will act," Newsom said. "It is a lie," AMLO said. "No comment," Ann Brown said.'

    result = article_import(actor=SYSTEM, content=text, format="text", url="https://example.org/speakers")

    assert [(q.text, q.speaker) for q in quotes_of(result)] == [
        ("We will act", newsom), ("It is a lie", amlo), ("No comment", people_of(result)[0]),
    ]
    assert [p.name for p in people_of(result)] == ["Ann Brown"]


def test_importing_the_same_text_again_changes_nothing():
    first = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    events_before = pghistory.models.Events.objects.count()
    updated_before = Source.objects.get(pk=first.source.id).updated_at

    again = article_import(actor=SYSTEM, content=TEXT.replace("\n", "\r\n") + "\n\n", format="text", url=URL)

    assert not again.created and not again.content_changed
    assert again.quotes_created == [] and again.quotes_kept == len(DEMO_EXPECTED)
    assert Source.objects.get(pk=first.source.id).updated_at == updated_before
    assert pghistory.models.Events.objects.count() == events_before
    assert "unchanged" in again.summary[0]


def test_changed_text_stores_a_new_snapshot_and_reanchors_quotes():
    first = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    old_content = source_of(first).content
    edited = TEXT.replace("will never accept the presence", "will never tolerate the presence")
    edited = edited.replace("The statement came during", "Update: corrected.\n\nThe statement came during")

    result = article_import(actor=SYSTEM, content=edited, format="text", url=URL)

    assert result.content_changed
    source = Source.objects.get(pk=first.source.id)
    assert "will never tolerate" in source.content
    history = list(source.events.order_by("pgh_id").values_list("content", flat=True))
    assert old_content in history  # the old snapshot stays in the audit trail
    drifted = Quote.objects.get(source=source, text__startswith="will never accept")
    assert drifted.anchor_status == "drifted"
    assert drifted.previous_exact.startswith("will never accept")
    assert result.reanchored["drifted"] == 1
    assert result.reanchored["anchored"] == len(DEMO_EXPECTED) - 1
    # The drifted quote is not extracted a second time.
    assert result.quotes_created == []


def test_html_page_gives_the_same_text_quotes_and_metadata_as_the_plain_text():
    file = read_file(str(HTML_FILE))
    content, detected = file.content, file.format
    assert detected == "html"

    result = article_import(actor=SYSTEM, content=content)  # the URL comes from the page's canonical link

    source = source_of(result)
    assert source.url == URL
    assert source.title == demo.ARTICLE_TITLE
    assert source.byline == "Agustina Blanco"
    assert source.published_at == demo.ARTICLE_PUBLISHED
    assert source.language == "en"
    assert (source.outlet.domain, source.outlet.name) == ("voz.us", "Voz.us")
    plain = normalize_snapshot(TEXT)
    body = plain[plain.index("The president of Mexico"):plain.index("arms trafficking.") + 17]
    assert body in source.content
    assert source.content.startswith(demo.ARTICLE_TITLE)
    # The same paragraphs, in the same order, as the text file, without the page furniture the
    # text file was copied with (site name, photo caption and credit, byline block, tag).
    furniture = ["Voz media US Voz.us", "Claudia Sheinbaum.", "Claudia Sheinbaum.Cordon Press.",
                 "Agustina Blanco\nPublished by", "tracking"]
    assert source.content.split("\n\n") == [p for p in plain.split("\n\n") if p not in furniture]
    assert _quotes(source) == DEMO_EXPECTED


def test_markdown_import_drops_the_markup_and_keeps_the_quotes():
    markdown = (
        "# Mayor opens bridge\n\n"
        "*By* **Staff**\n\n"
        '"It took ten years," [Mayor Ann Brown](https://city.example/mayor) said on _Monday_.\n'
    )
    result = article_import(actor=SYSTEM, content=markdown, format="markdown", url="https://city.example/bridge")
    assert source_of(result).content == (
        'Mayor opens bridge\n\nBy Staff\n\n"It took ten years," Mayor Ann Brown said on Monday.'
    )
    assert _quotes(result.source.id) == [("It took ten years", "Ann Brown")]


def test_demo_renderings_of_one_quote_are_linked_as_variants():
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    subtitle = Quote.objects.get(source_id=result.source.id, text__startswith="It is possible to collaborate")
    body = Quote.objects.get(source_id=result.source.id, text__startswith="You can collaborate")
    assert list(subtitle.variants.all()) == [body]
    assert list(body.variants.all()) == [subtitle]
    # A quote inside a quote, or the same words repeated, is not a variant.
    inviolable = Quote.objects.get(source_id=result.source.id, text__startswith="No, President Trump")
    assert inviolable.variants.count() == 0
    repeated = Quote.objects.get(source_id=result.source.id, text="Sovereignty is not for sale")
    assert repeated.variants.count() == 0


def test_same_quote_reported_by_another_outlet_is_a_variant():
    first = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    other = article_import(actor=SYSTEM,
        content='Mexico\'s president said: "You can collaborate, we can work together, but you in '
                'your territory and we in ours." Claudia Sheinbaum spoke in Texcoco.',
        format="text", url="https://other.example/news/1",
    )
    body = Quote.objects.get(source_id=first.source.id, text__startswith="You can collaborate")
    reported = Quote.objects.get(source_id=other.source.id)
    assert reported.speaker == body.speaker
    assert body in reported.variants.all()


def test_document_without_url_is_refused():
    with pytest.raises(InvalidInput) as error:
        article_import(actor=SYSTEM, content=TEXT, format="text")
    assert "url" in error.value.fields


def test_command_imports_a_file_and_prints_what_it_did(tmp_path):
    out = StringIO()
    call_command("import_article", str(demo.ARTICLE_FILE), "--url", URL, "--title", "T",
                 "--published-at", "2025-05-03", "--byline", "B", "--outlet", "voz.us", stdout=out)
    source = Source.objects.get(url=URL)
    assert (source.title, source.byline, source.published_at.isoformat()) == (
        "T", "B", "2025-05-03T00:00:00+00:00"
    )
    output = out.getvalue()
    assert f"Created source {source.pk}" in output
    assert f"Quotes: {len(DEMO_EXPECTED)} new candidates, 0 already there" in output
    assert "Created person (candidate): Claudia Sheinbaum" in output

    out = StringIO()
    call_command("import_article", str(demo.ARTICLE_FILE), "--url", URL, stdout=out)
    assert "unchanged" in out.getvalue()


def test_command_explains_bad_input(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_article", str(tmp_path / "missing.txt"), "--url", URL)
    with pytest.raises(CommandError, match="URL"):
        call_command("import_article", str(demo.ARTICLE_FILE))
    with pytest.raises(CommandError, match="Not a date"):
        call_command("import_article", str(demo.ARTICLE_FILE), "--url", URL, "--published-at", "soon")
    assert not Source.objects.exists()


class _ArticleHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        if self.path == "/gone":
            self.send_error(404)
            return
        body = HTML_FILE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def article_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _ArticleHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_import_fetches_the_page(article_server):
    out = StringIO()
    with allow_loopback_for_tests():
        call_command("import_article", f"{article_server}/article", "--url", URL, stdout=out)
    source = Source.objects.get(url=URL)
    assert source.title == demo.ARTICLE_TITLE
    assert Quote.objects.filter(source=source).count() == len(DEMO_EXPECTED)


def test_organisations_found_by_extraction_are_created_as_organisations():
    text = ('"Talks start Monday," the White House said. "We disagree," said the Ministry of '
            'Foreign Affairs of Mexico. "We will see," Joe Biden said.')
    result = article_import(actor=SYSTEM, content=text, format="text", url="https://example.org/talks")
    kinds = {person.name: person.kind for person in people_of(result)}
    assert kinds == {"White House": Person.Kind.ORGANIZATION,
                     "Ministry of Foreign Affairs of Mexico": Person.Kind.ORGANIZATION,
                     "Joe Biden": Person.Kind.PERSON}


def test_refused_address_creates_no_source_and_is_recorded_on_an_existing_one():
    with pytest.raises(CommandError, match="private or local address"):
        call_command("import_article", "http://169.254.169.254/latest/")
    with pytest.raises(FetchFailed, match="private or local address"):
        article_import(actor=SYSTEM, url="http://10.0.0.7/article")
    assert not Source.objects.exists()

    article_import(actor=SYSTEM, content=TEXT, format="text", url="http://10.0.0.7/article")
    with pytest.raises(FetchFailed) as error:
        article_import(actor=SYSTEM, url="http://10.0.0.7/article")
    assert error.value.message.startswith("The page's address is a private or local address")
    assert error.value.status == 400
    assert Source.objects.get(url="http://10.0.0.7/article").fetch_error == error.value.message


def test_failed_fetch_of_a_new_article_leaves_a_source_with_the_generic_message(article_server):
    """An editor sees which article could not be read; importing it later fills the source in."""
    with allow_loopback_for_tests(), pytest.raises(CommandError, match="could not be fetched"):
        call_command("import_article", f"{article_server}/gone", "--url", URL)
    source = Source.objects.get()
    assert (source.url, source.content, source.content_sha256) == (URL, "", "")
    assert source.fetch_error == "The page could not be fetched."
    assert source.retrieved_at is None and source.title == ""

    out = StringIO()
    with allow_loopback_for_tests():
        call_command("import_article", f"{article_server}/article", "--url", URL, stdout=out)
    source.refresh_from_db()
    assert f"Stored the first text of source {source.pk}" in out.getvalue()
    assert source.fetch_error == "" and source.content == normalize_snapshot(source.content)
    assert source.title == demo.ARTICLE_TITLE and source.retrieved_at is not None
    assert Quote.objects.filter(source=source).count() == len(DEMO_EXPECTED)
    assert Source.objects.count() == 1


def test_failed_fetch_records_on_the_existing_source_and_keeps_its_text(article_server):
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=f"{article_server}/gone")
    source = source_of(result)
    with allow_loopback_for_tests(), pytest.raises(FetchFailed) as error:
        article_import(actor=SYSTEM, url=f"{article_server}/gone")
    assert (error.value.code, error.value.status) == ("fetch_failed", 502)
    source.refresh_from_db()
    assert source.fetch_error == "The page could not be fetched."
    assert source.content == normalize_snapshot(TEXT)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_imports_of_one_new_article_create_it_once():
    from django.db import connection

    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run():
        try:
            barrier.wait(timeout=5)
            outcomes.append(article_import(actor=SYSTEM, content=TEXT, format="text", url=URL).created)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str) == [False, True]
    assert Source.objects.filter(url=URL).count() == 1
    assert Quote.objects.count() == len(DEMO_EXPECTED)


def test_importing_the_demo_article_over_the_demo_finds_every_hand_anchored_quote():
    """The extraction follows the convention editors used for the demo's quotes exactly."""
    demo.load_demo()
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL)
    assert not result.content_changed
    assert result.quotes_created == [] and result.quotes_kept == len(demo.QUOTES)


def test_a_job_can_import_by_url_alone_and_its_result_is_json(article_server):
    """What a queued job does: plain arguments in, plain data out (the API sends ``as_json()``)."""
    with allow_loopback_for_tests():
        result = article_import(actor=SYSTEM, url=f"{article_server}/article")
    payload = json.loads(json.dumps(result.as_json()))
    assert ArticleImportResult.from_json(payload) == result
    source = source_of(result)
    assert payload["source"] == {"id": source.pk, "url": f"{article_server}/article",
                                 "title": demo.ARTICLE_TITLE, "content_sha256": source.content_sha256}
    assert payload["created"] is True and payload["content_changed"] is False
    quote_ids = Quote.objects.filter(source=source).values_list("pk", flat=True)
    assert sorted(payload["quotes_created"]) == sorted(quote_ids) and quote_ids
    assert payload["summary"][0] == f"Created source {source.pk}: {source.url}"


def test_an_empty_file_is_refused_not_fetched(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(CommandError, match="no text"):
        call_command("import_article", str(empty), "--url", "http://10.0.0.9/article")
    assert not Source.objects.exists()


def test_unknown_format_is_refused_before_anything_is_fetched():
    with pytest.raises(InvalidInput) as error:
        article_import(actor=SYSTEM, url="http://10.0.0.7/article", format="pdf")
    assert list(error.value.fields) == ["format"]
    assert not Source.objects.exists()


def test_unattributed_quotations_are_kept_as_candidates_without_a_speaker():
    text = 'The sign on the gate read "no entry after dark" in red letters.'
    result = article_import(actor=SYSTEM, content=text, format="text", url="https://example.org/sign")
    quote = Quote.objects.get(source_id=result.source.id)
    assert (quote.text, quote.speaker, quote.is_candidate, quote.attribution) == (
        "no entry after dark", None, True, "none")
    assert "Kept without a speaker (needs a speaker): “no entry after dark”" in result.summary


def test_imported_people_are_candidates_and_candidates_do_not_take_quotes_by_surname():
    first = article_import(actor=SYSTEM, content='"We will act," said Ann Brown, the mayor.', format="text",
                           url="https://example.org/one")
    brown = Person.objects.get(pk=first.people_created[0])
    assert (brown.name, brown.is_candidate) == ("Ann Brown", True)
    second = article_import(actor=SYSTEM, content='"No comment," Brown said.', format="text", url="https://example.org/two")
    quote = Quote.objects.get(source_id=second.source.id)
    assert quote.speaker != brown  # a candidate is found by full name only
    services.people_confirm(person_ids=[brown.pk], actor=SYSTEM)
    third = article_import(actor=SYSTEM, content='"Still no comment," Brown said.', format="text",
                           url="https://example.org/three")
    assert Quote.objects.get(source_id=third.source.id).speaker == brown


def test_a_known_person_never_takes_a_quote_by_surname_when_the_article_names_another():
    known = factories.PersonFactory(name="Tom Harlan")
    text = ('Jane Harlan, a farmer, spoke at the meeting. "The water is rising," Harlan said.')
    result = article_import(actor=SYSTEM, content=text, format="text", url="https://example.org/harlan")
    quote = Quote.objects.get(source_id=result.source.id)
    assert quote.speaker.name == "Jane Harlan" and quote.speaker != known
    assert quote.attribution == "after_verb" and quote.attribution_confidence == 0.95


def test_a_spanish_article_without_a_language_is_read_as_spanish():
    text = ("El entrenador Julio Prado habló tras el partido.\n\n"
            "—Merecimos ganar —dijo el técnico—. El equipo jugó muy bien.\n\n"
            "La capitana, Eva Soler, fue más prudente: «Todavía queda la vuelta».")
    result = article_import(actor=SYSTEM, content=text, format="text", url="https://example.org/es/partido")
    source = Source.objects.get(pk=result.source.id)
    assert (source.language, source.language_source) == ("es", "detected")  # stored for the editors
    # Each quote carries its own language: detected, else (too short to tell) the source's.
    assert set(Quote.objects.filter(source=source).values_list("language", flat=True)) == {"es"}
    assert _quotes(source) == [
        ("Merecimos ganar", "Julio Prado"), ("El equipo jugó muy bien", "Julio Prado"),
        ("Todavía queda la vuelta", "Eva Soler"),
    ]


@pytest.mark.parametrize("declaration", [
    '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-01-02T12:00Z"}'
    '</script>',
    '<meta property="article:published_time" content="2025-01-02T12:00Z">',
])
def test_an_imported_publication_at_12_00z_stays_12_00_utc(declaration):
    body = "<p>" + "The mayor said the bridge will be free for everyone who lives in town. " * 10 + "</p>"
    html = (f"<html><head><title>Bridges</title>{declaration}</head>"
            f"<body><article><h1>Bridges</h1>{body}</article></body></html>")
    result = article_import(actor=SYSTEM, content=html, format="html", url="https://example.org/bridges")
    assert source_of(result).published_at.isoformat() == "2025-01-02T12:00:00+00:00"


SPANISH_ARTICLE = ("El entrenador Julio Prado habló tras el partido.\n\n"
                   "—Merecimos ganar —dijo el técnico—. El equipo jugó muy bien.")


def test_an_editors_language_survives_a_reimport_and_a_detected_one_follows_the_text():
    url = "https://example.org/es/partido"
    first = article_import(actor=SYSTEM, content=SPANISH_ARTICLE, format="text", url=url)
    source = Source.objects.get(pk=first.source.id)
    assert (source.language, source.language_source) == ("es", "detected")
    # The text changes language (a translated page at the same address): detection follows.
    article_import(actor=SYSTEM, content=TEXT, format="text", url=url)
    source.refresh_from_db()
    assert (source.language, source.language_source) == ("en", "detected")
    # An editor says what it is; neither a re-import nor an import naming another language moves it.
    source = services.source_update(source=source, actor=SYSTEM, language="es")
    article_import(actor=SYSTEM, content=TEXT + "\n\nUpdated.", format="text", url=url, language="fr")
    article_import(actor=SYSTEM, content=SPANISH_ARTICLE + "\n\nActualizado.", format="text", url=url)
    source.refresh_from_db()
    assert (source.language, source.language_source) == ("es", "given")


def test_an_import_naming_the_language_gives_it():
    result = article_import(actor=SYSTEM, content=TEXT, format="text", url=URL, language="en-US")
    source = source_of(result)
    assert (source.language, source.language_source) == ("en-US", "given")


def test_the_pages_declared_language_counts_as_detected():
    result = article_import(actor=SYSTEM, content=HTML_FILE.read_text(encoding="utf-8"), format="html",
                            url=URL)
    source = source_of(result)
    assert (source.language, source.language_source) == ("en", "detected")
