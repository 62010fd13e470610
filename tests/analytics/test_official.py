"""Official statistics (courtpath.analytics.official): reading the Judicial Department's tables, the store, the
command and the report beside the published records.

The fixtures in official_tables/ are constructed from the column names documented in official_columns.yaml (the
Dostoevsky project's rebuild of forms 10.3 / 10-а), with fictional numbers; the expected rows below are added up
by hand from those files.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from pathlib import Path

import polars as pl
import pytest
import xlwt
from openpyxl import Workbook
from test_analytics_report import ROWS, make_records

from courtpath.analytics import aggregate
from courtpath.analytics.beside_law import beside_law
from courtpath.analytics.official import (
    OFFICIAL_SCHEMA,
    STORE_SCHEMA,
    OfficialStatsError,
    import_official,
    load_official,
    official_path,
    parse_label,
    read_cells,
)
from courtpath.analytics.report import OFFICIAL_CHART_FILES, render_report_html, write_report
from courtpath.cli.main import run

TABLES = Path(__file__).parent / "official_tables"
FORM_CSV = TABLES / "form_10-3_semicolon_cp1251.csv"
LONG_CSV = TABLES / "long_years_comma_utf8.csv"
CONTRACT = list(OFFICIAL_SCHEMA)


def stored_rows(data: Path) -> list[tuple[object, ...]]:
    return load_official(data).select(CONTRACT).rows()


# -- reading the published layouts -------------------------------------------------------------------------------


def test_the_form_fixture_is_cp1251_with_semicolons() -> None:
    raw = FORM_CSV.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("cp1251").splitlines()[3].count(";") == 12


def test_form_table_semicolon_cp1251(tmp_path: Path) -> None:
    report = import_official(FORM_CSV, tmp_path)
    name = FORM_CSV.name  # the year (2021) comes from the title row "за 12 месяцев 2021 г."
    assert stored_rows(tmp_path) == [
        (2021, "337", None, 640, 146, 260, 234, name),
        (2021, "337", "1", 410, 70, 170, 170, name),
        (2021, "337", "2", 21, 6, 11, 4, name),
        (2021, "337", "3", 165, 50, 67, 48, name),  # two editions of part 3: 5 + 160 convicted
        (2021, "337", "4", 44, 20, 12, 12, name),
        (2021, "338", "1", 31, 19, 12, 0, name),  # "—" cells are zero
        (2021, "339", "1", 7, 2, 3, 2, name),
    ]
    extra = load_official(tmp_path).filter(pl.col("part") == "3").row(0, named=True)
    assert (extra["restriction_of_service"], extra["disciplinary_unit"], extra["fine"]) == (26, 8, 10)
    assert extra["exempted"] == 4 and extra["arrest"] is None  # the table has no arrest column
    lines = report.lines()
    assert lines[0].startswith(f"{name}: stored 7 rows (0 replaced")
    assert "  2021 art. 337: 5 rows" in lines and "  2021 art. 339: 1 rows" in lines
    assert "  1 rows of another edition of the same part were added up" in lines
    assert "  real_terms <- «виды основного наказания / лишение свободы / всего»" in lines
    assert any(line.startswith("  columns not recognised (5): «оправдано»") for line in lines)


def test_other_articles_are_ignored(tmp_path: Path) -> None:
    import_official(FORM_CSV, tmp_path)
    import_official(LONG_CSV, tmp_path)
    articles = set(load_official(tmp_path).get_column("article").to_list())
    assert articles == {"337", "338", "339"}  # 105, 336, 340 and 228 are in the files, not in the store


def test_long_table_comma_utf8_with_year_and_part_columns(tmp_path: Path) -> None:
    import_official(LONG_CSV, tmp_path)
    name = LONG_CSV.name
    assert stored_rows(tmp_path) == [
        (2021, "337", "5", 0, 0, 0, 0, name),
        (2022, "337", "1", 380, 60, 160, 160, name),
        (2022, "337", "2.1", 40, 18, 20, 2, name),
        (2022, "337", "5", 900, 420, 430, 50, name),
        (2022, "338", "1", 25, 15, 10, 0, name),
    ]
    assert load_official(tmp_path).filter(pl.col("part") == "5", pl.col("year") == 2022)["arrest"].to_list() == [0]


def write_xlsx(path: Path, year_in_title: bool = False) -> Path:
    """A workbook in the published layout: an explanation sheet first, then the table with a merged group header."""
    book = Workbook()
    notes = book.active
    notes.title = "Пояснения"
    notes["A1"] = "Вымышленные числа для теста"
    sheet = book.create_sheet("Раздел 1")
    title = "Сведения о числе осужденных по статьям УК РФ" + (" за 2022 год" if year_in_title else "")
    sheet.append([title])
    sheet.append([])
    sheet.append(["Статья УК РФ", "Всего осуждено", "Виды основного наказания", None, None, None, "Оправдано"])
    sheet.append([None, None, "Лишение свободы", "Условное осуждение к лишению свободы", "Штраф", "Арест", None])
    sheet.merge_cells("C3:F3")
    sheet.merge_cells("A3:A4")
    sheet.append(["А", 1, 2, 3, 4, 5, 6])
    sheet.append(["Всего", 1000, 500, 300, 100, 0, 4])
    sheet.append(["ст. 337 ч. 5", 120, 70, 45, 5, 0, 1])
    sheet.append(["ч. 3.1 ст. 337", 30, 10, 18, None, None, 0])
    sheet.append(["Ст.338 Ч.1", 12, 9, 3, 0, 0, 0])
    sheet.append(["Ст.352", 2, 0, 0, 2, 0, 0])
    book.save(path)
    return path


def write_xls(path: Path, year_in_title: bool = False) -> Path:
    """The layout of write_xlsx as an Excel 97-2003 workbook, the format cdep.ru mostly publishes, written with xlwt."""
    book = xlwt.Workbook(encoding="utf-8")
    notes = book.add_sheet("Пояснения")
    notes.write(0, 0, "Вымышленные числа для теста")
    sheet = book.add_sheet("Раздел 1")
    title = "Сведения о числе осужденных по статьям УК РФ" + (" за 2022 год" if year_in_title else "")
    sheet.write(0, 0, title)
    sheet.write_merge(2, 3, 0, 0, "Статья УК РФ")  # A3:A4
    sheet.write(2, 1, "Всего осуждено")
    sheet.write_merge(2, 2, 2, 5, "Виды основного наказания")  # C3:F3
    sheet.write(2, 6, "Оправдано")
    rows = [
        [None, None, "Лишение свободы", "Условное осуждение к лишению свободы", "Штраф", "Арест", None],
        ["А", 1, 2, 3, 4, 5, 6],
        ["Всего", 1000, 500, 300, 100, 0, 4],
        ["ст. 337 ч. 5", 120, 70, 45, 5, 0, 1],
        ["ч. 3.1 ст. 337", 30, 10, 18, None, None, 0],
        ["Ст.338 Ч.1", 12, 9, 3, 0, 0, 0],
        ["Ст.352", 2, 0, 0, 2, 0, 0],
    ]
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, float(value) if isinstance(value, int) else value)  # numbers are floats in .xls
    book.save(str(path))
    return path


def test_xlsx_with_year_option(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "table.xlsx")
    data = tmp_path / "data"
    with pytest.raises(OfficialStatsError, match="no year in the table, its title or its name; give --year"):
        import_official(source, data)
    assert not official_path(data).exists()
    import_official(source, data, year=2022)
    assert stored_rows(data) == [
        (2022, "337", "3.1", 30, 10, 18, 2, "table.xlsx"),
        (2022, "337", "5", 120, 70, 45, 5, "table.xlsx"),
        (2022, "338", "1", 12, 9, 3, 0, "table.xlsx"),
    ]


def test_xlsx_year_from_the_title(tmp_path: Path) -> None:
    import_official(write_xlsx(tmp_path / "table.xlsx", year_in_title=True), tmp_path)
    assert set(load_official(tmp_path).get_column("year").to_list()) == {2022}


def test_xls_as_published_reads_like_the_xlsx(tmp_path: Path) -> None:
    xlsx, xls = write_xlsx(tmp_path / "table.xlsx"), write_xls(tmp_path / "table.xls")
    assert read_cells(xls) == read_cells(xlsx)  # the same cells: merged header, numbering row, whole numbers, blanks
    from_xlsx, from_xls = tmp_path / "from_xlsx", tmp_path / "from_xls"
    import_official(xlsx, from_xlsx, year=2022)
    report = import_official(xls, from_xls, year=2022)
    assert stored_rows(from_xls) == [
        (2022, "337", "3.1", 30, 10, 18, 2, "table.xls"),
        (2022, "337", "5", 120, 70, 45, 5, "table.xls"),
        (2022, "338", "1", 12, 9, 3, 0, "table.xls"),
    ]
    assert load_official(from_xls).drop("source").equals(load_official(from_xlsx).drop("source"))
    assert "  real_terms <- «виды основного наказания / лишение свободы»" in report.lines()


def test_xls_year_from_the_title(tmp_path: Path) -> None:
    import_official(write_xls(tmp_path / "table.xls", year_in_title=True), tmp_path)
    assert set(load_official(tmp_path).get_column("year").to_list()) == {2022}


def test_xlsx_saved_under_an_xls_name_is_read(tmp_path: Path) -> None:
    import_official(write_xlsx(tmp_path / "renamed_2022.xls"), tmp_path)
    assert [row[:4] for row in stored_rows(tmp_path)] == [
        (2022, "337", "3.1", 30),
        (2022, "337", "5", 120),
        (2022, "338", "1", 12),
    ]


def test_corrupt_xls_is_refused_and_the_store_is_unchanged(tmp_path: Path) -> None:
    data = tmp_path / "data"
    import_official(LONG_CSV, data)
    before = official_path(data).read_bytes()
    good = write_xls(tmp_path / "good.xls").read_bytes()
    corrupt = {
        "random_2022.xls": random.Random(16).randbytes(6000),
        "truncated_2022.xls": good[: len(good) // 2],
        "html_2022.xls": "<html><table><tr><td>Всего осуждено</td></tr></table></html>".encode(),
        "empty_2022.xls": b"",
    }
    for name, content in corrupt.items():
        source = tmp_path / name
        source.write_bytes(content)
        with pytest.raises(OfficialStatsError, match=r"not a readable XLS \(Excel 97-2003\) workbook") as caught:
            import_official(source, data)
        assert str(caught.value).startswith(f"{name}: ") and "\n" not in str(caught.value)
        assert official_path(data).read_bytes() == before
        assert not list(official_path(data).parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("337 ч. 5", ("337", "5")),
        ("ст. 337 ч. 3.1", ("337", "3.1")),
        ("ч. 2.1 ст. 337", ("337", "2.1")),
        ("337ч.1 (в ред. ФЗ от 24.09.2022 № 365-ФЗ)", ("337", "1")),
        ("Статья 338 часть 2", ("338", "2")),
        ("339", ("339", None)),
        ("Всего по составам", None),
    ],
)
def test_row_labels(label: str, expected: tuple[str, str | None] | None) -> None:
    assert parse_label(label) == expected


# -- the store -------------------------------------------------------------------------------------------------------


def test_reimport_is_idempotent_and_replaces_rows(tmp_path: Path) -> None:
    import_official(LONG_CSV, tmp_path)
    first = load_official(tmp_path)
    again = import_official(LONG_CSV, tmp_path)
    assert (again.stored, again.replaced, again.total_stored) == (5, 5, 5)
    assert load_official(tmp_path).equals(first)

    changed = tmp_path / "corrected_2022.csv"
    changed.write_text(
        "Статья,Часть,Всего осуждено,Лишение свободы,Условное осуждение к лишению свободы\n337,5,950,400,500\n",
        encoding="utf-8",
    )
    report = import_official(changed, tmp_path)  # the year comes from the file name
    assert (report.stored, report.replaced, report.total_stored) == (1, 1, 5)
    row = load_official(tmp_path).filter(pl.col("year") == 2022, pl.col("part") == "5").row(0, named=True)
    assert (row["convicted"], row["real_terms"], row["suspended"], row["other"]) == (950, 400, 500, 50)
    assert row["source"] == "corrected_2022.csv" and row["restriction_of_service"] is None


def test_empty_store_has_the_schema(tmp_path: Path) -> None:
    frame = load_official(tmp_path)
    assert frame.height == 0 and frame.schema == pl.Schema(STORE_SCHEMA)
    assert list(frame.columns[: len(CONTRACT)]) == CONTRACT


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes_2022.csv", "Пояснительная записка\nбез таблицы\n", "no header with «Всего осуждено»"),
        (
            "no_suspended_2022.csv",
            "Статья;Всего осуждено;Лишение свободы\n337 ч. 5;10;4\n",
            "no column for suspended in the header",
        ),
        (
            "bad_count_2022.csv",
            "Статья;Всего осуждено;Лишение свободы;Условное осуждение к лишению свободы\n337 ч. 5;10;четыре;3\n",
            "row 2: «четыре» in the real_terms column is not a count",
        ),
        (
            "too_many_2022.csv",
            "Статья;Всего осуждено;Лишение свободы;Условное осуждение к лишению свободы\n337 ч. 5;10;8;3\n",
            "add up to more than the 10 convicted",
        ),
        (
            "other_articles_2022.csv",
            "Статья;Всего осуждено;Лишение свободы;Условное осуждение к лишению свободы\n105 ч. 1;10;8;1\n",
            "no rows for arts. 337, 338, 339",
        ),
        ("broken_2022.xls", "not an Excel 97-2003 file", "not a readable XLS (Excel 97-2003) workbook"),
        ("broken_2022.xlsx", "not a zip file", "not a readable XLSX workbook"),
    ],
)
def test_bad_input_is_refused_and_the_store_is_unchanged(tmp_path: Path, name: str, content: str, message: str) -> None:
    data = tmp_path / "data"
    import_official(LONG_CSV, data)
    before = official_path(data).read_bytes()
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    with pytest.raises(OfficialStatsError, match=re.escape(message)) as caught:
        import_official(source, data)
    assert str(caught.value).startswith(name)
    assert official_path(data).read_bytes() == before
    assert not list(official_path(data).parent.glob("*.tmp"))


# -- the command -------------------------------------------------------------------------------------------------------


def test_cli_import_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    source = tmp_path / "table.xlsx"
    write_xlsx(source)
    assert run(["analytics", "import-stats", str(source), "--year", "2022", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "table.xlsx: stored 3 rows (0 replaced earlier ones); the official store now holds 3 rows" in out
    assert "2022 art. 337: 2 rows" in out and "columns not recognised (1): «оправдано»" in out

    assert run(["analytics", "import-stats", str(source), "--data-dir", str(data)]) == 2
    captured = capsys.readouterr()
    assert captured.err == ("courtpath: error: table.xlsx: no year in the table, its title or its name; give --year\n")
    assert "Traceback" not in captured.err and captured.out == ""
    assert run(["analytics", "import-stats", str(tmp_path / "missing.csv"), "--data-dir", str(data)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cli_import_stats_xls(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    source = write_xls(tmp_path / "table_2022.xls")
    assert run(["analytics", "import-stats", str(source), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "table_2022.xls: stored 3 rows (0 replaced earlier ones); the official store now holds 3 rows" in out
    before = official_path(data).read_bytes()

    corrupt = tmp_path / "corrupt_2022.xls"
    corrupt.write_bytes(random.Random(337).randbytes(4096))
    assert run(["analytics", "import-stats", str(corrupt), "--data-dir", str(data)]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("courtpath: error: corrupt_2022.xls: not a readable XLS (Excel 97-2003) workbook")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err and captured.out == ""
    assert official_path(data).read_bytes() == before


def test_cli_report_uses_the_official_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    cards = tmp_path / "cards.csv"
    cards.write_text(
        "court_id,case_number,verdict_date,articles,outcome\n"
        "00GV0001,1-1/2022,2022-05-04,ст.337 ч.5 УК РФ,Вынесен ПРИГОВОР\n",
        encoding="utf-8",
    )
    assert run(["analytics", "import", str(cards), "--data-dir", str(data)]) == 0
    assert run(["analytics", "import-stats", str(LONG_CSV), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert run(["analytics", "report", "--out", str(out), "--lang", "en", "--data-dir", str(data)]) == 0
    assert "5 rows of official statistics" in capsys.readouterr().out
    assert (out / "aggregates" / "official_beside_sample.csv").is_file()
    assert all((out / name).is_file() for name in OFFICIAL_CHART_FILES)


# -- the report beside the published records ---------------------------------------------------------------------------


def sample_2022() -> pl.DataFrame:
    """The records of the report tests moved from 2024 to 2022, plus one pending case under part 5."""
    records = make_records().with_columns(
        pl.col("verdict_date").dt.offset_by("-2y"), pl.col("filed_date").dt.offset_by("-2y")
    )
    pending = records.head(1).with_columns(
        pl.lit("00GV0000-01-2022-999999-00#0").alias("record_key"),
        pl.lit("pending").alias("outcome_category"),
        pl.lit(None, pl.Date).alias("verdict_date"),
        pl.lit(dt.date(2022, 6, 1)).alias("filed_date"),
        pl.lit(None, pl.Utf8).alias("sentence_type"),
        pl.lit(None, pl.Int32).alias("term_months"),
        pl.lit(None, pl.Boolean).alias("suspended"),
    )
    return beside_law(pl.concat([records, pending]))


def expected_real_share(article: str, part: str) -> tuple[int, int]:
    """(real terms, convictions with a known penalty) of one part in the report tests' table of records."""
    convicted = [row for row in ROWS if (row[4], row[5], row[6]) == (article, part, "convicted")]
    return sum(1 for row in convicted if row[8] is False), len(convicted)


