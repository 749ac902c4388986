"""Fixed labels of the output layer in Chinese and English. Variable labels come from the study
(RegressionTable.labels); only the words every table shares live here."""

from __future__ import annotations

LANGS = ("zh", "en")

FIXED: dict[str, dict[str, str]] = {
    "variable": {"zh": "变量", "en": "Variable"},
    "controls": {"zh": "控制变量", "en": "Controls"},
    "year_fe": {"zh": "年份固定效应", "en": "Year FE"},
    "unit_fe": {"zh": "个体固定效应", "en": "Unit FE"},
    "yes": {"zh": "是", "en": "Yes"},
    "no": {"zh": "否", "en": "No"},
    "N": {"zh": "N", "en": "N"},
    "mean": {"zh": "均值", "en": "Mean"},
    "sd": {"zh": "标准差", "en": "SD"},
    "min": {"zh": "最小值", "en": "Min"},
    "max": {"zh": "最大值", "en": "Max"},
    "median": {"zh": "中位数", "en": "Median"},
    "note_prefix": {"zh": "注：", "en": "Note: "},
    "note_stars": {
        "zh": "*、**、*** 分别表示在 10%、5%、1% 的水平上显著（* p<0.10，** p<0.05，*** p<0.01）。",
        "en": "* p<0.10, ** p<0.05, *** p<0.01.",
    },
    "note_t": {"zh": "括号内为 t 统计量。", "en": "t statistics in parentheses."},
    "note_se": {"zh": "括号内为标准误。", "en": "Standard errors in parentheses."},
    "note_cov": {"zh": "标准误类型：{cov}。", "en": "Standard errors: {cov}."},
    "note_clusters": {"zh": "，聚类数 {n}", "en": ", {n} clusters"},
    "note_r2": {"zh": "{label}的口径：{raw}。", "en": "{label} is the {raw}."},
    "note_clusters_per": {"zh": "，聚类数 {per}", "en": ", clusters {per}"},
    "note_few_clusters": {
        "zh": "警告：列{col}仅有 {n} 个聚类（少于 {min} 个），聚类稳健标准误与 {df} 推断不可靠，"
        "其显著性星号不宜采信；宜报告野聚类自助法 P 值。",
        "en": "Warning: column {col} has only {n} clusters (fewer than {min}); cluster-robust "
        "standard errors and {df} inference are unreliable and its stars should not be "
        "trusted; report a wild cluster bootstrap p-value instead.",
    },
    "note_r2_part": {"zh": "{cols}为{raw}", "en": "{cols}: {raw}"},
    "note_r2_mixed": {"zh": "{label}的口径：{parts}。", "en": "{label} is, in {parts}."},
    # facts the study states under its tables (cipanel.study.tables.Note), worded by output.notes
    "note_outside_index_rows": {
        "zh": "研究纳入的指数样本外单位(无指数得分)的观测, 各列使用/因所需变量(如指数)缺失而未用: {listed}。",
        "en": "Rows of units outside the index sample (included by this study; no index score), used / "
        "left out for a missing variable such as an index, per column: {listed}.",
    },
    "note_interpolated_cells": {
        "zh": "各列估计样本所用插值单元格数(含指数成分): {listed}。",
        "en": "Interpolated cells used by each column's estimation sample (incl. index components): {listed}.",
    },
    "note_interpolated_unknown": {
        "zh": "插值单元格数未知(数据仓库无插值记录)。",
        "en": "Interpolated cells used: not known (the warehouse has no imputation log).",
    },
    "note_warn_few_clusters": {
        "zh": "警告: 列{column}仅有 {n} 个聚类(少于 {min}), 聚类稳健 p 值不可靠, 建议参考野自助法。",
        "en": "Warning: column {column} has only {n} clusters (fewer than {min}); "
        "cluster-robust p-values are unreliable, see a wild cluster bootstrap.",
    },
    "note_warn_degenerate_se": {
        "zh": "警告: 列{column}中 {terms} 的标准误退化(约为 0 或非有限), 不报告 t 值、p 值与显著性星号。",
        "en": "Warning: in column {column} the standard error of {terms} is degenerate (about 0 "
        "or not finite); no t statistic, p-value or stars are reported.",
    },
    "note_warn_weak_instrument": {
        "zh": "警告: 列{column}可能存在弱工具变量(KP Wald F = {f:.2f} < {threshold:g})。",
        "en": "Warning: column {column} may have a weak instrument (Kleibergen-Paap Wald F = {f:.2f} < {threshold:g}).",
    },
    "note_regression_sample": {
        "zh": "回归样本(本研究设定): {description}。",
        "en": "Regression sample (set by this study): {description}.",
    },
    "note_index_sample": {
        "zh": "指数样本(按目录, 不随研究改变): {description}。",
        "en": "Index sample (as the catalog says, unchanged by the study): {description}.",
    },
    # a study's samples in words (UnitSample, the panel source's index sample)
    "sample_units": {"zh": "{n} 个单位", "en": "{n} units"},
    "sample_included": {"zh": "纳入 {codes}", "en": "included {codes}"},
    "sample_panel_rows": {"zh": "{code} (面板 {n} 行)", "en": "{code} ({n} panel rows)"},
    "sample_outside_index": {
        "zh": "其中指数样本外(无指数得分, 用到指数的回归不能使用其观测): {listed}",
        "en": "of them outside the index sample (no index score, so regressions on an index cannot use "
        "their rows): {listed}",
    },
    "sample_excluded": {"zh": "剔除 {codes}", "en": "excluded {codes}"},
    "sample_excluded_by_flag": {"zh": "按 {flag} 剔除 {n} 个: {codes}", "en": "excluded by {flag} ({n}): {codes}"},
    "sample_none": {"zh": "无", "en": "none"},
    "sample_out_by_panel_flag": {"zh": "面板 {flag} 为否: {codes}", "en": "out by the panel's {flag}: {codes}"},
    "sample_separator": {"zh": "；", "en": "; "},
    "index_sample_units": {
        "zh": "参考数据中样本内的 {n} 个单位",
        "en": "the {n} in-sample units of the reference data",
    },
    "index_sample_out": {"zh": "(样本外: {codes})", "en": " (out: {codes})"},
    "not_known": {"zh": "未知", "en": "not known"},
    # IV column headers (ModelColumn.role)
    "iv_first": {"zh": "第一阶段", "en": "First stage"},
    "iv_second": {"zh": "第二阶段", "en": "Second stage"},
    "stock_yogo_row": {"zh": "Stock-Yogo {size} 临界值", "en": "Stock-Yogo {size} critical value"},
    "stock_yogo_note": {
        "zh": "Stock-Yogo 临界值为 2SLS 最大名义检验水平扭曲 10% 与 15% 的临界值（1 个内生变量、"
        "{k} 个工具变量；{source}），与 Cragg-Donald Wald F 统计量比较。",
        "en": "Stock-Yogo critical values for a maximal 2SLS size of 10% and 15% (one endogenous "
        "regressor, {k} instrument(s); {source}), to compare with the Cragg-Donald Wald F.",
    },
    "stock_yogo_missing": {
        "zh": "{k} 个工具变量的 Stock-Yogo 临界值未列出，请查 Stock & Yogo (2005) 表 5.2。",
        "en": "Stock-Yogo critical values for {k} instruments are not tabulated here; see "
        "Stock & Yogo (2005), Table 5.2.",
    },
    "synthetic_banner": {
        "zh": "本报告的全部数字由合成数据生成，仅用于检验流程，不代表真实经济结果。",
        "en": "Every number in this report comes from synthetic data; it tests the pipeline "
        "and says nothing about the real economy.",
    },
    "downloads": {"zh": "下载：", "en": "Download: "},
    "year": {"zh": "年份", "en": "Year"},
    "index_mean": {"zh": "指数均值", "en": "Mean index"},
    "weight": {"zh": "权重", "en": "Weight"},
    "weights_title": {"zh": "指标权重：{index}", "en": "Indicator weights: {index}"},
    "coef_title": {"zh": "分组系数与 95% 置信区间", "en": "Coefficients with 95% CIs by group"},
    "estimate": {"zh": "估计系数", "en": "Estimate"},
    "coef_term_title": {"zh": "{term}的分组系数与 95% 置信区间", "en": "Coefficient of {term} by group, 95% CIs"},
    "score": {"zh": "指数得分", "en": "Index score"},
    "few_clusters_mark": {
        "zh": "† 聚类数少于 10，置信区间不可靠",
        "en": "† fewer than 10 clusters: the CI is unreliable",
    },
    "heatmap_title": {"zh": "指数得分热力图", "en": "Index scores by unit and year"},
    "placebo_coef": {"zh": "安慰剂系数", "en": "Placebo coefficient"},
    "frequency": {"zh": "频数", "en": "Frequency"},
}

