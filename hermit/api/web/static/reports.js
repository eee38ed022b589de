/* Reports page: asks for a report (POST /reports/kims|dossier|compliance), follows the
   job (GET /reports/{id}), then shows the report in a sandboxed frame (no script runs
   there) from its browser HTML (?browser=true: the stylesheet linked, not inline, as the
   page's policy wants) and offers its PDF, HTML and JSON. Files are fetched with the
   key's header (a plain link cannot send it) and saved from a blob. */
"use strict";

(() => {
  const { api, el, when, showError, headers } = hermit;
  const POLL_MS = 1000;
  let polling = null;
  let current = null;

  function chooseKind(kind) {
    for (const b of document.querySelectorAll("#report-kinds button")) {
      b.setAttribute("aria-pressed", String(b.dataset.kind === kind));
    }
    for (const f of document.querySelectorAll(".report-form")) f.hidden = f.dataset.kind !== kind;
  }

  function asked(job) {
    const args = job.args || [];
    const shown = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === "--labour") { i++; shown.push("uploaded records"); continue; }
      shown.push(args[i]);
    }
    return shown.join(" ");
  }

  async function fetchFile(url) {
    const response = await fetch(url, { headers: headers({ Accept: "*/*" }) });
    if (!response.ok) {
      let detail = response.status + " " + response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (err) { /* not JSON */ }
      throw new Error(detail);
    }
    return response;
  }

  async function download(event) {
    event.preventDefault();
    const anchor = event.currentTarget;
    try {
      const response = await fetchFile(anchor.dataset.url);
      await hermit.saveResponse(response, "report." + anchor.dataset.format);
    } catch (err) {
      showError("reports-error", "download failed: " + err.message);
    }
  }

  async function view(job) {
    const frame = document.getElementById("report-view");
    try {
      const response = await fetchFile(job.files.html + "?browser=true");
      frame.srcdoc = await response.text();
      frame.hidden = false;
    } catch (err) {
      showError("reports-error", "the report could not be shown: " + err.message);
    }
  }

  function show(job) {
    const panel = document.getElementById("report-panel");
    panel.hidden = false;
    panel.dataset.report = job.id;
    document.getElementById("report-title").textContent =
      "Report " + job.id + " · " + job.kind + (asked(job) ? " · " + asked(job) : "");
    const bits = [job.status];
    if (job.started_at) bits.push("started " + when(job.started_at));
    if (job.ended_at) bits.push("ended " + when(job.ended_at));
    if (job.cpu_s !== null && job.cpu_s !== undefined) bits.push(job.cpu_s.toFixed(1) + " CPU-s");
    const status = document.getElementById("report-status");
    status.textContent = bits.join(" · ");
    status.dataset.status = job.status;
    const failure = document.getElementById("report-failure");
    failure.textContent = job.error || "";
    failure.hidden = !job.error;
    const downloads = document.getElementById("report-downloads");
    downloads.hidden = job.status !== "done";
    for (const a of downloads.querySelectorAll("a")) {
      a.dataset.url = job.files[a.dataset.format] || "";
      a.href = a.dataset.url || "#";
    }
    if (job.status !== "done") document.getElementById("report-view").hidden = true;
  }

  async function follow(id) {
    clearTimeout(polling);
    current = id;
    let job;
    try {
      job = await api("/reports/" + encodeURIComponent(id));
    } catch (err) {
      showError("reports-error", err);
      return;
    }
    if (current !== id) return;
    show(job);
    if (job.status === "queued" || job.status === "running") {
      polling = setTimeout(() => follow(id), POLL_MS);
    } else {
      if (job.status === "done") await view(job);
      listReports();
    }
  }

  async function submit(event) {
    event.preventDefault();
    showError("reports-error", "");
    const form = event.currentTarget;
    const kind = form.dataset.kind;
    const params = new URLSearchParams();
    const options = { method: "POST" };
    if (kind === "kims") {
      params.set("from", form.elements.from.value);
      params.set("to", form.elements.to.value);
    } else if (kind === "dossier") {
      params.set("entity", form.elements.entity.value.trim());
      if (form.elements.as_of.value) params.set("as_of", form.elements.as_of.value);
    } else {
      const body = new FormData();
      body.append("file", form.elements.file.files[0]);
      options.body = body;
    }
    const query = params.toString();
    try {
      const job = await api("/reports/" + kind + (query ? "?" + query : ""), options);
      follow(job.id);
    } catch (err) {
      hermit.onKey(() => form.requestSubmit());
      showError("reports-error", err);
    }
  }

  async function listReports() {
    let body;
    try {
      body = await api("/reports", { prompt: false });
    } catch (err) {
      return; // without a key the list waits for one
    }
    const rows = body.reports.map((job) => el("tr", {},
      el("td", {}, el("code", {}, job.id)),
      el("td", {}, job.kind),
      el("td", {}, asked(job)),
      el("td", { "data-status": job.status }, job.status),
      el("td", {}, when(job.created_at)),
      el("td", { class: "num" }, job.cpu_s === null ? "" : job.cpu_s.toFixed(1)),
      el("td", {}, el("button", { type: "button", class: "secondary", onclick: () => follow(job.id) }, "Open"))));
    document.querySelector("#reports tbody").replaceChildren(...rows);
    document.getElementById("reports-empty").hidden = rows.length > 0;
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll("#report-kinds button")) {
      b.addEventListener("click", () => chooseKind(b.dataset.kind));
    }
    for (const f of document.querySelectorAll(".report-form")) f.addEventListener("submit", submit);
    for (const a of document.querySelectorAll("#report-downloads a")) a.addEventListener("click", download);
    hermit.onKey(listReports);
    listReports();
  });
})();
