/* The compliance dashboard: a ZIP of labour records posted to /compliance/dashboard,
   its violations counted by month (an SVG chart drawn here) and by rule and region
   (a table); a bar part or a cell lists its violations, and each violation opens the
   records it rests on, with the values they were read with. */
"use strict";

(() => {
  const { api, el, showError } = hermit;
  const SVG = "http://www.w3.org/2000/svg";
  const PAGE = 100;
  const COLOURS = 10;
  let answer = null;
  let shown = PAGE;
  const pick = { rule: "", region: "", month: "" };

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, String(value));
    }
    for (const child of children) node.append(child instanceof Node ? child : String(child));
    return node;
  }

  function fmt(n) {
    return Number(n).toLocaleString("en-GB");
  }

  function colour(ruleId) {
    const at = answer.rules.findIndex((r) => r.id === ruleId);
    return "r" + (at % COLOURS);
  }

  /* the violations the filters (rule, region) keep; with the month too when asked */
  function kept(withMonth) {
    return answer.violations.filter((v) =>
      (!pick.rule || v.rule_id === pick.rule) &&
      (!pick.region || v.region === pick.region) &&
      (!withMonth || !pick.month || v.month === pick.month));
  }

  function months(list) {
    const dated = list.map((v) => v.month).filter(Boolean).sort();
    if (!dated.length) return [];
    const out = [];
    let [y, m] = dated[0].split("-").map(Number);
    const [ly, lm] = dated[dated.length - 1].split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(y + "-" + String(m).padStart(2, "0"));
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function chart() {
    const box = document.getElementById("c-chart");
    const list = answer.violations.filter((v) => !pick.region || v.region === pick.region);
    const axis = months(list);
    box.replaceChildren();
    if (!axis.length) {
      box.append(el("p", { class: "empty" }, "No dated violation."));
      return;
    }
    const counts = new Map(); // month -> Map(rule -> n)
    for (const v of list) {
      if (!v.month) continue;
      if (!counts.has(v.month)) counts.set(v.month, new Map());
      const m = counts.get(v.month);
      m.set(v.rule_id, (m.get(v.rule_id) || 0) + 1);
    }
    let peak = 1;
    for (const m of counts.values()) peak = Math.max(peak, [...m.values()].reduce((a, b) => a + b, 0));
    const W = 1200, H = 260, left = 44, bottom = 36, top = 10;
    const step = (W - left - 8) / axis.length;
    const scale = (H - bottom - top) / peak;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "Violations by month and rule", id: "c-svg" });
    root.append(svg("line", { class: "axis", x1: left, y1: H - bottom, x2: W - 4, y2: H - bottom }));
    for (const tick of [0, peak / 2, peak].map(Math.round)) {
      const y = H - bottom - tick * scale;
      root.append(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end" }, fmt(tick)));
      root.append(svg("line", { class: "axis", x1: left - 3, y1: y, x2: left, y2: y }));
    }
    axis.forEach((month, i) => {
      const x = left + i * step;
      if (month.endsWith("-01") || i === 0) {
        root.append(svg("text", { x: x + 1, y: H - bottom + 14 }, month.slice(0, 4)));
        root.append(svg("line", { class: "axis", x1: x, y1: H - bottom, x2: x, y2: H - bottom + 4 }));
      }
      let y = H - bottom;
      for (const rule of answer.rules) {
        const n = (counts.get(month) || new Map()).get(rule.id) || 0;
        if (!n) continue;
        const h = n * scale;
        y -= h;
        const dim = (pick.rule && pick.rule !== rule.id) || (pick.month && pick.month !== month);
        const part = svg("rect", {
          class: "part " + colour(rule.id) + (dim ? " dim" : ""),
          x: x + 0.5, y, width: Math.max(step - 1, 1), height: Math.max(h, 0.5),
          tabindex: 0, "data-month": month, "data-rule": rule.id, "data-count": n,
          onclick: () => choose({ rule: rule.id, month }),
          onkeydown: (e) => { if (e.key === "Enter") choose({ rule: rule.id, month }); },
        }, svg("title", {}, `${month} · ${rule.id}: ${fmt(n)}`));
        root.append(part);
      }
    });
    root.append(svg("text", { x: left, y: H - 4 }, "month of the violation's date"));
    box.append(root);
    const legend = document.getElementById("c-legend");
    legend.replaceChildren(...answer.rules.filter((r) => r.violations).map((r) =>
      el("li", {}, el("span", { class: "swatch " + colour(r.id) }), r.id + " (" + fmt(r.violations) + ")")));
  }

  function matrix() {
    const rules = answer.rules.filter((r) => r.violations);
    const regions = [...new Set(answer.violations.map((v) => v.region))].sort();
    const count = new Map();
    for (const v of answer.violations) {
      const k = v.region + "\u0000" + v.rule_id;
      count.set(k, (count.get(k) || 0) + 1);
    }
    const thead = document.querySelector("#c-matrix thead");
    thead.replaceChildren(el("tr", {}, el("th", {}, "Region"),
      ...rules.map((r) => el("th", { class: "num", title: r.summary }, r.id)),
      el("th", { class: "num" }, "All")));
    const tbody = document.querySelector("#c-matrix tbody");
    tbody.replaceChildren(...regions.map((region) => {
      let total = 0;
      const cells = rules.map((r) => {
        const n = count.get(region + "\u0000" + r.id) || 0;
        total += n;
        const picked = pick.rule === r.id && pick.region === region && !pick.month;
        if (!n) return el("td", { class: "num zero" }, "0");
        return el("td", { class: "num" + (picked ? " picked" : ""), "data-rule": r.id, "data-region": region },
          el("button", { type: "button", class: "secondary", onclick: () => choose({ rule: r.id, region }) }, fmt(n)));
      });
      return el("tr", { "data-region": region }, el("th", {}, region), ...cells,
        el("td", { class: "num" }, el("button", { type: "button", class: "secondary", onclick: () => choose({ region }) }, fmt(total))));
    }));
  }

  function recordsRow(v) {
    const blocks = v.records.map((ref) => {
      const rec = answer.records[ref.file + ":" + ref.line];
      const head = el("div", {}, el("strong", {}, ref.kind), " ", el("code", {}, ref.id),
        el("span", { class: "muted" }, " · " + ref.file + ", line " + ref.line));
      if (!rec) return el("div", { class: "record" }, head, el("div", { class: "faint" }, "values not in this answer"));
      return el("div", { class: "record", "data-ref": ref.file + ":" + ref.line }, head,
        el("table", { class: "kv compact" }, el("tbody", {},
          ...Object.entries(rec.values).map(([name, value]) => el("tr", {}, el("th", {}, name), el("td", {}, value))))));
    });
    return el("tr", { class: "records" }, el("td", { colspan: 5 }, ...blocks));
  }

  function list() {
    const items = kept(true).slice().sort((a, b) => (a.date || "").localeCompare(b.date || "") || a.rule_id.localeCompare(b.rule_id));
    const parts = [pick.rule || "every rule", pick.region || "every region"];
    if (pick.month) parts.push(pick.month);
    document.getElementById("c-list-title").textContent =
      fmt(items.length) + " violation" + (items.length === 1 ? "" : "s") + ": " + parts.join(" · ");
    const tbody = document.querySelector("#c-list tbody");
    tbody.replaceChildren();
    for (const v of items.slice(0, shown)) {
      let open = null;
      const toggle = el("button", { type: "button", class: "secondary", "aria-expanded": "false" }, fmt(v.records.length));
      const row = el("tr", { class: "violation", "data-subject": v.subject_id, "data-rule": v.rule_id },
        el("td", { class: "nowrap" }, v.date || ""),
        el("td", {}, el("span", { class: "badge " + colour(v.rule_id) }, v.rule_id), el("div", { class: "sub" }, v.pattern)),
        el("td", {}, v.region),
        el("td", { class: "reason" }, v.reason),
        el("td", { class: "num" }, toggle));
      toggle.addEventListener("click", () => {
        if (open) { open.remove(); open = null; toggle.setAttribute("aria-expanded", "false"); return; }
        open = recordsRow(v);
        row.after(open);
        toggle.setAttribute("aria-expanded", "true");
      });
      tbody.append(row);
    }
    document.getElementById("c-more").hidden = items.length <= shown;
  }

  function summary() {
    const box = document.getElementById("c-summary");
    const rejected = Object.values(answer.read.rejected || {}).reduce((a, b) => a + b, 0);
    const rows = Object.values(answer.read.rows || {}).reduce((a, b) => a + b, 0);
    const regions = new Set(answer.violations.map((v) => v.region));
    box.replaceChildren(
      el("div", {}, el("strong", { id: "s-violations" }, fmt(answer.violations.length)), " violations"),
      el("div", {}, el("strong", {}, fmt(answer.rules.filter((r) => r.violations).length)), " rules broken of " + answer.rules.length + " checked"),
      el("div", {}, el("strong", {}, fmt(regions.size)), " regions"),
      el("div", {}, el("strong", {}, fmt(rows)), " rows read"),
      el("div", {}, el("strong", {}, fmt(rejected)), " rows rejected"),
      el("div", {}, el("strong", {}, fmt(answer.problems)), " problems named"));
  }

  function draw() {
    document.getElementById("c-rule").value = pick.rule;
    document.getElementById("c-region").value = pick.region;
    chart();
    matrix();
    list();
  }

  function choose(next) {
    pick.rule = next.rule || "";
    pick.region = next.region || (next.month ? pick.region : "");
    pick.month = next.month || "";
    shown = PAGE;
    draw();
    document.getElementById("c-list-panel").scrollIntoView({ block: "nearest" });
  }

  function fill() {
    const ruleSelect = document.getElementById("c-rule");
    ruleSelect.replaceChildren(el("option", { value: "" }, "every rule"),
      ...answer.rules.map((r) => el("option", { value: r.id }, r.id + " (" + fmt(r.violations) + ")" + (r.skipped ? " - not run" : ""))));
    const regionSelect = document.getElementById("c-region");
    const regions = [...new Set(answer.violations.map((v) => v.region))].sort();
    regionSelect.replaceChildren(el("option", { value: "" }, "every region"),
      ...regions.map((r) => el("option", { value: r }, r)));
  }

  async function submit(event) {
    if (event) event.preventDefault();
    showError("c-error", "");
    const file = document.getElementById("c-file").files[0];
    if (!file) {
      showError("c-error", "Choose a ZIP of record files first.");
      return;
    }
    const form = new FormData();
    form.append("file", file, file.name);
    const button = document.getElementById("c-submit");
    const status = document.getElementById("c-status");
    button.disabled = true;
    status.textContent = "Checking " + file.name + "…";
    try {
      answer = await api("/compliance/dashboard", { method: "POST", body: form });
      pick.rule = pick.region = pick.month = "";
      shown = PAGE;
      fill();
      summary();
      draw();
      document.getElementById("c-dashboard").hidden = false;
      status.textContent = "Checked " + file.name + " (" + answer.algorithm + ").";
    } catch (err) {
      status.textContent = "";
      showError("c-error", err);
    } finally {
      button.disabled = false;
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("c-form").addEventListener("submit", submit);
    hermit.onKey(() => submit(null));
    document.getElementById("c-rule").addEventListener("change", (e) => choose({ rule: e.target.value, region: pick.region }));
    document.getElementById("c-region").addEventListener("change", (e) => choose({ rule: pick.rule, region: e.target.value }));
    document.getElementById("c-clear").addEventListener("click", () => choose({}));
    document.getElementById("c-more").addEventListener("click", () => { shown += PAGE; list(); });
  });
})();
