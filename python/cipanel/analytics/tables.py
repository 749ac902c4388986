"""Analytics tables as the literature prints them, in Chinese or English, written through the
output layer's Grid and write_grid (Markdown, LaTeX, Word, Excel, CSV)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from cipanel.output.regression_tables import Grid, fmt_num, stars, write_grid

WORDS = {
    "year": ("年份", "Year"),
    "overall": ("总体", "Overall"),
    "within": ("区域内", "Within regions"),
    "between": ("区域间", "Between regions"),
    "contribution": ("贡献率(%)", "Contribution (%)"),
    "g_w": ("区域内", "Within"),
    "g_nb": ("区域间净差异", "Net between"),
    "g_t": ("超变密度", "Transvariation"),
    "gini_title": (
        "表 {n} {index}的Dagum基尼系数及其分解",
        "Table {n}. Dagum Gini coefficient of {index} and its decomposition",
    ),
    "theil_title": ("表 {n} {index}的泰尔指数及其分解", "Table {n}. Theil T of {index} and its decomposition"),
    "moran_title": ("表 {n} {index}的全局莫兰指数", "Table {n}. Global Moran's I of {index}"),
    "lisa_title": ("表 {n} {index}的局部空间集聚(LISA)", "Table {n}. Local spatial clusters (LISA) of {index}"),
    "sigma_title": (
        "表 {n} {index}的σ收敛(变异系数)",
        "Table {n}. Sigma convergence of {index} (coefficient of variation)",
    ),
    "beta_title": ("表 {n} {index}的β收敛", "Table {n}. Beta convergence of {index}"),
    "coupling_title": ("表 {n} {name}的耦合协调度", "Table {n}. Coupling coordination degree of {name}"),
    "obstacle_title": (
        "表 {n} {index}的主要障碍因子({year}年)",
        "Table {n}. Main obstacle indicators of {index} ({year})",
    ),
    "obstacle_dim_title": (
        "表 {n} {index}各维度的障碍度({year}年, %)",
        "Table {n}. Obstacle degree of the dimensions of {index} ({year}, %)",
    ),
    "national": ("全国", "National"),
    "unit": ("地区", "Unit"),
    "cluster": ("集聚类型", "Cluster"),
    "units": ("地区", "Units"),
    "count": ("个数", "Count"),
    "kind": ("类型", "Type"),
    "absolute": ("绝对β收敛", "Absolute"),
    "conditional": ("条件β收敛", "Conditional"),
    "region": ("区域", "Region"),
    "speed": ("收敛速度", "Speed"),
    "half_life": ("半生命周期(年)", "Half-life (years)"),
    "se": ("标准误", "SE"),
    "level": ("协调等级(全国均值)", "Level (national mean)"),
    "mean_d": ("耦合协调度D均值", "Mean coordination D"),
    "obstacle_n": ("障碍因子{k}", "Obstacle {k}"),
    "synthetic": ("数据为合成数据(SYNTHETIC), 仅用于检验流程。", "SYNTHETIC data: the numbers test the pipeline only."),
    "gini_note": (
        "Dagum(1997)分解: G = Gw + Gnb + Gt; 区域按均值由高到低排列; 贡献率为各部分占G的百分比。",
        "Dagum (1997): G = Gw + Gnb + Gt; regions ordered by mean, highest first; contributions are shares of G in %.",
    ),
    "theil_note": (
        "T = T区域内 + T区域间, 权重为各区域的指数份额 n_j m_j/(n m)。",
        "T = T_within + T_between, weighted by each region's share n_j m_j/(n m) of the index total.",
    ),
    "moran_note": (
        "空间权重: {weights}; 正态近似 p 值为双侧, 星号据此标注 (*** p<0.01, ** p<0.05, * p<0.10); 置换 p 值为 {perm} 次随机置换的单侧伪 p 值 (esda 的定义)。",
        "Weights: {weights}; normal-approximation p two-sided, stars from it (*** p<0.01, ** p<0.05, * p<0.10); permutation p one-sided pseudo p from {perm} permutations (esda's definition).",
    ),
    "lisa_note": (
        "仅列出置换检验 p < {alpha} 的地区 ({perm} 次条件置换, esda Moran_Local); HH 高-高, LH 低-高, LL 低-低, HL 高-低。",
        "Units with conditional-permutation p < {alpha} ({perm} permutations, esda Moran_Local); HH high-high, LH low-high, LL low-low, HL high-low.",
    ),
    "beta_note": (
        "ln(y_t+1/y_t) 对 ln y_t 回归, {effects}; 括号内为按地区聚类的标准误; 收敛速度 s = -ln(1+β), 半生命周期 ln2/s。",
        "ln(y_t+1/y_t) on ln y_t, {effects}; SE clustered by unit; speed s = -ln(1+beta), half-life ln2/s.",
    ),
    "coupling_note": (
        "C 为修正的耦合度模型 (Wang 等, 2021), T 为加权综合评价指数 (权重 {weights}), D = sqrt(C T); 十级分类每 0.1 一级。",
        "C is the corrected coupling degree (Wang et al. 2021), T the weighted composite (weights {weights}), D = sqrt(C T); ten classes of width 0.1.",
    ),
    "coupling_old_note": (
        "注意: 采用传统耦合度公式 C = n (ΠU)^(1/n)/ΣU, 其值集中于 1 附近。",
        "Caution: traditional coupling degree C = n (prod U)^(1/n) / sum U, which clusters near 1.",
    ),
    "obstacle_note": (
        "障碍度 O = F I / Σ F I, F 为指标熵权, I = 1 - 标准化值; 括号内为障碍度(%)。",
        "Obstacle degree O = F I / sum F I, F the entropy weight, I = 1 - the normalised value; obstacle degree (%) in parentheses.",
    ),
}


def word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return zh if lang == "zh" else en


def _f(x, decimals: int = 4) -> str:
    return "" if x is None or (isinstance(x, float) and not np.isfinite(x)) else f"{x:.{decimals}f}"


def _pct(x) -> str:
    return _f(100 * x, 2) if x is not None and np.isfinite(x) else ""


class TableWriter:
    """Numbers the tables of an analytics run and writes them into one folder."""

    def __init__(
        self,
        out_dir: Path,
        lang: str,
        synthetic: bool,
        region_label: Callable[[str], str],
        unit_label: Callable[[str], str],
        first_number: int = 1,
    ) -> None:
        self.out_dir, self.lang, self.synthetic = Path(out_dir), lang, synthetic
        self.region, self.unit, self.n = region_label, unit_label, first_number
        self.written: list[dict[str, Path]] = []

    def _write(self, table_id: str, title_key: str, header, body, notes, raw: pd.DataFrame, **fmt) -> None:
        title = word(title_key, self.lang).format(n=self.n, **fmt)
        self.n += 1
        notes = [*notes, *([word("synthetic", self.lang)] if self.synthetic else [])]
        prefix = "注：" if self.lang == "zh" else "Note: "
        grid = Grid(table_id, title, header, body, notes, raw.reset_index(drop=True), prefix)
        self.written.append(write_grid(grid, self.out_dir))

    def gini(self, index: str, label: str, overall: pd.DataFrame, groups: pd.DataFrame) -> None:
        within = groups[groups.kind == "within"]
        between = groups[groups.kind == "between"]
        w_keys = list(dict.fromkeys(within.region_a))
        b_keys, seen = [], set()  # one column per pair of regions, whichever is richer in a year
        for pair in zip(between.region_a, between.region_b):
            if frozenset(pair) not in seen:
                seen.add(frozenset(pair))
                b_keys.append(pair)
        header = [
            [
                ("", 1),
                (word("overall", self.lang), 1),
                (word("within", self.lang), len(w_keys)),
                (word("between", self.lang), len(b_keys)),
                (word("contribution", self.lang), 3),
            ],
            [
                (word("year", self.lang), 1),
                ("G", 1),
                *[(self.region(r), 1) for r in w_keys],
                *[(f"{self.region(a)}-{self.region(b)}", 1) for a, b in b_keys],
                (word("g_w", self.lang), 1),
                (word("g_nb", self.lang), 1),
                (word("g_t", self.lang), 1),
            ],
        ]
        body = []
        for o in overall.itertuples():
            g = groups[groups.year == o.year]
            gw = g[g.kind == "within"].set_index("region_a")["gini"]
            pairs = g[g.kind == "between"]
            # regions are ordered by each year's mean, so a pair may come in either order
            gb = {
                **dict(zip(zip(pairs.region_a, pairs.region_b), pairs.gini)),
                **dict(zip(zip(pairs.region_b, pairs.region_a), pairs.gini)),
            }
            body.append(
                [
                    str(o.year),
                    _f(o.gini),
                    *[_f(gw.get(r)) for r in w_keys],
                    *[_f(gb.get(k)) for k in b_keys],
                    _pct(o.share_within),
                    _pct(o.share_net_between),
                    _pct(o.share_transvariation),
                ]
            )
        self._write(f"a_gini_{index}", "gini_title", header, body, [word("gini_note", self.lang)], overall, index=label)

    def theil(self, index: str, label: str, overall: pd.DataFrame, groups: pd.DataFrame) -> None:
        regions = sorted(groups.region.unique())
        header = [
            [
                (word("year", self.lang), 1),
                ("T", 1),
                ("T_w", 1),
                ("T_b", 1),
                (f"T_w {word('contribution', self.lang)}", 1),
                (f"T_b {word('contribution', self.lang)}", 1),
                *[(f"T {self.region(r)}", 1) for r in regions],
            ]
        ]
        body = []
        for o in overall.itertuples():
            t = groups[groups.year == o.year].set_index("region")["theil"]
            body.append(
                [
                    str(o.year),
                    _f(o.theil),
                    _f(o.t_within),
                    _f(o.t_between),
                    _pct(o.share_within),
                    _pct(o.share_between),
                    *[_f(t.get(r)) for r in regions],
                ]
            )
        self._write(
            f"a_theil_{index}", "theil_title", header, body, [word("theil_note", self.lang)], overall, index=label
        )

    def moran(self, index: str, label: str, frame: pd.DataFrame, weights: str) -> None:
        header = [
            [
                (word("year", self.lang), 1),
                ("Moran's I", 1),
                ("E(I)", 1),
                ("z", 1),
                ("p (normal)", 1),
                ("p (permutation)", 1),
            ]
        ]
        body = [
            [
                str(r.year),
                _f(r.moran_i) + stars(r.p_norm),
                _f(r.expected_i),
                _f(r.z_norm, 3),
                _f(r.p_norm, 3),
                _f(r.p_sim, 3),
            ]
            for r in frame.itertuples()
        ]
        perm = int(frame.permutations.iloc[0]) if len(frame) else 0
        self._write(
            f"a_moran_{index}",
            "moran_title",
            header,
            body,
            [word("moran_note", self.lang).format(weights=weights, perm=perm)],
            frame,
            index=label,
        )

    def lisa(self, index: str, label: str, frame: pd.DataFrame, alpha: float, permutations: int) -> None:
        header = [
            [
                (word("year", self.lang), 1),
                (word("cluster", self.lang), 1),
                (word("count", self.lang), 1),
                (word("units", self.lang), 1),
            ]
        ]
        body = []
        for year, g in frame.groupby("year"):
            for q in ("HH", "LH", "LL", "HL"):
                units = g[g.cluster == q].unit_code
                body.append(
                    [
                        str(year),
                        q,
                        str(len(units)),
                        "、".join(self.unit(u) for u in units)
                        if self.lang == "zh"
                        else ", ".join(self.unit(u) for u in units),
                    ]
                )
        self._write(
            f"a_lisa_{index}",
            "lisa_title",
            header,
            body,
            [word("lisa_note", self.lang).format(alpha=alpha, perm=permutations)],
            frame,
            index=label,
        )

    def sigma(self, index: str, label: str, frame: pd.DataFrame) -> None:
        regions = [r for r in dict.fromkeys(frame.region) if r != "_all"]
        header = [
            [(word("year", self.lang), 1), (word("national", self.lang), 1), *[(self.region(r), 1) for r in regions]]
        ]
        wide = frame.pivot(index="year", columns="region", values="cv")
        body = [[str(y), *[_f(wide.loc[y].get(r)) for r in ["_all", *regions]]] for y in wide.index]
        self._write(f"a_sigma_{index}", "sigma_title", header, body, [], frame, index=label)

    def beta(self, index: str, label: str, frame: pd.DataFrame, effects: str) -> None:
        header = [
            [
                (word("kind", self.lang), 1),
                (word("region", self.lang), 1),
                ("β", 1),
                (word("se", self.lang), 1),
                (word("speed", self.lang), 1),
                (word("half_life", self.lang), 1),
                ("N", 1),
                ("R²", 1),
            ]
        ]
        body = [
            [
                word(r.kind, self.lang),
                word("national", self.lang) if r.region == "_all" else self.region(r.region),
                fmt_num(r.beta) + stars(r.p_value),
                f"({fmt_num(r.std_error)})",
                _f(r.speed),
                _f(r.half_life, 2),
                str(r.n_obs),
                _f(r.r_squared, 3),
            ]
            for r in frame.itertuples()
        ]
        eff = {
            "twoway": ("双向固定效应", "two-way FE"),
            "entity": ("个体固定效应", "unit FE"),
            "none": ("混合OLS", "pooled OLS"),
        }[effects][0 if self.lang == "zh" else 1]
        self._write(
            f"a_beta_{index}",
            "beta_title",
            header,
            body,
            [word("beta_note", self.lang).format(effects=eff)],
            frame,
            index=label,
        )

    def coupling(self, name: str, label: str, frame: pd.DataFrame) -> None:
        from cipanel.analytics.coupling import LEVELS, level

        regions = sorted(frame.region.unique())
        means = frame.groupby(["year", "region"]).coordination_d.mean().unstack()
        national = frame.groupby("year").coordination_d.mean()
        header = [
            [("", 1), (word("mean_d", self.lang), 1 + len(regions)), ("", 1)],
            [
                (word("year", self.lang), 1),
                (word("national", self.lang), 1),
                *[(self.region(r), 1) for r in regions],
                (word("level", self.lang), 1),
            ],
        ]
        body = [
            [
                str(y),
                _f(national[y]),
                *[_f(means.loc[y].get(r)) for r in regions],
                LEVELS[int(level(np.array([national[y]]))[0]) - 1][1 if self.lang == "zh" else 2],
            ]
            for y in national.index
        ]
        form, weights = frame.form.iloc[0], frame.weights.iloc[0]
        notes = [word("coupling_note", self.lang).format(weights=weights)]
        if form == "traditional":
            notes.append(word("coupling_old_note", self.lang))
        self._write(f"a_coupling_{name}", "coupling_title", header, body, notes, frame, name=label)

    def obstacles(
        self, index: str, label: str, frame: pd.DataFrame, top: int, year: int, indicator_label: Callable[[str], str]
    ) -> None:
        d = frame[(frame.year == year) & (frame.obstacle_rank <= top)].sort_values(["unit_code", "obstacle_rank"])
        header = [
            [(word("unit", self.lang), 1), *[(word("obstacle_n", self.lang).format(k=k), 1) for k in range(1, top + 1)]]
        ]
        body = []
        for unit, g in d.groupby("unit_code", sort=True):
            cells = [f"{indicator_label(r.indicator_code)} ({_pct(r.obstacle)})" for r in g.itertuples()]
            body.append([self.unit(unit), *cells, *[""] * (top - len(cells))])
        self._write(
            f"a_obstacle_{index}",
            "obstacle_title",
            header,
            body,
            [word("obstacle_note", self.lang)],
            d,
            index=label,
            year=year,
        )

    def obstacle_dimensions(
        self, index: str, label: str, frame: pd.DataFrame, year: int, dimension_label: Callable[[str], str]
    ) -> None:
        d = frame[frame.year == year]
        wide = d.pivot(index="unit_code", columns="dimension_code", values="obstacle")
        dims = list(wide.columns)
        header = [[(word("unit", self.lang), 1), *[(dimension_label(c), 1) for c in dims]]]
        body = [[self.unit(u), *[_pct(wide.loc[u, c]) for c in dims]] for u in wide.index]
        self._write(f"a_obstacle_dim_{index}", "obstacle_dim_title", header, body, [], d, index=label, year=year)
