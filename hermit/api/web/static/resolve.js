/* Resolved-entity page: GET /resolve/entities/{id} shown as its records side by side
   (names, identifiers, dates, addresses, source file and row) and each link's evidence
   (the comparisons' levels and match weights, or the analyst's decision); the buttons
   of a link POST /resolve/judgements with the tab's API key. Every value goes into the
   page as text. */
"use strict";

(() => {
  const { api, el, showError, signed, when, onKey } = hermit;
  const root = document.getElementById("resolve");
  const id = root.dataset.entityId;
  const DECISIONS = [
    ["same", "The same"],
    ["not same", "Not the same"],
    ["unsure", "Unsure"],
  ];

  document.getElementById("res-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const next = document.getElementById("res-id").value.trim();
    if (next) location.assign("/ui/resolve/" + encodeURIComponent(next));
  });

  function list(values) {
    if (!values || !values.length) return "";
    return el("ul", {}, values.map((v) => el("li", {}, v)));
  }

  function identifiers(ids) {
    return list(ids.map((i) => el("span", { class: i.valid ? "" : "res-invalid" },
      i.scheme + " " + i.value + (i.valid ? "" : " (check digits fail)"))));
  }

  function dates(byProp) {
    return list(Object.entries(byProp).map(([k, v]) => k + " " + v.join(", ")));
  }

  function source(r) {
    const file = (r.file || "").split("/").pop();
    return [r.registry || "", file ? file + ", row " + r.row : ""].filter(Boolean).join(": ");
  }

  const ROWS = [
    ["Schema", (r) => r.schema],
    ["Names", (r) => list(r.names)],
    ["Identifiers", (r) => identifiers(r.identifiers)],
    ["Dates", (r) => dates(r.dates)],
    ["Addresses", (r) => list(r.addresses)],
    ["Countries", (r) => list(r.countries)],
    ["Source", source],
  ];

  function records(found) {
    const table = document.getElementById("res-records");
    table.replaceChildren(
      el("thead", {}, el("tr", {}, el("th", {}, "Record"),
        found.records.map((r) => el("th", { scope: "col", "data-record": r.record_id }, r.record_id)))),
      el("tbody", {}, ROWS.map(([label, cell]) => el("tr", { "data-field": label.toLowerCase() },
        el("th", { scope: "row" }, label),
        found.records.map((r) => el("td", {}, cell(r)))))),
    );
  }

  function judgeForm(link) {
    const reason = el("input", { type: "text", placeholder: "Why (kept with the decision)",
      "aria-label": "Reason", maxlength: "2000", class: "res-reason" });
    const status = el("span", { class: "res-status", role: "status" });
    const buttons = DECISIONS.map(([decision, label]) => el("button", {
      type: "button", class: decision === "unsure" ? "secondary" : "",
      "data-decision": decision,
      onclick: () => judge(link, decision, reason, status),
    }, label));
    return el("div", { class: "res-judge" }, reason, buttons, status);
  }

  async function judge(link, decision, reason, status) {
    const body = { left: link.left, right: link.right, decision, reason: reason.value.trim() };
    const send = async () => {
      status.textContent = "…";
      try {
        const done = await api("/resolve/judgements", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        status.textContent = "Recorded: " + done.decision + " (" + done.who + ", "
          + when(done.judged_at) + " UTC); the next hermit resolve applies it.";
        status.dataset.recorded = done.decision;
        load(false);
      } catch (err) {
        status.textContent = "";
        showError("res-error", err);
      }
    };
    onKey(send);
    await send();
  }

  function evidence(link, kind) {
    const analyst = link.reasons.some((r) => r.comparison === "analyst judgement");
    const rows = link.reasons.map((r) => el("tr", { class: r.comparison === "analyst judgement" ? "analyst" : "" },
      el("td", {}, r.comparison), el("td", {}, r.level),
      el("td", { class: "num" }, r.comparison === "analyst judgement" || r.comparison === "negative evidence" ? "" : signed(r.weight))));
    return el("div", { class: "res-link " + kind + (analyst ? " judged" : ""),
      "data-left": link.left, "data-right": link.right },
      el("strong", {}, link.left + " = " + link.right),
      " ", el("span", { class: "muted" }, "match weight " + link.match_weight.toFixed(2)
        + ", probability " + link.probability.toFixed(4)),
      el("table", {}, el("tbody", {}, rows)),
      judgeForm(link));
  }

  function links(section, found, kind, empty) {
    const body = document.querySelector("#" + section + " .body");
    const items = found[kind === "same" ? "links" : "possible"];
    body.replaceChildren(...(items.length ? items.map((k) => evidence(k, kind))
      : [el("p", { class: "empty" }, empty)]));
  }

  function judgements(found) {
    const body = document.querySelector("#res-judgements .body");
    if (!found.judgements.length) {
      body.replaceChildren(el("p", { class: "empty" }, "No judgement on its records."));
      return;
    }
    body.replaceChildren(el("ul", { class: "res-judged" }, found.judgements.map((j) =>
      el("li", { "data-left": j.left, "data-right": j.right, "data-decision": j.decision },
        j.left + " / " + j.right + ": " + j.decision + " (" + j.who + ", " + when(j.judged_at)
        + " UTC" + (j.why ? ": " + j.why : "") + ") ",
        j.after_run ? el("span", { class: "badge review" }, "after this run") : ""))));
  }

  async function load(all) {
    showError("res-error", "");
    let found;
    try {
      found = await api("/resolve/entities/" + encodeURIComponent(id));
    } catch (err) {
      showError("res-error", err);
      return;
    }
    if (all !== false) {
      document.getElementById("res-caption").textContent = "Entity " + found.entity + ": "
        + found.records.length + " records (run " + found.run + ", " + found.algorithm
        + ", links at probability ≥ " + found.link_probability + ")";
      records(found);
      links("res-links", found, "same", "A record alone: no link joined it.");
      links("res-possible", found, "possible", "No link kept apart touches its records.");
    }
    judgements(found);
    document.getElementById("res-body").hidden = false;
    root.dataset.ready = "true";
  }

  /* No entity asked for: the review queue (GET /resolve/review), each pair opening
     the entity of its left record. */
  async function queue() {
    showError("res-error", "");
    let found;
    try {
      found = await api("/resolve/review?limit=20");
    } catch (err) {
      showError("res-error", err);
      return;
    }
    const section = document.getElementById("res-queue");
    const name = (r) => (r.names && r.names[0]) || r.record_id;
    const items = found.pairs.map((p) => el("li", { "data-left": p.left.record_id,
      "data-right": p.right.record_id },
      el("a", { href: "/ui/resolve/" + encodeURIComponent(p.left_entity) }, name(p.left)),
      " / ",
      el("a", { href: "/ui/resolve/" + encodeURIComponent(p.right_entity) }, name(p.right)),
      " ", el("span", { class: "muted" }, "probability " + p.probability.toFixed(4)
        + (p.judgement ? ", judged unsure" : ""))));
    section.querySelector(".body").replaceChildren(
      el("p", { class: "hint" }, "Run " + found.run + ": " + found.total
        + " pairs possibly the same that no judgement settles, most in need of a decision first."),
      items.length ? el("ol", { class: "res-queue" }, items) : el("p", { class: "empty" }, "None."));
    section.hidden = false;
    root.dataset.ready = "true";
  }

  if (id) {
    onKey(load);
    load();
  } else {
    onKey(queue);
    queue();
  }
})();
