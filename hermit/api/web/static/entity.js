/* Entity page: GET /entities/{id} (relations nested) laid out for an analyst: names with
   alias quality, identifiers, birth and nationality, sanctions programs, addresses, list
   versions, provenance and linked entities; every other statement below. */
"use strict";

(() => {
  const { api, el, country, when, entityUrl, showError } = hermit;
  const NAME_PROPS = ["name", "alias", "weakAlias", "previousName"];
  const NAME_PARTS = ["title", "firstName", "secondName", "middleName", "fatherName",
    "motherName", "lastName", "nameSuffix"];
  const IDENTITY_PROPS = ["birthDate", "birthPlace", "deathDate", "gender", "nationality",
    "citizenship", "country", "jurisdiction", "flag", "incorporationDate", "passportNumber",
    "idNumber", "imoNumber", "mmsi", "callSign", "registrationNumber", "taxNumber",
    "innCode", "ogrnCode", "leiCode", "swiftBic", "email", "phone", "website",
    "buildDate", "tonnage", "grossRegisteredTonnage", "type"];
  const COUNTRY_PROPS = ["nationality", "citizenship", "country", "jurisdiction", "flag"];
  const SHOWN = new Set([...NAME_PROPS, ...NAME_PARTS, ...IDENTITY_PROPS, "address",
    "program", "sanctions", "identification", "addressEntity"]);
  const LABELS = { name: "name", alias: "alias", weakAlias: "weak alias",
    previousName: "previous name" };

  const root = document.getElementById("entity");
  const id = root.dataset.entityId;

  function words(prop) {
    return prop.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  }

  function text(value) {
    return typeof value === "string" ? value : value && value.caption ? value.caption : String(value);
  }

  function shown(prop, value) {
    return COUNTRY_PROPS.includes(prop) ? country(value) : value;
  }

  function fill(section, ...nodes) {
    const body = document.querySelector("#" + section + " .body");
    const kept = nodes.flat().filter(Boolean);
    body.replaceChildren(...(kept.length ? kept : [el("p", { class: "empty" }, "none listed")]));
  }

  function kvTable(rows) {
    if (!rows.length) return null;
    return el("table", { class: "kv compact" }, el("tbody", {}, rows.map(([k, v]) =>
      el("tr", {}, el("th", {}, k), el("td", {}, v)))));
  }

  function qualifierIndex(entity) {
    const index = new Map();
    for (const [prop, value, qualifier] of entity.qualifiers || []) {
      const key = prop + "\u0000" + value;
      index.set(key, (index.has(key) ? index.get(key) + "; " : "") + qualifier);
    }
    return (prop, value) => index.get(prop + "\u0000" + value) || "";
  }

  function names(entity, q) {
    const p = entity.properties;
    const rows = [];
    for (const prop of NAME_PROPS) {
      for (const value of p[prop] || []) {
        rows.push(el("tr", {}, el("td", {}, value), el("td", { class: "muted nowrap" }, LABELS[prop]),
          el("td", {}, q(prop, value))));
      }
    }
    const parts = NAME_PARTS.filter((prop) => p[prop]).map((prop) =>
      el("span", { class: "tag" }, words(prop) + ": " + p[prop].join(", ")));
    return [
      el("table", { class: "compact" },
        el("thead", {}, el("tr", {}, el("th", {}, "Name"), el("th", {}, "Kind"),
          el("th", {}, "Quality / as listed"))),
        el("tbody", {}, rows)),
      parts.length ? el("p", { class: "hint" }, "Name parts: ", parts) : null,
    ];
  }

  function identity(entity, q) {
    const p = entity.properties;
    const rows = [];
    for (const prop of IDENTITY_PROPS) {
      if (!p[prop]) continue;
      const values = p[prop].map((v) => {
        const note = q(prop, v);
        return el("div", {}, shown(prop, text(v)), note ? el("span", { class: "muted" }, " (" + note + ")") : null);
      });
      rows.push([words(prop), values]);
    }
    const docs = (p.identification || []).filter((d) => typeof d === "object").map((d) => {
      const dp = d.properties || {};
      const bits = [dp.type, dp.country ? dp.country.map(country).join(", ") : null,
        dp.issueDate ? "issued " + dp.issueDate.join(", ") : null,
        dp.expiryDate ? "expires " + dp.expiryDate.join(", ") : null,
        dp.summary].flat().filter(Boolean);
      return el("div", {}, el("span", { class: "mono" }, (dp.number || [d.caption]).join(", ")),
        bits.length ? el("span", { class: "muted" }, " · " + bits.join(" · ")) : null);
    });
    if (docs.length) rows.push([entity.schema === "Person" ? "identity documents" : "documents", docs]);
    return kvTable(rows);
  }

  function sanctions(entity) {
    const p = entity.properties;
    const nested = (p.sanctions || []).filter((s) => typeof s === "object");
    const blocks = nested.map((s) => {
      const sp = s.properties || {};
      const rows = [];
      for (const prop of ["authority", "program", "unscId", "listingDate", "startDate",
        "modifiedAt", "provisions", "reason", "recordId", "summary", "sourceUrl"]) {
        if (sp[prop]) rows.push([words(prop), sp[prop].join(", ")]);
      }
      return el("div", { class: "sanction" },
        el("div", {}, el("strong", {}, (sp.program || [s.caption]).join(", ")),
          " ", el("span", { class: "muted" }, (sp.authority || []).join(", "))),
        kvTable(rows));
    });
    const programs = (p.program || []).map((prog) => el("span", { class: "tag" }, prog));
    return [
      programs.length ? el("p", {}, "Programs: ", programs) : null,
      ...blocks,
    ];
  }

  function addresses(entity) {
    const p = entity.properties;
    const nested = (p.addressEntity || []).filter((a) => typeof a === "object");
    const seen = new Set();
    const items = [];
    for (const a of nested) {
      const ap = a.properties || {};
      const full = (ap.full || [a.caption]).join(", ");
      seen.add(full);
      const where = (ap.country || []).map(country).join(", ");
      items.push(el("li", {}, full, where ? el("span", { class: "muted" }, " · " + where) : null));
    }
    for (const value of p.address || []) {
      if (!seen.has(value)) items.push(el("li", {}, value));
    }
    return items.length ? el("ul", {}, items) : null;
  }

  function versions(entity) {
    const v = (ref) => ref ? [el("span", {}, ref.label), el("span", { class: "muted" }, " · loaded " + when(ref.loaded_at))] : "";
    const prov = entity.provenance || {};
    const rows = [
      ["first seen", v(entity.first_seen_version)],
      ["last changed", v(entity.last_change_version)],
      ["current", v(entity.current_version)],
      ["list", prov.dataset || entity.datasets.join(", ")],
      ["record id", prov.record_id ? el("code", {}, prov.record_id) : ""],
      ["file", prov.file ? el("code", {}, prov.file) : ""],
      ["line", prov.line !== undefined && prov.line !== null ? String(prov.line) : ""],
    ];
    for (const [k, value] of Object.entries(prov)) {
      if (!["dataset", "record_id", "file", "line"].includes(k) && value !== null) {
        rows.push([words(k), typeof value === "object" ? JSON.stringify(value) : String(value)]);
      }
    }
    return kvTable(rows.filter(([, value]) => value !== ""));
  }

  /* The parties linked to this one and those it is linked to, named by the service
     (GET /entities/{id} resolves each link entity to the party at its other end). */
  function links(entity) {
    const found = entity.links || [];
    if (!found.length) return null;
    const details = found.some((link) => link.details.length);
    const body = el("tbody", {});
    for (const link of found) {
      body.append(el("tr", { "data-direction": link.direction },
        el("td", {},
          el("a", { href: entityUrl(link.id), "data-link": link.id }, link.caption),
          el("div", { class: "sub" }, link.schema, " · ", el("code", {}, link.id),
            " · ", link.datasets.join(", "))),
        el("td", { class: "muted" }, link.phrase),
        details ? el("td", {}, link.details.join("; ")) : null));
    }
    return el("table", { class: "compact" },
      el("thead", {}, el("tr", {}, el("th", {}, "Party"), el("th", {}, "Relation"),
        details ? el("th", {}, "As listed") : null)),
      body);
  }

  function others(entity) {
    const rows = [];
    const q = qualifierIndex(entity);
    for (const [prop, values] of Object.entries(entity.properties)) {
      if (SHOWN.has(prop)) continue;
      if (values.some((v) => typeof v === "object")) continue;
      rows.push([words(prop), values.map((v) => {
        const note = q(prop, v);
        return el("div", {}, shown(prop, v), note ? el("span", { class: "muted" }, " (" + note + ")") : null);
      })]);
    }
    return kvTable(rows);
  }

  function render(entity) {
    document.title = entity.caption + " · hermit";
    document.getElementById("e-caption").textContent = entity.caption;
    document.getElementById("e-sub").replaceChildren(
      el("span", { class: "tag" }, entity.schema),
      ...entity.datasets.map((ds) => el("span", { class: "tag" }, ds)),
      el("code", {}, entity.id));
    const params = new URLSearchParams({ name: entity.caption });
    if (["Person", "Organization", "Company", "Vessel"].includes(entity.schema)) {
      params.set("schema", entity.schema);
    }
    document.getElementById("e-screen").href = "/?" + params;
    const q = qualifierIndex(entity);
    fill("s-names", names(entity, q));
    fill("s-identity", identity(entity, q));
    fill("s-sanctions", sanctions(entity));
    fill("s-addresses", addresses(entity));
    fill("s-versions", versions(entity));
    fill("s-links", links(entity));
    fill("s-other", others(entity));
    document.getElementById("e-sections").hidden = false;
  }

  async function load() {
    showError("entity-error", "");
    try {
      render(await api("/entities/" + encodeURIComponent(id)));
    } catch (err) {
      showError("entity-error", err);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    hermit.onKey(load);
    load();
  });
})();
