"""docs/triage.md states the scores the current corpus and model really reach."""

import re
from pathlib import Path

from bench.triage import scores_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "triage.md"


def test_the_documented_scores_are_the_measured_ones():
    documented = re.search(r"<!-- triage-scores:start -->\n(.*?)\n<!-- triage-scores:end -->",
                           DOCS.read_text(encoding="utf-8"), re.S)
    assert documented, "docs/triage.md lost its triage-scores markers"
    assert documented.group(1) == scores_table(), (
        "The corpus or the model changed: run `python -m bench.triage --write-docs` and commit "
        "docs/triage.md.")


def test_the_documented_speed_is_well_under_a_second_of_cpu():
    row = r"<!-- triage-speed:start -->\n.*\n\|---.*\n\| (\d+) \| \d+ \| .*? \| .*? \| (\d+) ms \|"
    speed = re.search(row, DOCS.read_text(encoding="utf-8"))
    assert speed, "docs/triage.md lost its speed table"
    assert int(speed.group(1)) >= 5000 and int(speed.group(2)) < 500
