"""One formula syntax for specs, the CLI and Python, the one fixest/pyfixest users know:

    y ~ x1 + x2                       pooled OLS with a constant
    y ~ x1 + x2 | unit + year         absorbed effects (reghdfe absorb(unit year))
    y ~ x | unit + industry^year      an interacted effect (reghdfe absorb(unit industry#year))
    y ~ exog | unit + year | d ~ z    IV: endogenous d, excluded instruments z
    y ~ x:z + x*z + i(region, x)      interactions; i(region) = dummies with the first level as base
    y ~ I(x**2) + x^2 + log(x)        powers and functions
    y ~ l(x, 1) + l(x, 1:2) + f(x, 2) + d(x)   panel operators (Stata L. F. D.)
    y ~ x | unit[year] + year         unit effects and unit-specific linear trends (fixest)

formulaic (installed with linearmodels) parses and materialises each right-hand part: terms,
`:`/`*` interactions, `I()`, `C()` and functions. What it lacks, added here by rewriting the
formula text before formulaic sees it:
- the `|` parts (absorbed effects, the IV part) and `a^b` fixed-effect interactions;
- panel operators that respect gaps: formulaic's `lag()` shifts rows, so in an unbalanced panel
  the previous *row* may be two years back, or another unit. Here `l(x, k)` is x of the same unit
  at time t-k, matched on the time value, missing when that year is absent (Stata's L. after
  xtset). The columns are named as Stata prints them: L.x, L2.x, F.x, D.x;
- fixest's `i(var, x, ref=...)` and `x^2` as a power (formulaic reads `^` as an R interaction
  power, which for a single numeric term is the term itself).

A formula is data, not code: formulaic evaluates Python in `I()`, `log()` etc., so every Python
factor is checked against a small whitelist of names and operators first (`_check_safe`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


class FormulaError(ValueError):
    """A formula that cannot be parsed or materialised; the message names the part."""


# functions a formula may call (everything else is refused before formulaic evaluates it)
_SAFE_FUNCS = {
    "I": lambda a: a,
    "log": np.log,
    "log1p": np.log1p,
    "exp": np.exp,
    "sqrt": np.sqrt,
    "abs": np.abs,
}
_SAFE_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Call,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.Pow,
    ast.USub,
    ast.UAdd,
    ast.Compare,
    ast.Gt,
    ast.GtE,
    ast.Lt,
    ast.LtE,
    ast.Eq,
    ast.NotEq,
    ast.keyword,
    ast.Mod,
    ast.FloorDiv,
)


@dataclass
class ParsedFormula:
    """The parts of `y ~ rhs | fe | endog ~ instruments` after operator rewriting."""

    text: str
    lhs: str
    rhs: str  # formulaic right-hand side (without intercept handling)
    fe: list[list[str]]  # each absorbed effect as the list of columns it interacts (a^b -> [a, b])
    endog: str | None = None
    instruments: str | None = None
    operators: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # name -> (op, var, k)
    slopes: list[tuple[str, str]] = field(default_factory=list)  # unit[year]: (unit, year)
    dummies: dict[str, tuple[str, str | None, list]] = field(default_factory=dict)  # i() terms

    @property
    def fe_names(self) -> list[str]:
        return ["^".join(f) for f in self.fe]


@dataclass
class Design:
    """A materialised formula: the sample frame holds every column a model needs, by name."""

    frame: pd.DataFrame
    y: str
    x: list[str]
    fe: list[str]  # names of absorbed-effect columns in `frame` (a^b built as one column)
    endog: list[str]
    instruments: list[str]
    notes: list[str]
    slopes: list[tuple[str, str]] = field(default_factory=list)  # unit[year] trends


# ------------------------------------------------------------------ parsing

_OP = re.compile(r"\b([lfd])\(\s*(`[^`]+`|[A-Za-z_]\w*)\s*(?:,\s*([^()]*?))?\s*\)")
_IFUN = re.compile(r"\bi\(([^()]*)\)")
_POW = re.compile(r"(`[^`]+`|\b[A-Za-z_]\w*\b)\s*\^\s*(\d+(?:\.\d+)?)")
_NAME = re.compile(r"^[A-Za-z_]\w*$")


def _ks(arg: str | None, where: str) -> list[int]:
    """`1`, `1:3`, `-1` or `0:2` -> list of ints."""
    if arg is None or not arg.strip():
        return [1]
    arg = arg.strip()
    m = re.fullmatch(r"(-?\d+)\s*:\s*(-?\d+)", arg)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        return list(range(a, b + 1)) if a <= b else list(range(a, b - 1, -1))
    if re.fullmatch(r"-?\d+", arg):
        return [int(arg)]
    raise FormulaError(f"{where}: the second argument must be an integer or a range like 1:2, got {arg!r}")


def _op_name(op: str, var: str, k: int) -> str:
    """Stata's spelling: L.x, L2.x, F.x, D.x, S2.x (x - L2.x, fixest's d(x, 2))."""
    if op == "l" and k < 0:
        op, k = "f", -k
    elif op == "f" and k < 0:
        op, k = "l", -k
    if k == 0 and op in ("l", "f"):
        return var
    letter = {"l": "L", "f": "F", "d": "D" if k == 1 else "S"}[op]
    return f"{letter}{'' if k == 1 else k}.{var}"


def _rewrite_operators(text: str, ops: dict, where: str) -> str:
    def repl(m: re.Match) -> str:
        op, var, arg = m.group(1), m.group(2).strip("`"), m.group(3)
        ks = _ks(arg, f"{where}: {m.group(0)}")
        if op == "d" and any(k < 1 for k in ks):
            raise FormulaError(f"{where}: {m.group(0)}: the difference lag must be >= 1")
        names = []
        for k in ks:
            name = _op_name(op, var, k)
            if name != var:
                ops[name] = (op, var, k)
            names.append(f"`{name}`" if name != var else var)
        return "(" + " + ".join(names) + ")" if len(names) > 1 else names[0]

    return _OP.sub(repl, text)


def _rewrite_i(text: str, dummies: dict, where: str) -> str:
    def repl(m: re.Match) -> str:
        args = [a.strip() for a in m.group(1).split(",") if a.strip()]
        pos = [a for a in args if "=" not in a]
        kw = dict(a.split("=", 1) for a in args if "=" in a)
        unknown = set(kw) - {"ref"}
        if not pos or len(pos) > 2 or {k.strip() for k in unknown}:
            raise FormulaError(f"{where}: {m.group(0)}: use i(var), i(var, x) or i(var, x, ref=level)")
        var = pos[0].strip("`")
        slope = pos[1].strip("`") if len(pos) == 2 else None
        refs = [r.strip().strip("'\"") for r in kw.get("ref", "").split("+") if r.strip()]
        key = f"i({var}{', ' + slope if slope else ''})"
        dummies[key] = (var, slope, refs)
        return f"`{key}`"

    return _IFUN.sub(repl, text)


def parse(formula: str) -> ParsedFormula:
    """Split `y ~ rhs | fe | endog ~ instruments` and rewrite operators; no data needed."""
    if not isinstance(formula, str) or "~" not in formula:
        raise FormulaError(f"formula {formula!r}: expected 'y ~ x1 + x2 [| fe] [| endog ~ z]'")
    ops: dict = {}
    dummies: dict = {}
    text = _rewrite_operators(formula, ops, f"formula {formula!r}")
    parts = [p.strip() for p in text.split("|")]
    lhs, _, rhs = parts[0].partition("~")
    lhs, rhs = lhs.strip(), rhs.strip()
    if not lhs:
        raise FormulaError(f"formula {formula!r}: no dependent variable before '~'")
    fe: list[list[str]] = []
    slopes: list[tuple[str, str]] = []
    endog = instruments = None
    rest = parts[1:]
    if len(rest) > 2:
        raise FormulaError(f"formula {formula!r}: at most two '|' parts (fixed effects, IV)")
    if rest and "~" in rest[-1]:
        endog, _, instruments = (s.strip() for s in rest[-1].partition("~"))
        rest = rest[:-1]
        if not endog or not instruments:
            raise FormulaError(f"formula {formula!r}: the IV part must read 'endog ~ instruments'")
    if rest:
        if "~" in rest[0]:
            raise FormulaError(f"formula {formula!r}: the IV part must be the last '|' part")
        for term in (t.strip() for t in rest[0].split("+")):
            if term in ("", "0"):
                continue
            slope = re.fullmatch(r"`?(\w+)`?\s*\[\s*`?(\w+)`?\s*\]", term)
            if slope:  # fixest's varying slopes: unit effects and unit-specific trends in year
                slopes.append((slope.group(1), slope.group(2)))
                fe.append([slope.group(1)])
                continue
            cols = [c.strip().strip("`") for c in re.split(r"\^|#", term)]
            if not all(_NAME.match(c) for c in cols):
                raise FormulaError(f"formula {formula!r}: fixed effect {term!r} must be column names joined by '^'")
            fe.append(cols)
    rhs = _POW.sub(lambda m: f"I({m.group(1)}**{m.group(2)})", _rewrite_i(rhs, dummies, formula))
    if endog is not None:
        endog = _rewrite_i(endog, dummies, formula)
        instruments = _POW.sub(lambda m: f"I({m.group(1)}**{m.group(2)})", _rewrite_i(instruments, dummies, formula))
    return ParsedFormula(
        formula, lhs, rhs or "0", fe, endog, instruments, operators=ops, dummies=dummies, slopes=slopes
    )


# ------------------------------------------------------------------ safety


def _check_safe(expr: str, where: str) -> None:
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise FormulaError(f"{where}: {expr!r} is not a valid term") from None
    for node in ast.walk(tree):
        if not isinstance(node, _SAFE_NODES):
            raise FormulaError(f"{where}: {expr!r}: {type(node).__name__} is not allowed in a formula term")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _SAFE_FUNCS:
                raise FormulaError(
                    f"{where}: {expr!r}: only the functions {', '.join(sorted(_SAFE_FUNCS))} may be called"
                )
        if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float)):
            raise FormulaError(f"{where}: {expr!r}: only numeric constants are allowed")
        if isinstance(node, ast.Name) and node.id.startswith("_"):
            raise FormulaError(f"{where}: {expr!r}: names starting with '_' are not allowed")


# ------------------------------------------------------------------ panel operators


def shifted(data: pd.DataFrame, var: str, k: int, entity: str, time: str) -> pd.Series:
    """x of the same unit at time t-k (k < 0: a lead), matched on the time value, so a unit
    whose year t-k is absent gets missing, never another year's value."""
    src = data[[entity, time, var]].dropna(subset=[entity, time])
    if src.duplicated([entity, time]).any():
        raise FormulaError(f"panel operators need a unique ({entity}, {time}) key; the data have duplicate pairs")
    if not pd.api.types.is_integer_dtype(src[time]) and not (
        pd.api.types.is_numeric_dtype(src[time]) and np.all(np.mod(src[time], 1) == 0)
    ):
        raise FormulaError(f"panel operators need an integer time column; {time!r} is {src[time].dtype}")
    lookup = src.assign(**{time: src[time] + k}).set_index([entity, time])[var]
    idx = pd.MultiIndex.from_arrays([data[entity], data[time]])
    return pd.Series(lookup.reindex(idx).to_numpy(), index=data.index, name=var)


