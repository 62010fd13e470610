"""Generated, fictional court records in the shape of a sudrf scraper's output, for benchmarks and tests.

No real case or person: UIDs are built from real court codes (the public court directory) with made-up numbers,
and verdict texts name "Рядовой Тестов" of "войсковая часть 00000".
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from courtpath.analytics.courts import court_directory

PARTS = [
    "ст.337 ч.2.1",
    "ст.337 ч.3.1",
    "ст.337 ч.5",
    "ст.337 ч.3",
    "ст.337 ч.4",
    "ст.337 ч.1",
    "ст.338 ч.1",
    "ст.338 ч.3",
    "ст.30 ч.3, ст.337 ч.5",
]
PART_WEIGHTS = [0.34, 0.2, 0.28, 0.03, 0.03, 0.02, 0.02, 0.05, 0.03]
OUTCOMES = ["Вынесен ПРИГОВОР", "Прекращено производство по делу", "Возвращено прокурору", None]
OUTCOME_WEIGHTS = [0.9, 0.05, 0.02, 0.03]
TERM_BY_PART = {"2.1": (12, 60), "3.1": (24, 84), "5": (60, 120), "3": (3, 36), "4": (6, 60), "1": (3, 12)}
YEARS_WORDS = {
    1: "один год",
    2: "два года",
    3: "три года",
    4: "четыре года",
    5: "пять лет",
    6: "шесть лет",
    7: "семь лет",
    8: "восемь лет",
    9: "девять лет",
    10: "десять лет",
}


def verdict_text(
    part: str, article: str, term: int, suspended: bool, probation: int, start: dt.date, end: dt.date, masked: bool
) -> str:
    """A short fictional verdict in the real structure: header, «установил:», «приговорил:»."""
    years, months = divmod(term, 12)
    term_words = (f"{years} ({YEARS_WORDS.get(years, str(years))}) " if years else "") + (
        f"{months} месяцев" if months else ""
    )
    dates = "с ДД.ММ.ГГГГ по ДД.ММ.ГГГГ" if masked else f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
    sentence = f"назначить ему наказание в виде лишения свободы на срок {term_words.strip()}"
    if suspended:
        sentence += (
            f". На основании ст. 73 УК РФ назначенное наказание считать условным с испытательным сроком "
            f"{probation // 12} года"
        )
    else:
        sentence += " с отбыванием наказания в исправительной колонии общего режима"
    return (
        "ПРИГОВОР ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ. Энский гарнизонный военный суд в составе председательствующего "
        f"судьи Судейского С.С. рассмотрев уголовное дело в отношении военнослужащего войсковой части 00000 рядового "
        f"Тестова Т.Т., обвиняемого в совершении преступления, предусмотренного ч. {part} ст. {article} УК РФ, "
        f"установил: Тестов Т.Т. {dates} незаконно находился вне части, проводя время по своему усмотрению. "
        f"Преступление наказывается лишением свободы на срок от пяти до десяти лет. "
        f"Руководствуясь ст. 307-309 УПК РФ, суд приговорил: признать Тестова Т.Т. виновным в совершении "
        f"преступления, предусмотренного ч. {part} ст. {article} УК РФ, и {sentence}."
    )


def records(rows: int, seed: int = 20261125, text_share: float = 0.05) -> pl.DataFrame:
    """Card-like rows: court_id, case_uid, case_number, filed/verdict dates, articles, outcome, sentence columns for
    most rows, and a verdict text instead of them for `text_share` of the rows."""
    rng = np.random.default_rng(seed)
    courts = court_directory().filter(pl.col("court_level") == "garrison").get_column("court_id").to_numpy()
    court = rng.choice(courts, size=rows)
    filed = np.datetime64("2022-10-01") + rng.integers(0, 4 * 365, size=rows).astype("timedelta64[D]")
    verdict = filed + rng.integers(20, 150, size=rows).astype("timedelta64[D]")
    absence_start = filed - rng.integers(30, 200, size=rows).astype("timedelta64[D]")
    articles = rng.choice(PARTS, size=rows, p=PART_WEIGHTS)
    outcome = rng.choice(np.array(OUTCOMES, dtype=object), size=rows, p=OUTCOME_WEIGHTS)
    suspended = rng.random(rows) < 0.5
    with_text = rng.random(rows) < text_share
    frame = pl.DataFrame(
        {
            "court_id": court,
            "case_uid": [
                f"{c}-01-{str(f)[:4]}-{i:06d}-{i % 97:02d}"
                for i, (c, f) in enumerate(zip(court, filed.astype(str), strict=True))
            ],
            "case_number": [f"1-{i}/{str(f)[:4]}" for i, f in enumerate(filed.astype(str))],
            "filed_date": filed.astype(str),
            "verdict_date": verdict.astype(str),
            "absence_start": absence_start.astype(str),
            "articles": [f"{a} УК РФ" for a in articles],
            "outcome": outcome,
        }
    )
    part = frame.get_column("articles").str.extract(r"ст\.33[78] ч\.(\d+(?:\.\d+)?)", 1).to_list()
    terms, probations, texts = [], [], []
    for index, part_number in enumerate(part):
        low, high = TERM_BY_PART.get(part_number, (24, 120))
        term = int(rng.integers(low, high + 1))
        probation = int(rng.integers(12, 60))
        terms.append(term)
        probations.append(probation if suspended[index] else None)
        if with_text[index]:
            article = "338" if "338" in articles[index] else "337"
            start = dt.date.fromisoformat(str(absence_start[index]))
            texts.append(
                verdict_text(
                    part_number,
                    article,
                    term,
                    bool(suspended[index]),
                    probation,
                    start,
                    start + dt.timedelta(days=40),
                    masked=index % 3 == 0,
                )
            )
        else:
            texts.append(None)
    convicted = frame.get_column("outcome") == "Вынесен ПРИГОВОР"
    explicit = convicted & ~pl.Series(with_text)
    return frame.with_columns(
        pl.when(explicit).then(pl.lit("imprisonment")).alias("sentence_type"),
        pl.when(explicit).then(pl.Series(terms)).alias("term_months"),
        pl.when(explicit).then(pl.Series(suspended)).alias("suspended"),
        pl.when(explicit).then(pl.Series(probations)).alias("probation_months"),
        pl.when(convicted).then(pl.Series(texts, dtype=pl.Utf8)).alias("text"),
    )
