"""Seeded generator of the SYNTHETIC demo input files. These are NOT real statistics.

Every series comes from a small latent-factor model of 30 provinces x 2012-2023 (2012-2013 are
burn-in so that lagged factors exist). The papers' effects are planted on the latent factors and
the indicators load on those factors with noise, so what the warehouse recovers through its entropy
indices and two-way fixed-effects regressions is measured, not copied (see examples/provinces-demo/data/README.md).
The files follow the user's data contract, so the demo exercises the user's path:

- indicator_values_synthetic.csv   long: unit_code,year,indicator_code,value (gaps = empty value)
- yearbook_controls_synthetic.xlsx  yearbook-wide: one sheet per control, named by its label_zh

Regenerate: python -m cipanel.demo.generator --out examples/provinces-demo/data --seed 20261124
"""

from __future__ import annotations

import argparse
import csv
import datetime
import math
from pathlib import Path

import numpy as np
from openpyxl import Workbook

DEFAULT_SEED = 20261124
YEARS = list(range(2014, 2024))  # the panel window written out
SIM = np.arange(2012, 2024)[None, :]  # simulated years (row vector)
TAU = SIM - 2014
CATALOG = Path(__file__).resolve().parents[3] / "examples" / "provinces-demo" / "catalog" / "indicator_catalog.csv"
CSV_NAME = "indicator_values_synthetic.csv"
XLSX_NAME = "yearbook_controls_synthetic.xlsx"
EXCEL_CODES = ["market", "npr", "fdep", "govs", "va_share_1", "va_share_2", "va_share_3"]
GAP_CODES = [
    "savings_pc",
    "tech_market_turnover",
    "robot_density",
    "ent_papers",
    "ai_firms",
    "digital_trade_policies",
]  # a handful of unit-scope indicators get interior gaps
GAPS_PER_INDICATOR = 5  # of 300 unit-year cells (1.7%)
COUNT_UNITS = {"件", "家", "个", "篇", "人年"}

# code, short name, GDP per capita 2014 (10k yuan), population (10k), area (10k km2),
# posts-and-telecom volume 1984 (100m yuan). Rounded illustrative magnitudes: they only rank the
# provinces and scale the synthetic series (Chongqing and Hainan are given notional 1984 values).
PROVINCES = [
    ("110000", "北京", 9.9, 2150, 1.64, 1.30),
    ("120000", "天津", 10.3, 1520, 1.20, 0.55),
    ("130000", "河北", 4.0, 7380, 18.9, 0.70),
    ("140000", "山西", 3.5, 3650, 15.7, 0.45),
    ("150000", "内蒙古", 7.1, 2500, 118.0, 0.35),
    ("210000", "辽宁", 6.5, 4390, 14.8, 1.00),
    ("220000", "吉林", 5.0, 2750, 18.7, 0.50),
    ("230000", "黑龙江", 3.9, 3830, 47.3, 0.65),
    ("310000", "上海", 9.7, 2430, 0.63, 1.45),
    ("320000", "江苏", 8.2, 7960, 10.7, 1.20),
    ("330000", "浙江", 7.3, 5510, 10.5, 1.10),
    ("340000", "安徽", 3.4, 6080, 14.0, 0.45),
    ("350000", "福建", 6.4, 3810, 12.4, 0.55),
    ("360000", "江西", 3.5, 4540, 16.7, 0.40),
    ("370000", "山东", 6.1, 9790, 15.8, 1.00),
    ("410000", "河南", 3.7, 9440, 16.7, 0.70),
    ("420000", "湖北", 4.7, 5820, 18.6, 0.70),
    ("430000", "湖南", 4.0, 6740, 21.2, 0.60),
    ("440000", "广东", 6.3, 10720, 18.0, 1.60),
    ("450000", "广西", 3.3, 4750, 23.8, 0.40),
    ("460000", "海南", 3.9, 900, 3.5, 0.08),
    ("500000", "重庆", 4.8, 2990, 8.2, 0.30),
    ("510000", "四川", 3.5, 8140, 48.6, 0.90),
    ("520000", "贵州", 2.6, 3510, 17.6, 0.25),
    ("530000", "云南", 2.7, 4710, 39.4, 0.40),
    ("610000", "陕西", 4.7, 3780, 20.6, 0.50),
    ("620000", "甘肃", 2.6, 2590, 45.4, 0.30),
    ("630000", "青海", 4.0, 580, 72.2, 0.10),
    ("640000", "宁夏", 4.2, 660, 6.6, 0.08),
    ("650000", "新疆", 4.0, 2300, 166.0, 0.35),
]