def apply_operator(data: pd.DataFrame, op: str, var: str, k: int, entity: str, time: str) -> pd.Series:
    if var not in data.columns:
        raise FormulaError(f"panel operator on {var!r}: not a column of the data")
    x = pd.to_numeric(data[var], errors="raise").astype(float)
    if op == "l":
        return shifted(data, var, k, entity, time).astype(float)
    if op == "f":
        return shifted(data, var, -k, entity, time).astype(float)
    return x - shifted(data, var, k, entity, time).astype(float)  # d(x, k) = x - L^k x


def difference(data: pd.DataFrame, columns: list[str], entity: str, time: str) -> pd.DataFrame:
    """D. of every column (first differences, gaps give missing)."""
    out = data.copy()
    for c in columns:
        out[c] = out[c].astype(float) - shifted(data, c, 1, entity, time).astype(float)
    return out


# ------------------------------------------------------------------ materialising


def _dummy_columns(data: pd.DataFrame, key: str, spec: tuple, formula: str) -> pd.DataFrame:
    var, slope, refs = spec
    if var not in data.columns or (slope and slope not in data.columns):
        raise FormulaError(f"formula {formula!r}: {key}: column not found")
    values = data[var]
    levels = sorted(values.dropna().unique().tolist(), key=str)
    ref_set = set(refs)
    unknown = ref_set - {str(v) for v in levels}
    if unknown:
        raise FormulaError(f"formula {formula!r}: {key}: ref level(s) {sorted(unknown)} not in {var!r}")
    keep = [v for v in levels if str(v) not in ref_set]
    if slope is None and not refs:
        keep = keep[1:]  # i(var) alone: the first level is the base (Stata's i.var)
    cols = {}
    for lev in keep:
        d = (values == lev).astype(float).where(values.notna())
        if slope is not None:
            d = d * pd.to_numeric(data[slope]).astype(float)
            cols[f"{var}::{lev}:{slope}"] = d
        else:
            cols[f"{var}::{lev}"] = d
    return pd.DataFrame(cols, index=data.index)


