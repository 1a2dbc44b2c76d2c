"""Direct quotations in an article's text snapshot, and who said them — a rule-based pipeline.

Pure functions over a normalized snapshot (``sources.text.normalize_snapshot``): no database, no
model to download. ``extract_quotes(content, language=…, known=…)`` returns every quotation with
its offsets, a speaker *name* (or None), how it was attributed and a confidence;
``sources.importing`` matches the names to Person rows.

The steps, one module each:

1. ``spans`` — find the quotation spans (every kind of mark, dialogue dashes, paragraphs);
2. ``people`` — learn the article's people and their mentions (names, surnames, roles);
3. ``attribution`` — find each quote's speaker mention and resolve it, then score it;
4. ``lexicon`` — the English and Spanish words all of this is made of.
"""

from sources.extraction.attribution import METHOD_CONFIDENCE, ExtractedQuote, extract_quotes
from sources.extraction.people import KnownPerson, is_organization

__all__ = ["METHOD_CONFIDENCE", "ExtractedQuote", "KnownPerson", "extract_quotes", "is_organization"]