# Planted effects, in latent units (examples/provinces-demo/data/README.md gives what the pipeline recovers). Effects
# of D act on its two-way demeaned part Dx, the variation two-way fixed effects identify.
PLANTED = {
    "D_on_P84_x_users": 0.8,  # D gains this x (P84_i / mean P84) x users(t-1) scaled to 0..1
    "R_on_D": 0.05,  # resilience factor R (res indicators)
    "L_on_D": 1.3,  # nqp labourers factor
    "O_on_D": 6.0,  # nqp objects-of-labour factor
    "M_on_D_lag2": -1.3,  # nqp means-of-labour factor, on Dx two years earlier (a lagged drag)
    "B_on_V": 3.0,  # study B nqp_b factor per 10^12 yuan of digital_trade_value
    "market_on_V": 0.632,  # marketisation index points per 10^12 yuan (study B Table 5 col 1)
    "va_share_1_on_V": -0.10,  # so isu = 3 - 2 va1 - va2 rises by 0.552 per 10^12 yuan
    "va_share_2_on_V": -0.352,
}

# Indicator loadings: code -> (factor, form, base, k, drift, pop elasticity, density elasticity,
# noise). log: x = base*exp(k*F + drift*tau + s_pop*lpop + s_dens*lden + e); lin: x = base + k*F
# + drift*tau + e. e = persistent province noise (sd = noise) + transitory noise (sd = noise/3).
# Factors: D digital, R resilience, L/O/M nqp dimensions, B nqp_b, G general development (no
# planted within-province dynamics), T time only. Absolute amounts scale with population.
SPECS = {
    "gdp_pc": ("R", "log", 45000, 0.50, 0.045, 0, 0, 0.05),
    "unemp_rate": ("R", "lin", 3.4, -0.25, 0, 0, 0, 0.30),
    "disp_income_pc": ("R", "log", 19000, 0.45, 0.03, 0, 0, 0.04),
    "retail_pc": ("R", "log", 17000, 0.50, 0.02, 0, 0, 0.08),
    "urban_rural_income_ratio": ("R", "lin", 2.65, -0.15, -0.02, 0, 0, 0.15),
    "urban_rate": ("R", "lin", 57, 7, 0.3, 0, 0, 3),
    "savings_pc": ("R", "log", 33000, 0.55, 0.03, 0, 0, 0.12),
    "soc_sec_share": ("G", "lin", 13.5, 0.2, 0, 0, 0, 2.5),
    "fai_pc": ("R", "log", 42000, 0.40, 0, 0, 0, 0.18),
    "patents_granted": ("R", "log", 30000, 0.90, 0, 1.1, 0, 0.20),
    "sci_tech_exp_share": ("R", "lin", 2.0, 0.6, 0, 0, 0, 0.5),
    "edu_exp_share": ("G", "lin", 16, -0.3, 0, 0, 0, 1.5),
    "tech_market_turnover": ("R", "log", 60, 1.30, 0, 1.0, 0, 0.30),
    "broadband_ports": ("D", "log", 1000, 0.50, 0, 0.6, 0, 0.10),
    "optical_cable_density": ("G", "log", 0.10, 0.30, 0, 0, 0.3, 0.25),
    "mobile_base_stations": ("D", "log", 10, 0.60, 0, 0.6, 0, 0.10),
    "internet_penetration": ("G", "lin", 48, 7, 2.2, 0, 0, 3),
    "software_revenue": ("D", "log", 250, 0.70, 0, 0.6, 0, 0.40),
    "telecom_volume": ("D", "log", 400, 0.60, 0, 0.6, 0, 0.15),
    "electronic_mfg_revenue": ("D", "log", 1200, 0.70, 0, 0.6, 0, 0.50),
    "ecom_sales": ("D", "log", 1500, 0.70, 0, 0.6, 0, 0.20),
    "ecom_purchases": ("D", "log", 800, 0.70, 0, 0.6, 0, 0.20),
    "ecom_firm_share": ("D", "lin", 8, 2, 0, 0, 0, 1.2),
    "rd_fte": ("D", "log", 60000, 0.60, 0, 0.6, 0, 0.20),
    "invention_patents": ("D", "log", 3000, 0.70, 0, 0.6, 0, 0.25),
    "egov_index": ("D", "lin", 75, 4, 0, 0, 0, 3),
    "digital_trade_policies": ("D", "log", 8, 0.50, 0, 0, 0, 0.30),
    "avg_schooling_years": ("L", "lin", 9.4, 0.5, 0, 0, 0, 0.3),
    "students_per_10k": ("L", "lin", 260, 50, 0, 0, 0, 30),
    "labour_productivity": ("L", "log", 90000, 0.55, 0, 0, 0, 0.12),
    "avg_wage": ("L", "log", 55000, 0.40, 0.03, 0, 0, 0.08),
    "tertiary_emp_share": ("L", "lin", 40, 5, 0, 0, 0, 4),
    "high_tech_rev_share": ("O", "lin", 12, 4, 0, 0, 0, 3),
    "robot_density": ("O", "log", 5, 0.30, 0, 0, 0, 0.25),
    "forest_cover": ("T", "log", 25, 0, 0.005, 0, 0, 0.38),
    "env_exp_share": ("T", "lin", 3.0, 0, 0, 0, 0, 0.8),
    "so2_emissions": ("O", "log", 40, -0.20, -0.15, 0.6, 0, 0.30),
    "road_density": ("M", "log", 0.45, 0.30, 0, 0, 0.30, 0.25),
    "energy_intensity": ("M", "log", 0.70, -0.50, 0, 0, 0, 0.25),
    "rd_intensity": ("M", "log", 1.40, 0.50, 0, 0, 0, 0.25),
    "ent_basic_research_exp": ("B", "log", 1.5, 0.90, 0, 1.0, 0, 0.40),
    "ent_st_fixed_invest": ("B", "log", 30, 0.70, 0, 1.0, 0, 0.30),
    "ent_patent_apps": ("B", "log", 15000, 0.80, 0, 1.0, 0, 0.25),
    "ent_papers": ("B", "log", 800, 0.80, 0, 1.0, 0, 0.40),
    "ai_firms": ("B", "log", 300, 1.00, 0, 1.0, 0, 0.40),
    "software_firms": ("B", "log", 600, 0.90, 0, 1.0, 0, 0.30),
    "ecom_firms": ("B", "log", 3000, 0.60, 0, 1.0, 0, 0.15),
    "ent_websites": ("B", "log", 30000, 0.50, 0, 1.0, 0, 0.15),
    "digital_finance_index": ("B", "lin", 190, 35, 15, 0, 0, 8),
    "fiscal_self_sufficiency": ("G", "lin", 0.45, 0.15, -0.01, 0, 0, 0.08),
    "fintech_firms": ("G", "log", 200, 0.90, 0.05, 1.0, 0, 0.40),
    "digital_economy_vitality": ("D", "lin", 45, 10, 0, 0, 0, 6),
}
# natural ranges (by indicator code first, then by unit of measure); the model rarely reaches them
BOUNDS = {
    "gdp_growth": (-10.0, 20.0),
    "digital_economy_vitality": (1.0, 100.0),
    "%": (0.5, 99.0),
    "比值": (0.001, 0.99),
}