def _matrix(part: str, data: pd.DataFrame, formula: str, what: str) -> pd.DataFrame:
    from formulaic import Formula, model_matrix

    try:
        parsed = Formula(part)
    except Exception as exc:  # formulaic's own parse errors
        raise FormulaError(f"formula {formula!r}: cannot parse {what} {part!r}: {exc}") from None
    for term in parsed:
        for factor in term.factors:
            if factor.eval_method.value == "python":
                _check_safe(factor.expr, f"formula {formula!r}")
            elif factor.eval_method.value == "lookup" and factor.expr not in data.columns:
                raise FormulaError(f"formula {formula!r}: variable {factor.expr!r} is not a column of the data")
    try:
        mm = model_matrix(part, data, na_action="ignore", context=dict(_SAFE_FUNCS), ensure_full_rank=True)
    except FormulaError:
        raise
    except Exception as exc:
        raise FormulaError(f"formula {formula!r}: cannot build {what} {part!r}: {exc}") from None
    out = pd.DataFrame(mm)
    out = out.drop(columns=[c for c in out.columns if c == "Intercept"])
    out.index = data.index
    return out


def materialise(
    parsed: ParsedFormula | str, data: pd.DataFrame, *, entity: str | None = None, time: str | None = None
) -> Design:
    """Build the columns of every part; rows with a missing value are kept here (the estimator
    drops and counts them)."""
    if isinstance(parsed, str):
        parsed = parse(parsed)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    f = parsed.text
    work = data.copy()
    notes: list[str] = []
    if parsed.operators:
        if entity is None or time is None:
            raise FormulaError(f"formula {f!r}: panel operators need the panel keys (entity= and time=)")
        for name, (op, var, k) in parsed.operators.items():
            work[name] = apply_operator(work, op, var, k, entity, time)
    y_mm = _matrix(parsed.lhs + " - 1", work, f, "the dependent variable")
    if y_mm.shape[1] != 1:
        raise FormulaError(f"formula {f!r}: the left-hand side must be one numeric variable")
    y_name = str(y_mm.columns[0])

    def part(text: str | None, what: str) -> list[str]:
        if text is None:
            return []
        nonlocal work
        keys = [k for k in parsed.dummies if f"`{k}`" in text]
        stripped = text
        expanded: list[str] = []
        for k in keys:  # i() columns are built here, not by formulaic
            cols = _dummy_columns(work, k, parsed.dummies[k], f)
            work = pd.concat([work.drop(columns=[c for c in cols.columns if c in work]), cols], axis=1)
            expanded += list(cols.columns)
            stripped = re.sub(r"\+?\s*`" + re.escape(k) + r"`\s*\+?", " + ", stripped)
        stripped = stripped.strip().strip("+").strip() or "0"
        mm = _matrix(stripped + " - 1" if stripped != "0" else "0", work, f, what)
        for c in mm.columns:
            work[str(c)] = mm[c]
        return [str(c) for c in mm.columns] + expanded

    work[y_name] = y_mm.iloc[:, 0]
    x = part(parsed.rhs, "the regressors")
    endog = part(parsed.endog, "the endogenous variables")
    instruments = part(parsed.instruments, "the instruments")
    fe_cols = []
    for cols in parsed.fe:
        missing = [c for c in cols if c not in work.columns]
        if missing:
            raise FormulaError(f"formula {f!r}: fixed effect column(s) {missing} not in the data")
        if len(cols) == 1:
            fe_cols.append(cols[0])
        else:
            name = "^".join(cols)
            combo = work[cols].astype(str).agg("^".join, axis=1)
            work[name] = combo.where(work[cols].notna().all(axis=1))
            fe_cols.append(name)
    dup = sorted({c for c in [y_name, *x, *endog, *instruments] if [y_name, *x, *endog, *instruments].count(c) > 1})
    if dup:
        raise FormulaError(f"formula {f!r}: term(s) {dup} appear in more than one part")
    keys = [k for k in dict.fromkeys([entity, time]) if k is not None and k in work.columns]
    used = list(dict.fromkeys([y_name, *x, *endog, *instruments, *fe_cols, *keys]))
    return Design(work[used], y_name, x, fe_cols, endog, instruments, notes, list(parsed.slopes))


