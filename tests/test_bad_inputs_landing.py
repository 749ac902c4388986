"""Bad input at the landing and along the value path, one case per kind, each asserting the exact
message or audit row: Excel formulas, header years and unread columns, .xls and mislabelled files,
CSV encodings, second value columns (at the landing layer, plain Python), and quarantined negative
values, derivation domains, empty standalone variables, constant indicators, row accounting and
the build warnings (one shared dbt build)."""

from __future__ import annotations

import codecs
import datetime as dt
import re
import shutil
import zipfile

import duckdb
import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import warehouse_build
from cipanel.build_checks import build_warnings, constant_indicator_warnings, print_build_warnings
from cipanel.landing import LandingError, land_directory, land_file, long_files
from warehouse_build import ROOT, build, copy_project

# the demo project's data and catalogs
DEMO_DATA = warehouse_build.DEMO_DATA
CATALOG_DIR = warehouse_build.DEMO / "catalog"
CATALOG = CATALOG_DIR / "indicator_catalog.csv"
HEADER = "unit_code,year,indicator_code,value"


def workbook(path, header, rows, title="gdp_pc"):
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def cached(path, formula, value):
    """Give a formula cell a calculated value, as Excel would save it (openpyxl writes none)."""
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        f"<f>{formula}</f><v></v>", f"<f>{formula}</f><v>{value}</v>"
    ).encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return path


# ---------------------------------------------------------------- Excel: formulas without a value


def test_a_formula_without_a_calculated_value_is_an_error_naming_file_sheet_and_cells(tmp_path):
    path = workbook(tmp_path / "f.xlsx", ["地区", 2015, 2016], [["北京", 11.14, "=B2+0.01"], ["天津", "=B2*2", 3.0]])
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}, sheet 'gdp_pc': 2 formula cell(s) with no calculated value (C2, B3): the file was saved by a "
        "program that does not calculate formulas, so their results are unknown (not missing). Open it in Excel "
        "or LibreOffice and save it, or paste the values"
    )


def test_a_formula_with_its_calculated_value_is_read_as_that_value(tmp_path):
    path = cached(
        workbook(tmp_path / "f.xlsx", ["地区", 2015, 2016], [["北京", 11.14, "=B2+0.01"]]), "B2+0.01", "11.15"
    )
    frame = land_file(path)
    assert list(zip(frame.year_raw, frame.value_raw)) == [("2015", "11.14"), ("2016", "11.15")]


# ---------------------------------------------------------------- Excel: header years


@pytest.mark.parametrize(
    "written",
    [
        dt.datetime(2018, 1, 1),
        dt.date(2018, 12, 31),
        "2018年度",
        "2018.0",
        2018.0,
        "2018年",
        "2018 年",
        2018,
        "2018年末",
    ],
)
def test_a_header_year_in_any_yearbook_spelling_is_read_as_the_year(tmp_path, written):
    frame = land_file(workbook(tmp_path / "y.xlsx", ["地区", 2017, written], [["北京", 1.5, 2.5]]))
    assert list(zip(frame.source_column, frame.year_raw, frame.value_raw, frame.landing_issue.isna())) == [
        ("B", "2017", "1.5", True),
        ("C", "2018", "2.5", True),
    ]


def test_a_column_without_a_year_header_is_landed_as_rejected_cells_not_dropped(tmp_path):
    path = workbook(
        tmp_path / "u.xlsx",
        ["地区", 2017, None, "单位", 2018],
        [["北京", 1.5, 7.0, "元", 2.5], ["天津", 1.0, None, "元", 2.0]],
    )
    frame = land_file(path)
    read = frame[frame.landing_issue.isna()]
    assert list(zip(read.source_row, read.source_column, read.year_raw)) == [
        (2, "B", "2017"),
        (2, "E", "2018"),
        (3, "B", "2017"),
        (3, "E", "2018"),
    ]
    lost = frame[frame.landing_issue.notna()]
    assert list(zip(lost.source_row, lost.source_column, lost.value_raw, lost.landing_issue)) == [
        (2, "C", "7", "column C has no header in row 1: not read (give it a year header or delete it)"),
        (
            2,
            "D",
            "元",
            "column D header '单位' (row 1) is not a year: not read (write the year as 2018 or 2018年, "
            "or delete the column)",
        ),
        (
            3,
            "D",
            "元",
            "column D header '单位' (row 1) is not a year: not read (write the year as 2018 or 2018年, "
            "or delete the column)",
        ),
    ]


