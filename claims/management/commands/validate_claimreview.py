"""Check every published claim's ClaimReview markup against Google's guidelines."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from claims.api_claimreview import published_claims
from claims.claimreview import claim_review, claim_review_problems, rating_scale

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
        last_id = 0
        while True:
            batch = list(published_claims().filter(pk__gt=last_id).order_by("pk")[:BATCH_SIZE])
            for claim in batch:
                checked += 1
                problems = claim_review_problems(claim_review(claim, scale=scale))
                if required_only:
                    problems = [p for p in problems if p.level == "required"]
                if any(p.level == "required" for p in problems):
                    invalid += 1
                for problem in problems:
                    self.stdout.write(f"{claim.get_absolute_url()} (id {claim.pk}): {problem}")
            if len(batch) < BATCH_SIZE:
                break
            last_id = batch[-1].pk
        summary = f"Checked {checked} published claim(s): {invalid} with invalid markup."
        if invalid:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
