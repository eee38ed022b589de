/* Search page: screens a name through POST /match/default and shows each result with
   its score and every feature's signed contribution and reason (the score's cap shown as
   a cap, not as a contribution). The address holds the query
   (?name=&dob=&nationality=&imo=&mmsi=&schema=) so a search can be bookmarked and
   reloaded. */
"use strict";

(() => {
  const { api, el, signed, entityUrl, showError, isTyping, country } = hermit;
  const FIELDS = { name: "q-name", dob: "q-dob", nationality: "q-nat", imo: "q-imo",
    mmsi: "q-mmsi", schema: "q-schema" };
  let rows = [];
  let selected = -1;
  let screened = null; // the name of the last search, as the box held it

  /* The scorer's report floor, as the page was served with it. */
  function reportFloor() {
    return Number(document.getElementById("results-panel").dataset.reportFloor);
  }

  function readForm() {
    const out = {};
    for (const [param, id] of Object.entries(FIELDS)) {
      const value = document.getElementById(id).value.trim();
      if (value) out[param] = value;
    }
    return out;
  }

  function fillForm(params) {
    for (const [param, id] of Object.entries(FIELDS)) {
      document.getElementById(id).value = params.get(param) || "";
    }
  }

  /* The yente-style query entity for the form's values. */
  function queryEntity(q) {
    let schema = q.schema || "Thing";
    const properties = { name: [q.name] };
    if ((q.imo || q.mmsi) && schema === "Thing") schema = "Vessel"; // a ship's numbers
    if (q.dob && schema === "Thing") schema = "Person"; // a date of birth is a person's
    if (q.imo) properties.imoNumber = [q.imo];
    if (q.mmsi) properties.mmsi = [q.mmsi];
    if (q.dob) properties.birthDate = [q.dob];
    if (q.nationality) {
      if (schema === "Person") properties.nationality = [q.nationality];
      else if (schema === "Vessel") properties.flag = [q.nationality];
      else properties.country = [q.nationality];
    }
    return { schema, properties };
  }

  async function run(q) {
    showError("search-error", "");
    const panel = document.getElementById("results-panel");
    const summary = document.getElementById("results-summary");
    if (!q.name) {
      panel.hidden = true;
      return;
    }
    summary.textContent = "Screening…";
    screened = document.getElementById("q-name").value;
    panel.hidden = false;
    const began = performance.now();
    let answer;
    try {
      answer = await api("/match/default?limit=10", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ queries: { q: queryEntity(q) } }),
      });
    } catch (err) {
      panel.hidden = true;
      showError("search-error", err);
      return;
    }
    const ms = Math.round(performance.now() - began);
    render(q, answer, ms);
  }

  /* What the service set aside or assumed in reading the query, with the reason. */
  function showWarnings(warnings) {
    const box = document.getElementById("query-warnings");
    box.replaceChildren(...(warnings || []).map((w) => el("li", { "data-property": w.property },
      el("span", { class: "field" }, w.property), " ",
      el("code", {}, w.value), w.set_aside ? " set aside: " : ": ", w.message)));
    box.hidden = !box.children.length;
  }

  function render(q, answer, ms) {
    const results = answer.responses.q.results;
    showWarnings(answer.responses.q.warnings);
    const tbody = document.querySelector("#results tbody");
    tbody.replaceChildren();
    rows = [];
    selected = -1;
    results.forEach((r, i) => {
      const row = resultRow(r, i);
      rows.push(row);
      tbody.append(row);
    });
    const matches = results.filter((r) => r.match).length;
    const suppressed = results.filter((r) => r.suppressed).length;
    const lapsed = results.filter((r) => r.lapsed).length;
    const review = results.length - matches - suppressed;
    const lists = answer.lists.map((l) => l.dataset + " v" + l.seq).join(", ");
    const summary = document.getElementById("results-summary");
    summary.replaceChildren(
      el("strong", {}, results.length ? matches + " match" + (matches === 1 ? "" : "es") : "No hits"),
      results.length ? ", " + review + " to review" : "",
      suppressed ? ", " + suppressed + " reviewed as not a match" : "",
      lapsed ? ", " + lapsed + " reviewed before but alerting again" : "",
      " for “" + q.name + "”",
      " · " + answer.algorithm + " · " + lists + " · " + ms + " ms",
    );
    if (!results.length) {
      tbody.append(el("tr", {}, el("td", { colspan: 7, class: "empty" },
        "No candidate: nothing on the loaded lists scored " + reportFloor().toFixed(2)
        + " or more for this query.")));
    }
  }

  function decision(r) {
    if (r.match) return el("span", { class: "badge match" }, "MATCH");
    if (r.suppressed) return el("span", { class: "badge none" }, "suppressed");
    if (r.score >= reportFloor()) return el("span", { class: "badge review" }, "review");
    return el("span", { class: "badge none" }, "no match");
  }

  function facts(r) {
    const p = r.properties || {};
    const parts = [];
    if (p.birthDate) parts.push("b. " + p.birthDate.join(", "));
    const nat = p.nationality || p.citizenship || p.flag || p.country;
    if (nat) parts.push(nat.slice(0, 3).map(country).join(", "));
    if (p.imoNumber) parts.push(p.imoNumber.join(", "));
    if (p.program) parts.push(p.program.join(", "));
    return parts.join(" · ");
  }

  /* Each feature's signed contribution with its reason, the largest first; the bounds
     line last, as the cap it is ("capped at 1.00 ..."), without a value of its own. */
  function explanation(r) {
    const list = el("ul", { class: "explain" });
    const names = Object.keys(r.explanations || {}).filter((name) => name !== "bounds");
    names.sort((a, b) => Math.abs(r.features[b] || 0) - Math.abs(r.features[a] || 0));
    for (const name of names) {
      const x = r.explanations[name];
      const kind = x.score > 0 ? "pos" : x.score < 0 ? "neg" : "zero";
      list.append(el("li", { "data-feature": name },
        el("span", { class: "feat" }, name.replace(/_/g, " ")),
        el("span", { class: "contrib " + kind }, signed(x.score)),
        el("span", { class: "reason" }, x.detail)));
    }
    const cap = (r.explanations || {}).bounds;
    if (cap) {
      list.append(el("li", { "data-feature": "bounds", class: "cap" },
        el("span", { class: "feat" }, "score"),
        el("span", { class: "contrib zero" }, ""),
        el("span", { class: "reason" }, cap.detail)));
    }
    return list;
  }

  function resultRow(r, i) {
    const score = Math.max(0, Math.min(1, r.score));
    const barClass = r.match ? "match" : r.suppressed ? "" : r.score >= reportFloor() ? "review" : "";
    const row = el("tr", { tabindex: "-1", "data-id": r.id, "aria-selected": "false" },
      el("td", { class: "num muted" }, i + 1),
      el("td", {},
        el("a", { class: "caption", href: entityUrl(r.id), tabindex: "-1" }, r.caption),
        el("div", { class: "sub" }, el("code", {}, r.id), facts(r) ? " · " + facts(r) : "")),
      el("td", {}, r.schema),
      el("td", {}, r.datasets.map((d) => el("span", { class: "tag" }, d))),
      el("td", { class: "scorecell" },
        el("strong", { class: "mono" }, r.score.toFixed(2)),
        el("div", { class: "bar", "aria-hidden": "true" },
          el("span", { class: barClass, style: "width:" + (score * 100).toFixed(0) + "%" }))),
      el("td", {}, decision(r),
        r.suppressed ? el("div", { class: "suppressed" }, r.suppressed) : null,
        r.lapsed ? el("div", { class: "lapsed", title: "A reviewed decision no longer applies" },
          "Decision lapsed: " + r.lapsed) : null),
      el("td", {}, explanation(r)));
    row.addEventListener("click", (event) => {
      if (event.target.closest("a")) return;
      window.location.href = entityUrl(r.id);
    });
    row.addEventListener("focus", () => select(i, false));
    return row;
  }

  function select(index, focus) {
    if (!rows.length) return;
    const next = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.setAttribute("aria-selected", i === next ? "true" : "false"));
    selected = next;
    if (focus) {
      rows[next].focus();
      rows[next].scrollIntoView({ block: "nearest" });
    }
  }

  function submit(event) {
    event.preventDefault();
    const q = readForm();
    const params = new URLSearchParams(q);
    const url = "/" + (params.toString() ? "?" + params : "");
    if (url !== window.location.pathname + window.location.search) {
      history.pushState(q, "", url);
    }
    run(q);
  }

  function fromAddress() {
    const params = new URLSearchParams(window.location.search);
    fillForm(params);
    run(readForm());
  }

  function keys(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const box = document.getElementById("q-name");
    if (event.key === "/" && !isTyping(event)) {
      event.preventDefault();
      box.focus();
      box.select();
      return;
    }
    /* In the box: while it holds the name just screened, "/" selects it, so a new name
       can be typed over it; once the name is being edited, "/" is a slash (A/S, S/A). */
    if (event.key === "/" && event.target === box && box.value && box.value === screened) {
      event.preventDefault();
      box.select();
      return;
    }
    if (!rows.length) return;
    const inRows = event.target.closest && event.target.closest("#results tbody");
    if (event.target === box && event.key === "ArrowDown") {
      event.preventDefault();
      select(0, true);
      return;
    }
    if (isTyping(event)) return;
    if (event.key === "ArrowDown" || event.key === "j") {
      event.preventDefault();
      select(selected + 1, true);
    } else if (event.key === "ArrowUp" || event.key === "k") {
      event.preventDefault();
      if (selected <= 0) box.focus();
      else select(selected - 1, true);
    } else if (event.key === "Enter" && inRows && selected >= 0) {
      event.preventDefault();
      window.location.href = entityUrl(rows[selected].dataset.id);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("search-form").addEventListener("submit", submit);
    document.addEventListener("keydown", keys);
    window.addEventListener("popstate", fromAddress);
    hermit.onKey(() => run(readForm()));
    fromAddress();
  });
})();
