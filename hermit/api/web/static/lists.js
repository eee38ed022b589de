/* Lists page: every version of every loaded list (GET /lists), newest load first, and
   for the version chosen (at first the newest load) what it added, removed and changed
   (GET /lists/{dataset}/changes): by listed party with its addresses, documents and
   sanctions under it (parties=true), or every entity on its own; optionally for one
   program. Each links to its entity page. The address keeps the choice
   (?dataset=&seq=&change=&program=&view=). */
"use strict";

(() => {
  const { api, el, when, entityUrl, showError } = hermit;
  const PAGE = 100;
  const MOST = 6; // lines under a change, for its values and for its records
  const view = { dataset: null, seq: null, change: "", offset: 0, mode: "parties", program: "" };

  function fmt(n) {
    return Number(n).toLocaleString("en");
  }

  async function loadVersions() {
    showError("lists-error", "");
    let answer;
    try {
      answer = await api("/lists");
    } catch (err) {
      showError("lists-error", err);
      return;
    }
    const tbody = document.querySelector("#versions tbody");
    tbody.replaceChildren();
    const newestFirst = [...answer.versions].sort(newer);
    for (const v of newestFirst) {
      const files = (v.files || []).map((f) => String(f.path || f.name || "").split("/").pop())
        .filter(Boolean).join(", ");
      const button = el("button", { type: "button", class: "secondary",
        "data-dataset": v.dataset, "data-seq": v.seq,
        onclick: () => choose(v.dataset, v.seq, "", 0, true) }, "Changes");
      const newest = v === newestFirst[0];
      tbody.append(el("tr", { "data-version": v.dataset + ":" + v.seq },
        el("td", {}, el("strong", {}, v.title), el("div", { class: "sub" }, el("code", {}, v.dataset))),
        el("td", { class: "num nowrap" }, "v" + v.seq, v.current ? [" ", el("span", { class: "badge current" }, "current")] : "",
          newest ? [" ", el("span", { class: "badge changed" }, "newest")] : ""),
        el("td", { class: "nowrap" }, v.published || el("span", { class: "faint" }, "undated")),
        el("td", { class: "nowrap" }, when(v.loaded_at)),
        el("td", { class: "num" }, fmt(v.entity_count)),
        el("td", { class: "num" }, fmt(v.added)),
        el("td", { class: "num" }, fmt(v.removed)),
        el("td", { class: "num" }, fmt(v.changed)),
        el("td", {}, el("span", { class: "sub" }, files), el("div", { class: "sub mono" }, v.sha256.slice(0, 12))),
        el("td", {}, button)));
    }
    if (!answer.versions.length) {
      tbody.append(el("tr", {}, el("td", { colspan: 10, class: "empty" }, "No list is loaded.")));
      return;
    }
    const params = new URLSearchParams(window.location.search);
    const wanted = params.get("dataset");
    const first = newestFirst[0];
    const chosen = wanted ? newestFirst.find((v) => v.dataset === wanted
      && (!params.get("seq") || String(v.seq) === params.get("seq"))) : null;
    const v = chosen || first;
    view.program = params.get("program") || "";
    view.mode = params.get("view") === "entities" ? "entities" : "parties";
    document.getElementById("program").value = view.program;
    document.getElementById("view").value = view.mode;
    choose(v.dataset, v.seq, params.get("change") || "", Number(params.get("offset") || 0), false);
  }

  /* Newest load first (then newest publication, then the higher version). */
  function newer(a, b) {
    if (a.loaded_at !== b.loaded_at) return a.loaded_at < b.loaded_at ? 1 : -1;
    if ((a.published || "") !== (b.published || "")) return (a.published || "") < (b.published || "") ? 1 : -1;
    return a.dataset === b.dataset ? b.seq - a.seq : a.dataset < b.dataset ? -1 : 1;
  }

  function choose(dataset, seq, change, offset, push) {
    Object.assign(view, { dataset, seq, change, offset });
    if (push) {
      const params = new URLSearchParams({ dataset, seq });
      if (change) params.set("change", change);
      if (offset) params.set("offset", offset);
      if (view.program) params.set("program", view.program);
      if (view.mode === "entities") params.set("view", "entities");
      history.pushState(null, "", "/ui/lists?" + params);
    }
    for (const row of document.querySelectorAll("#versions tbody tr")) {
      row.classList.toggle("selected", row.dataset.version === dataset + ":" + seq);
    }
    for (const b of document.querySelectorAll("#changes-tabs button")) {
      b.setAttribute("aria-pressed", b.dataset.change === change ? "true" : "false");
    }
    loadChanges();
  }

  async function loadChanges() {
    const panel = document.getElementById("changes-panel");
    panel.hidden = false;
    const summary = document.getElementById("changes-summary");
    summary.textContent = "Comparing versions…";
    const params = new URLSearchParams({ to_seq: view.seq, limit: PAGE, offset: view.offset });
    if (view.change) params.set("change", view.change);
    if (view.mode === "parties") params.set("parties", "true");
    if (view.program) params.set("program", view.program);
    let answer;
    try {
      answer = await api("/lists/" + encodeURIComponent(view.dataset) + "/changes?" + params);
    } catch (err) {
      summary.textContent = "";
      showError("lists-error", err);
      return;
    }
    const from = answer.from_version;
    const to = answer.to_version;
    document.getElementById("changes-title").textContent = "Changes in " + to.title + " v" + to.seq
      + (from ? " since v" + from.seq : " (first version: everything in it is new)");
    const c = answer.counts;
    summary.replaceChildren(
      el("strong", {}, fmt(c.added) + " added, " + fmt(c.removed) + " removed, " + fmt(c.changed) + " changed"),
      view.mode === "parties" ? " listed parties" : " entities (all kinds)",
      view.program ? " under " + view.program : "",
      " · published " + (to.published || "undated") + (from ? " vs " + (from.published || "undated") : ""));
    const tbody = document.querySelector("#changes tbody");
    tbody.replaceChildren();
    for (const ch of answer.results) {
      tbody.append(el("tr", { "data-entity": ch.entity_id },
        el("td", {}, el("span", { class: "badge " + ch.change }, ch.change)),
        el("td", {}, el("a", { href: entityUrl(ch.entity_id) }, ch.caption),
          el("div", { class: "sub" }, el("code", {}, ch.entity_id),
            ch.programs.length ? " · " + ch.programs.join(", ") : "")),
        el("td", {}, ch.schema),
        el("td", {}, view.mode === "parties" ? partyDelta(ch) : delta(ch))));
    }
    if (!answer.results.length) {
      tbody.append(el("tr", {}, el("td", { colspan: 4, class: "empty" }, "No changes of this kind.")));
    }
    const total = answer.total.value;
    document.getElementById("page-info").textContent = total
      ? fmt(view.offset + 1) + "–" + fmt(Math.min(total, view.offset + PAGE)) + " of " + fmt(total)
      : "";
    document.getElementById("prev-page").disabled = view.offset <= 0;
    document.getElementById("next-page").disabled = view.offset + PAGE >= total;
  }

  /* A party's own values gained and lost (not those its records say already), then
     its records added, removed and changed. */
  function partyDelta(ch) {
    const said = new Set(ch.parts.map((p) => p.entity_id));
    ch.parts.filter((p) => p.schema === "Address").forEach((p) => said.add("address:" + p.caption));
    const own = [];
    for (const [sign, cls, values] of [["+", "plus", ch.added], ["−", "minus", ch.removed]]) {
      for (const [prop, list] of Object.entries(values)) {
        for (const value of list) {
          if (said.has(value) || said.has(prop + ":" + value)) continue;
          own.push(el("div", {}, el("span", { class: cls }, sign + " " + prop + ": "), value));
        }
      }
    }
    const records = ch.parts.map((p) => {
      const sign = { added: ["+", "plus"], removed: ["−", "minus"], changed: ["~", "review"] }[p.change];
      const detail = p.change === "changed"
        ? Object.entries(p.added).map(([k, v]) => "+ " + k + ": " + v.join("; "))
          .concat(Object.entries(p.removed).map(([k, v]) => "− " + k + ": " + v.join("; ")))
        : [];
      return el("div", { "data-part": p.entity_id },
        el("span", { class: sign[1] }, sign[0] + " " + kind(p.schema) + ": "), p.caption,
        detail.length ? el("span", { class: "faint" }, " (" + detail.join(" · ") + ")") : null);
    });
    const more = (list, what) => list.length > MOST
      ? [...list.slice(0, MOST), el("div", { class: "faint" }, "+" + (list.length - MOST) + " more " + what)]
      : list;
    return el("div", { class: "delta" }, more(own, "values"), more(records, "records"));
  }

  function kind(schema) {
    return schema === "UnknownLink" ? "link" : schema.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }

  function delta(ch) {
    if (ch.change !== "changed") {
      const values = ch.change === "added" ? ch.added : ch.removed;
      const bits = [];
      for (const prop of ["birthDate", "nationality", "program", "imoNumber"]) {
        if (values[prop]) bits.push(prop + ": " + values[prop].slice(0, 3).join(", "));
      }
      return el("span", { class: "delta" }, bits.join(" · "));
    }
    const parts = [];
    const line = (sign, cls, values) => {
      for (const [prop, list] of Object.entries(values)) {
        if (parts.length >= 6) return;
        parts.push(el("div", {}, el("span", { class: cls }, sign + " " + prop + ": "),
          list.slice(0, 4).join("; ") + (list.length > 4 ? " …" : "")));
      }
    };
    line("+", "plus", ch.added);
    line("−", "minus", ch.removed);
    return el("div", { class: "delta" }, parts);
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll("#changes-tabs button")) {
      b.addEventListener("click", () => choose(view.dataset, view.seq, b.dataset.change, 0, true));
    }
    document.getElementById("changes-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      view.program = document.getElementById("program").value.trim();
      view.mode = document.getElementById("view").value;
      choose(view.dataset, view.seq, view.change, 0, true);
    });
    document.getElementById("view").addEventListener("change", (event) => {
      view.mode = event.target.value;
      choose(view.dataset, view.seq, view.change, 0, true);
    });
    document.getElementById("prev-page").addEventListener("click", () =>
      choose(view.dataset, view.seq, view.change, Math.max(0, view.offset - PAGE), true));
    document.getElementById("next-page").addEventListener("click", () =>
      choose(view.dataset, view.seq, view.change, view.offset + PAGE, true));
    window.addEventListener("popstate", loadVersions);
    hermit.onKey(loadVersions);
    loadVersions();
  });
})();
