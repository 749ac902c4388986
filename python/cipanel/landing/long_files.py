"""Long inputs: one row per (unit, year, indicator, value).

A column that a header alias claims twice (`value` twice, or `value` and `数值`) is a second value
column: the first one (in alias order) is read and every non-empty cell of the other is landed as
a rejected row naming its column, so the choice is reported, never silent."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import duckdb

# Accepted header spellings for each required column (first match wins).
HEADER_ALIASES = {
    "unit": ("unit_code", "unit", "province", "地区", "省份"),
    "year": ("year", "年份"),
    "indicator": ("indicator_code", "indicator", "指标"),
    "value": ("value", "数值", "值"),
}


def _locate_columns(path: Path, header: list[str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found = {}
    for role, aliases in HEADER_ALIASES.items():
        hits = [lowered.index(a) for a in aliases if a in lowered]
        if not hits:
            raise _error(path, f"header has no {role} column (expected one of {', '.join(aliases)}); got {header}")
        found[role] = hits[0]
    return found


def _second_value_columns(header: list[str], cols: dict[str, int]) -> list[int]:
    """Positions of the columns named like a value column other than the one read."""
    aliases = HEADER_ALIASES["value"]
    return [i for i, h in enumerate(header) if h.strip().lower() in aliases and i != cols["value"]]


def _second_value_reason(header: list[str], cols: dict[str, int], i: int) -> str:
    name, used = header[i].strip(), header[cols["value"]].strip()
    kind = "duplicated value column" if name.lower() == used.lower() else "second value column"
    return (
        f"{kind} {name!r} (column {i + 1}) not read: the value is read from {used!r} (column "
        f"{cols['value'] + 1}); keep one value column per file"
    )


def _unread_columns(header: list[str], cols: dict[str, int]) -> list[tuple[int, str]]:
    """(position, reason) of every other column holding data: one landed row per column at the
    header line, so that a column that is not read is listed, never silently ignored."""
    used = set(cols.values()) | set(_second_value_columns(header, cols))
    names = {role: header[i].strip() for role, i in cols.items()}
    found = []
    for i, name in enumerate(header):
        if i in used:
            continue
        role = next((r for r, aliases in HEADER_ALIASES.items() if name.strip().lower() in aliases), None)
        if role:
            reason = (
                f"second {role} column {name.strip()!r} (column {i + 1}) not read: the {role} is read from "
                f"{names[role]!r} (column {cols[role] + 1})"
            )
        else:
            reason = (
                f"column {name.strip()!r} (column {i + 1}) not read: only the columns "
                f"{', '.join(repr(names[r]) for r in HEADER_ALIASES)} are read"
            )
        found.append((i, reason))
    return found


# Encodings, decided in this order (a file is never guessed by a statistical detector: a wrong
# guess would land wrong text without a word):
#   1. a byte-order mark: UTF-8, UTF-16 or UTF-32 (what Excel's "Unicode text" and "CSV UTF-8" write);
#   2. no BOM and a NUL byte: not a text CSV (binary, or UTF-16 without a BOM): an error;
#   3. the whole file decodes as strict UTF-8: UTF-8;
#   4. else the whole file decodes as strict GB18030 (a superset of GBK and GB2312, what Chinese
#      Excel writes for "CSV (逗号分隔)"): GB18030;
#   5. else an error naming the first byte that is neither.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SIGNATURES = (
    (b"PK\x03\x04", "a zip archive (an .xlsx workbook?)"),
    (b"PAR1", "a Parquet file"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 .xls workbook"),
)
CHUNK = 1 << 20


def _first_undecodable(path: Path, encoding: str) -> int | None:
    """Byte offset of the first byte that does not decode as `encoding`, or None (streamed)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    fed = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return fed - pending + exc.start
            if not chunk:
                return None
            fed += len(chunk)


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(CHUNK)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            raise _error(path, f"is {kind}, not a CSV text file: give it its real extension")
    nul = _first_nul(path)
    if nul is not None:
        raise _error(
            path,
            f"is not a CSV text file: NUL byte at byte position {nul} (a binary file, or UTF-16 "
            "without a byte-order mark); save it from Excel as 'CSV UTF-8 (逗号分隔)'",
        )
    bad_utf8 = _first_undecodable(path, "utf-8")
    if bad_utf8 is None:
        return "utf-8"
    bad_gb = _first_undecodable(path, "gb18030")
    if bad_gb is None:
        return "gb18030"
    with path.open("rb") as handle:
        handle.seek(bad_gb)
        byte = handle.read(1)
    raise _error(
        path,
        f"text is neither UTF-8 (first bad byte at position {bad_utf8}) nor GB18030/GBK (byte 0x{byte.hex()} "
        f"at position {bad_gb}): save it from Excel as 'CSV UTF-8 (逗号分隔)', or convert it to UTF-8",
    )


def _first_nul(path: Path) -> int | None:
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if (i := chunk.find(b"\x00")) >= 0:
                return offset + i
            offset += len(chunk)
    return None


def _error(path: Path, message: str):
    from cipanel.landing.land import LandingError

    return LandingError(f"{path}: {message}")


def _row(path, index, header, cols, values, sheet=""):
    return (
        path.name,
        sheet,
        index,
        header[cols["value"]],
        values[cols["unit"]],
        values[cols["year"]],
        values[cols["indicator"]],
        values[cols["value"]],
        None,
    )


