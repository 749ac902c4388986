"""The panel a study reads comes in one row order (entity, time) whatever order the warehouse
stored it in: the estimates' last bits and the study cache's content hash of the panel follow the
row order, so a stored order that changed between runs re-estimated every table."""

from __future__ import annotations

import duckdb
from test_study import firm_panel

from cipanel.study.panel_source import read_panel
from cipanel.study.spec import load_spec
from cipanel.study_cache import frame_hash

SPEC = """
study: s
panel: {relation: main.firms, entity: firm, time: year}
model: {outcome: y, treatment: x, controls: [c]}
tables:
  - id: t1
    columns:
      - {}
"""


def test_the_panel_is_read_in_entity_time_order(tmp_path):
    panel = firm_panel()
    spec_path = tmp_path / "s.yml"
    spec_path.write_text(SPEC, encoding="utf-8")
    spec = load_spec(spec_path)
    hashes = []
    for seed, name in ((1, "a.duckdb"), (2, "b.duckdb")):
        shuffled = panel.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        with duckdb.connect(str(tmp_path / name)) as con:
            con.register("frame", shuffled)
            con.execute("create table firms as select * from frame")
        read = read_panel(spec, tmp_path / name).frame
        assert list(zip(read.firm, read.year)) == sorted(zip(read.firm, read.year))
        hashes.append(frame_hash(read))
    assert hashes[0] == hashes[1]
