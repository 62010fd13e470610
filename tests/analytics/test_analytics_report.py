"""The analytics report: charts, CSV aggregates and HTML from a hand-made set of records whose numbers are known by
construction (the expected values below are counted from the table of records, not copied from any output)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from courtpath.analytics import svg
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.courts import ATTRIBUTION
from courtpath.analytics.report import CHART_FILES, HTML_FILE, render_report_html, write_report
from courtpath.analytics.store import STORED, _empty_schema

SVG_NS = "{http://www.w3.org/2000/svg}"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
ALTAI = "Алтайский край"
YUGRA = "Ханты-Мансийский автономный округ — Югра"  # a long Cyrillic label

# (number, court, region, verdict date, article, part, outcome category, term months, suspended)
# Filing dates are a month before the verdict (or 2024-02-01 without a verdict): the 365-FZ edition applies.
ROWS = [
    (1, "00GV0001", ALTAI, "2024-01-15", "337", "5", "convicted", 60, False),  # inside (= minimum of 337.5)
    (2, "00GV0001", ALTAI, "2024-01-20", "337", "5", "convicted", 72, True),  # inside
    (3, "00GV0002", YUGRA, "2024-03-05", "337", "5", "convicted", 84, False),  # inside
    (4, "00GV0002", YUGRA, "2024-01-25", "337", "2.1", "convicted", 24, True),  # inside
    (5, "00GV0002", YUGRA, "2024-03-10", "337", "2.1", "convicted", 1, False),  # below the 2-month minimum
    (6, "00GV0001", ALTAI, "2024-03-12", "337", "3.1", "convicted", 36, False),  # inside
    (7, "00GV0003", None, "2024-03-20", "338", "1", "terminated", None, None),  # not applicable
    (8, "00GV0001", ALTAI, None, "337", "5", "convicted", 130, False),  # above the 120-month maximum; no verdict date
    (9, "00GV0002", YUGRA, "2024-02-01", "337", "5", "returned_to_prosecutor", None, None),  # not applicable
    (10, "00GV0003", None, "2024-03-25", "337", "3.1", "convicted", 48, True),  # inside
]
SECRET_CASE_NUMBER = "1-777/2024"  # record-level fields that must never reach an output file
SECRET_SHA = "f" * 64


def key(number: int) -> str:
    return f"00GV0000-01-2024-{number:06d}-00#0"


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def make_records() -> pl.DataFrame:
    rows = []
    for number, court, region, verdict, article, part, outcome, term, suspended in ROWS:
        verdict_date = day(verdict)
        filed = verdict_date - dt.timedelta(days=30) if verdict_date else dt.date(2024, 2, 1)
        row: dict[str, object] = dict.fromkeys(STORED)
        row.update(
            record_key=key(number),
            court_id=court,
            case_uid=key(number)[:-2],
            case_number=SECRET_CASE_NUMBER,
            defendant_index=0,
            filed_date=filed,
            verdict_date=verdict_date,
            region_code=None if region is None else ("22" if region == ALTAI else "86"),
            region_name=region,
            article=article,
            part=part,
            attempt=False,
            outcome="Вынесен ПРИГОВОР" if outcome == "convicted" else "Иное",
            outcome_category=outcome,
            sentence_type="imprisonment" if term is not None else None,
            term_months=term,
            suspended=suspended,
            probation_months=24 if suspended else None,
            art64=False,
            text_sha256=SECRET_SHA,
        )
        rows.append(row)
    schema = {name: dtype for name, dtype in _empty_schema().items() if name in STORED}
    return pl.DataFrame(rows, schema=schema)


@pytest.fixture(scope="module")
def records() -> pl.DataFrame:
    return beside_law(make_records())


@pytest.fixture(scope="module")
def report_ru(records: pl.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("report_ru")
    return out, write_report(records, out, "ru")


@pytest.fixture(scope="module")
def report_en(records: pl.DataFrame, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("report_en")
    return out, write_report(records, out, "en")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


CSV_NAMES = (
    "monthly_by_part",
    "suspended_share",
    "term_distribution",
    "by_region",
    "outcomes",
    "range_check",
    "outside_range",
)

# -- files ------------------------------------------------------------------------------------------------------


def test_all_files_are_written(report_ru: tuple[Path, list[Path]]) -> None:
    out, written = report_ru
    expected = [out / name for name in CHART_FILES] + [out / "aggregates" / f"{n}.csv" for n in CSV_NAMES]
    expected.append(out / HTML_FILE)
    assert written == expected
    assert all(path.is_file() and path.stat().st_size > 0 for path in written)
    assert set(CHART_FILES) == {
        "monthly_by_part.svg",
        "suspended_share.svg",
        "terms_by_part.svg",
        "by_region.svg",
        "outcomes.svg",
    }


def test_output_is_byte_identical_on_a_second_run(
    records: pl.DataFrame, report_ru: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    out, written = report_ru
    again = write_report(records, tmp_path, "ru")
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(out) for p in written]
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


# -- SVG --------------------------------------------------------------------------------------------------------


def check_svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG_NS}svg"
    width, height = float(root.attrib["width"]), float(root.attrib["height"])
    assert root.attrib["viewBox"] == f"0 0 {root.attrib['width']} {root.attrib['height']}"
    assert width > 0 and height > 0
    assert root.attrib["role"] == "img"
    title_id, desc_id = root.attrib["aria-labelledby"].split()
    title, desc = root.find(f"{SVG_NS}title"), root.find(f"{SVG_NS}desc")
    assert title is not None and title.attrib["id"] == title_id and (title.text or "").strip()
    assert desc is not None and desc.attrib["id"] == desc_id and (desc.text or "").strip()
    lowered = text.lower()
    for forbidden in (
        "<script",
        "javascript:",
        "<style",
        "style=",
        "@import",
        "@font-face",
        "<image",
        "<foreignobject",
    ):
        assert forbidden not in lowered, forbidden
    for element in root.iter():  # the only references are to the chart's own patterns
        for name, value in element.attrib.items():
            assert not name.endswith("href"), name
            if "url(" in value:
                target = re.fullmatch(r"url\(#([\w-]+)\)", value)
                assert target and root.find(f".//*[@id='{target.group(1)}']") is not None, value
    return root


def test_every_svg_is_valid_standalone_and_accessible(report_ru: tuple[Path, list[Path]]) -> None:
    out, _ = report_ru
    ids = set()
    for name in CHART_FILES:
        text = (out / name).read_text(encoding="utf-8")
        assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
        root = check_svg(text)
        ids.add(root.attrib["aria-labelledby"])
    assert len(ids) == len(CHART_FILES)  # unique ids: the five charts can share one HTML page


def test_svg_texts_are_the_ones_constructed(report_ru: tuple[Path, list[Path]]) -> None:
    out, _ = report_ru

    def texts(name: str) -> list[str]:
        root = ET.fromstring((out / name).read_text(encoding="utf-8"))
        return ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]

    monthly = texts("monthly_by_part.svg")
    assert {"01.2024", "02.2024", "03.2024"} <= set(monthly)  # the month without records in between is an axis month
    assert {"ч. 5 ст. 337", "ч. 2.1 ст. 337", "ч. 3.1 ст. 337", "ч. 1 ст. 338"} <= set(monthly)
    assert "n = 9" in monthly
    shares = texts("suspended_share.svg")
    assert {"n = 2", "n = 4", "n = 8", "25%", "75%", "38%", "63%", "все части"} <= set(shares)
    terms = texts("terms_by_part.svg")
    assert "n=3" in terms and terms.count("n=1") == 5 and "срок, лет" in terms
    assert {"0", "2", "10", "12"} <= set(terms)  # 130 months at most: years on the axis, ticked every two years
    regions = texts("by_region.svg")
    assert ALTAI in regions and "суд не найден в справочнике" in regions
    assert any(YUGRA.startswith(line) for line in regions)
    outcomes = texts("outcomes.svg")
    assert {"обвинительный приговор", "8", "дело прекращено", "возвращено прокурору", "n = 10"} <= set(outcomes)


def test_long_cyrillic_labels_fit_and_wrap() -> None:
    ossetia = "Республика Северная Осетия-Алания"  # the longest region name of the court directory
    long = "Республика Северная Осетия-Алания и ещё очень длинное название региона для проверки переноса строк"
    text = svg.horizontal_bars(
        chart_id="t", title="Заголовок", desc="Описание", labels=[ossetia, YUGRA, long], values=[3, 2, 1]
    )
    root = check_svg(text)
    width = float(root.attrib["width"])
    lines = []
    for element in root.iter(f"{SVG_NS}text"):
        content = element.text or ""
        x, anchor = float(element.attrib["x"]), element.attrib["text-anchor"]
        size = float(element.attrib["font-size"])
        advance = svg.text_width(content, size)
        left = {"start": x, "middle": x - advance / 2, "end": x - advance}[anchor]
        assert left >= 0 and left + advance <= width, content  # nothing sticks out of the chart
        lines.append(content)
    assert ossetia in lines  # fits on one line
    assert [line for line in lines if line in YUGRA] == ["Ханты-Мансийский автономный округ —", "Югра"]
    shortened = [line for line in lines if line.rstrip("…") in long and line != ossetia]
    assert len(shortened) == 2 and shortened[1].endswith("…")  # two lines at most, then "…"
    assert [t.text for t in root.iter(f"{SVG_NS}title") if t.text == long]  # the full label stays as a tooltip


def test_svg_escapes_text_and_is_deterministic() -> None:
    evil = '<script>alert("x")</script> & "Co"'
    kwargs = {
        "chart_id": "evil",
        "title": evil,
        "desc": evil,
        "categories": ["a", "b"],
        "series": [f"{evil} {i}" for i in range(10)],  # ten series: the last two are hatched
        "values": [[1] * 10, [2] * 10],
    }
    text = svg.stacked_bars(**kwargs)  # type: ignore[arg-type]
    assert text == svg.stacked_bars(**kwargs)  # type: ignore[arg-type]
    root = check_svg(text)
    assert "<script" not in text
    assert root.find(f"{SVG_NS}title").text == evil  # type: ignore[union-attr]
    assert root.find(f".//{SVG_NS}pattern[@id='evil-hatch']") is not None
    with pytest.raises(ValueError):
        svg.stacked_bars(**{**kwargs, "chart_id": '" onload="x'})  # type: ignore[arg-type]


def test_okabe_ito_palette() -> None:
    assert set(svg.PALETTE) == {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


# -- CSV aggregates: golden numbers by construction -------------------------------------------------------------


def test_csv_aggregates_have_the_constructed_numbers(report_ru: tuple[Path, list[Path]]) -> None:
    folder = report_ru[0] / "aggregates"
    monthly = {(r["month"], r["part_key"]): int(r["n"]) for r in read_csv(folder / "monthly_by_part.csv")}
    assert monthly == {
        ("2024-01-01", "337.2.1"): 1,  # record 4
        ("2024-01-01", "337.5"): 2,  # records 1, 2
        ("2024-02-01", "337.5"): 1,  # record 9
        ("2024-03-01", "337.2.1"): 1,  # record 5
        ("2024-03-01", "337.3.1"): 2,  # records 6, 10
        ("2024-03-01", "337.5"): 1,  # record 3
        ("2024-03-01", "338.1"): 1,  # record 7; record 8 has no verdict date
    }
    shares = [
        (r["part_key"], int(r["n"]), int(r["suspended"]), int(r["real"]), float(r["suspended_share"]))
        for r in read_csv(folder / "suspended_share.csv")
    ]
    assert shares == [
        ("337.2.1", 2, 1, 1, 0.5),  # 4 suspended, 5 real
        ("337.3.1", 2, 1, 1, 0.5),  # 10 suspended, 6 real
        ("337.5", 4, 1, 3, 0.25),  # 2 suspended; 1, 3, 8 real
        ("all", 8, 3, 5, 0.375),
    ]
    terms = {
        (r["part_key"], r["suspended"]): (int(r["n"]), *(float(r[k]) for k in ("min", "q1", "median", "q3", "max")))
        for r in read_csv(folder / "term_distribution.csv")
    }
    assert terms == {
        ("337.2.1", "false"): (1, 1, 1, 1, 1, 1),
        ("337.2.1", "true"): (1, 24, 24, 24, 24, 24),
        ("337.3.1", "false"): (1, 36, 36, 36, 36, 36),
        ("337.3.1", "true"): (1, 48, 48, 48, 48, 48),
        ("337.5", "false"): (3, 60, 72, 84, 107, 130),  # 60, 84, 130: linear quartiles halfway between
        ("337.5", "true"): (1, 72, 72, 72, 72, 72),
    }
    regions = [(r["region_name"], int(r["n"])) for r in read_csv(folder / "by_region.csv")]
    assert regions == [(ALTAI, 4), (YUGRA, 4), ("unknown", 2)]
    outcomes = {r["outcome_category"]: int(r["n"]) for r in read_csv(folder / "outcomes.csv")}
    assert outcomes == {"convicted": 8, "terminated": 1, "returned_to_prosecutor": 1}
    checks = {r["range_status"]: int(r["n"]) for r in read_csv(folder / "range_check.csv")}
    assert checks == {"inside": 6, "below_minimum": 1, "above_maximum": 1, "not_applicable": 2}
    outside = [(r["record_key"], r["term_months"], r["range_status"]) for r in read_csv(folder / "outside_range.csv")]
    assert outside == [(key(5), "1", "below_minimum"), (key(8), "130", "above_maximum")]


def test_csv_hold_no_record_level_personal_data(report_ru: tuple[Path, list[Path]]) -> None:
    out, written = report_ru
    record_level = {"case_uid", "case_number", "text_sha256", "absence_start", "absence_end", "probation_months"}
    record_level |= {"colony_regime", "defendant_index", "filed_date", "outcome", "region_code"}
    for path in written:
        content = path.read_text(encoding="utf-8")
        assert SECRET_CASE_NUMBER not in content and SECRET_SHA not in content, path.name
        if path.suffix == ".csv":
            header = set(content.splitlines()[0].split(","))
            assert not header & record_level, (path.name, header & record_level)
    listed = set(read_csv(out / "aggregates" / "outside_range.csv")[0])
    assert listed <= {
        "record_key",
        "court_id",
        "verdict_date",
        "article",
        "part",
        "edition",
        "law_date_basis",
        "sentence_type",
        "term_months",
        "range_min_months",
        "range_max_months",
        "range_status",
        "art64",
    }


# -- HTML -------------------------------------------------------------------------------------------------------


def test_html_is_self_contained(report_ru: tuple[Path, list[Path]], report_en: tuple[Path, list[Path]]) -> None:
    for out, _ in (report_ru, report_en):
        page = (out / HTML_FILE).read_text(encoding="utf-8")
        lowered = page.lower()
        assert page.startswith("<!DOCTYPE html>") and "<style>" in page
        assert "<script" not in lowered and "javascript:" not in lowered and "onload=" not in lowered
        assert not re.search(r"""\b(?:src|href|action|srcset|data)\s*=\s*["']?\s*(?:[a-z]+:)?//""", lowered)
        assert not re.search(r"<(?:link|img|iframe|object|embed|base)\b", lowered)
        assert "@import" not in lowered and "url(http" not in lowered
        assert "https://creativecommons.org/licenses/by-sa/4.0/" in page  # as text only
        assert ATTRIBUTION in page
        assert page.count("<svg ") == len(CHART_FILES)
        for chart in re.findall(r"<svg .*?</svg>", page, flags=re.S):
            check_svg(chart)