# ------------------------------------------------------------------ study specs

_SPEC_VCOV = {"unadjusted": "iid", "robust": "hetero"}


def _is_name(text: str) -> bool:
    return bool(_NAME.match(text.strip()))


def spec_uses_formula(model: dict) -> bool:
    """True when a spec column needs this module: a `formula` key, or an expression (not a
    plain column name) in outcome / treatment / controls / instruments."""
    if model.get("formula") or model.get("estimator", "ols") != "ols":
        return True
    texts = [
        model.get("outcome", ""),
        model.get("treatment", ""),
        *model.get("controls", []),
        *model.get("instruments", []),
    ]
    return any(t and not _is_name(t) for t in texts)


def spec_columns(model: dict) -> list[str]:
    """Data columns a spec column reads (names inside expressions and formulas included)."""
    from formulaic import Formula

    if model.get("formula"):
        p = parse(model["formula"])
        parts = [p.lhs, p.rhs, p.endog, p.instruments]
        extra = [c for f in p.fe for c in f] + [v for _, v, _ in p.operators.values()]
        extra += [c for var, slope, _ in p.dummies.values() for c in (var, slope) if c]
    else:
        parts = [
            model.get("outcome"),
            model.get("treatment"),
            *model.get("controls", []),
            *model.get("instruments", []),
        ]
        extra = []
        ops: dict = {}
        parts = [_rewrite_operators(t, ops, "spec") if t else t for t in parts]
        extra += [v for _, v, _ in ops.values()]
    names: list[str] = []
    for text in parts:
        if not text:
            continue
        text = re.sub(r"`[^`]+`", "0", text)  # operator / i() columns: their sources are in extra
        try:
            parsed = Formula(text)
        except Exception as exc:
            raise FormulaError(f"cannot parse {text!r}: {exc}") from None
        for term in parsed:
            for factor in term.factors:
                if factor.eval_method.value == "python":
                    _check_safe(factor.expr, f"{text!r}")
        names += sorted(parsed.required_variables)
    return [n for n in dict.fromkeys([*names, *extra]) if n not in _SAFE_FUNCS]