# Default printed labels for the diagnostic rows of ModelColumn.extra_rows (keys follow
# FitResult.diagnostics); RegressionTable.labels overrides them.
ROW_LABELS: dict[str, dict[str, str]] = {
    "kp_rk_lm": {"zh": "Kleibergen-Paap rk LM 统计量", "en": "Kleibergen-Paap rk LM statistic"},
    "kp_rk_lm_p": {"zh": "Kleibergen-Paap rk LM 检验 P 值", "en": "Kleibergen-Paap rk LM p-value"},
    "kp_rk_wald_f": {"zh": "Kleibergen-Paap rk Wald F 统计量", "en": "Kleibergen-Paap rk Wald F statistic"},
    "cd_wald_f": {"zh": "Cragg-Donald Wald F 统计量", "en": "Cragg-Donald Wald F statistic"},
    "first_stage_f": {"zh": "第一阶段 F 统计量", "en": "First-stage F statistic"},
    "endog_test_p": {"zh": "内生性检验 P 值", "en": "Endogeneity test p-value"},
    "durbin_p": {"zh": "Durbin 检验 P 值", "en": "Durbin test p-value"},
    "wu_hausman_p": {"zh": "Wu-Hausman 检验 P 值", "en": "Wu-Hausman test p-value"},
    "dwh_p": {"zh": "Durbin-Wu-Hausman 检验 P 值", "en": "Durbin-Wu-Hausman test p-value"},
    "sargan_p": {"zh": "Sargan 检验 P 值", "en": "Sargan test p-value"},
    "hansen_p": {"zh": "Hansen 检验 P 值", "en": "Hansen test p-value"},
    "ar1_p": {"zh": "AR(1) 检验 P 值", "en": "AR(1) test p-value"},
    "ar2_p": {"zh": "AR(2) 检验 P 值", "en": "AR(2) test p-value"},
    "n_instruments": {"zh": "工具变量个数", "en": "Number of instruments"},
    "ar1": {"zh": "AR(1) 检验 z 值 [P 值]", "en": "AR(1) test z [p-value]"},
    "ar2": {"zh": "AR(2) 检验 z 值 [P 值]", "en": "AR(2) test z [p-value]"},
    "hansen": {"zh": "Hansen 检验 χ² [P 值]", "en": "Hansen test chi2 [p-value]"},
    "dk_bandwidth": {"zh": "Driscoll-Kraay 滞后阶数", "en": "Driscoll-Kraay lag length"},
    "wcr_p": {"zh": "野聚类自助法 P 值(WCR)", "en": "Wild cluster bootstrap p-value (WCR)"},
    "wcr_ci": {"zh": "野聚类自助法 95% 置信区间", "en": "Wild cluster bootstrap 95% CI"},
    "interaction_p": {"zh": "组间系数差异 P 值(交互项)", "en": "Coefficient difference p-value (interaction)"},
    "perm_p": {"zh": "组间系数差异 P 值(费舍尔组合检验)", "en": "Coefficient difference p-value (Fisher permutation)"},
    "placebo_share": {"zh": "安慰剂系数绝对值不小于真实系数的比例", "en": "Share of |placebo| >= |real| coefficient"},
    "n_clusters": {"zh": "聚类数", "en": "Clusters"},
    "n_entities": {"zh": "个体数", "en": "Units"},
    # threshold columns (cipanel.study.threshold_columns.threshold_rows)
    "threshold_1": {"zh": "门槛值1 [95%置信区间]", "en": "Threshold 1 [95% CI]"},
    "threshold_2": {"zh": "门槛值2 [95%置信区间]", "en": "Threshold 2 [95% CI]"},
    "threshold_3": {"zh": "门槛值3 [95%置信区间]", "en": "Threshold 3 [95% CI]"},
    "f_single": {"zh": "单一门槛 F 值 [自助法 P 值]", "en": "Single-threshold F [bootstrap p]"},
    "f_double": {"zh": "双重门槛 F 值 [自助法 P 值]", "en": "Double-threshold F [bootstrap p]"},
    "f_triple": {"zh": "三重门槛 F 值 [自助法 P 值]", "en": "Triple-threshold F [bootstrap p]"},
    # spatial columns (cipanel.study.spatial_columns.spatial_rows)
    "loglik": {"zh": "对数似然值", "en": "Log-likelihood"},
    "effect_direct": {"zh": "直接效应 (标准误)", "en": "Direct effect (SE)"},
    "effect_indirect": {"zh": "间接效应 (标准误)", "en": "Indirect effect (SE)"},
    "effect_total": {"zh": "总效应 (标准误)", "en": "Total effect (SE)"},
    "wald_sdm_vs_sar": {"zh": "Wald 检验 SDM vs SAR [P 值]", "en": "Wald SDM vs SAR [p]"},
    "wald_sdm_vs_sem": {"zh": "Wald 检验 SDM vs SEM [P 值]", "en": "Wald SDM vs SEM [p]"},
    "lr_sdm_vs_sar": {"zh": "LR 检验 SDM vs SAR [P 值]", "en": "LR SDM vs SAR [p]"},
    "lr_sdm_vs_sem": {"zh": "LR 检验 SDM vs SEM [P 值]", "en": "LR SDM vs SEM [p]"},
}

