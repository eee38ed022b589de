"""Joint ventures in the compliance report: every company with a DPRK founder
(hermit.compliance.ventures), its DPRK founders and their period, whether DPRK
participation ended by the 2375 para 18 deadline, its exemption and its findings; the
counts cite the company rows."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hermit.compliance.ventures import Venture, founder_label, ventures
from hermit.report.labour_context import Context

CLOSE_RULE = "UNSCR-2375-18"
RULES = ("UNSCR-2371-12", "UNSCR-2375-18")


def _status(v: Venture, close_by: Any) -> str:
    if v.exemption is not None:
        return "exempt"
    end = v.end()
    if end is not None and end <= close_by:
        return "closed in time"
    return "operating after the deadline"


def ventures_section(ctx: Context) -> None:
    found = ventures(ctx.data)
    if not found or CLOSE_RULE not in {r.id for r in ctx.provisions.rules}:
        if not ctx.data.of("employer_founders"):
            ctx.doc.unknown("joint ventures", "no company founder records in the folder")
        return
    close_by = ctx.provisions.get(CLOSE_RULE).date("close_by")
    findings: dict[str, list[str]] = defaultdict(list)
    for run in ctx.runs:
        if run.rule.id in RULES:
            for f in run.violations:
                findings[f.subject_id].append(f.pattern.replace("_", " "))
    sec = ctx.doc.section("joint-ventures", "Joint ventures with DPRK parties")
    prov = [ctx.provision(r) for r in RULES if r in {p.id for p in ctx.provisions.rules}]
    groups: dict[str, list[Venture]] = defaultdict(list)
    for v in found:
        groups[_status(v, close_by)].append(v)
    ids = [
        ctx.doc.figure(
            "jv.companies",
            "Companies with a DPRK founder",
            len(found),
            "companies",
            cite=[*prov, *ctx.record_rows([v.employer for v in found], "companies")],
            method="count",
            how="companies of the register with a founder row whose country is the DPRK, "
            "or whose name is on the UN/OFAC lists (when the founders were screened)",
        )
    ]
    for status in ("closed in time", "exempt", "operating after the deadline"):
        items = groups.get(status, [])
        ids.append(
            ctx.doc.figure(
                f"jv.{status.replace(' ', '_')}",
                f"... {status}" + (f" ({close_by})" if status != "exempt" else ""),
                len(items),
                "companies",
                cite=ctx.record_rows([v.employer for v in items], status),
                method="count",
                how="DPRK participation ended (founder exit or company closed) by the deadline"
                if status == "closed in time"
                else "a register note naming an exempt project, or a 1718 Committee approval"
                if status == "exempt"
                else "a DPRK founder still in the company after the deadline",
            )
        )
    sec.text(
        "UNSCR 2371 para 12 bars new joint ventures with DPRK entities or individuals and "
        "the expansion of existing ones from 2017-08-05; UNSCR 2375 para 18 bars opening, "
        f"maintaining and operating them and required existing ones closed by {close_by}.",
        cite=prov,
    )
    sec.figures(ids)
    rows: list[dict[str, Any]] = []
    for v in sorted(found, key=lambda v: (v.employer.text("name_short") or "", v.employer.line)):
        end = v.end()
        n = ctx.record_rows([v.employer, *v.dprk], "the company and its DPRK founder rows")
        rows.append(
            {
                "company": f"{v.employer.text('name_short') or v.employer.record_id} "
                f"(INN {v.employer.text('inn')}) [{', '.join(map(str, n))}]",
                "founders": "; ".join(founder_label(f, ctx.data) for f in v.dprk),
                "period": f"{v.start or '?'} to {end or 'still in'}",
                "status": _status(v, close_by) + (f": {v.exemption}" if v.exemption else ""),
                "findings": ", ".join(sorted(set(findings.get(v.employer.record_id, [])))) or "-",
            }
        )
    sec.table(
        "jv-table",
        "Every company with a DPRK founder",
        [
            ("company", "Company", None),
            ("founders", "DPRK founders (country shown)", None),
            ("period", "DPRK participation", None),
            ("status", "By the deadline", None),
            ("findings", "Findings", None),
        ],
        rows,
        how="the numbers in brackets are the footnotes of the company's and founders' rows",
    )
