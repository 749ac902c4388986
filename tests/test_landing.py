"""Landing reads long CSV / Parquet and yearbook-wide Excel into text rows with provenance, and
refuses structures it cannot read with a message naming file, sheet and cells."""

from __future__ import annotations

import duckdb
import pytest
from openpyxl import Workbook

from cipanel.landing import LandingError, land_directory, land_file


def yearbook(path, merged_header=False):
    book = Workbook()
    sheet = book.active
    sheet.title = "市场化总指数"
    sheet.append(["表 2-1 市场化总指数（单位：指数）"])
    sheet.append(["地区", 2015, "2016年", 2017.0])
    sheet.append(["北  京", 9.5, 9.75, None])  # ASCII spaces inside the name, a blank cell
    sheet.append(["河北省", 6.25, "..", 6.5])  # full name, a yearbook missing marker
    sheet.append(["650000", 4.125, 4.5, "n/a?"])  # code, a non-numeric cell
    sheet.append([])
    sheet.append(["注：2017年北京数据暂缺。"])
    if merged_header:
        sheet.merge_cells("B2:C2")
    book.save(path)
    return path


def test_yearbook_sheet_round_trips_with_cell_provenance(tmp_path):
    frame = land_file(yearbook(tmp_path / "book.xlsx"))
    cells = frame[frame.landing_issue.isna()]
    assert len(cells) == 9  # 3 units x 3 years, blank cells included as explicit empties
    assert set(cells.year_raw) == {"2015", "2016", "2017"}
    first = cells[(cells.unit_raw == "北  京") & (cells.year_raw == "2015")].iloc[0]
    assert (first.source_sheet, first.source_row, first.source_column, first.value_raw) == (
        "市场化总指数",
        3,
        "B",
        "9.5",
    )
    assert first.indicator_raw == "市场化总指数"
    assert cells[(cells.unit_raw == "河北省") & (cells.year_raw == "2016")].value_raw.iloc[0] == ".."
    assert cells[(cells.unit_raw == "北  京") & (cells.year_raw == "2017")].value_raw.iloc[0] == ""
    footnote = frame[frame.landing_issue.notna()]
    assert len(footnote) == 1 and footnote.source_row.iloc[0] == 7
    assert footnote.landing_issue.iloc[0] == "footnote row in a yearbook sheet"


def test_float_values_keep_every_digit(tmp_path):
    # Excel itself keeps 15 significant digits; landing must not lose any of them
    book = Workbook()
    book.active.title = "gdp_pc"
    book.active.append(["unit", 2020])
    book.active.append(["110000", 1234.56789012345])
    book.save(tmp_path / "b.xlsx")
    assert land_file(tmp_path / "b.xlsx").value_raw.iloc[0] == "1234.56789012345"


def test_merged_header_cells_are_an_error_naming_file_sheet_and_cells(tmp_path):
    with pytest.raises(LandingError, match=r"book\.xlsx, sheet '市场化总指数': merged header cells B2:C2 in row 2"):
        land_file(yearbook(tmp_path / "book.xlsx", merged_header=True))


def test_long_csv_rows_carry_line_numbers_and_ragged_lines_are_quarantined(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(
        "unit_code,year,indicator_code,value\n110000,2015,gdp_pc,1\n\n110000,2016,gdp_pc\n", encoding="utf-8"
    )
    frame = land_file(path)
    assert list(frame.source_row) == [2, 4]
    assert frame.landing_issue.iloc[1] == "row has 3 fields, header has 4"


def test_long_csv_without_a_value_column_names_the_file_and_column(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("unit_code,year,indicator_code\n110000,2015,gdp_pc\n", encoding="utf-8")
    with pytest.raises(LandingError, match=r"values\.csv: header has no value column"):
        land_file(path)


def test_parquet_records_are_numbered(tmp_path):
    path = tmp_path / "values.parquet"
    con = duckdb.connect()
    con.execute(
        f"copy (select '110000' as unit_code, 2015 + i as year, 'gdp_pc' as indicator_code, i * 1.5 as value "
        f"from range(3) t(i)) to '{path}' (format parquet)"
    )
    con.close()
    frame = land_file(path)
    assert list(frame.source_row) == [1, 2, 3] and list(frame.value_raw) == ["0.0", "1.5", "3.0"]


def test_an_empty_or_missing_input_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LandingError, match="does not exist"):
        land_directory(tmp_path / "nope")
    with pytest.raises(LandingError, match="holds no .csv, .parquet or .xlsx"):
        land_directory(tmp_path)


def test_parquet_landed_in_sql_equals_the_python_reader(tmp_path):
    """The dbt plugin lands Parquet inside DuckDB; it must give the Python reader's rows exactly."""
    from cipanel.landing.long_files import parquet_landing_sql

    path = tmp_path / "values.parquet"
    con = duckdb.connect()
    con.execute(
        f"copy (select '110000' as unit_code, 2015 + i as year, 'gdp_pc' as indicator_code, "
        f"case when i = 2 then null else i / 3 end as value from range(5) t(i)) to '{path}' (format parquet)"
    )
    in_sql = con.sql(parquet_landing_sql(path, con)).df()
    con.close()
    in_python = land_file(path)
    for column in ("source_file", "source_row", "source_column", "unit_raw", "year_raw", "value_raw"):
        assert list(in_sql[column].astype(str)) == list(in_python[column].astype(str)), column