def test_html_shows_the_n_of_every_figure(report_ru: tuple[Path, list[Path]]) -> None:
    page = (report_ru[0] / HTML_FILE).read_text(encoding="utf-8")
    sections = dict(re.findall(r'<section id="(\w+)"(?:(?!</section>).)*?<p class="n">(n = \d+)</p>', page, flags=re.S))
    assert sections == {
        "monthly": "n = 9",  # records with a verdict date
        "suspended": "n = 8",  # prison sentences with known suspension
        "terms": "n = 8",  # prison terms
        "regions": "n = 10",
        "outcomes": "n = 10",
        "range": "n = 2",  # records outside the range
    }
    assert "Записей о подсудимых: 10; судов: 3; даты решений: с 15.01.2024 по 25.03.2024." in page
    assert "Записей без даты решения: 1" in page


def test_html_caveats_outside_list_and_attribution(report_ru: tuple[Path, list[Path]]) -> None:
    page = (report_ru[0] / HTML_FILE).read_text(encoding="utf-8")
    assert "смещённая выборка" in page and "2023" in page and "главе 33" in page
    assert "ст. 64 УК РФ" in page
    outside = page.split('<section id="range">')[1].split("</section>")[0]
    assert key(5) in outside and key(8) in outside and key(1) not in outside
    assert "ниже нижнего предела санкции" in outside and "выше верхнего предела санкции" in outside
    assert "CC BY-SA 4.0" in page.split('<section id="sources">')[1]


