"""Retrain the check-worthiness model: corpus train split + the desk's decisions."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from triage import services


def _row(name: str, scores: dict) -> str:
    return (f"{name:<10} {scores['f1']:>6.3f} {scores['precision']:>9.3f} {scores['recall']:>6.3f} "
            f"{scores['precision_at_10']:>6.3f} {scores['sentences']:>9} {scores['documents']:>9}")


class Command(BaseCommand):
    help = (
        "Train a check-worthiness model on the corpus's train split plus accepted (1) and "
        "dismissed (0) sentences, measure it on the corpus's held-out split, and make it the active "
        "model unless it scores worse (mean F1 over languages) than the active one. Scores are "
        "recorded either way."
    )

    def add_arguments(self, parser):
        parser.add_argument("--corpus", help="JSONL corpus (default: triage/corpus/sentences.jsonl).")
        parser.add_argument("--force", action="store_true",
                            help="Activate the new model even if it scores worse.")

    def handle(self, *args, corpus: str | None = None, force: bool = False, **options):
        try:
            result = services.model_retrain(corpus_path=corpus, force=force)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot train: {error}") from error
        model = result.model
        self.stdout.write(f"Model v{model.version}: trained on {model.training_size} sentences "
                          f"({model.desk_examples} from the desk), held-out split:")
        self.stdout.write(f"{'':<10} {'F1':>6} {'precision':>9} {'recall':>6} {'P@10':>6} "
                          f"{'sentences':>9} {'documents':>9}")
        for language, scores in sorted(model.scores["languages"].items()):
            self.stdout.write(_row(language, scores))
        self.stdout.write(_row("overall", model.scores["overall"]))
        self.stdout.write(f"Mean F1 over languages: {model.scores['mean_f1']:.3f}")
        if result.previous_scores is not None:
            self.stdout.write(f"Previous active model v{result.previous.version}: mean F1 "
                              f"{result.previous_scores['mean_f1']:.3f} on the same split")
        if result.activated:
            self.stdout.write(self.style.SUCCESS(f"Model v{model.version} is now active. {model.note}"))
        else:
            self.stdout.write(self.style.WARNING(model.note))