def official_frame(convicted: int, real_terms: int, suspended: int) -> pl.DataFrame:
    row = dict.fromkeys(STORE_SCHEMA)
    row.update(
        year=2022,
        article="337",
        part="5",
        convicted=convicted,
        real_terms=real_terms,
        suspended=suspended,
        other=convicted - real_terms - suspended,
        source="form_2022.csv",
    )
    return pl.DataFrame([row], schema=STORE_SCHEMA)


def test_sample_counts_pending_apart() -> None:
    sample = aggregate.sample_by_part_year(sample_2022())
    row = sample.filter(pl.col("year") == 2022, pl.col("part") == "5").row(0, named=True)
    real, known = expected_real_share("337", "5")
    assert (row["pending"], row["known"], row["real_terms"]) == (1, known, real)
    assert row["convicted"] == known and row["records"] == known + 2  # + returned to the prosecutor, + pending


def test_report_notes_the_bias_when_the_sample_over_represents_real_terms(tmp_path: Path) -> None:
    real, known = expected_real_share("337", "5")  # 3 of 4 in the sample: 75%
    official = official_frame(convicted=1000, real_terms=300, suspended=600)  # 30%
    page = render_report_html(sample_2022(), "en", official=official)
    assert '<section id="official">' in page
    assert '<td>art. 337 part 5</td><td>official statistics</td><td class="num">1000</td>' in page
    assert f'<td>published records</td><td class="num">{known}</td><td class="num">{known}</td>' in page
    assert (
        f"art. 337 part 5, 2022: real terms are {round(100 * real / known)}% of the published records with a known "
        f"penalty (n = {known}) but 30% of all convictions in the official statistics (n = 1000)."
    ) in page
    assert "published verdicts and news over-represent real terms" in page
    assert "there is no official total to compare these numbers with" not in page
    assert "form_2022.csv" in page

    written = write_report(sample_2022(), tmp_path, "ru", official=official)
    names = {path.name for path in written}
    assert {"official_beside_sample.csv", "sample_by_part_year.csv", *OFFICIAL_CHART_FILES} <= names
    svg_text = (tmp_path / "official_real_terms.svg").read_text(encoding="utf-8")
    assert "n = 1000" in svg_text and f"n = {known}" in svg_text


