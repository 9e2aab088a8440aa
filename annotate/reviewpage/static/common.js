// Shared helpers for the review pages. User text only ever goes through textContent / value.
"use strict";

const ek = {};

ek.el = function (tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
};

ek.data = function (id) {
  return JSON.parse(document.getElementById(id).textContent);
};

// fetch JSON; resolves to {status, body}; network errors become status 0.
ek.api = async function (method, url, body) {
  try {
    const resp = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    let data = {};
    try { data = await resp.json(); } catch (e) { data = {}; }
    return { status: resp.status, body: data };
  } catch (e) {
    return { status: 0, body: { error: "Der Server antwortet nicht. Läuft `examkit review serve` noch?" } };
  }
};

ek.toast = function (text) {
  const t = document.getElementById("toast");
  t.textContent = text;
  t.classList.add("show");
  clearTimeout(ek._toastTimer);
  ek._toastTimer = setTimeout(() => t.classList.remove("show"), 2200);
};

ek.banner = function (text) {
  const b = document.getElementById("banner");
  if (!text) { b.hidden = true; b.textContent = ""; return; }
  b.textContent = text;
  b.hidden = false;
};

// A failed save: 409 shows the conflict box, anything else a banner. Returns true if handled.
ek.handleError = function (res, conflict) {
  if (res.status === 409 && conflict) { conflict(res.body); return true; }
  ek.banner(res.body && res.body.error ? res.body.error : "Speichern fehlgeschlagen (Fehler " + res.status + ").");
  return true;
};

// The conflict box: reload (your text stays shown to copy) or keep both (save yours on top).
ek.conflict = function (mine, onKeep) {
  const box = document.getElementById("conflict");
  box.hidden = false;
  document.getElementById("conflict-mine-box").hidden = true;
  document.getElementById("conflict-mine").value = mine;
  document.getElementById("conflict-reload").onclick = () => {
    try { sessionStorage.setItem("examkit-unsaved:" + location.pathname, mine); } catch (e) { /* ignore */ }
    ek.leaving = true;
    location.reload();
  };
  document.getElementById("conflict-keep").onclick = () => { box.hidden = true; onKeep(); };
  document.getElementById("conflict-keep").focus();
};

// After a reload chosen in the conflict box: show the text that was not saved.
ek.restoreUnsaved = function () {
  let mine = null;
  try {
    mine = sessionStorage.getItem("examkit-unsaved:" + location.pathname);
    sessionStorage.removeItem("examkit-unsaved:" + location.pathname);
  } catch (e) { mine = null; }
  if (mine === null) return;
  const box = document.getElementById("conflict");
  if (!box) return;
  box.hidden = false;
  box.querySelector("h2").textContent = "Neuere Fassung geladen – Ihr ungespeicherter Text steht unten";
  box.querySelector(".conflict-actions").hidden = true;
  document.getElementById("conflict-mine-box").hidden = false;
  document.getElementById("conflict-mine").value = mine;
};

ek.renderHistory = function (history, onRestore) {
  const list = document.getElementById("history-list");
  document.getElementById("history-count").textContent = history.length;
  list.replaceChildren();
  history.forEach((h, i) => {
    const li = ek.el("li");
    li.append(ek.el("span", { class: "who" }, h.when + " · " + h.author + (i === 0 ? " (aktuell)" : "")));
    const pre = ek.el("div", { class: "snippet" }, h.text.slice(0, 160) + (h.text.length > 160 ? " …" : ""));
    li.append(pre);
    if (i > 0) {
      const b = ek.el("button", { type: "button", class: "small" }, "Wiederherstellen");
      b.addEventListener("click", () => onRestore(h.id));
      li.append(b);
    }
    list.append(li);
  });
};
