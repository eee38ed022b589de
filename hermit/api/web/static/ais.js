/* The AIS map (ais.html): a vessel's track over an offline coastline (Natural Earth land,
   served by hermit, drawn by the vendored Leaflet: no tile server), its port calls, gaps,
   encounters and other events from GET /ais/vessels/{key}, its positions from
   GET /ais/tracks/{mmsi}; an encounter shows both vessels' tracks side by side in time.
   Every value shown is put in as text. */
"use strict";

(() => {
  const { api, el, when, showError } = hermit;
  const COLORS = { track: "#17324d", port: "#1f7a3d", gap: "#8a5a00", enc: "#b42318",
    other: "#6b4fa0", a: "#0b5cad", b: "#c2185b" };
  const STEP_MIN = 10; // rows of the side-by-side table
  const AROUND_MS = 2 * 3600 * 1000; // the encounter's tracks: 2 h before and after
  let map = null;
  let vesselLayer = null;
  let encounterLayer = null;
  let shown = null; // {key, body, track}

  function setUpMap() {
    const box = document.getElementById("ais-map");
    map = L.map(box, { worldCopyJump: true, minZoom: 2, maxZoom: 16, zoomSnap: 0.25 });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Coastline: Natural Earth 1:50m");
    map.setView([30, 130], 3);
    api(box.dataset.land, { prompt: false })
      .then((topo) => {
        const land = topojson.feature(topo, topo.objects.land);
        L.geoJSON(land, { interactive: false, className: "ais-land",
          style: { color: "#9aa7b3", weight: 0.8, fillColor: "#f3f1ea", fillOpacity: 1 } })
          .addTo(map).bringToBack();
        box.dataset.coast = "drawn";
      })
      .catch((err) => showError("ais-error", "coastline: " + err.message));
  }

  const at = (p) => [p[1], p[2]];
  const ms = (iso) => Date.parse(iso + (iso.endsWith("Z") || /[+-]\d\d:\d\d$/.test(iso) ? "" : "Z"));

  /* the track cut at each gap: [[latlng ...], ...] */
  function pieces(track, gaps) {
    const cuts = gaps.map((g) => ms(g.start)).sort((x, y) => x - y);
    const out = [[]];
    let next = 0;
    for (const p of track.positions) {
      const t = ms(p[0]);
      while (next < cuts.length && t > cuts[next]) {
        if (out[out.length - 1].length) out.push([]);
        next += 1;
      }
      out[out.length - 1].push(at(p));
    }
    return out.filter((x) => x.length);
  }

  function kindClass(kind) {
    if (kind === "port_visit") return "port";
    if (kind === "gap") return "gap";
    if (kind === "encounter") return "enc";
    return "other";
  }

  function label(e) {
    if (e.kind === "port_visit") return "port call: " + (e.facts.port || "?");
    if (e.kind === "encounter") return "encounter with " + e.other_mmsi;
    if (e.kind === "gap") return "gap of " + e.duration_h.toFixed(1) + " h";
    return e.kind.replaceAll("_", " ");
  }

  function where(e) {
    if (e.kind === "port_visit") return e.facts.port || "";
    if (e.kind === "encounter") return "MMSI " + e.other_mmsi;
    return e.lat.toFixed(3) + ", " + e.lon.toFixed(3);
  }

  function drawVessel(body, track) {
    if (vesselLayer) vesselLayer.remove();
    vesselLayer = L.layerGroup().addTo(map);
    const gaps = body.events.filter((e) => e.kind === "gap" && e.mmsi === track.mmsi);
    for (const line of pieces(track, gaps)) {
      L.polyline(line, { color: COLORS.track, weight: 2, className: "ais-track" }).addTo(vesselLayer);
    }
    const markers = [];
    const order = { other: 0, gap: 1, port: 2, enc: 3 }; // encounters drawn on top
    const drawn = body.events.map((e, i) => [e, i])
      .sort((x, y) => order[kindClass(x[0].kind)] - order[kindClass(y[0].kind)]);
    drawn.forEach(([e, i]) => {
      const cls = kindClass(e.kind);
      if (e.kind === "gap" && e.facts.end_lat !== undefined) {
        L.polyline([[e.lat, e.lon], [e.facts.end_lat, e.facts.end_lon]],
          { color: COLORS.gap, weight: 2, dashArray: "6 6", className: "ais-gap-line" })
          .bindTooltip(label(e)).addTo(vesselLayer);
      }
      const m = L.circleMarker([e.lat, e.lon], { radius: cls === "gap" ? 4 : 7, color: "#fff",
        weight: 1.5, fillColor: COLORS[cls], fillOpacity: 0.95, className: "ais-" + cls })
        .bindTooltip(label(e) + " · " + when(e.start)).addTo(vesselLayer);
      m.on("click", () => pick(i));
      markers.push(m);
    });
    const points = track.positions.map(at).concat(body.events.map((e) => [e.lat, e.lon]));
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.1), { maxZoom: 12 });
    return markers;
  }

  function listEvents(body) {
    const tbody = document.querySelector("#ais-events tbody");
    tbody.replaceChildren(...body.events.map((e, i) => el("tr", { "data-index": String(i),
      "data-kind": e.kind, tabindex: "0", onclick: () => pick(i),
      onkeydown: (ev) => { if (ev.key === "Enter") pick(i); } },
      el("td", {}, el("span", { class: "sw sw-" + kindClass(e.kind) }), " ", label(e)),
      el("td", { class: "nowrap" }, when(e.start)),
      el("td", { class: "num" }, e.duration_h.toFixed(1)),
      el("td", {}, where(e)))));
    if (!body.events.length) tbody.append(el("tr", {}, el("td", { colspan: "4", class: "muted" }, "no events")));
  }

  async function show(key) {
    showError("ais-error", "");
    document.getElementById("ais-encounter").hidden = true;
    if (encounterLayer) encounterLayer.remove();
    try {
      const body = await api("/ais/vessels/" + encodeURIComponent(key));
      body.events.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
      const mmsi = body.mmsis[0];
      const track = await api("/ais/tracks/" + mmsi);
      shown = { key, body, track };
      const v = body.vessels[0];
      document.getElementById("ais-title").textContent =
        (v.names && v.names.length ? v.names.join(" / ") : "MMSI " + mmsi) + " · MMSI " + mmsi;
      document.getElementById("ais-summary").textContent =
        (v.flag ? "flag " + v.flag + " · " : "") + (v.imos && v.imos.length ? v.imos.join(", ") + " · " : "")
        + track.total + " positions" + (track.step > 1 ? " (every " + track.step + "th drawn)" : "")
        + " · " + when(v.first_ts) + " to " + when(v.last_ts)
        + (body.mmsis.length > 1 ? " · also MMSI " + body.mmsis.slice(1).join(", ") : "");
      drawVessel(body, track);
      listEvents(body);
      document.getElementById("ais-map").dataset.vessel = String(mmsi);
      const url = new URL(location.href);
      url.searchParams.set("vessel", key);
      history.replaceState(null, "", url);
    } catch (err) {
      showError("ais-error", err);
    }
  }

  function pick(i) {
    if (!shown) return;
    const e = shown.body.events[i];
    for (const row of document.querySelectorAll("#ais-events tbody tr")) {
      row.setAttribute("aria-selected", row.dataset.index === String(i) ? "true" : "false");
    }
    if (e.kind === "encounter") {
      encounter(e);
      return;
    }
    const pts = [[e.lat, e.lon]];
    if (e.facts.end_lat !== undefined) pts.push([e.facts.end_lat, e.facts.end_lon]);
    map.fitBounds(L.latLngBounds(pts).pad(0.5), { maxZoom: 11 });
  }

  /* the position of a track at time t (linear between the positions around it; null
     outside the track) */
  function positionAt(track, t) {
    const ps = track.positions;
    if (!ps.length || t < ms(ps[0][0]) || t > ms(ps[ps.length - 1][0])) return null;
    let lo = 0;
    let hi = ps.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (ms(ps[mid][0]) <= t) lo = mid;
      else hi = mid;
    }
    const t0 = ms(ps[lo][0]);
    const t1 = ms(ps[hi][0]);
    const f = t1 > t0 ? (t - t0) / (t1 - t0) : 0;
    return { lat: ps[lo][1] + f * (ps[hi][1] - ps[lo][1]), lon: ps[lo][2] + f * (ps[hi][2] - ps[lo][2]),
      sog: f < 0.5 ? ps[lo][3] : ps[hi][3] };
  }

  function metres(a, b) {
    const r = 6371008.8;
    const rad = Math.PI / 180;
    const dlat = (b.lat - a.lat) * rad;
    const dlon = (b.lon - a.lon) * rad;
    const h = Math.sin(dlat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dlon / 2) ** 2;
    return 2 * r * Math.asin(Math.sqrt(h));
  }

  const fmt = (p) => (p ? p.lat.toFixed(4) + ", " + p.lon.toFixed(4) : "no position");
  const iso = (t) => new Date(t).toISOString().slice(0, 16) + "Z";

  async function encounter(e) {
    const box = document.getElementById("ais-encounter");
    const a = e.mmsi;
    const b = e.other_mmsi;
    const t0 = ms(e.start) - AROUND_MS;
    const t1 = ms(e.end) + AROUND_MS;
    const span = "?from=" + iso(t0) + "&to=" + iso(t1);
    let ta;
    let tb;
    try {
      [ta, tb] = await Promise.all([api("/ais/tracks/" + a + span), api("/ais/tracks/" + b + span)]);
    } catch (err) {
      showError("ais-error", err);
      return;
    }
    if (encounterLayer) encounterLayer.remove();
    encounterLayer = L.layerGroup().addTo(map);
    L.polyline(ta.positions.map(at), { color: COLORS.a, weight: 3, className: "ais-enc-a" }).addTo(encounterLayer);
    L.polyline(tb.positions.map(at), { color: COLORS.b, weight: 3, dashArray: "4 4", className: "ais-enc-b" }).addTo(encounterLayer);
    const ma = L.circleMarker([e.lat, e.lon], { radius: 7, color: "#fff", fillColor: COLORS.a, fillOpacity: 1 }).addTo(encounterLayer);
    const mb = L.circleMarker([e.lat, e.lon], { radius: 7, color: "#fff", fillColor: COLORS.b, fillOpacity: 1 }).addTo(encounterLayer);
    const all = ta.positions.map(at).concat(tb.positions.map(at));
    if (all.length) map.fitBounds(L.latLngBounds(all).pad(0.2), { maxZoom: 14 });

    document.getElementById("enc-title").textContent = "Encounter: A MMSI " + a + " and B MMSI " + b
      + ", " + when(e.start) + " to " + when(e.end) + " UTC (" + e.duration_h.toFixed(1) + " h, "
      + e.algorithm + ")";
    document.getElementById("enc-reasons").textContent = e.reasons.join("; ");
    const rows = [];
    const start = Math.ceil(t0 / 60000 / STEP_MIN) * 60000 * STEP_MIN;
    for (let t = start; t <= t1; t += STEP_MIN * 60000) {
      const pa = positionAt(ta, t);
      const pb = positionAt(tb, t);
      const inside = t >= ms(e.start) && t <= ms(e.end);
      rows.push(el("tr", { "data-t": String(t), class: inside ? "during" : "" },
        el("td", { class: "nowrap mono" }, when(new Date(t).toISOString()) + (inside ? " ●" : "")),
        el("td", { class: "mono enc-a" }, fmt(pa)),
        el("td", { class: "num" }, pa && pa.sog !== null ? pa.sog.toFixed(1) : ""),
        el("td", { class: "mono enc-b" }, fmt(pb)),
        el("td", { class: "num" }, pb && pb.sog !== null ? pb.sog.toFixed(1) : ""),
        el("td", { class: "num" }, pa && pb ? Math.round(metres(pa, pb)).toLocaleString("en") : "")));
    }
    document.querySelector("#enc-pair tbody").replaceChildren(...rows);

    const slider = document.getElementById("enc-time");
    slider.min = String(t0);
    slider.max = String(t1);
    slider.value = String(ms(e.start));
    const move = () => {
      const t = Number(slider.value);
      const pa = positionAt(ta, t);
      const pb = positionAt(tb, t);
      if (pa) ma.setLatLng([pa.lat, pa.lon]);
      if (pb) mb.setLatLng([pb.lat, pb.lon]);
      document.getElementById("enc-time-label").textContent = when(new Date(t).toISOString());
      document.getElementById("enc-distance").textContent =
        pa && pb ? Math.round(metres(pa, pb)).toLocaleString("en") + " m apart" : "one vessel has no position";
      const near = Math.round(t / 60000 / STEP_MIN) * 60000 * STEP_MIN;
      for (const row of document.querySelectorAll("#enc-pair tbody tr")) {
        row.classList.toggle("now", row.dataset.t === String(near));
      }
    };
    slider.oninput = move;
    move();
    box.hidden = false;
    box.dataset.a = String(a);
    box.dataset.b = String(b);
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpMap();
    const form = document.getElementById("ais-form");
    const input = document.getElementById("ais-key");
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (input.value.trim()) show(input.value.trim());
    });
    hermit.onKey(() => { if (input.value.trim()) show(input.value.trim()); });
    if (input.value.trim()) show(input.value.trim());
  });
})();
