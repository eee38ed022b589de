/* Network page: GET /network/neighbourhood/{id} drawn with cytoscape (vendored,
   static/vendor/cytoscape.min.js): the parties and shared values within a few steps of
   an entity, its ranked paths to listed parties highlighted, each edge opening its
   source record (GET /network/records/{id}); a party clicked is centred on. Every value
   goes into the page as text. */
"use strict";

(() => {
  const { api, el, showError } = hermit;
  const root = document.getElementById("network");
  const id = root.dataset.entityId;
  const params = new URLSearchParams(location.search);
  const hops = params.get("hops") || "2";
  const asOf = params.get("as_of") || "";
  const form = document.getElementById("net-form");
  document.getElementById("net-hops").value = hops;
  document.getElementById("net-as-of").value = asOf;

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    go(document.getElementById("net-id").value.trim());
  });

  function go(entity) {
    if (!entity) return;
    const q = new URLSearchParams({ hops: document.getElementById("net-hops").value });
    const day = document.getElementById("net-as-of").value;
    if (day) q.set("as_of", day);
    location.assign("/ui/network/" + encodeURIComponent(entity) + "?" + q);
  }

  function share(edge) {
    if (edge.low === null || edge.low === undefined) return "";
    const pct = (x) => Number(x.toPrecision(4)) + "%";
    return edge.low === edge.high ? pct(edge.low) : pct(edge.low) + "-" + pct(edge.high);
  }

  function describe(edge) {
    return [edge.kind.replace(/_/g, " "), share(edge), edge.role ? "(" + edge.role + ")" : ""]
      .filter(Boolean).join(" ");
  }

  function dates(edge) {
    if (!edge.start && !edge.end) return "";
    return (edge.start || "?") + " .. " + (edge.end || "");
  }

  /* path steps name their edge by record and ends; so do the drawn edges */
  function stepKey(recordId, a, b) {
    return [recordId, ...[a, b].sort()].join("\u0000");
  }

  const STYLE = [
    { selector: "node", style: {
      label: "data(label)", "font-size": 10, "text-wrap": "ellipsis", "text-max-width": 120,
      "text-valign": "bottom", "text-margin-y": 3, width: 18, height: 18,
      "background-color": "#98a2b3", color: "#101828" } },
    { selector: "node.value", style: { shape: "round-rectangle", width: 12, height: 12,
      "background-color": "#d0d5dd" } },
    { selector: "node.person", style: { shape: "ellipse", "background-color": "#667085" } },
    { selector: "node.listed", style: { "background-color": "#b42318", width: 24, height: 24 } },
    { selector: "node.center", style: { "background-color": "#1d4ed8", width: 26, height: 26,
      "font-weight": "bold" } },
    { selector: "node.onpath", style: { "border-width": 3, "border-color": "#d92d20" } },
    { selector: "edge", style: {
      width: 1.5, "line-color": "#98a2b3", "target-arrow-color": "#98a2b3",
      "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 0.8,
      label: "data(label)", "font-size": 8, color: "#475467", "text-rotation": "autorotate",
      "text-background-color": "#ffffff", "text-background-opacity": 0.8,
      "text-background-padding": 1 } },
    { selector: "edge.old", style: { "line-style": "dashed" } },
    { selector: "edge.path", style: { width: 4, "line-color": "#d92d20",
      "target-arrow-color": "#d92d20", color: "#b42318", "z-index": 10 } },
    { selector: "edge.chosen", style: { "overlay-color": "#1d4ed8", "overlay-opacity": 0.25,
      "overlay-padding": 4 } },
  ];

  let cy = null;
  const edgesById = new Map();

  function elements(body) {
    const onPath = new Set();
    const pathEdges = new Set();
    for (const path of body.exposure.paths) {
      for (const step of path.steps) {
        pathEdges.add(stepKey(step.record.id, step.from, step.to));
        onPath.add(step.from);
        onPath.add(step.to);
      }
    }
    const out = [];
    for (const node of body.nodes) {
      const classes = [];
      if (node.schema.startsWith("address") || node.schema === "phone" || node.schema === "email"
        || node.id.includes(":")) classes.push("value");
      if (node.schema === "Person") classes.push("person");
      if (node.listed) classes.push("listed");
      if (node.center) classes.push("center");
      if (onPath.has(node.id)) classes.push("onpath");
      out.push({ group: "nodes", data: { id: node.id, label: node.name }, classes });
    }
    for (const edge of body.edges) {
      edgesById.set(edge.id, edge);
      const classes = [];
      if (!edge.current) classes.push("old");
      if (pathEdges.has(stepKey(edge.record.id, edge.source, edge.target))) classes.push("path");
      out.push({ group: "edges", classes, data: {
        id: edge.id, source: edge.source, target: edge.target, label: describe(edge) } });
    }
    return out;
  }

  async function openRecord(edge) {
    const body = document.querySelector("#net-record .body");
    if (cy) {
      cy.edges().removeClass("chosen");
      cy.getElementById(edge.id).addClass("chosen");
    }
    body.replaceChildren(el("p", { class: "muted" }, "Opening " + edge.record.id + " …"));
    const about = el("table", { class: "kv compact" }, el("tbody", {},
      el("tr", {}, el("th", {}, "Edge"), el("td", {}, edge.source + " → " + edge.target)),
      el("tr", {}, el("th", {}, "Kind"), el("td", {}, describe(edge))),
      dates(edge) ? el("tr", {}, el("th", {}, "Valid"), el("td", {}, dates(edge))) : null,
      edge.value ? el("tr", {}, el("th", {}, "Shared value"), el("td", {}, edge.value)) : null,
      el("tr", {}, el("th", {}, "Record"), el("td", { id: "net-record-id" }, edge.record.id)),
      el("tr", {}, el("th", {}, "Read from"),
        el("td", {}, edge.record.file + ", row " + edge.record.row))));
    try {
      const rec = await api("/network/records/" + encodeURIComponent(edge.record.id));
      const rows = Object.entries(rec.properties).map(([prop, values]) =>
        el("tr", {}, el("th", {}, prop), el("td", { class: "net-record-props" },
          values.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join("; "))));
      body.replaceChildren(about,
        el("h3", {}, rec.schema + " record " + rec.id),
        el("p", { class: "hint" }, "registry: " + (rec.registry || "?") + " · load " + rec.load
          + " · " + rec.file + ", row " + rec.row),
        el("table", { class: "kv compact", id: "net-record-props" }, el("tbody", {}, rows)));
    } catch (err) {
      body.replaceChildren(about, el("p", { class: "error" }, err.message));
    }
  }

  function stepEdge(step) {
    for (const edge of edgesById.values()) {
      if (stepKey(edge.record.id, edge.source, edge.target) === stepKey(step.record.id, step.from, step.to)) {
        return edge;
      }
    }
    return { id: "", kind: step.kind, source: step.forward ? step.from : step.to,
      target: step.forward ? step.to : step.from, low: step.low, high: step.high,
      role: step.role, value: step.value, start: step.start, end: step.end, record: step.record };
  }

  function showPaths(body) {
    const box = document.querySelector("#net-paths .body");
    const paths = body.exposure.paths;
    if (!paths.length) {
      box.replaceChildren(el("p", { class: "empty" },
        "No listed party within the hop limit (" + body.exposure.algorithm + ")."));
      return;
    }
    box.replaceChildren(el("p", { class: "hint" }, "Exposure score " + body.exposure.score
      + " (" + body.exposure.algorithm + ", as of " + body.exposure.as_of + ")"),
    ...paths.map((path, i) => el("div", { class: "net-path", "data-path": String(i) },
      el("strong", {}, (i + 1) + ". " + path.listed), " · score " + path.score,
      path.steps.length ? el("ol", {}, path.steps.map((step) => {
        const edge = stepEdge(step);
        const button = el("button", { type: "button", class: "net-step" },
          step.from + " → " + step.to + ": " + describe(edge));
        button.addEventListener("click", () => openRecord(edge));
        return el("li", {}, button, dates(edge) ? " [" + dates(edge) + "]" : "");
      })) : el("p", { class: "muted" }, "this party is listed itself"))));
  }

  function showEdges(body) {
    const section = document.getElementById("net-edges");
    const rows = body.edges.map((edge) => {
      const button = el("button", { type: "button", class: "net-step" }, edge.record.id);
      button.addEventListener("click", () => openRecord(edge));
      // labelled cells: on a narrow screen each row reads as a card (table.stack)
      return el("tr", { "data-edge": edge.id }, el("td", { "data-label": "From" }, edge.source),
        el("td", { "data-label": "Edge" }, describe(edge)),
        el("td", { "data-label": "To" }, edge.target),
        el("td", { "data-label": "Valid" }, dates(edge)),
        el("td", { "data-label": "Record" }, button));
    });
    section.querySelector(".body").replaceChildren(el("table", { class: "compact stack" },
      el("thead", {}, el("tr", {}, el("th", {}, "From"), el("th", {}, "Edge"), el("th", {}, "To"),
        el("th", {}, "Valid"), el("th", {}, "Record"))),
      el("tbody", {}, rows)));
    section.hidden = false;
  }

  /* a neighbourhood larger than the page draws comes cut: say so, and what was left out */
  function showCut(cut) {
    const box = document.getElementById("net-cut");
    if (!cut) return;
    const n = (x) => x.toLocaleString("en");
    box.textContent = "Cut to " + n(cut.limit) + " of " + n(cut.nodes_total)
      + " parties and values: " + n(cut.nodes_left_out) + " parties and values and "
      + n(cut.edges_left_out) + " of " + n(cut.edges_total) + " edges are left out. Kept: "
      + "this party, every party on its paths to listed parties (" + n(cut.kept_for_paths)
      + "), then the nearest. Ask for fewer steps, or centre on a party, to see the rest.";
    box.hidden = false;
  }

  /* rows of a breadth-first drawing are readable up to a few dozen parties a row; a larger
     neighbourhood is drawn as rings around the party, one ring a step */
  function layout(body) {
    const center = cy.getElementById(body.entity);
    if (body.nodes.length <= 100) {
      return { name: "breadthfirst", roots: center, directed: false, spacingFactor: 1.6,
        padding: 24, animate: false };
    }
    const depth = new Map();
    cy.elements().bfs({ roots: center, directed: false,
      visit: (v, e, u, i, d) => { depth.set(v.id(), d); } });
    return { name: "concentric", padding: 24, animate: false, minNodeSpacing: 4,
      concentric: (n) => body.hops + 1 - (depth.get(n.id()) ?? body.hops + 1),
      levelWidth: () => 1 };
  }

  async function load() {
    const q = new URLSearchParams({ hops });
    if (asOf) q.set("as_of", asOf);
    let body;
    try {
      body = await api("/network/neighbourhood/" + encodeURIComponent(id) + "?" + q);
    } catch (err) {
      showError(document.getElementById("net-error"), err.message);
      return;
    }
    document.getElementById("net-body").hidden = false;
    document.getElementById("net-caption").textContent = body.nodes.length + " parties and values, "
      + body.edges.length + " edges within " + body.hops + (body.hops === 1 ? " step" : " steps")
      + " of " + body.entity
      + " (build " + body.build + ", as of " + body.as_of + ")";
    showCut(body.cut);
    showPaths(body);
    showEdges(body);
    cy = cytoscape({
      container: document.getElementById("net-graph"),
      elements: elements(body),
      style: STYLE,
      layout: { name: "preset" },
      minZoom: 0.1,
      maxZoom: 1.3, // a small neighbourhood is not blown up to the panel's size
    });
    cy.layout(layout(body)).run();
    cy.on("tap", "edge", (event) => openRecord(edgesById.get(event.target.id())));
    cy.on("tap", "node", (event) => {
      if (event.target.id() !== body.entity && !event.target.hasClass("value")) go(event.target.id());
    });
    root.dataset.ready = "true";
    window.hermitNetwork = { cy };
  }

  if (id) load();
})();
