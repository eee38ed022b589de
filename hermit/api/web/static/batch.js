/* Batch page: uploads a file of queries as a job (POST /jobs, multipart), follows it
   (GET /jobs/{id}) with a progress bar, then offers its results and rejects. Downloads
   go through fetch when a key is set (a plain link cannot send the Authorization header). */
"use strict";

(() => {
  const { api, el, when, showError, headers } = hermit;
  const POLL_MS = 500;
  const RECENT = "hermit.recentJobs";
  let polling = null;

  function fmt(n) {
    return n === null || n === undefined ? "–" : Number(n).toLocaleString("en");
  }

  function remember(id) {
    const ids = JSON.parse(localStorage.getItem(RECENT) || "[]").filter((x) => x !== id);
    ids.unshift(id);
    localStorage.setItem(RECENT, JSON.stringify(ids.slice(0, 20)));
  }

  function fraction(job) {
    if (job.status === "done") return 1;
    const p = Number(job.progress);
    if (!Number.isFinite(p)) return 0;
    return p > 1 ? p / 100 : p;
  }

  function show(job) {
    const panel = document.getElementById("job-panel");
    panel.hidden = false;
    panel.dataset.job = job.id;
    document.getElementById("job-title").textContent = "Job " + job.id + (job.file_name ? " · " + job.file_name : "");
    const status = document.getElementById("job-status");
    const bits = [job.status];
    if (job.started_at) bits.push("started " + when(job.started_at));
    if (job.finished_at) bits.push("finished " + when(job.finished_at));
    if (job.error) bits.push(job.error);
    status.textContent = bits.join(" · ");
    status.dataset.status = job.status;
    const bar = document.getElementById("job-progress");
    const pct = Math.round(fraction(job) * 100);
    bar.querySelector("span").style.width = pct + "%";
    bar.setAttribute("aria-valuenow", String(pct));
    bar.classList.toggle("done", job.status === "done");
    bar.classList.toggle("failed", job.status === "failed" || job.status === "error");
    document.getElementById("c-rows").textContent = fmt(job.rows_read);
    document.getElementById("c-screened").textContent = fmt(job.screened);
    document.getElementById("c-rejected").textContent = fmt(job.rejected);
    document.getElementById("c-warned").textContent = fmt(job.with_warnings);
    document.getElementById("c-clear").textContent = fmt(job.clear);
    problems(job);
    document.getElementById("c-alerts").textContent = fmt(job.alerts);
    const downloads = document.getElementById("job-downloads");
    downloads.hidden = job.status !== "done" || !job.result_url;
    if (!downloads.hidden) {
      link(document.getElementById("dl-result"), job.result_url, job.id + "-results");
      const rejects = document.getElementById("dl-rejects");
      rejects.hidden = !job.rejects_url;
      if (job.rejects_url) link(rejects, job.rejects_url, job.id + "-rejects.csv");
    }
  }

  /* The first rejected and warned rows of a finished job (its run record keeps them;
     the rejects file and the results' warnings column have them all). */
  function problems(job) {
    const shown = (job.run && job.run.first_rows) || { rejected: [], warned: [] };
    const rejected = document.querySelector("#rejected-rows tbody");
    rejected.replaceChildren(...shown.rejected.map((r) => el("tr", {},
      el("td", { class: "num" }, r.row),
      el("td", {}, r.field ? el("code", {}, r.field) : "the row"),
      el("td", { class: "reason" }, r.reason))));
    const warned = document.querySelector("#warned-rows tbody");
    warned.replaceChildren(...shown.warned.map((w) => el("tr", {},
      el("td", { class: "num" }, w.row),
      el("td", {}, el("code", {}, w.query_id)),
      el("td", {}, w.name),
      el("td", { class: "reason" }, el("ul", { class: "plain" }, w.warnings.map((x) =>
        el("li", {}, el("code", {}, x.field), x.value ? " " + JSON.stringify(x.value) : "",
          x.set_aside ? " set aside: " : ": ", x.message)))))));
    document.getElementById("rejected-block").hidden = !shown.rejected.length;
    document.getElementById("warned-block").hidden = !shown.warned.length;
    const more = [];
    if (job.rejected > shown.rejected.length) {
      more.push("first " + shown.rejected.length + " of " + fmt(job.rejected) + " rejected rows (all in the rejects file)");
    }
    if (job.with_warnings > shown.warned.length) {
      more.push("first " + shown.warned.length + " of " + fmt(job.with_warnings) + " rows with warnings (all in the results' warnings column)");
    }
    document.getElementById("problems-more").textContent = more.length ? "Showing the " + more.join("; ") + "." : "";
    document.getElementById("job-problems").hidden = !shown.rejected.length && !shown.warned.length;
  }

  function link(anchor, url, name) {
    anchor.href = url;
    anchor.dataset.name = name;
  }

  /* With a key, fetch the file with the header and save it; without, follow the link. */
  async function download(event) {
    const anchor = event.currentTarget;
    if (!hermit.key()) return;
    event.preventDefault();
    try {
      const response = await fetch(anchor.href, { headers: headers({ Accept: "*/*" }) });
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      await hermit.saveResponse(response, anchor.dataset.name);
    } catch (err) {
      showError("batch-error", "download failed: " + err.message);
    }
  }

  async function follow(id) {
    clearTimeout(polling);
    let job;
    try {
      job = await api("/jobs/" + encodeURIComponent(id));
    } catch (err) {
      showError("batch-error", err);
      return;
    }
    show(job);
    if (job.status === "queued" || job.status === "running" || job.status === "pending") {
      polling = setTimeout(() => follow(id), POLL_MS);
    } else {
      recent();
    }
  }

  async function submit(event) {
    event.preventDefault();
    showError("batch-error", "");
    const keyInput = document.getElementById("b-key");
    if (keyInput.value.trim()) hermit.setKey(keyInput.value);
    const file = document.getElementById("b-file").files[0];
    if (!file) {
      showError("batch-error", "Choose a file first.");
      return;
    }
    const form = new FormData();
    form.append("output", document.getElementById("b-output").value);
    form.append("file", file, file.name);
    const button = document.getElementById("b-submit");
    button.disabled = true;
    try {
      const job = await api("/jobs", { method: "POST", body: form });
      remember(job.id);
      show(job);
      follow(job.id);
    } catch (err) {
      showError("batch-error", err);
    } finally {
      button.disabled = false;
    }
  }

  async function recent() {
    let jobs = null;
    try {
      const answer = await api("/jobs?limit=20", { prompt: false });
      jobs = Array.isArray(answer) ? answer : answer.jobs || answer.results || [];
    } catch (err) {
      if (err.status === 401) return;
      jobs = null; // no job listing here: the jobs this browser started
    }
    if (jobs === null) {
      const ids = JSON.parse(localStorage.getItem(RECENT) || "[]");
      jobs = [];
      for (const id of ids) {
        try {
          jobs.push(await api("/jobs/" + encodeURIComponent(id)));
        } catch (err) {
          /* a job the service no longer has */
        }
      }
    }
    const tbody = document.querySelector("#jobs tbody");
    tbody.replaceChildren();
    for (const job of jobs) {
      const result = job.status === "done" && job.result_url
        ? el("a", { href: job.result_url, "data-name": job.id + "-results", onclick: download }, "download")
        : "";
      tbody.append(el("tr", { "data-job": job.id },
        el("td", {}, el("a", { href: "#" + job.id, onclick: (e) => { e.preventDefault(); follow(job.id); } },
          el("code", {}, job.id))),
        el("td", {}, job.file_name || ""),
        el("td", {}, el("span", { class: "badge " + (job.status === "done" ? "current" : job.status === "failed" ? "removed" : "none") }, job.status)),
        el("td", { class: "nowrap" }, when(job.created_at)),
        el("td", {}, job.created_by || ""),
        el("td", { class: "num" }, fmt(job.rows_read)),
        el("td", { class: "num" }, fmt(job.rejected)),
        el("td", { class: "num" }, fmt(job.with_warnings)),
        el("td", { class: "num" }, fmt(job.alerts)),
        el("td", {}, result)));
    }
    document.getElementById("jobs-empty").hidden = jobs.length > 0;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const keyInput = document.getElementById("b-key");
    keyInput.value = hermit.key();
    keyInput.addEventListener("change", () => hermit.setKey(keyInput.value));
    document.getElementById("batch-form").addEventListener("submit", submit);
    document.getElementById("dl-result").addEventListener("click", download);
    document.getElementById("dl-rejects").addEventListener("click", download);
    hermit.onKey(() => {
      keyInput.value = hermit.key();
      recent();
    });
    recent();
  });
})();
