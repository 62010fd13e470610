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
  fields and the language only, so equal citations may share one rendering; the lawbook's own citation objects are
  found by identity first.
* Trace steps a decision derived from a fact of few values (Decision.derive: the kind of absence, the context) are
  rendered with the decision's items.
* orjson encodes the rest and splices the pre-encoded parts in (orjson.Fragment). It also writes the dates and
  moments itself, as isoformat() does.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import orjson

from courtpath.law.decide import Decision
from courtpath.law.lawbook import Citation
from courtpath.law.result import Assessment, Item, KeyDate


@lru_cache(maxsize=4096)
def _citation_by_value(citation: Citation, lang: str) -> orjson.Fragment:
    return orjson.Fragment(orjson.dumps(citation.to_dict(lang)))


_CITATIONS_BY_ID: dict[tuple[int, str], tuple[Citation, orjson.Fragment]] = {}
_CITATIONS_BY_ID_MAX = 4096


def _citation(citation: Citation, lang: str) -> orjson.Fragment:
    """Most citations are the lawbook's own objects, met again and again: found by identity first, which is cheaper
    than hashing a Citation's fields. The entry keeps the citation, so its id cannot be reused while it exists."""
    entry = _CITATIONS_BY_ID.get((id(citation), lang))
    if entry is not None and entry[0] is citation:
        return entry[1]
    fragment = _citation_by_value(citation, lang)
    if len(_CITATIONS_BY_ID) >= _CITATIONS_BY_ID_MAX:
        _CITATIONS_BY_ID.clear()
    _CITATIONS_BY_ID[(id(citation), lang)] = (citation, fragment)
    return fragment


def _encode(item: Item, lang: str) -> orjson.Fragment:
    return orjson.Fragment(orjson.dumps(item.to_dict(lang, _citation)))


def _decision_items(decision: Decision, lang: str) -> dict[int, tuple[Item, orjson.Fragment]]:
    """id(item) -> (item, its JSON) for every item of the decision, rendered on the first call for `lang`. The item is
    kept next to its id, so the id cannot be reused by another object while the entry exists."""
    items = decision.rendered.get(lang)
    if items is None:
        derived = [step for steps in decision.derived.values() for step in steps]
        items = {
            id(item): (item, _encode(item, lang))
            for item in (*decision.qualifications, *decision.flags, *decision.trace, *derived)
        }
        decision.rendered[lang] = items  # two threads may both render it: same result, either is kept
    return items  # type: ignore[return-value]


def assessment_json(assessment: Assessment, lang: str) -> bytes:
    """The JSON of assessment.to_dict(lang), compact, UTF-8 (see the module's docstring)."""
    decision = assessment.decision
    cached = _decision_items(decision, lang) if decision is not None else {}

    def item(value: Item, lang: str) -> object:
        entry = cached.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        # An item made for this assessment only is encoded with the rest: no JSON of its own to keep.
        return value.to_dict(lang, _citation, _as_is) if type(value) is KeyDate else value.to_dict(lang, _citation)

    return orjson.dumps(assessment.to_dict(lang, item, _as_is))


def _as_is(value: dt.date) -> dt.date:
    """Dates and moments go to orjson as they are: it writes them as isoformat() does (RFC 3339), for less."""
    return value