def _catalog(path: Path) -> dict[str, dict]:
    with Path(path).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = {}
    for row in rows:  # catalog order; the first row of a code shared by two indices wins
        first.setdefault(row["indicator_code"], row)
    return first


def _national_users(years: np.ndarray) -> np.ndarray:
    # a smooth logistic diffusion curve in 10k users (about 61,000 in 2013 and 109,000 in 2023)
    return 130000 / (1 + np.exp(-0.177 * (years - 2013.7)))


def simulate(seed: int = DEFAULT_SEED) -> dict[str, np.ndarray]:
    """Every series as an array (30 provinces x 12 years 2012-2023), plus the two special ones."""
    rng = np.random.default_rng(seed)
    n = len(PROVINCES)
    gdp14, pop, area, p84 = (np.array([p[i] for p in PROVINCES], float)[:, None] for i in (2, 3, 4, 5))
    dev = (np.log(gdp14) - np.log(gdp14).mean()) / np.log(gdp14).std()  # development level, sd 1
    lpop = np.log(pop) - np.log(pop).mean()
    lden = np.log(pop / area) - np.log(pop / area).mean()
    rel84 = p84 / p84.mean()

    def fe(sd):  # persistent province effect
        return rng.normal(0, sd, (n, 1))

    def ar(sd, rho=0.5):  # transitory AR(1) shocks, stationary variance sd^2
        e = rng.normal(0, sd, (n, SIM.shape[1]))
        for t in range(1, e.shape[1]):
            e[:, t] = rho * e[:, t - 1] + math.sqrt(1 - rho**2) * e[:, t]
        return e

    users = _national_users(SIM - 1)
    u = (users - _national_users(2013)) / (_national_users(2022) - _national_users(2013))
    # digital factor D: the 1984 posts-and-telecom base sets the province's level and its trend
    # along national internet diffusion, which is what makes the shift-share instrument strong
    D = 0.8 * dev + 0.3 * (rel84 - 1) + fe(0.3) + 0.07 * TAU + PLANTED["D_on_P84_x_users"] * rel84 * u + ar(0.08)
    # planting on the two-way demeaned D moves a factor's within-province path only: its
    # cross-section (set by dev) and its common trend stay as written
    Dx = D - D.mean(axis=1, keepdims=True)
    Dx = Dx - Dx.mean(axis=0)
    Dx_lag2 = np.concatenate([Dx[:, :2], Dx[:, :-2]], axis=1)
    covid = np.where(SIM == 2020, -0.08, 0.0)
    f = {
        "D": D,
        "R": 1.0 * dev + fe(0.25) + 0.08 * TAU + covid + PLANTED["R_on_D"] * Dx + ar(0.03),
        "L": 0.6 * dev + fe(0.40) + 0.15 * TAU + PLANTED["L_on_D"] * Dx + ar(0.05),
        "O": 0.6 * dev + fe(0.40) + 0.15 * TAU + PLANTED["O_on_D"] * Dx + ar(0.05),
        "M": 0.7 * dev + fe(0.30) + 0.12 * TAU + PLANTED["M_on_D_lag2"] * Dx_lag2 + ar(0.05),
        "G": dev + fe(0.2) + 0.10 * TAU + ar(0.05),
        "T": np.zeros_like(dev) + TAU,
    }
    # digital trade value V (10^12 yuan) follows size and D; 0.5 summed over provinces in 2014
    v = np.exp(0.7 * lpop + 0.6 * D + ar(0.05))
    V = v * 0.5 / v[:, 2].sum()
    f["B"] = 0.8 * dev + fe(0.25) + 0.12 * TAU + PLANTED["B_on_V"] * V + ar(0.05)

    out = {"digital_trade_value": V}
    for code, (factor, form, base, k, drift, s_pop, s_dens, sd) in SPECS.items():
        e = fe(sd) + rng.normal(0, sd / 3, (n, SIM.shape[1]))
        if form == "log":
            out[code] = base * np.exp(k * f[factor] + drift * TAU + s_pop * lpop + s_dens * lden + e)
        else:
            out[code] = base + k * f[factor] + drift * TAU + e
    out["students_per_10k"] = np.maximum(out["students_per_10k"], 80)
    # real growth follows the per-capita GDP path (deflator ~2%), so the two series agree
    ln_gdp = np.log(out["gdp_pc"])
    growth = 100 * np.diff(ln_gdp, axis=1, prepend=ln_gdp[:, :1]) - 2.0  # 2012 is burn-in
    out["gdp_growth"] = growth + rng.normal(0, 0.4, growth.shape)

    # controls (study A Table 1 magnitudes); marketisation and industry shares respond to V (study B)
    out["market"] = 8.3 + 1.75 * dev + fe(0.6) + 0.08 * TAU + PLANTED["market_on_V"] * V + ar(0.03)
    out["npr"] = 10.0 + 2.2 * dev + fe(2.0) + 0.20 * TAU + ar(0.3)
    out["fdep"] = 3.4 * np.exp(0.18 * dev + fe(0.18) + 0.015 * TAU + ar(0.02))
    out["govs"] = 0.24 * np.exp(-0.20 * dev - 0.35 * lpop + fe(0.15) + ar(0.03))
    va1 = 0.095 * np.exp(-0.6 * dev + fe(0.35)) - 0.002 * TAU + PLANTED["va_share_1_on_V"] * V + ar(0.003)
    va2 = 0.355 - 0.02 * dev + fe(0.05) - 0.006 * TAU + PLANTED["va_share_2_on_V"] * V + ar(0.006)
    out["va_share_1"] = np.clip(va1, 0.002, 0.3)
    out["va_share_2"] = np.clip(va2, 0.10, 0.52)
    out["va_share_3"] = 1 - out["va_share_1"] - out["va_share_2"]
    out["tert_sec_ratio"] = out["va_share_3"] / out["va_share_2"]
    out["posts_telecom_1984"] = p84[:, 0]
    out["internet_users_national"] = _national_users(np.arange(2013, 2024))
    return out