def spec_formula(model: dict, entity: str, time: str) -> tuple[str, str]:
    """The formula and vcov string that say a spec column's model (`formula` key, or outcome /
    treatment / controls / instruments / effects / cov / cluster / bandwidth)."""
    cov = model.get("cov", "clustered")
    if cov == "clustered":
        cluster = model.get("cluster") or entity  # a list: multi-way clustering
        vcov = "cluster:" + (cluster if isinstance(cluster, str) else "+".join(cluster))
    elif cov == "driscoll_kraay":
        vcov = "dk" + (f":{model['bandwidth']}" if model.get("bandwidth") is not None else "")
    else:
        vcov = _SPEC_VCOV[cov]
    if model.get("formula"):
        return model["formula"], vcov
    fe = {"none": "", "entity": f" | {entity}", "twoway": f" | {entity} + {time}"}[model.get("effects", "twoway")]
    if model.get("estimator") == "fd":  # differencing removes the unit effects; year effects stay
        fe = {"none": "", "entity": "", "twoway": f" | {time}"}[model.get("effects", "twoway")]
    if model.get("trends"):  # unit-specific linear trends: fixest's unit[year]
        fe = fe.replace(f"| {entity}", f"| {entity}[{time}]")
    controls = list(model.get("controls", []))
    if model.get("instruments"):
        exog = " + ".join(controls) or "1"
        iv = f"{model['treatment']} ~ {' + '.join(model['instruments'])}"
        return f"{model['outcome']} ~ {exog}{fe or ' | 0'} | {iv}", vcov
    rhs = " + ".join([model["treatment"], *controls])
    return f"{model['outcome']} ~ {rhs}{fe}", vcov


