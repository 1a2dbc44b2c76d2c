"""Check every published claim's ClaimReview markup against Google's guidelines."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.claimreview import claim_review, claim_review_problems, rating_scale
from claims.selectors import claim_review_batches

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Validate the ClaimReview markup of every published claim against Google's required and "
        "recommended fields; print each problem. Exits with an error when any markup is invalid "
        "(a required field is missing or wrong)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--required-only", action="store_true",
                            help="Print only problems that make the markup invalid.")

    def handle(self, *args, required_only: bool = False, **options):
        scale = rating_scale()
        checked = invalid = 0
        for batch in claim_review_batches(batch_size=BATCH_SIZE):
            for claim in batch:
                checked += 1
                problems = claim_review_problems(claim_review(claim, scale=scale))
                if required_only:
                    problems = [p for p in problems if p.level == "required"]
                if any(p.level == "required" for p in problems):
                    invalid += 1
                for problem in problems:
                    self.stdout.write(f"{claim.get_absolute_url()} (id {claim.pk}): {problem}")
        summary = f"Checked {checked} published claim(s): {invalid} with invalid markup."
        if invalid:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