# Region names that figures translate when no CJK font is installed.
REGION_EN = {
    "东部": "East",
    "中部": "Central",
    "西部": "West",
    "东北": "Northeast",
    "东部地区": "East",
    "中部地区": "Central",
    "西部地区": "West",
    "东北地区": "Northeast",
}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def fixed(key: str, lang: str) -> str:
    return FIXED[key][check_lang(lang)]


# Chinese wording of the definitions the estimators report in English (FitResult.r_squared_label
# and FitResult.cov_type), for the notes under Chinese tables; an unknown one is printed as is.
DEFINITIONS_ZH: dict[str, str] = {
    "within R2 (xtreg fe, year dummies as regressors)": "组内 R²（xtreg, fe；年份虚拟变量作为解释变量）",
    "within R2 (xtreg fe)": "组内 R²（xtreg, fe）",
    "within R2 (time dummies as regressors)": "组内 R²（年份虚拟变量作为解释变量）",
    "within R2": "组内 R²",
    "unadjusted": "普通标准误（同方差假定）",
    "robust": "异方差稳健标准误",
    "clustered": "聚类稳健标准误",
    "driscoll_kraay": "Driscoll-Kraay 标准误",
    "two-step, Windmeijer-corrected": "两步法，Windmeijer 修正的稳健标准误",
    "two-step, uncorrected (biased downwards)": "两步法，未经修正的标准误（向下偏误）",
    "one-step, robust (clustered by entity)": "一步法，按个体聚类的稳健标准误",
    "one-step, homoskedastic": "一步法，同方差标准误",
}


