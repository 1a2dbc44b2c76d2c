from django.core.management.base import BaseCommand, CommandError

from factcheck.actors import SYSTEM
from factcheck.audit import audit_context
from factcheck.errors import DomainError
from sources.importing import FORMATS, article_import
from sources.parsing import is_url, read_file


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
                path_or_url = options["path_or_url"]
                if is_url(path_or_url):  # fetched by the service (a failure is recorded on the source)
                    document = {"fetch_from": path_or_url, "format": options["format"]}
                else:
                    file = read_file(path_or_url)
                    document = {"content": file.content, "format": options["format"] or file.format}
                result = article_import(
                    url=options["url"], **document, title=options["title"],
                    outlet_domain=options["outlet"], published_at=options["published_at"] or None,
                    language=options["language"], byline=options["byline"], actor=SYSTEM,
                )
        except DomainError as exc:
            detail = "; ".join(f"{name}: {' '.join(map(str, errors))}"
                               for name, errors in exc.fields.items() if isinstance(errors, list))
            raise CommandError(exc.message + (f" ({detail})" if detail else "")) from exc
        for line in result.summary:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Import done."))