# ---------------------------------------------------------------- Excel: file formats


def xls_workbook(path, header, rows, title="gdp_pc", merge=None):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet(title)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    if merge:
        sheet.merge(*merge)
    book.save(str(path))
    return path


def test_an_xls_workbook_is_read_with_the_same_rules_as_xlsx(tmp_path):
    header = ["地区", 2016, dt.datetime(2017, 1, 1), "2018年度", None, "单位"]
    rows = [["北京", 1.5, 2, "..", 7.25, "元"], ["注：合成数据 SYNTHETIC"]]
    frame = land_file(xls_workbook(tmp_path / "old.xls", header, rows))
    assert [tuple(r) for r in frame.drop(columns="indicator_raw").fillna("-").itertuples(index=False)] == [
        ("old.xls", "gdp_pc", 2, "B", "北京", "2016", "1.5", "-"),
        ("old.xls", "gdp_pc", 2, "C", "北京", "2017", "2", "-"),
        ("old.xls", "gdp_pc", 2, "D", "北京", "2018", "..", "-"),
        (
            "old.xls",
            "gdp_pc",
            2,
            "E",
            "北京",
            "",
            "7.25",
            "column E has no header in row 1: not read (give it a year header or delete it)",
        ),
        (
            "old.xls",
            "gdp_pc",
            2,
            "F",
            "北京",
            "单位",
            "元",
            "column F header '单位' (row 1) is not a year: not read (write the year as 2018 or 2018年, or delete the column)",
        ),
        (
            "old.xls",
            "gdp_pc",
            3,
            "A",
            "注：合成数据 SYNTHETIC",
            "",
            "注：合成数据 SYNTHETIC",
            "footnote row in a yearbook sheet",
        ),
    ]


def test_merged_header_cells_of_an_xls_workbook_are_an_error_naming_them(tmp_path):
    path = xls_workbook(tmp_path / "m.xls", ["地区", 2016, None], [["北京", 1.5, 2.5]], merge=(0, 0, 1, 2))
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}, sheet 'gdp_pc': merged header cells B1:C1 in row 1: unmerge them so each "
        "year column has its own header cell"
    )


def test_an_xls_that_is_really_an_xlsx_is_an_error_naming_it(tmp_path):
    path = workbook(tmp_path / "renamed.xlsx", ["地区", 2015], [["北京", 1.0]])
    path = path.rename(tmp_path / "renamed.xls")
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}: not an Excel 97-2003 .xls workbook (it is a zip archive, as an .xlsx workbook "
        "is: rename it to .xlsx); or open it in Excel or LibreOffice and save it as 'Excel "
        "Workbook (.xlsx)'"
    )


def test_a_spreadsheet_format_that_is_not_read_is_an_error_naming_it_not_skipped(tmp_path):
    (tmp_path / "values.csv").write_text(f"{HEADER}\n110000,2015,gdp_pc,1\n", encoding="utf-8")
    (tmp_path / "book.ods").write_bytes(b"PK\x03\x04")
    with pytest.raises(LandingError) as err:
        land_directory(tmp_path)
    assert str(err.value) == (
        f"{tmp_path / 'book.ods'}: an OpenDocument spreadsheet (.ods) is not read: open it in Excel, WPS or "
        "LibreOffice and save it as 'Excel Workbook (.xlsx)' (or as CSV UTF-8), then remove the old file from "
        "the folder"
    )