# English wording where the estimators' key is a code rather than words
DEFINITIONS_EN: dict[str, str] = {"driscoll_kraay": "Driscoll-Kraay", "unadjusted": "conventional (homoskedastic)"}


def definition(raw: str, lang: str) -> str:
    """An estimator's English definition (R² kind, standard-error type) in the table's language."""
    return DEFINITIONS_ZH.get(raw, raw) if check_lang(lang) == "zh" else DEFINITIONS_EN.get(raw, raw)


def row_label(key: str, lang: str, overrides: dict[str, str] | None = None) -> str:
    """Printed label of an extra row: the study's label, else the default here, else the key."""
    if overrides and key in overrides:
        return overrides[key]
    entry = ROW_LABELS.get(key)
    return entry[check_lang(lang)] if entry else key


def r2_label(raw: str, lang: str, overrides: dict[str, str] | None = None) -> str:
    """Short printed R² label from FitResult.r_squared_label (estimators store the full
    definition, e.g. "within R2 (xtreg fe, year dummies as regressors)"; the note repeats it)."""
    if overrides and raw in overrides:
        return overrides[raw]
    low = raw.lower()
    for kind, zh in (("within", "组内"), ("between", "组间"), ("overall", "总体"), ("centered", "中心化")):
        if kind in low:
            return f"R² ({kind})" if check_lang(lang) == "en" else f"R²（{zh}）"
    return "R²"
