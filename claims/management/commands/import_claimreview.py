import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.claimreview_import import claimreview_import
from factcheck.audit import audit_context
from factcheck.errors import DomainError
from sources.fetch import JSON_CONTENT_TYPES, FetchError, fetch_url


class Command(BaseCommand):
    help = (
        "Import other fact-checkers' reviews from schema.org ClaimReview JSON-LD (an object, a list, "
        "a DataFeed, or HTML pages embedding it) or a Google Fact Check Tools claims:search response, "
        "from a file or an http(s) URL. All or nothing; importing the same input twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path_or_url", help="A local .json/.html file or an http(s) URL.")

    def handle(self, *args, **options):
        content = self._read(options["path_or_url"])
        try:
            with audit_context(command="import_claimreview"):
                result = claimreview_import(content=content)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in result.summary():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import done."))

    def _read(self, path_or_url: str) -> str:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path_or_url):
            try:
                return fetch_url(path_or_url, allowed_types=JSON_CONTENT_TYPES).text
            except FetchError as exc:
                raise CommandError(exc.message) from exc
        path = Path(path_or_url)
        if not path.is_file():
            raise CommandError(f"No such file: {path_or_url}")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path_or_url} is not UTF-8 text.") from exc