@pytest.mark.parametrize(
    "content, looks_like",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504,
            "it looks like an Excel 97-2003 workbook: rename it to .xls",
        ),
        ("地区,2015\n北京,1\n".encode("gb18030"), "it is not an Excel workbook"),
        (b"", "the file is empty"),
    ],
)
def test_an_xlsx_that_is_not_a_zip_archive_is_an_error_naming_it(tmp_path, content, looks_like):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}: not an .xlsx workbook, the file is not a zip archive ({looks_like}); open it in Excel or "
        "LibreOffice and save it as 'Excel Workbook (.xlsx)'"
    )


def test_a_zip_archive_that_is_not_a_workbook_is_an_error_naming_it(tmp_path):
    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f'{path}: cannot be read as an .xlsx workbook ("There is no item named '
        "'[Content_Types].xml' in the archive\"); save it again from Excel"
    )


# ---------------------------------------------------------------- CSV encodings

ROWS_ZH = "地区,年份,指标,数值\n北京市,2015,人均地区生产总值,106497\n河北省,2015,人均地区生产总值,40255\n"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8-sig", "utf-8", "utf-16-be-bom", "utf-32"])
def test_chinese_excel_csv_encodings_are_read(tmp_path, encoding):
    path = tmp_path / "values.csv"
    if encoding == "utf-16-be-bom":
        path.write_bytes(codecs.BOM_UTF16_BE + ROWS_ZH.encode("utf-16-be"))
    else:
        path.write_bytes(ROWS_ZH.encode(encoding))
    frame = land_file(path)
    assert list(zip(frame.unit_raw, frame.indicator_raw, frame.value_raw)) == [
        ("北京市", "人均地区生产总值", "106497"),
        ("河北省", "人均地区生产总值", "40255"),
    ]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_excel_unicode_text_with_tabs_and_semicolon_csv_are_read(tmp_path, delimiter):
    path = tmp_path / "values.csv"
    path.write_bytes(ROWS_ZH.replace(",", delimiter).encode("utf-16"))  # Excel's "Unicode text": UTF-16, tabs
    frame = land_file(path)
    assert list(zip(frame.unit_raw, frame.year_raw, frame.value_raw)) == [
        ("北京市", "2015", "106497"),
        ("河北省", "2015", "40255"),
    ]


def test_a_csv_in_no_supported_encoding_is_an_error_naming_the_file_and_byte(tmp_path):
    path = tmp_path / "values.csv"
    data = "地区,年份,指标,数值\n".encode("gb18030") + b"\xb1\xb1,2015,gdp_pc,\xff1\n"
    path.write_bytes(data)
    bad = data.index(b"\xff")
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}: text is neither UTF-8 (first bad byte at position 0) nor GB18030/GBK (byte 0xff at position "
        f"{bad}): save it from Excel as 'CSV UTF-8 (逗号分隔)', or convert it to UTF-8"
    )


def test_the_reported_byte_position_does_not_depend_on_the_read_chunks(tmp_path, monkeypatch):
    path = tmp_path / "values.csv"
    data = ("年份" * 50 + "\n").encode("gb18030") + b"abc\xff"
    path.write_bytes(data)
    for chunk in (1, 2, 3, 7, 1 << 20):
        monkeypatch.setattr(long_files, "CHUNK", chunk)
        assert long_files._first_undecodable(path, "gb18030") == data.index(b"\xff")
        assert long_files._first_undecodable(path, "utf-8") == 0


@pytest.mark.parametrize(
    "content, message",
    [
        (
            b"PK\x03\x04rest of a zip",
            "is a zip archive (an .xlsx workbook?), not a CSV text file: give it its real extension",
        ),
        (b"PAR1\x00\x00PAR1", "is a Parquet file, not a CSV text file: give it its real extension"),
        (
            HEADER.encode() + b"\n110000,2015,gdp_pc,1\x00\n",
            "is not a CSV text file: NUL byte at byte position 56 (a binary file, or UTF-16 without a byte-order mark); "
            "save it from Excel as 'CSV UTF-8 (逗号分隔)'",
        ),
    ],
)
def test_a_csv_that_is_not_text_is_an_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "values.csv"
    path.write_bytes(content)
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == f"{path}: {message}"