def _decimals(unit: str, values: np.ndarray) -> int:
    if unit in COUNT_UNITS:
        return 0
    return max(0, 3 - math.floor(math.log10(np.median(np.abs(values)))))  # ~4 significant digits


def generate(out_dir: Path, seed: int = DEFAULT_SEED, catalog: Path = CATALOG) -> dict:
    """Write the SYNTHETIC demo inputs into `out_dir`; return what was written and planted."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cat = _catalog(catalog)
    series = simulate(seed)
    missing = sorted(set(cat) - set(series))
    if missing:
        raise ValueError(f"{catalog}: no synthetic series for {', '.join(missing)}")
    rng = np.random.default_rng([seed, 1])  # separate stream: gaps never shift the values
    window = slice(2, None)  # 2014-2023 out of the simulated 2012-2023
    gaps = []
    cells = [(i, y) for i in range(len(PROVINCES)) for y in YEARS[1:-1]]  # interior years only:
    for code in GAP_CODES:  # the pipeline interpolates them and never has to extrapolate
        pick = rng.choice(len(cells), GAPS_PER_INDICATOR, replace=False)
        gaps += [(PROVINCES[cells[c][0]][0], cells[c][1], code) for c in sorted(pick)]
    gap_set = set(gaps)

    rows = []
    for code, meta in cat.items():
        if code in EXCEL_CODES:
            continue
        values = series[code]
        if code == "posts_telecom_1984":
            rows += [(p[0], 1984, code, f"{v:.2f}") for p, v in zip(PROVINCES, values)]
            continue
        if code == "internet_users_national":
            rows += [("000000", y, code, f"{v:.0f}") for y, v in zip(range(2013, 2024), values)]
            continue
        bounds = BOUNDS.get(code) or BOUNDS.get(meta["unit_of_measure"], (1e-6, np.inf))
        values = np.clip(values[:, window], *bounds)
        d = _decimals(meta["unit_of_measure"], values)
        for p, row in zip(PROVINCES, values):
            for y, v in zip(YEARS, row):
                rows.append((p[0], y, code, "" if (p[0], y, code) in gap_set else f"{v:.{d}f}"))
    with (out_dir / CSV_NAME).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit_code", "year", "indicator_code", "value"])
        writer.writerows(rows)

    book = Workbook()
    book.remove(book.active)
    for number, code in enumerate(EXCEL_CODES, start=1):
        label = cat[code]["label_zh"]
        sheet = book.create_sheet(label)
        sheet.append([f"表 {number} {label}（合成数据 SYNTHETIC）"])
        sheet.append(["地区", *YEARS])
        d = 2 if code in ("market", "npr", "fdep") else 4
        for p, row in zip(PROVINCES, series[code][:, window]):
            sheet.append([p[1], *(round(float(v), d) for v in row)])
        sheet.append([f"注：合成数据 SYNTHETIC，由 cipanel.demo.generator 按种子 {seed} 生成，并非真实统计数据。"])
        sheet.column_dimensions["A"].width = 12
    book.properties.creator = "cipanel.demo.generator (SYNTHETIC)"
    book.properties.created = datetime.datetime(2026, 11, 24)
    book.save(out_dir / XLSX_NAME)
    return {
        "seed": seed,
        "planted": dict(PLANTED),
        "files": [CSV_NAME, XLSX_NAME],
        "n_rows": {CSV_NAME: len(rows), XLSX_NAME: len(EXCEL_CODES) * len(PROVINCES)},
        "gaps": gaps,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the SYNTHETIC demo input files (not real data).")
    parser.add_argument("--out", type=Path, default=Path("examples/provinces-demo/data"), help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    result = generate(args.out, args.seed)
    print(f"SYNTHETIC demo data (seed {result['seed']}) written to {args.out}:")
    for name, count in result["n_rows"].items():
        print(f"  {name}: {count} data rows")
    print(f"  {len(result['gaps'])} interior gaps in {', '.join(GAP_CODES)}")


if __name__ == "__main__":
    main()