def test_russian_and_english_reports_differ(
    report_ru: tuple[Path, list[Path]], report_en: tuple[Path, list[Path]]
) -> None:
    ru = (report_ru[0] / HTML_FILE).read_text(encoding="utf-8")
    en = (report_en[0] / HTML_FILE).read_text(encoding="utf-8")
    assert ru != en and '<html lang="ru">' in ru and '<html lang="en">' in en
    headings_ru = re.findall(r"<h[123]>(.*?)</h[123]>", ru)
    headings_en = re.findall(r"<h[123]>(.*?)</h[123]>", en)
    assert len(headings_ru) == len(headings_en) >= 8
    assert all(CYRILLIC.search(h) for h in headings_ru), headings_ru
    assert not any(CYRILLIC.search(h) for h in headings_en), headings_en
    assert "Suspended and real imprisonment by article part" in en and "art. 337 part 5" in en
    assert "0.375" not in en and "37.5%" in en and "37,5%" in ru  # decimal comma in Russian
    for name in CHART_FILES:
        assert (report_ru[0] / name).read_bytes() != (report_en[0] / name).read_bytes(), name


def test_fragment_has_no_inline_style_for_a_strict_csp(records: pl.DataFrame) -> None:
    fragment = render_report_html(records, "en", fragment=True)
    assert fragment.startswith('<article class="courtpath-report">')
    assert "<style" not in fragment and "style=" not in fragment and "<html" not in fragment
    with pytest.raises(ValueError):
        render_report_html(records, "de")


def test_hostile_text_in_the_data_is_escaped(tmp_path: Path) -> None:
    hostile = make_records().with_columns(
        pl.when(pl.col("region_name") == ALTAI)
        .then(pl.lit('<script>alert(1)</script><img src="https://example.org/x.png">'))
        .otherwise(pl.col("region_name"))
        .alias("region_name")
    )
    write_report(beside_law(hostile), tmp_path, "en")
    page = (tmp_path / HTML_FILE).read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    root = check_svg((tmp_path / "by_region.svg").read_text(encoding="utf-8"))
    assert any("<script>" in "".join(t.itertext()) for t in root.iter(f"{SVG_NS}text"))


def test_empty_store_gives_a_report_without_data(tmp_path: Path) -> None:
    empty = beside_law(make_records().clear())
    written = write_report(empty, tmp_path, "ru")
    assert len(written) == len(CHART_FILES) + len(CSV_NAMES) + 1
    for name in CHART_FILES:
        root = check_svg((tmp_path / name).read_text(encoding="utf-8"))
        assert "Нет данных" in ["".join(t.itertext()) for t in root.iter(f"{SVG_NS}text")]
