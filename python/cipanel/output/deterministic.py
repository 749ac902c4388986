"""The same inputs give the same bytes: Office files are zip archives whose entries carry the time
of writing, and whose core properties carry creation and modification dates. Both are fixed here so
a replication package can be checked by hash."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_DATE = datetime(2000, 1, 1, 0, 0, 0)  # documented in the README; no meaning beyond "fixed"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
_W3C = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def normalize_office_zip(path: Path) -> None:
    """Rewrite the archive with fixed entry dates and fixed core-property dates, entries in the
    order written, so two runs on the same inputs are byte-identical."""
    path = Path(path)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    write_office_zip(path, entries)


def write_office_zip(path: Path, entries: list[tuple[str, bytes]]) -> None:
    """The archive of (name, bytes) entries, in order, with fixed entry and core-property dates."""
    path = Path(path)
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w") as dst:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = _W3C.sub(lambda m: m.group(1) + stamp + m.group(2), data)
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    tmp.replace(path)
