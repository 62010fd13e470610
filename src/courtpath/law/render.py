"""An assessment as JSON bytes, fast: the JSON API's answer.

`assessment_json(a, lang)` gives exactly the bytes of `json.dumps(a.to_dict(lang), ensure_ascii=False,
separators=(",", ":")).encode()` (tests/test_render.py checks this on every golden case and on generated facts), at
a fraction of the cost, by not rendering twice what cannot have changed:

* Most of an assessment is its Decision (qualifications, most flags, most of the trace), which the engine memoises:
  one object per set of decisive facts. Each of its items is rendered once per language and kept, as encoded JSON,
  on the decision itself (Decision.rendered), so it lives and dies with the memoised decision. An item is reused only
  when the assessment holds that very object (an identity check), so an item that was replaced or added after the
  decision (key dates, date flags, the first trace steps) is always rendered afresh.
* Citations are rendered once per (citation, language). A Citation is a frozen value and its JSON depends on its
  fields and the language only, so equal citations may share one rendering.
* orjson encodes the rest and splices the pre-encoded parts in (orjson.Fragment).
"""

from __future__ import annotations

from functools import lru_cache

import orjson

from courtpath.law.decide import Decision
from courtpath.law.lawbook import Citation
from courtpath.law.result import Assessment, Item


@lru_cache(maxsize=4096)
def _citation(citation: Citation, lang: str) -> orjson.Fragment:
    return orjson.Fragment(orjson.dumps(citation.to_dict(lang)))


def _encode(item: Item, lang: str) -> orjson.Fragment:
    return orjson.Fragment(orjson.dumps(item.to_dict(lang, _citation)))


def _decision_items(decision: Decision, lang: str) -> dict[int, tuple[Item, orjson.Fragment]]:
    """id(item) -> (item, its JSON) for every item of the decision, rendered on the first call for `lang`. The item is
    kept next to its id, so the id cannot be reused by another object while the entry exists."""
    items = decision.rendered.get(lang)
    if items is None:
        items = {
            id(item): (item, _encode(item, lang))
            for item in (*decision.qualifications, *decision.flags, *decision.trace)
        }
        decision.rendered[lang] = items  # two threads may both render it: same result, either is kept
    return items  # type: ignore[return-value]


def assessment_json(assessment: Assessment, lang: str) -> bytes:
    """The JSON of assessment.to_dict(lang), compact, UTF-8 (see the module's docstring)."""
    decision = assessment.decision
    cached = _decision_items(decision, lang) if decision is not None else {}

    def item(value: Item, lang: str) -> orjson.Fragment:
        entry = cached.get(id(value))
        return entry[1] if entry is not None and entry[0] is value else _encode(value, lang)

    return orjson.dumps(assessment.to_dict(lang, item))
