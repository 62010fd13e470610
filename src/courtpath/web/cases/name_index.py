"""The keyed blind index of clients' names: search a sealed name without opening every case.

A client's name is sealed with the case's data key, so the database cannot compare it with what a user types.
Opening every visible case's name for each search costs one AES-GCM opening per name and per data key not in the
process's cache (keys.CACHE_SIZE is 4,096): at 10,000 cases that is seconds, not milliseconds
(benchmarks/bench_staff_pages.py measures both). Instead each case keeps the HMAC-SHA256 of its name's normalised
words and word prefixes (CaseNameToken), under a key derived from the master key: the key lives only in the memory of
an unlocked process, never in the database, so a copy of the database alone cannot test a guessed name.

Normalisation: NFKC, case folding, ё → е, then words of letters and digits (a hyphen or space separates words).
Matching: every typed word must match a word of the name (surname, given name or patronymic alike); a typed word of
3 letters or more matches any name word it begins (so «Иванов» finds «Иванова», and «ива» finds both); one of 1 or 2
letters matches only a whole word («Ли»). Each case has the same number of rows, a multiple of PADDED_ROWS, padded
with random tokens, so the count does not give the name's length. What the index still reveals, and to whom:
docs/threat-model.md, "The name index".
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q, QuerySet

from courtpath.vault import state
from courtpath.vault.keyring import MasterKey
from courtpath.web.cases.models import Case, CaseNameToken

PURPOSE = "case name index"
MIN_PREFIX = 3  # shorter typed words match whole words only: a 1- or 2-letter prefix would match half the cases
MAX_WORD = 40  # letters of a word indexed; a longer word is indexed by its first MAX_WORD
MAX_QUERY_WORDS = 5
PADDED_ROWS = 32
NAME_FIELDS = ("client_surname", "client_given_name", "client_patronymic")
_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> list[str]:
    """The words of `text` as the index compares them."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return [word[:MAX_WORD] for word in _WORD.findall(folded)]


def _key(master: MasterKey | None = None) -> bytes:
    return (master or state.master()).derive(PURPOSE)


def _token(key: bytes, kind: str, text: str) -> str:
    """128 bits of the HMAC, hex: collisions are out of reach at any number of cases."""
    return hmac.new(key, f"{kind}|{text}".encode(), hashlib.sha256).hexdigest()[:32]


def name_tokens(words: Iterable[str], key: bytes) -> set[str]:
    """The tokens a name of these (normalised) words is found by."""
    tokens = set()
    for word in words:
        if len(word) < MIN_PREFIX:
            tokens.add(_token(key, "word", word))
        else:
            tokens.update(_token(key, "prefix", word[:length]) for length in range(MIN_PREFIX, len(word) + 1))
    return tokens


def query_tokens(query: str, master: MasterKey | None = None) -> list[str]:
    """One token per typed word (at most MAX_QUERY_WORDS), each of which a matching case must have."""
    key = _key(master)
    words = list(dict.fromkeys(normalise(query)))[:MAX_QUERY_WORDS]
    return [_token(key, "word" if len(word) < MIN_PREFIX else "prefix", word) for word in words]


def _padded(tokens: set[str]) -> list[str]:
    rows = sorted(tokens)
    wanted = max(PADDED_ROWS, -(-len(rows) // PADDED_ROWS) * PADDED_ROWS)
    return rows + [secrets.token_hex(16) for _ in range(wanted - len(rows))]


def case_name(case: Case) -> str:
    """The client's full name as the index reads it (opens the case's sealed name fields)."""
    return " ".join(str(getattr(case, field)) for field in NAME_FIELDS)


def rows_for(case: Case, master: MasterKey | None = None) -> list[CaseNameToken]:
    """The index rows of a case, unsaved (bulk loading: benchmarks; rebuilds)."""
    tokens = name_tokens(normalise(case_name(case)), _key(master))
    return [CaseNameToken(case=case, data_key_id=case.data_key_id, token=token) for token in _padded(tokens)]


@transaction.atomic
def index_case(case: Case) -> None:
    """Replace the case's index rows with those of its current name (call after a name change)."""
    CaseNameToken.objects.filter(case=case).delete()
    CaseNameToken.objects.bulk_create(rows_for(case))


def matching(query: str) -> Q:
    """The condition on cases whose name has every typed word; a query without a word matches nothing."""
    tokens = query_tokens(query)
    if not tokens:
        return Q(pk__in=[])
    condition = Q()
    for token in tokens:
        condition &= Q(pk__in=CaseNameToken.objects.filter(token=token).values("case_id"))
    return condition


@transaction.atomic
def rebuild_all(master: MasterKey, cases: QuerySet[Case] | None = None) -> int:
    """Index these cases (all by default) again under `master`'s index key; the names are opened with the process's
    unlocked key. A key rotation calls it with the new key before re-wrapping, in the same transaction. Returns the
    number of cases indexed."""
    chosen = Case.objects.all() if cases is None else cases
    pks = list(chosen.order_by("pk").values_list("pk", flat=True))  # fixed first: the loop writes index rows
    for start in range(0, len(pks), 500):
        batch = pks[start : start + 500]
        rows = [
            row
            for case in Case.objects.filter(pk__in=batch).select_related("data_key")
            for row in rows_for(case, master)
        ]
        CaseNameToken.objects.filter(case_id__in=batch).delete()
        CaseNameToken.objects.bulk_create(rows, batch_size=2000)
    return len(pks)


def index_missing() -> int:
    """Index the cases that have no index rows yet (cases made before the index existed); at start-up."""
    unindexed = Case.objects.exclude(pk__in=CaseNameToken.objects.values("case_id"))
    return rebuild_all(state.master(), unindexed)
