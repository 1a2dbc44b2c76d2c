"""``manage.py evaluate_quotes <corpus>``: quote extraction scored against a labelled corpus.

By default every article goes through the import service, one after the other in file-name order
(people learned from earlier articles exist for later ones, as in a newsroom), inside one
transaction that is rolled back at the end (``--keep`` commits it). The quotes stored for each
source are then read back and scored by ``sources.evaluation``. ``--extractor-only`` calls the
extractor directly instead (no database; nothing learned between articles).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Sequence
from urllib.parse import quote as url_quote

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck.audit import audit_context
from factcheck.errors import DomainError
from sources import evaluation
from sources.evaluation import Article, Prediction

CORPUS_URL = "https://quotes-corpus.example/{slug}"


def import_for_evaluation(article: Article) -> list[Prediction]:
    """Import one article the way ``manage.py import_article`` does and read its quotes back.

    The one adapter to the import service: when the service's signature changes, change it here.
    The source's URL is a corpus address (never the article's real URL, which a real database may
    already hold with an editor's quotes); the outlet is the real URL's domain.
    """
    from factcheck.actors import SYSTEM
    from sources.importing import article_import
    from sources.models import Quote
    from sources.urls_normalize import url_domain

    result = article_import(
        actor=SYSTEM, content=article.text, format="text",
        url=CORPUS_URL.format(slug=url_quote(article.slug)),
        language=article.language, outlet_domain=url_domain(article.url) if article.url else "",
    )
    quotes = (Quote.objects.filter(source_id=result.source.id).select_related("speaker")
              .order_by("start", "-end", "pk"))
    return [(q.text, q.speaker.name if q.speaker_id else None) for q in quotes]


def extract_for_evaluation(article: Article) -> list[Prediction]:
    """The extractor alone on the article's normalized text (no database, nobody known)."""
    from sources.extraction import extract_quotes
    from sources.text import normalize_snapshot

    content = normalize_snapshot(article.text)
    if "language" in inspect.signature(extract_quotes).parameters:
        found = extract_quotes(content, language=article.language)
    else:
        found = extract_quotes(content)
    return [(q.text, q.speaker) for q in found]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Score quote extraction (recall, precision, speakers) against a labelled corpus, per "
        "article and per language. Imports every article through the import service inside a "
        "transaction that is rolled back (unless --keep)."
    )

    def add_arguments(self, parser):
        parser.add_argument("corpus", help="A folder of <slug>.txt + <slug>.json "
                            "(the project's: sources/corpora/quotes).")
        parser.add_argument("--language", default="", choices=["", *evaluation.LANGUAGES])
        parser.add_argument("--article", action="append", default=[], metavar="SLUG",
                            help="Only this article (repeatable).")
        parser.add_argument("--extractor-only", action="store_true",
                            help="Call the extractor directly (no database) instead of importing.")
        parser.add_argument("--keep", action="store_true",
                            help="Commit the imported sources, people and quotes instead of rolling back.")
        output = parser.add_mutually_exclusive_group()
        output.add_argument("--json", action="store_true", help="Print the whole report as JSON.")
        output.add_argument("--markdown", action="store_true", help="Print Markdown tables (for docs/).")
        parser.add_argument("--errors", action="store_true",
                            help="List missed, spurious and misattributed quotes per article.")
        for metric in ("recall", "precision", "speakers"):
            parser.add_argument(f"--min-{metric}", type=float, default=None, metavar="X",
                                help=f"Fail (non-zero exit) when the overall {metric} is below X.")

    def handle(self, *args, **options):
        try:
            articles = evaluation.load_corpus(options["corpus"], language=options["language"],
                                              slugs=options["article"])
        except evaluation.CorpusError as exc:
            raise CommandError(str(exc)) from exc
        if not articles:
            raise CommandError("No article in the corpus matches the selection.")
        if options["extractor_only"]:
            if options["keep"]:
                raise CommandError("--keep needs the import path (not --extractor-only).")
            predictions = {a.slug: extract_for_evaluation(a) for a in articles}
        else:
            predictions = self._import_all(articles, keep=options["keep"])
        report = evaluation.evaluate(articles, predictions)

        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        elif options["markdown"]:
            self._write_markdown(report)
        else:
            self._write_text(report, errors=options["errors"] or bool(options["article"]))
        below = report.below({m: options[f"min_{m}"] for m in ("recall", "precision", "speakers")})
        if below:
            raise CommandError("; ".join(below))

    def _import_all(self, articles: Sequence[Article], *, keep: bool) -> dict[str, list[Prediction]]:
        predictions: dict[str, list[Prediction]] = {}
        try:
            with transaction.atomic(), audit_context(command="evaluate_quotes"):
                for article in articles:
                    try:
                        predictions[article.slug] = import_for_evaluation(article)
                    except DomainError as exc:
                        raise CommandError(f"{article.slug}: the import failed: {exc.message}") from exc
                if not keep:
                    raise _Rollback
        except _Rollback:
            pass
        return predictions

    def _write_text(self, report: evaluation.Report, *, errors: bool) -> None:
        write = self.stdout.write
        write(evaluation.format_text_table(evaluation.header("article"), evaluation.article_rows(report)))
        write("")
        write(evaluation.format_text_table(evaluation.header("language"), evaluation.summary_rows(report)))
        if not errors:
            return
        for result in report.articles:
            if not (result.missed or result.spurious or result.wrong_speaker):
                continue
            write(f"\n== {result.article.slug}")
            for label in result.missed:
                write(f"  missed    “{label.text}” — {label.speaker}")
            for text, speaker in result.spurious:
                write(f"  spurious  “{text}” — {speaker}")
            for label, speaker in result.wrong_speaker:
                write(f"  speaker   “{label.text[:70]}” — expected {label.speaker}, got {speaker}")

    def _write_markdown(self, report: evaluation.Report) -> None:
        table = evaluation.format_markdown_table
        write = self.stdout.write
        write(table(evaluation.header("language"), evaluation.summary_rows(report)))
        write("\n<details><summary>Per article</summary>\n\n")
        write(table(evaluation.header("article"), evaluation.article_rows(report)))
        write("\n</details>")
