"""Files in the shapes the public sudrf scrapers really write (tests/analytics/scraper_shapes/README.md says where
each field comes from): recognised, flattened, courts found by name or site, placeholders read as missing, pending
cases kept, unknown columns reported once."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courtpath.analytics import aggregate
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.records import CANONICAL, RecordsError, canonical_result, normalise, parse_articles, read_file
from courtpath.analytics.scrapers import FORMATS, mappings
from courtpath.analytics.store import Store

SHAPES = Path(__file__).parent / "scraper_shapes"
COLUMNS = (
    "record_key",
    "court_id",
    "case_uid",
    "case_number",
    "defendant_index",
    "filed_date",
    "verdict_date",
    "region_code",
    "article",
    "part",
    "attempt",
    "outcome_category",
)
D = dt.date


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data")


def stored(store: Store) -> list[tuple]:
    return sorted(store.load().select(COLUMNS).iter_rows())


def test_tochno_json_lines(store: Store) -> None:
    report = store.import_file(SHAPES / "tochno_cases.json")
    assert report.shape == "tochno-st/sudrfscraper JSON lines (mapping 2024-04-19 @76ccdc0)"
    assert report.rejected == {"no article 337, 338 or 339 in the article list": 1}
    assert stored(store) == [
        # an unknown court: its code from the УИД, the region number the scraper gave
        ("25RS0001-01-2024-000103-33#0", "25RS0001", "25RS0001-01-2024-000103-33", "1-103/2024", 0,
         D(2024, 2, 1), D(2024, 4, 11), "25", "337", "4", True, "convicted"),
        # by the УИД; region from the directory (Altai Krai), not from the code prefix 54 the scraper gives
        ("54GV0003-01-2024-000101-11#0", "54GV0003", "54GV0003-01-2024-000101-11", "1-101/2024", 0,
         D(2024, 1, 10), D(2024, 3, 1), "22", "337", "5", False, "convicted"),
        # «Информация скрыта» as the entry date is no date; points between article and part; a quoted court name
        ("61GV0010-01-2024-000105-55#0", "61GV0010", "61GV0010-01-2024-000105-55", "1-105/2024", 0,
         None, D(2024, 5, 20), "01", "338", "2", False, "terminated"),
        # no УИД: the court from its name (the directory says "109 гарнизонный военный суд (Территории за пределами
        # РФ)"); the result date "-" and no decision: pending
        ("66GV0008/1-102/2024#0", "66GV0008", None, "1-102/2024", 0,
         D(2024, 2, 15), None, "95", "338", "1", False, "pending"),
    ]  # fmt: skip
    lines = report.lines()
    assert [line for line in lines if "not used" in line] == ["  columns not used: extraField"]
    assert "  read as: tochno-st/sudrfscraper JSON lines (mapping 2024-04-19 @76ccdc0)" in lines


def test_tochno_semicolon_csv(store: Store) -> None:
    report = store.import_file(SHAPES / "tochno_cases.csv")
    assert report.shape == 'tochno-st/sudrfscraper CSV (";") (mapping 2024-04-19 @76ccdc0)'
    assert report.unused_columns == ()
    assert report.rejected == {"no article 337, 338 or 339 in the article list": 1}
    assert stored(store) == [
        # every missing value "-": the court from its name, pending
        ("39GV0005/1-202/2024#0", "39GV0005", None, "1-202/2024", 0,
         D(2024, 4, 12), None, "78", "338", "1", False, "pending"),
        # "null" as the entry date (asText() of a JSON null); an article without a part; a '"' inside the text
        ("54GV0003-01-2024-000203-33#0", "54GV0003", "54GV0003-01-2024-000203-33", "1-203/2024", 0,
         None, D(2024, 6, 3), "22", "337", None, False, "convicted"),
        # two counts of 337: the higher part
        ("78GV0001-01-2024-000201-22#0", "78GV0001", "78GV0001-01-2024-000201-22", "1-201/2024", 0,
         D(2024, 3, 5), D(2024, 5, 20), "78", "337", "5", False, "convicted"),
    ]  # fmt: skip
    rejected = pl.read_csv(report.rejected_file)
    assert rejected.get_column("line").to_list() == [5]


def test_dataout_per_site_json(store: Store) -> None:
    report = store.import_file(SHAPES / "25_ugvs_prm_1_2024.json")
    assert report.shape == "dataout-org/sudrfparser per-site JSON (mapping 2024-06-09 @5bcffd9)"
    assert report.unused_columns == ("metadata.category",)
    assert report.rejected == {"no article 337, 338 or 339 in the article list": 2}  # art. 158; a card not loaded
    assert stored(store) == [
        # a case without uid_2: its GUID is the case UID (never a court id); the court from the site address
        ("0a1b2c3d-0000-4000-8000-000000000302#0", "27GV0008", "0a1b2c3d-0000-4000-8000-000000000302",
         "1-302/2024", 0, None, None, "25", "337", "4", True, "pending"),
        # two accused in one case: one record each; "Дело № " is not part of the case number
        ("27GV0008-01-2024-000301-44#0", "27GV0008", "27GV0008-01-2024-000301-44", "1-301/2024", 0,
         D(2024, 1, 10), None, "25", "337", "5", False, "convicted"),
        ("27GV0008-01-2024-000301-44#1", "27GV0008", "27GV0008-01-2024-000301-44", "1-301/2024", 1,
         D(2024, 1, 10), None, "25", "337", "3.1", False, "convicted"),
    ]  # fmt: skip
    assert "names" not in store.load().columns and "court_name" not in store.load().columns
    # the pending case is counted apart, and nothing downstream trips on it
    assert dict(aggregate.outcomes(beside_law(store.load())).iter_rows()) == {"convicted": 2, "pending": 1}


def test_dataout_merged_gzip_with_two_servers(store: Store, tmp_path: Path) -> None:
    """compress_by_region_year: {site: {"srv_1": {...}, "srv_2": {...}}}, gzip-compressed, under a .json name."""
    site = json.loads((SHAPES / "25_ugvs_prm_1_2024.json").read_text(encoding="utf-8"))
    (website, one), = site.items()  # fmt: skip
    first, second = dict(one, cases=one["cases"][:2]), dict(one, cases=one["cases"][2:])
    merged = tmp_path / "25_2024_gzip.json"
    merged.write_bytes(gzip.compress(json.dumps({website: {"srv_1": first, "srv_2": second}}).encode("utf-8")))
    report = store.import_file(merged)
    plain = Store(tmp_path / "plain")
    plain.import_file(SHAPES / "25_ugvs_prm_1_2024.json")
    assert (report.read, report.new) == (5, 3)
    assert stored(store) == stored(plain)


def test_flat_semicolon_csv_with_a_pending_case(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "flat.csv"
    source.write_text(
        "court_id;case_uid;case_number;filed_date;verdict_date;articles;outcome;note\n"
        "27GV0008;27GV0008-01-2024-000401-11;1-401/2024;2024-01-10;-;ч. 5 ст. 337 УК РФ;-;x\n"
        "-;case_id=1&case_uid=0a1b2c3d-0000-4000-8000-000000000402;1-402/2024;2024-01-11;;ст.337 ч.2;;y\n",
        encoding="utf-8",
    )
    report = store.import_file(source)
    assert report.shape.startswith("courtpath flat CSV")
    assert report.unused_columns == ("note",)
    assert stored(store) == [
        # a dataout-style case_id_uid: the GUID, and no court (it used to become the court "CASE_ID=")
        ("0a1b2c3d-0000-4000-8000-000000000402#0", None, "0a1b2c3d-0000-4000-8000-000000000402", "1-402/2024", 0,
         D(2024, 1, 11), None, None, "337", "2", False, "pending"),
        ("27GV0008-01-2024-000401-11#0", "27GV0008", "27GV0008-01-2024-000401-11", "1-401/2024", 0,
         D(2024, 1, 10), None, "25", "337", "5", False, "pending"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        ("ст.337 ч.5 УК РФ", ("337", "5", False)),
        ("ст. 337 ч. 3.1", ("337", "3.1", False)),
        ("ч. 2.1 ст. 337 УК РФ", ("337", "2.1", False)),
        ("ст.338 п.п.а,б ч.2 УК РФ", ("338", "2", False)),
        ("ст.338 пп.а,б ч.2", ("338", "2", False)),
        ("п.а ч.2 ст.338", ("338", "2", False)),
        ("ч.2 п.«а» ст.338 УК РФ", ("338", "2", False)),
        ("ст.337 ч.5 п.а", ("337", "5", False)),
        ("ст.337 УК РФ", ("337", None, False)),
        ("ст.158 ч.2; ст.337 ч.4", ("337", "4", False)),
        ("ст.337 ч.3; ст.337 ч.5; ст.338 ч.2", ("337", "5", False)),
        ("ст.338 ч.1; ст.337 ч.5", ("338", "1", False)),
        ("ст.30 ч.3, ст.337 ч.5 УК РФ", ("337", "5", True)),
        ("ч.3 ст.30, ч.4 ст.337", ("337", "4", True)),
        ("ст.30 ч.3 ст.337", ("337", None, True)),
        ("ТЕСТОВ Ч.Т. - ст.339 ч.1 УК РФ", ("339", "1", False)),
        ("ст.158 ч.2 УК РФ", (None, None, False)),
        ("ст.3370 ч.1", (None, None, False)),
        (None, (None, None, False)),
    ],
)
def test_card_strings(card: str | None, expected: tuple) -> None:
    assert parse_articles(card) == expected


def test_a_row_without_337_338_339_is_still_rejected(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "cards.csv"
    source.write_text("case_uid,articles\n27GV0008-01-2024-000501-11,ст.228 ч.2 УК РФ\n", encoding="utf-8")
    assert store.import_file(source).rejected == {"no article 337, 338 or 339 in the article list": 1}


def test_the_mappings_load_and_target_canonical_columns() -> None:
    loaded = mappings()
    assert [m.scraper for m in loaded] == ["tochno-st/sudrfscraper", "dataout-org/sudrfparser", "courtpath"]
    for found in loaded:
        assert set(found.fields) <= set(CANONICAL), found.file
        assert found.shapes and all(shape.format in FORMATS for shape in found.shapes)
        assert found.date_formats and all(dt.date(2024, 1, 31).strftime(f) for f in found.date_formats)
        assert not (found.ignored & found.source_fields()), found.file  # a field is used or ignored, not both
        if found.scraper != "courtpath":
            assert len(found.commit) == 40 and found.placeholders


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("number.json", b"42", "neither a case UID nor a case number"),
        ("objects.json", b"[1, 2]", "neither a case UID nor a case number"),
        ("lines.jsonl", b"{not json\n{nor this\n", "neither a case UID nor a case number"),
        ("broken.json", b"\x1f\x8bnot gzip", "cannot be read"),
        ("latin1.json", '{"case_uid": "Дело"}'.encode("cp1251"), "cannot be read"),
        ("latin1.csv", "case_uid,articles\n1,ст.337\n".encode("cp1251"), "cannot be read"),
        ("other.csv", b"a,b\n1,2\n", "neither a case UID nor a case number"),
        ("site.json", b'{"http://x.sudrf.ru": {"num_cases": 0}}', "neither a case UID nor a case number"),
        ("cards.txt", b"case_uid\n1\n", "expected .csv"),
    ],
)
def test_bad_files_give_a_clear_error(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(RecordsError, match=message):
        read_file(path)


@settings(max_examples=80, deadline=None)
@given(data=st.data(), source=st.sampled_from(mappings()))
def test_placeholders_never_give_a_date_or_a_court(data: st.DataObject, source) -> None:  # type: ignore[no-untyped-def]
    """Each placeholder of a mapping, in upper or lower case and with blanks around it, in every field that can give
    a date or a court: read as missing, never a date, never a court."""
    fields = ("court_id", "case_uid", "court_name", "court_website", "filed_date", "verdict_date")
    drawn = st.tuples(st.sampled_from(source.placeholders), st.sampled_from(["", " ", "  \t"]), st.booleans())
    row = {}
    for field in fields:
        value, pad, upper = data.draw(drawn)
        row[field] = pad + (value.upper() if upper else value) + pad
    row.update({"case_number": "1-1/2024", "articles": "ст.337 ч.5"})
    frame = pl.DataFrame([row], schema=dict.fromkeys(row, pl.Utf8))
    # the frame under the mapping's own field names, so that its own placeholders apply
    renamed = frame.rename({c: source.fields[c][0] for c in frame.columns if source.fields.get(c)})
    read = canonical_result(renamed, source)
    assert all(read.frame.row(0, named=True)[field] is None for field in fields)
    result = normalise(read.frame, source).row(0, named=True)
    assert result["court_id"] is None and result["region_code"] is None
    assert result["filed_date"] is None and result["verdict_date"] is None


@pytest.mark.parametrize(
    ("uid", "region", "expected"),
    [
        ("25RS0001-01-2024-000103-33", "25", "25"),  # a district court outside the directory: the scraper's region
        ("99GV9999-01-2024-000001-11", "54", None),  # a military court outside it: a code prefix, not a region
        ("99OV9999-01-2024-000001-11", "54", None),
        (None, "0", None),  # 0: the cassation courts, no region
    ],
)
def test_the_scrapers_region_is_taken_only_where_it_is_one(
    tmp_path: Path, uid: str | None, region: str, expected: str | None
) -> None:
    row = {"cui": uid, "region": int(region), "name": "Неизвестный суд", "caseNumber": "1-1/2024",
           "names": "ТЕСТОВ Т.Т. - ст.337 ч.5 УК РФ", "resultDate": None, "decision": None}  # fmt: skip
    path = tmp_path / "one.json"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    read = read_file(path)
    assert read.mapping.repository == "https://github.com/tochno-st/sudrfscraper"
    assert normalise(read.frame, read.mapping).row(0, named=True)["region_code"] == expected