def test_a_parquet_that_is_not_parquet_is_an_error_naming_the_file(tmp_path):
    path = tmp_path / "values.parquet"
    path.write_text(f"{HEADER}\n110000,2015,gdp_pc,1\n", encoding="utf-8")
    with pytest.raises(LandingError) as err:
        land_file(path)
    assert str(err.value) == (
        f"{path}: not a Parquet file (no PAR1 magic bytes at its start and end): it looks like "
        "a text file (a CSV named .parquet?); give it its real extension, or write it again as "
        "Parquet"
    )
    # the path dbt's landing takes (SQL on the adapter's connection) refuses it the same way
    with pytest.raises(LandingError, match=re.escape(f"{path}: not a Parquet file")):
        long_files.parquet_landing_sql(path, duckdb.connect())


# ---------------------------------------------------------------- second value columns


@pytest.mark.parametrize("second, kind", [("value", "duplicated value column"), ("数值", "second value column")])
def test_a_second_value_column_is_landed_as_rejected_cells(tmp_path, second, kind):
    path = tmp_path / "values.csv"
    path.write_text(f"{HEADER},{second}\n110000,2015,gdp_pc,1,2\n110000,2016,gdp_pc,3,\n", encoding="utf-8")
    frame = land_file(path)
    assert list(zip(frame.source_row, frame.source_column, frame.value_raw, frame.landing_issue.fillna(""))) == [
        (2, "value", "1", ""),
        (
            2,
            second,
            "2",
            f"{kind} {second!r} (column 5) not read: the value is read from 'value' (column 4); "
            "keep one value column per file",
        ),
        (3, "value", "3", ""),
    ]


def test_a_second_value_column_of_a_parquet_file_is_landed_as_rejected_cells(tmp_path):
    path = tmp_path / "values.parquet"
    con = duckdb.connect()
    con.execute(
        f"copy (select '110000' as unit_code, 2015 + i as year, 'gdp_pc' as indicator_code, i * 1.5 as value, "
        f"case when i = 1 then 9.0 end as 数值 from range(3) t(i)) to '{path}' (format parquet)"
    )
    frame = land_file(path)
    assert list(zip(frame.source_row, frame.source_column, frame.value_raw, frame.landing_issue.fillna(""))) == [
        (1, "value", "0.0", ""),
        (2, "value", "1.5", ""),
        (
            2,
            "数值",
            "9.0",
            "second value column '数值' (column 5) not read: the value is read from 'value' "
            "(column 4); keep one value column per file",
        ),
        (3, "value", "3.0", ""),
    ]


