from django.core.management.base import BaseCommand, CommandError

from claims.claimreview_import import claimreview_import
from factcheck.actors import SYSTEM
from factcheck.audit import audit_context
from factcheck.errors import DomainError
from sources.fetch import JSON_CONTENT_TYPES, FetchError
from sources.parsing import read_path_or_url


class Command(BaseCommand):
    help = (
        "Import other fact-checkers' reviews from schema.org ClaimReview JSON-LD (an object, a list, "
        "a DataFeed, or HTML pages embedding it) or a Google Fact Check Tools claims:search response, "
        "from a file or an http(s) URL. All or nothing; importing the same input twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path_or_url", help="A local .json/.html file or an http(s) URL.")

    def handle(self, *args, **options):
        try:
            content = read_path_or_url(options["path_or_url"], allowed_types=JSON_CONTENT_TYPES,
                                       fallback_encoding=None).content
            with audit_context(command="import_claimreview"):
                result = claimreview_import(content=content, actor=SYSTEM)
        except (DomainError, FetchError) as exc:
            raise CommandError(exc.message) from exc
        for line in result.summary():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import done."))
