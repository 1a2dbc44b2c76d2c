from django.core.management.base import BaseCommand, CommandError

from factcheck.audit import audit_context
from factcheck.errors import DomainError
from sources.importing import FORMATS, article_import, read_input


class Command(BaseCommand):
    help = (
        "Import an article from a file (HTML, Markdown or text) or an http(s) URL: store its text "
        "snapshot, extract and anchor its quotes as candidates, re-anchor them if the text changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path_or_url", help="A local file or an http(s) URL.")
        parser.add_argument("--url", default="", help="The article's URL (required for a file "
                            "whose page names no canonical URL).")
        parser.add_argument("--title", default="")
        parser.add_argument("--outlet", default="", help="The outlet's domain, e.g. voz.us.")
        parser.add_argument("--published-at", default="", help="ISO 8601 date or date-time.")
        parser.add_argument("--language", default="", help="BCP 47, e.g. en.")
        parser.add_argument("--byline", default="")
        parser.add_argument("--format", default="", choices=["", *FORMATS],
                            help="Force the input format (guessed from the file otherwise).")

    def handle(self, *args, **options):
        try:
            with audit_context(command="import_article"):
                content, detected, fetched_url = read_input(options["path_or_url"], source_url=options["url"])
                result = article_import(
                    content=content, format=options["format"] or detected,
                    url=options["url"] or fetched_url, title=options["title"],
                    outlet_domain=options["outlet"], published_at=options["published_at"] or None,
                    language=options["language"], byline=options["byline"],
                )
        except DomainError as exc:
            detail = "; ".join(f"{name}: {' '.join(map(str, errors))}"
                               for name, errors in exc.fields.items() if isinstance(errors, list))
            raise CommandError(exc.message + (f" ({detail})" if detail else "")) from exc
        for line in result.summary():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import done."))
