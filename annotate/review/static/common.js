/* examkit review: helpers every view uses. Text from OCR or teachers is only ever set with
   textContent or .value, never as HTML. */
"use strict";
const Examkit = (() => {
  function data() {
    const node = document.getElementById("view-data");
    return node ? JSON.parse(node.textContent) : {};
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (key in node && key !== "list") node[key] = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /* The one number rule of the page: numbers are shown the German way ("16,5") and typed either
     way ("16,5" or "16.5"). number() answers null for an empty field and NaN for anything else
     that is not a finite number; such a field is never counted. */
  function number(text) {
    const value = String(text ?? "").trim();
    if (value === "") return null;
    if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return NaN;
    return Number(value.replace(",", "."));
  }
  function fmt(n) {
    if (typeof n !== "number" || !Number.isFinite(n)) return "";
    return String(Math.round(n * 1e6) / 1e6).replace(".", ",");
  }
  /* "1 gespeicherte Fassung", "2 gespeicherte Fassungen". */
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  let hideTimer = null;
  function say(text, kind = "info", sticky = false) {
    const box = document.getElementById("message");
    box.textContent = text;
    box.className = "message " + kind;
    box.hidden = false;
    clearTimeout(hideTimer);
    if (!sticky) hideTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  /* JSON to and from the API; answers {status, data}. Network failures become status 0. */
  async function api(method, url, body) {
    try {
      const response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
      let payload = null;
      try { payload = await response.json(); } catch (e) { payload = null; }
      return { status: response.status, data: payload };
    } catch (e) {
      return { status: 0, data: { detail: "Der examkit-Server antwortet nicht. Läuft er noch?" } };
    }
  }

  /* Explain a failed answer in the page (404: vanished; 403: token; 413: too large). */
  function explain(result) {
    const detail = (result.data && result.data.detail) || "";
    if (result.status === 404) say(detail || "Nicht gefunden – das Dokument gibt es nicht mehr.", "error", true);
    else if (result.status === 403) say("Kein Zugang mehr – öffnen Sie die Adresse aus dem Terminal erneut.", "error", true);
    else if (result.status === 413) say(detail || "Zu groß zum Speichern.", "error", true);
    else if (result.status === 422) say("Nicht gespeichert – bitte prüfen: " + (typeof detail === "string" ? detail : "ungültige Eingabe"), "error", true);
    else say(detail || "Speichern fehlgeschlagen (Fehler " + result.status + ").", "error", true);
  }

  /* `text` with the words that `other` lacks marked (<mark>), by revision.js's word diff;
     set as text nodes, never as HTML. */
  function markDifferences(node, text, other) {
    node.replaceChildren(...ExamkitDiff.words(other, text).filter((p) => p.op !== "del").flatMap((p) => {
      if (p.op === "same") return [document.createTextNode(p.text)];
      const [, words, space] = p.text.match(/^([\s\S]*?)(\s*)$/);
      return [el("mark", { text: words }), document.createTextNode(space)];
    }));
  }

  /* The 409 dialog: the other version beside the user's, differences marked; resolves to "keep",
     "reload" or "cancel". The first button (cancel) has the focus, and Enter only ever chooses
     a button marked data-safe: a stray Enter (the editor's save key) never discards anyone's text. */
  function conflict(theirs, mine, what = "Seite") {
    const dialog = document.getElementById("conflict");
    const slot = (name) => dialog.querySelector(`[data-slot="${name}"]`);
    const other = theirs ? theirs.text : "";
    slot("title").textContent = what === "Zeile" ? "Diese Zeile wurde inzwischen anderswo gespeichert"
      : `Diese ${what} wurde inzwischen anderswo gespeichert`;
    slot("author").textContent = theirs ? theirs.author : "jemand";
    slot("when").textContent = theirs ? theirs.when : "";
    markDifferences(slot("theirs"), other, mine);
    markDifferences(slot("mine"), mine, other);
    return new Promise((resolve) => {
      const done = (choice) => {
        dialog.removeEventListener("click", onClick);
        dialog.removeEventListener("keydown", onKey, true);
        dialog.close();
        resolve(choice);
      };
      const onClick = (event) => {
        const action = event.target.dataset && event.target.dataset.action;
        if (action) done(action);
      };
      const onKey = (event) => {
        if (event.key !== "Enter") return;
        event.preventDefault();
        const focused = document.activeElement;
        if (focused && focused.dataset && focused.dataset.safe !== undefined && focused.dataset.action) done(focused.dataset.action);
      };
      dialog.addEventListener("click", onClick);
      dialog.addEventListener("keydown", onKey, true);
      dialog.addEventListener("cancel", (event) => { event.preventDefault(); done("cancel"); }, { once: true });
      dialog.showModal();
      dialog.querySelector('[data-action="cancel"]').focus();
    });
  }

  /* The one answer to a 409 (a save based on an older version): the dialog, then "reload" keeps
     `mine` across the reload, "keep" hands the other version to `keepMine` (which saves mine on
     top of it and returns its result), and "cancel" says nothing was saved and where `mine` still is. */
  async function afterConflict(theirs, mine, keepMine, stillThere) {
    const choice = await conflict(theirs, mine);
    if (choice === "reload") { reloadKeeping(mine); return false; }
    if (choice === "keep") return keepMine(theirs);
    say(`Nicht gespeichert. ${stillThere}`, "warn", true);
    return false;
  }

  /* "Neu laden" after a conflict: the user's text must survive the reload (nothing silently lost),
     so it is kept in this tab's sessionStorage and shown again by showKept() on the new page. */
  const KEPT = "examkit-kept:";
  let leaving = false;
  function reloadKeeping(text) {
    try { sessionStorage.setItem(KEPT + location.pathname, text); } catch (e) { /* storage full: the dialog showed it */ }
    leaving = true;
    window.location.reload();
  }
  function isLeaving() { return leaving; }
  function showKept() {
    let text = null;
    try { text = sessionStorage.getItem(KEPT + location.pathname); } catch (e) { text = null; }
    if (text === null) return;
    sessionStorage.removeItem(KEPT + location.pathname);
    const box = el("section", { class: "kept", "data-testid": "kept-text" },
      el("h3", { text: "Ihre nicht gespeicherte Fassung (vor dem Neuladen)" }),
      el("p", { class: "muted small", text: "Kopieren Sie daraus, was Sie übernehmen möchten; gespeichert ist sie nicht." }),
      el("textarea", { readOnly: true, rows: 8, value: text }),
      el("button", { type: "button", text: "Ausblenden", onclick: () => box.remove() }));
    (document.querySelector("main") || document.body).prepend(box);
  }
  document.addEventListener("DOMContentLoaded", showKept);

  const SOURCE = { review: "Durchsicht", import: "Texteditor", ocr: "Texterkennung", "ground-truth": "Referenz",
                   teacher: "Lehrkraft", draft: "Entwurf" };

  /* showText(title, text, previous) lives in revision.js (one saved version with its changes). */
  return { data, el, number, fmt, plural, say, api, explain, conflict, afterConflict, reloadKeeping, isLeaving, SOURCE };
})();
