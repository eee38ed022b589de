"""The three main compliance checks written plainly in pandas, as an analyst would,
for the benchmark beside hermit's (bench/compliance_bench.py).

Same readings of the rules as hermit's predicates (UNSCR 2375 para 17 on permits,
2371 para 11 national cap, 2397 para 8 presence and income), with pandas' own habits:
rows pandas cannot split are skipped (``on_bad_lines="skip"``), dates are parsed per
format with ``errors="coerce"``, and people are linked by passport number only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

BAN = pd.Timestamp("2017-09-11")
BASELINE = pd.Timestamp("2017-08-05")
DEADLINE = pd.Timestamp("2019-12-22")


def read(folder: Path, name: str, sep: str = ",") -> pd.DataFrame:
    for suffix in (".csv.gz", ".csv"):
        path = folder / f"{name}{suffix}"
        if path.exists():
            frame = pd.read_csv(
                path, dtype=str, sep=sep, on_bad_lines="skip", keep_default_na=False
            )
            return frame.apply(lambda c: c.str.strip())
    return pd.DataFrame()


def dates(col: pd.Series) -> pd.Series:
    s = col.str.strip()
    long = s.str.len() == 10
    out = pd.to_datetime(s.where(long), format="%d.%m.%Y", errors="coerce")
    out = out.fillna(pd.to_datetime(s.where(long), format="%Y-%m-%d", errors="coerce"))
    short = pd.to_datetime(s.where(s.str.len() == 8), format="%d.%m.%y", errors="coerce")
    short = short.where(short.dt.year < 2030, short - pd.DateOffset(years=100))
    return out.fillna(short)


def doc(col: pd.Series) -> pd.Series:
    return col.str.replace(r"[\s\-№]", "", regex=True).str.upper()


def load(folder: Path) -> dict[str, pd.DataFrame]:
    p = read(folder, "work_permits")
    for c in ("issue_date", "valid_to", "contract_date", "birth_date", "annul_date"):
        p[c] = dates(p[c])
    p = p.dropna(subset=["issue_date", "valid_to"])
    p["doc"] = doc(p["id_doc_number"])
    x = read(folder, "permit_extensions")
    x["valid_to_new"] = dates(x["valid_to_new"])
    x = x.dropna(subset=["valid_to_new"])
    n = read(folder, "employment_notifications")
    for c in ("contract_date", "contract_end", "termination_date", "birth_date"):
        n[c] = dates(n[c])
    n["doc"] = doc(n["id_doc_number"])
    e = read(folder, "employers")
    e["reg_date"] = dates(e["reg_date"])
    ce = read(folder, "committee_exemptions")
    for c in ("date_approved", "valid_until"):
        ce[c] = dates(ce[c])
    b = read(folder, "border_crossings")
    b["when"] = pd.to_datetime(b["crossing_datetime"], format="%d.%m.%Y %H:%M", errors="coerce")
    b["when"] = b["when"].fillna(
        pd.to_datetime(b["crossing_datetime"], errors="coerce", format="ISO8601")
    )
    b["doc"] = doc(b["doc_number"])
    s = read(folder, "status_decisions")
    for c in ("decision_date", "valid_until"):
        s[c] = dates(s[c])
    s["doc"] = doc(s["prev_doc"])
    return {"p": p, "x": x, "n": n, "e": e, "ce": ce, "b": b, "s": s}


def _committee_ok(p: pd.DataFrame, ce: pd.DataFrame) -> pd.Series:
    """Permits a Committee approval covers (in order of issue, up to max_persons)."""
    m = p.reset_index().merge(
        ce, left_on="committee_ref", right_on="reference", how="left", suffixes=("", "_ce")
    )
    ok = (
        (m["scope"] == "work_authorizations")
        & (m["employer_inn"] == m["employer_inn_ce"])
        & (m["issue_date"] >= m["date_approved"])
        & (m["issue_date"] <= m["valid_until"])
    )
    m = m[ok].sort_values(["issue_date", "index"])
    m["nth"] = m.groupby("reference").cumcount() + 1
    m = m[m["nth"] <= pd.to_numeric(m["max_persons"], errors="coerce")]
    return p.index.isin(m["index"])


def permits_after_ban(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    p, n, e, ce = d["p"], d["n"], d["e"], d["ce"]
    late = p[p["issue_date"] >= BAN].copy()
    late["covered"] = _committee_ok(late, ce)
    new = late["contract_date"] >= BAN
    conc = n[n["notification_type"] == "заключение"]
    term = n[n["notification_type"].str.startswith("прекращение")]
    key = ["employer_inn", "contract_no"]
    idx = late.reset_index()[["index", *key, "contract_date", "issue_date", "birth_date", "doc"]]
    own = idx.merge(conc[[*key, "contract_date", "birth_date", "doc"]], on=key, suffixes=("", "_n"))
    own = own[
        (own["doc"] == own["doc_n"])
        | (own["birth_date"] == own["birth_date_n"])
        | own["birth_date"].isna()
        | own["birth_date_n"].isna()
    ]
    backdated = set(own.loc[own["contract_date_n"] > own["contract_date"], "index"])
    same_date = set(own.loc[own["contract_date_n"] == own["contract_date"], "index"])
    other = idx.merge(
        n[["employer_inn", "contract_no", "contract_date", "birth_date", "doc"]],
        on=["contract_no", "contract_date"],
        suffixes=("", "_n"),
    )
    other = other[
        (other["employer_inn"] != other["employer_inn_n"])
        & ((other["doc"] == other["doc_n"]) | (other["birth_date"] == other["birth_date_n"]))
    ]
    other_emp = set(other["index"]) - same_date
    ended = idx.merge(term[[*key, "termination_date"]], on=key)
    terminated = set(ended.loc[ended["termination_date"] < ended["issue_date"], "index"])
    reg = idx.merge(e[["inn", "reg_date"]], left_on="employer_inn", right_on="inn")
    late_reg = set(reg.loc[reg["reg_date"] > reg["contract_date"], "index"])
    bad = (
        new
        | late["contract_date"].isna()
        | late.index.isin(backdated | other_emp | terminated | late_reg)
    )
    return late[bad & ~late["covered"]]


def _validity(d: dict[str, pd.DataFrame]) -> pd.DataFrame:
    p, x = d["p"], d["x"]
    ext = x.groupby(["permit_series", "permit_number"], as_index=False)["valid_to_new"].max()
    p = p.merge(
        ext, left_on=["series", "number"], right_on=["permit_series", "permit_number"], how="left"
    ).set_index(p.index)
    end = p[["valid_to", "valid_to_new"]].max(axis=1)
    annul = p["annul_date"] - pd.Timedelta(days=1)
    p = p.assign(end=end.where(~(annul < end), annul))
    return p[p["end"] >= p["issue_date"]]


def national_cap(d: dict[str, pd.DataFrame]) -> dict[str, object]:
    p = _validity(d)
    p = p[~_committee_ok(p, d["ce"]) | (p["committee_ref"] == "")]
    last = p["end"].max()
    size = (last - BASELINE).days + 1
    start = ((p["issue_date"] - BASELINE).dt.days).clip(lower=0)
    stop = ((p["end"] - BASELINE).dt.days + 1).clip(upper=size)
    keep = stop > 0
    delta = np.zeros(size + 1, dtype=np.int64)
    np.add.at(delta, start[keep].to_numpy(), 1)
    np.add.at(delta, stop[keep].to_numpy(), -1)
    counts = np.cumsum(delta[:size])
    above = counts[1:] > counts[0]
    return {"baseline": int(counts[0]), "peak": int(counts.max()), "days_above": int(above.sum())}


def present_after_deadline(d: dict[str, pd.DataFrame]) -> set[str]:
    """Passports of DPRK nationals earning and present after the deadline."""
    p, n, b, s = _validity(d), d["n"], d["b"], d["s"]
    docs = set(p.loc[p["end"] > DEADLINE, "doc"])
    term = n[n["notification_type"].str.startswith("прекращение")]
    stopped = term.groupby(["employer_inn", "contract_no"])["termination_date"].min()
    conc = n[n["notification_type"] == "заключение"].join(
        stopped, on=["employer_inn", "contract_no"], rsuffix="_t"
    )
    running = (conc["contract_end"] > DEADLINE) & ~(conc["termination_date_t"] <= DEADLINE)
    docs |= set(conc.loc[running, "doc"])
    cut = DEADLINE + pd.Timedelta(days=1)
    before = b[b["when"] < cut].sort_values("when").groupby("doc").tail(1)
    present = set(before.loc[before["direction"] == "въезд", "doc"])
    present |= set(b.loc[(b["when"] >= cut) & (b["direction"] == "въезд"), "doc"])
    citizen = s["decision_type"].str.startswith("прием") & (s["decision_date"] <= DEADLINE)
    asylum = s["decision_type"].str.contains("убежищ") & (s["valid_until"] > DEADLINE)
    excepted = set(s.loc[citizen | asylum, "doc"])
    return (docs & present) - excepted


def run_all(folder: Path) -> dict[str, object]:
    d = load(folder)
    late = permits_after_ban(d)
    return {
        "permits_after_ban": len(late),
        "permit_ids": set(late["id"]),
        "cap": national_cap(d),
        "present_docs": present_after_deadline(d),
    }