def test_a_column_that_is_not_read_is_listed_once_at_the_header_line(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(f"{HEADER},note,地区,empty\n110000,2015,gdp_pc,1,revised,北京,\n", encoding="utf-8")
    frame = land_file(path)
    assert list(zip(frame.source_row, frame.source_column, frame.landing_issue.fillna(""))) == [
        (2, "value", ""),
        (
            1,
            "note",
            "column 'note' (column 5) not read: only the columns 'unit_code', 'year', 'indicator_code', "
            "'value' are read",
        ),
        (1, "地区", "second unit column '地区' (column 6) not read: the unit is read from 'unit_code' (column 1)"),
    ]
    parquet = tmp_path / "values.parquet"
    con = duckdb.connect()
    con.execute(f"copy (select * from read_csv('{path}', all_varchar = true)) to '{parquet}' (format parquet)")
    frame = land_file(parquet)
    assert list(zip(frame.source_row, frame.source_column, frame.landing_issue.fillna(""))) == [
        (
            0,
            "note",
            "column 'note' (column 5) not read: only the columns 'unit_code', 'year', 'indicator_code', "
            "'value' are read",
        ),
        (0, "地区", "second unit column '地区' (column 6) not read: the unit is read from 'unit_code' (column 1)"),
        (1, "value", ""),
    ]


# ---------------------------------------------------------------- one shared build


def catalog_row(code, index="", dimension="", direction="", unit="-"):
    return {
        "indicator_code": code,
        "index_code": index,
        "dimension_code": dimension,
        "direction": direction,
        "unit_of_measure": unit,
        "label_zh": code,
        "label_en": code,
        "source": "test",
        "rationale": "test",
        "first_year": "",
        "last_year": "",
        "scope": "unit",
    }


XL_HEADER = ["地区", dt.datetime(2014, 1, 1), "2015年度", "2016.0", 2017.0, "2018年", None, "单位"]
XL_ROWS = [["北京", 1.0, 2.0, 3.0, 4.0, 5.0, 99.0, "个"], ["天津", 2.0, 3.0, 4.0, 5.0, 6.0, None, "个"]]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad_landing")
    inputs = tmp / "inputs"
    inputs.mkdir()
    shutil.copy(DEMO_DATA / "yearbook_controls_synthetic.xlsx", inputs)
    values = pd.read_csv(DEMO_DATA / "indicator_values_synthetic.csv", dtype=str)
    for unit, year, code, value in [
        ("110000", "2016", "gdp_pc", "-5"),
        ("120000", "2015", "gdp_pc", "0"),
        ("110000", "2017", "fintech_firms", "0"),
        ("130000", "2018", "fintech_firms", "-3"),
    ]:
        hit = (values.unit_code == unit) & (values.year == year) & (values.indicator_code == code)
        assert hit.sum() == 1
        values.loc[hit, "value"] = value
    values.to_csv(inputs / "indicator_values_synthetic.csv", index=False)
    units = pd.read_csv(ROOT / "seeds" / "reference" / "ref_units.csv", dtype=str)
    in_sample = units[units.in_sample == "true"].unit_code
    pd.DataFrame(
        [(u, y, "const_ind", "5") for u in in_sample for y in range(2014, 2024)], columns=HEADER.split(",")
    ).to_csv(inputs / "constant.csv", index=False)
    (inputs / "second_value.csv").write_text(
        f"{HEADER},数值\n110000,2015,extra_ctrl,1.5,1.6\n110000,2016,extra_ctrl,2.5,\n", encoding="utf-8"
    )
    workbook(inputs / "xl_ctrl.xlsx", XL_HEADER, XL_ROWS, title="xl_ctrl")
    xls_workbook(inputs / "xls_ctrl.xls", ["地区", 2014, "2015年"], [["北京市", 3.5, 4.5]], title="xls_ctrl")
    catalog = pd.read_csv(CATALOG, dtype=str, keep_default_na=False)
    catalog = pd.concat(
        [
            catalog,
            pd.DataFrame(
                [
                    catalog_row("const_ind", "dt", "infra", "+"),
                    catalog_row("extra_ctrl"),
                    catalog_row("xl_ctrl"),
                    catalog_row("xls_ctrl"),
                    catalog_row("missing_ctrl"),
                ]
            ),
        ],
        ignore_index=True,
    )
    indices = pd.read_csv(CATALOG_DIR / "index_catalog.csv", dtype=str, keep_default_na=False)
    project = copy_project(tmp / "project", {"catalog/indicator_catalog": catalog, "catalog/index_catalog": indices})
    path = tmp / "w.duckdb"
    result = build(project, path, inputs)
    statuses = {r.node.name: str(r.status) for r in result.result.results}
    return path, statuses


def q(warehouse, sql):
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def rejected(warehouse, file):
    return q(
        warehouse,
        f"select * from audit.audit_rejected_rows where source_file = '{file}' order by source_row, source_column",
    )


def test_a_negative_amount_is_quarantined_with_its_reason_and_the_cell_interpolated(warehouse):
    hit = rejected(warehouse, "indicator_values_synthetic.csv")
    assert list(zip(hit.unit_raw, hit.year_raw, hit.rejection_reason)) == [
        ("110000", "2016", "negative value -5 of gdp_pc: its unit 元 cannot be negative"),
        ("130000", "2018", "negative value -3 of fintech_firms: its unit 家 cannot be negative"),
    ]
    log = q(
        warehouse,
        "select unit_code, indicator_code, year, value_status from audit.audit_imputation_log "
        "where unit_code in ('110000', '130000') and indicator_code in ('gdp_pc', 'fintech_firms')",
    )
    # gdp_pc is an index component (filled); fintech_firms a standalone variable, which the default
    # interpolation policy leaves empty
    assert sorted(map(tuple, log.to_numpy())) == [
        ("110000", "gdp_pc", 2016, "interpolated"),
        ("130000", "fintech_firms", 2018, "not_interpolated"),
    ]


def test_ln_of_a_zero_gdp_is_null_with_a_derivation_log_row_and_ln_1_plus_zero_firms_is_zero(warehouse):
    log = q(warehouse, "select * from audit.audit_derivation_log")
    rows = sorted(
        (tuple(None if pd.isna(v) else v for v in r) for r in log.itertuples(index=False)),
        key=lambda r: (r[0], r[1], r[2]),
    )  # the log has no row order
    # the rules are the rows of the demo's catalog/derived_variable_catalog.csv
    rule = "ln(gdp_pc) where gdp_pc > 0"
    assert rows[0] == ("120000", 2015, "ln_gdp_pc", "gdp_pc", 0.0, rule, "outside_domain: gdp_pc > 0 is false")
    # the quarantined negative fintech_firms cell stays empty (standalone: not interpolated by default)
    assert rows[1] == (
        "130000",
        2018,
        "ln_fintech",
        "fintech_firms",
        None,
        "ln(fintech_firms + 1) where fintech_firms >= 0",
        "input_missing: fintech_firms",
    )
    assert len(rows) == 2
    panel = q(warehouse, "select unit_code, year, gdp_pc, ln_gdp_pc, fintech_firms, ln_fintech from marts.fct_panel")
    cell = panel[(panel.unit_code == "120000") & (panel.year == 2015)].iloc[0]
    assert cell.gdp_pc == 0.0 and pd.isna(cell.ln_gdp_pc)
    zero = panel[(panel.unit_code == "110000") & (panel.year == 2017)].iloc[0]
    assert zero.fintech_firms == 0.0 and zero.ln_fintech == 0.0
    rest = panel.drop(panel[(panel.unit_code == "120000") & (panel.year == 2015)].index)
    np.testing.assert_allclose(rest.ln_gdp_pc, np.log(rest.gdp_pc), rtol=1e-15)
    np.testing.assert_allclose(panel.ln_fintech, np.log1p(panel.fintech_firms), rtol=1e-14)  # NaN where NaN


def test_a_second_value_column_is_a_rejected_row_and_a_warning(warehouse):
    assert warehouse[1]["warn_cells_not_read"] == "warn"
    hit = rejected(warehouse, "second_value.csv")
    assert list(zip(hit.source_row, hit.source_column, hit.value_raw, hit.rejection_reason)) == [
        (
            2,
            "数值",
            "1.6",
            "second value column '数值' (column 5) not read: the value is read from 'value' (column 4); "
            "keep one value column per file",
        )
    ]
    panel = q(
        warehouse,
        "select year, extra_ctrl from marts.fct_panel where unit_code = '110000' and year <= 2016 order by year",
    )
    assert panel.extra_ctrl.isna().tolist() == [True, False, False]
    assert panel.extra_ctrl.iloc[1:].tolist() == [1.5, 2.5]  # the first value column, not 1.6


def test_workbook_years_in_any_spelling_are_read_and_unheaded_cells_rejected_by_cell(warehouse):
    panel = q(
        warehouse,
        "select unit_code, year, xl_ctrl from marts.fct_panel where unit_code in ('110000', '120000') "
        "and year <= 2018 order by unit_code, year",
    )
    assert list(panel.xl_ctrl) == [1.0, 2.0, 3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    xls = q(warehouse, "select xls_ctrl from marts.fct_panel where unit_code = '110000' and year <= 2015 order by year")
    assert list(xls.xls_ctrl) == [3.5, 4.5]
    hit = rejected(warehouse, "xl_ctrl.xlsx")
    assert list(zip(hit.source_row, hit.source_column, hit.value_raw)) == [
        (2, "G", "99"),
        (2, "H", "个"),
        (3, "H", "个"),
    ]


def test_row_accounting_counts_every_cell_the_landing_saw(warehouse):
    acc = q(warehouse, "select * from audit.audit_row_accounting").set_index("source_file")
    assert (acc.rows_landed == acc.rows_accepted + acc.rows_rejected).all()
    # the workbook: 2 units x 5 year columns read, 3 non-empty cells under no year header not read
    assert acc.loc["xl_ctrl.xlsx", ["rows_landed", "rows_accepted", "rows_rejected", "rows_not_read"]].tolist() == [
        13,
        10,
        3,
        3,
    ]
    assert acc.loc["second_value.csv", ["rows_landed", "rows_accepted", "rows_not_read"]].tolist() == [3, 2, 1]
    assert acc.loc["yearbook_controls_synthetic.xlsx", "rows_not_read"] == 7  # its footnote rows


def test_an_empty_standalone_variable_is_a_dbt_warning_and_a_named_message(warehouse):
    assert warehouse[1]["warn_standalone_variables_without_values"] == "warn"
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        assert build_warnings(con, "standalone_variable_without_values") == [
            "standalone variable missing_ctrl (missing_ctrl) is in the catalog but has no value in any input file: "
            "its panel column is empty"
        ]
    finally:
        con.close()


def test_a_constant_indicator_warning_names_the_indicator_and_its_index(warehouse):
    assert warehouse[1]["warn_constant_indicators"] == "warn"
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        assert constant_indicator_warnings(con) == [
            "indicator const_ind of index dt is constant over the pooled window: it carries no information and "
            "gets entropy weight 0"
        ]
    finally:
        con.close()


def test_the_build_summary_prints_every_warning_by_name(warehouse):
    lines: list[str] = []
    con = duckdb.connect(str(warehouse[0]), read_only=True)
    try:
        assert print_build_warnings(con, lines.append) == len(lines) - 1
    finally:
        con.close()
    assert lines == [
        "6 warning(s) (audit.audit_build_warnings):",
        "  warning: second_value.csv: 1 cell(s) not read (row 2): second value column '数值' (column 5) not read: "
        "the value is read from 'value' (column 4); keep one value column per file",
        "  warning: xl_ctrl.xlsx, sheet xl_ctrl: 1 cell(s) not read (row 2): column G has no header in row 1: not "
        "read (give it a year header or delete it)",
        "  warning: xl_ctrl.xlsx, sheet xl_ctrl: 2 cell(s) not read (rows 2-3): column H header '单位' (row 1) is not "
        "a year: not read (write the year as 2018 or 2018年, or delete the column)",
        "  warning: indicator const_ind of index dt is constant over the pooled window: it carries no information "
        "and gets entropy weight 0",
        "  warning: ln_gdp_pc: 1 unit-year(s) left null, outside_domain: gdp_pc > 0 is false of the rule ln(gdp_pc) "
        "where gdp_pc > 0 (first: unit 120000); see audit.audit_derivation_log",
        "  warning: standalone variable missing_ctrl (missing_ctrl) is in the catalog but has no value in any input "
        "file: its panel column is empty",
    ]