def _term_names(text: str | None) -> list[str]:
    from formulaic import Formula

    if not text:
        return []
    ops: dict = {}
    text = _POW.sub(lambda m: f"I({m.group(1)}**{m.group(2)})", _rewrite_operators(text, ops, "spec"))
    return [str(t).strip("`") for t in Formula(text) if str(t) != "1"]


def spec_keep_terms(model: dict) -> list[str]:
    """Terms a table shows by default: the treatment (its expression's terms) and instruments;
    for a `formula` column, its endogenous variables and regressors."""
    if model.get("formula"):
        p = parse(model["formula"])
        return [*_term_names(p.endog), *_term_names(p.rhs)]
    names = [*_term_names(model.get("treatment")), *[n for i in model.get("instruments", []) for n in _term_names(i)]]
    return [f"D.{n}" for n in names] if model.get("estimator") == "fd" else names


def gmm_terms(formula: str) -> tuple[str, list[str]]:
    """`y ~ L.y + x + yr*` (or `l(y, 1)`) -> ("y", ["L.y", "x", "yr*"]): a GMM formula is
    xtabond2's varlist joined by `+`, handed to estimators.gmm as names, not to formulaic
    (which has no globs and no Stata operators)."""
    if not isinstance(formula, str) or formula.count("~") != 1 or "|" in formula:
        raise FormulaError(f"GMM formula {formula!r}: expected 'y ~ L.y + x1 + x2 [+ yr*]'")
    lhs, _, rhs = _rewrite_operators(formula, {}, f"formula {formula!r}").partition("~")
    y = lhs.strip().strip("`")
    terms = [t.strip().strip("()").strip("`") for t in re.split(r"\s*\+\s*", rhs.strip()) if t.strip()]
    terms = [u.strip().strip("`") for t in terms for u in t.split("` + `")]
    bad = [t for t in [y, *terms] if not re.fullmatch(r"(?:[LFD]\d*\.)?[A-Za-z_]\w*\*?", t)]
    if not terms or bad:
        raise FormulaError(
            f"GMM formula {formula!r}: {bad[0] if bad else 'no regressors'!r} is not a variable, "
            "a lag (L.y, L2.y, l(y, 1)) or a glob such as yr*"
        )
    return y, terms
