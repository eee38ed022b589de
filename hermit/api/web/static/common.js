/* hermit web interface: what every page shares. The pages call the same JSON endpoints
   as any client; a key (when the service needs one) is kept in sessionStorage for this
   tab only and sent as "Authorization: ApiKey <key>". */
"use strict";

const hermit = (() => {
  const KEY = "hermit.apiKey";
  let retry = null; // what to run again once a key is given

  function key() {
    return sessionStorage.getItem(KEY) || "";
  }

  function setKey(value) {
    const text = (value || "").trim();
    if (text) sessionStorage.setItem(KEY, text);
    else sessionStorage.removeItem(KEY);
    showKeyState();
  }

  function headers(extra) {
    const h = Object.assign({ Accept: "application/json" }, extra || {});
    const k = key();
    if (k) h.Authorization = "ApiKey " + k;
    return h;
  }

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  /* fetch JSON; a 401 shows the key prompt (unless options.prompt is false) and throws. */
  async function api(path, options) {
    const opts = Object.assign({}, options || {});
    opts.headers = headers(opts.headers);
    let response;
    try {
      response = await fetch(path, opts);
    } catch (err) {
      throw new ApiError(0, "the service does not answer (" + err.message + ")");
    }
    let body = null;
    const type = response.headers.get("content-type") || "";
    if (type.includes("application/json")) body = await response.json();
    if (!response.ok) {
      const detail = body && body.detail ? body.detail : response.status + " " + response.statusText;
      if (response.status === 401 && opts.prompt !== false) askForKey(detail);
      throw new ApiError(response.status, detail);
    }
    return body;
  }

  function onKey(fn) {
    retry = fn;
  }

  function askForKey(detail) {
    const box = document.getElementById("keyprompt");
    if (!box) return;
    box.hidden = false;
    document.getElementById("keyprompt-detail").textContent = detail || "";
    const input = document.getElementById("keyprompt-key");
    input.value = "";
    input.focus();
  }

  function showKeyState() {
    const state = document.getElementById("keystate-text");
    const forget = document.getElementById("keystate-forget");
    if (!state) return;
    const k = key();
    state.textContent = k ? "API key: " + k.slice(0, 11) + "…" : "no API key";
    forget.hidden = !k;
  }

  function wireKeyPrompt() {
    const form = document.getElementById("keyprompt-form");
    if (form) {
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        setKey(document.getElementById("keyprompt-key").value);
        document.getElementById("keyprompt").hidden = true;
        if (retry) retry();
      });
    }
    const forget = document.getElementById("keystate-forget");
    if (forget) forget.addEventListener("click", () => setKey(""));
    const give = document.getElementById("keystate-give");
    if (give) give.addEventListener("click", () => askForKey("Give an API key for this tab."));
    showKeyState();
  }

  /* el("td", {class: "num"}, "text", child, ...): a DOM element, text never parsed as HTML */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "style") node.style.cssText = value; // not an attribute: CSP allows it
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  let regions = null;
  function country(code) {
    if (!code || code.length !== 2) return code;
    try {
      regions = regions || new Intl.DisplayNames(["en"], { type: "region" });
      const name = regions.of(code.toUpperCase());
      return name && name !== code.toUpperCase() ? name + " (" + code + ")" : code;
    } catch (err) {
      return code;
    }
  }

  function day(iso) {
    return iso ? String(iso).slice(0, 10) : "";
  }

  function when(iso) {
    if (!iso) return "";
    return String(iso).slice(0, 16).replace("T", " ");
  }

  function signed(value) {
    const text = Math.abs(value).toFixed(2);
    return value > 0 ? "+" + text : value < 0 ? "−" + text : "±" + text;
  }

  function entityUrl(id) {
    return "/ui/entities/" + encodeURIComponent(id);
  }

  /* Show a message in an error box (empty: hide it). A refusal for want of a key is
     not repeated there: the key prompt says it. */
  function showError(target, message) {
    if (message instanceof ApiError && message.status === 401) message = "";
    else if (message instanceof Error) message = message.message;
    const box = typeof target === "string" ? document.getElementById(target) : target;
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  /* Save a fetched file (a download that had to send the key's header): its name from
     Content-Disposition, else ``fallback``. */
  async function saveResponse(response, fallback) {
    const disposition = response.headers.get("content-disposition") || "";
    const match = /filename="?([^";]+)"?/.exec(disposition);
    const url = URL.createObjectURL(await response.blob());
    const save = el("a", { href: url, download: match ? match[1] : fallback });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function isTyping(event) {
    const t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA"
      || t.isContentEditable);
  }

  /* On a narrow screen a table.stack shows each row as a card (hermit.css): each cell is
     labelled with its column's header (data-label), except under a header marked
     .nolabel (a caption, an explanation: they speak for themselves). */
  function labelCells(table) {
    const heads = [...table.querySelectorAll("thead th")].map((th) =>
      th.classList.contains("nolabel") ? "" : th.textContent.trim());
    for (const row of table.querySelectorAll("tbody tr")) {
      [...row.children].forEach((cell, i) => {
        if (heads[i] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", heads[i]);
        }
      });
    }
  }

  function watchStackedTables() {
    for (const table of document.querySelectorAll("table.stack")) {
      labelCells(table);
      new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
    }
  }

  document.addEventListener("DOMContentLoaded", wireKeyPrompt);
  document.addEventListener("DOMContentLoaded", watchStackedTables);

  return { key, setKey, headers, api, onKey, askForKey, el, country, day, when, signed,
    entityUrl, showError, isTyping, saveResponse, ApiError };
})();