def _delimiter(path: Path, encoding: str) -> str:
    """Comma, unless the header line has none and has tabs (Excel's "Unicode text", UTF-16 with
    tabs) or semicolons (Excel in locales with a decimal comma)."""
    with path.open(newline="", encoding=encoding, errors="replace") as handle:
        header = handle.readline()
    if "," in header:
        return ","
    return "\t" if "\t" in header else ";" if ";" in header else ","


def read_long_csv(path: Path) -> list[tuple]:
    encoding = detect_encoding(path)
    with path.open(newline="", encoding=encoding) as handle:
        reader = csv.reader(handle, delimiter=_delimiter(path, encoding))
        try:
            return _csv_rows(path, reader)
        except UnicodeDecodeError as exc:  # a BOM file with bytes its encoding rejects
            raise _error(
                path,
                f"is not valid {encoding} after line {reader.line_num} ({exc.reason}); "
                "save it from Excel as 'CSV UTF-8 (逗号分隔)'",
            ) from None


def _csv_rows(path: Path, reader) -> list[tuple]:
    try:
        header = next(reader)
    except StopIteration:
        raise _error(path, "file is empty (no header line)") from None
    cols = _locate_columns(path, header)
    seconds = _second_value_columns(header, cols)
    unread = _unread_columns(header, cols)
    unread_with_data: set[int] = set()
    rows = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank line: no data, nothing to account for
        if len(values) != len(header):
            rows.append(
                (
                    path.name,
                    "",
                    line,
                    "",
                    "",
                    "",
                    "",
                    ",".join(values),
                    f"row has {len(values)} fields, header has {len(header)}",
                )
            )
            continue
        rows.append(_row(path, line, header, cols, values))
        for i in seconds:
            if values[i].strip():
                rows.append(_second_value_row(path, line, header, cols, values, i))
        unread_with_data.update(i for i, _ in unread if values[i].strip())
    # at the header line (1): the column, not each of its cells, is what was not read
    rows.extend((path.name, "", 1, header[i], "", "", "", "", reason) for i, reason in unread if i in unread_with_data)
    return rows


def _second_value_row(path, index, header, cols, values, i):
    return (
        path.name,
        "",
        index,
        header[i],
        values[cols["unit"]],
        values[cols["year"]],
        values[cols["indicator"]],
        values[i],
        _second_value_reason(header, cols, i),
    )


def check_parquet(path: Path) -> None:
    """A Parquet file starts and ends with the magic bytes PAR1: anything else named .parquet is
    refused by name (DuckDB's own message names neither the file's role nor what to do)."""
    with path.open("rb") as handle:
        head = handle.read(4)
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(size - 4, 0))
        tail = handle.read(4)
    if head != b"PAR1" or tail != b"PAR1" or size < 12:
        if size == 0:
            raise _error(path, "is empty (0 bytes), not a Parquet file: write it again as Parquet")
        kind = next((k for sig, k in SIGNATURES if head.startswith(sig[:4])), None)
        if kind is None:
            text = head.isascii() and head.decode("ascii").strip().isprintable()
            kind = "a text file (a CSV named .parquet?)" if text else "a truncated or damaged file"
        raise _error(
            path,
            f"not a Parquet file (no PAR1 magic bytes at its start and end): it looks like {kind}; "
            "give it its real extension, or write it again as Parquet",
        )


def _parquet_header(path: Path, con) -> list[str]:
    check_parquet(path)
    return [
        r[0]
        for r in con.execute("select name from parquet_schema(?) where num_children is null", [str(path)]).fetchall()
    ]


def parquet_landing_sql(path: Path, con: duckdb.DuckDBPyConnection) -> str:
    """The landing rows of a long Parquet file as SQL on `con` (same text as read_long_parquet)."""
    header = _parquet_header(path, con)
    positions = _locate_columns(path, header)
    cols = {role: header[i] for role, i in positions.items()}
    quoted = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    literal = lambda text: "'" + str(text).replace("'", "''") + "'"  # noqa: E731
    text = lambda name: f"coalesce(cast({quoted(name)} as varchar), '')"  # noqa: E731
    source = f"from read_parquet({literal(path)}, file_row_number = true)"

    def select(value_column: str, issue: str | None) -> str:
        return (
            f"select {literal(path.name)} as source_file, '' as source_sheet, file_row_number + 1 as source_row, "
            f"{literal(value_column)} as source_column, {text(cols['unit'])} as unit_raw, "
            f"{text(cols['year'])} as year_raw, {text(cols['indicator'])} as indicator_raw, "
            f"{text(value_column)} as value_raw, "
            + (f"{literal(issue)}" if issue else "cast(null as varchar)")
            + " as landing_issue "
        )

    parts = [select(cols["value"], None) + source]
    non_empty = lambda name: f"trim(coalesce(cast({quoted(name)} as varchar), '')) <> ''"  # noqa: E731
    for i in _second_value_columns(header, positions):
        parts.append(
            select(header[i], _second_value_reason(header, positions, i)) + source + f" where {non_empty(header[i])}"
        )
    for i, reason in _unread_columns(header, positions):
        # record 0: the file's schema, where the column that was not read is
        parts.append(
            f"select {literal(path.name)}, '', cast(0 as bigint), {literal(header[i])}, '', '', '', '', {literal(reason)} "
            f"from (select 1 {source} where {non_empty(header[i])} limit 1)"
        )
    return " union all ".join(parts)


def read_long_parquet(path: Path) -> list[tuple]:
    """The same rows as parquet_landing_sql, in Python (when no adapter connection is at hand)."""
    con = duckdb.connect()
    try:
        return [tuple(r) for r in con.execute(parquet_landing_sql(path, con) + " order by 3, 9 nulls first").fetchall()]
    finally:
        con.close()