def test_report_has_no_bias_note_when_the_sample_does_not_over_represent(tmp_path: Path) -> None:
    official = official_frame(convicted=1000, real_terms=900, suspended=50)  # 90% > the sample's 75%
    page = render_report_html(sample_2022(), "en", official=official)
    assert '<section id="official">' in page and 'id="bias"' not in page
    assert "over-represent real terms" not in page
    assert "In no part and year compared do the published records show a larger share of real terms" in page


def test_report_without_official_statistics_is_unchanged() -> None:
    page = render_report_html(sample_2022(), "en")
    assert '<section id="official">' not in page
    assert "there is no official total to compare these numbers with" in page


def test_imported_fixture_beside_the_sample(tmp_path: Path) -> None:
    shutil.copy(LONG_CSV, tmp_path / LONG_CSV.name)
    import_official(tmp_path / LONG_CSV.name, tmp_path)
    beside = aggregate.official_beside_sample(load_official(tmp_path), aggregate.sample_by_part_year(sample_2022()))
    row = beside.filter(pl.col("part") == "5", pl.col("year") == 2022).row(0, named=True)
    real, known = expected_real_share("337", "5")
    assert row["official_real_terms_share"] == pytest.approx(420 / 900)
    assert row["sample_real_terms_share"] == pytest.approx(real / known)
    assert row["real_terms_gap"] == pytest.approx(real / known - 420 / 900)
    assert beside.filter(pl.col("year") == 2024).height == 0  # only the official years are compared
