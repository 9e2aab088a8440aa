// Line editor: each OCR line's image crop above its text. Enter saves and moves on.
"use strict";
(function () {
  const data = ek.data("page-data");
  const list = document.getElementById("lines");
  const state = document.getElementById("state");
  let base = data.base;
  const initial = data.text.split("\n");
  const count = Math.max(initial.length, data.lines.length);
  const inputs = [];

  for (let i = 0; i < count; i++) {
    const line = data.lines[i];
    const li = ek.el("li", { class: "line" });
    if (line) {
      const img = ek.el("img", { alt: "Zeile " + (i + 1), loading: "lazy" });
      img.src = "/img/pages/" + data.page.id + "/lines/" + i + ".png";
      li.append(img);
    }
    const input = ek.el("input", { type: "text", spellcheck: true });
    input.setAttribute("aria-label", "Zeile " + (i + 1));
    input.setAttribute("data-testid", "line-text");
    input.value = initial[i] !== undefined ? initial[i] : "";
    if (line) {
      const c = line.conf;
      input.classList.add(c < 0 ? "conf-unknown" : c < 60 ? "conf-low" : c < 85 ? "conf-mid" : "conf-high");
      if (line.flagged) input.classList.add("flagged");
    }
    li.append(input);
    list.append(li);
    inputs.push(input);
  }
  const pageText = () => inputs.map((i) => i.value).join("\n");
  let saved = pageText();

  function setState() {
    const dirty = pageText() !== saved;
    state.textContent = (dirty ? "Ungespeicherte Änderungen" : "Gespeichert") + (data.reviewed ? " · geprüft ✓" : "");
    state.classList.toggle("dirty", dirty);
  }

  async function save() {
    const mine = pageText();
    if (mine === saved) return true;
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/text", { text: mine, base: base });
    if (res.status === 200) {
      base = res.body.revision; saved = mine; ek.banner(null);
      ek.renderHistory(res.body.history, restore); setState(); ek.toast("Gespeichert");
      return true;
    }
    ek.handleError(res, (body) => ek.conflict(mine, () => { base = body.current_revision; saved = null; save(); }));
    return false;
  }

  async function restore(id) {
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/restore", { revision: id, base: base });
    if (res.status === 200) { ek.leaving = true; location.reload(); return; }
    ek.handleError(res, null);
  }

  // Words OCR doubted, in reading order: [line index, position of the word in the line].
  const flagged = [];
  data.words.forEach((w) => {
    if (!w.flagged) return;
    const input = inputs[w.line];
    if (!input) return;
    const at = input.value.indexOf(w.text);
    flagged.push([w.line, at < 0 ? 0 : at, w.text.length]);
  });

  function jumpFlagged(direction) {
    const active = inputs.indexOf(document.activeElement);
    const cur = [active < 0 ? -1 : active, active < 0 ? -1 : document.activeElement.selectionStart];
    const order = direction > 0 ? flagged : flagged.slice().reverse();
    const next = order.find(([l, p]) => direction > 0 ? (l > cur[0] || (l === cur[0] && p > cur[1])) : (l < cur[0] || (l === cur[0] && p < cur[1])));
    if (!next) { ek.toast(direction > 0 ? "Kein weiteres unsicheres Wort" : "Kein vorheriges unsicheres Wort"); return; }
    const input = inputs[next[0]];
    input.focus();
    input.setSelectionRange(next[1], next[1] + next[2]);
    input.scrollIntoView({ block: "center" });
  }

  inputs.forEach((input, i) => {
    input.addEventListener("input", setState);
    input.addEventListener("keydown", async (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        if (await save() && inputs[i + 1]) { inputs[i + 1].focus(); inputs[i + 1].scrollIntoView({ block: "center" }); }
      } else if (e.altKey && e.key === "ArrowDown") { e.preventDefault(); jumpFlagged(1); }
      else if (e.altKey && e.key === "ArrowUp") { e.preventDefault(); jumpFlagged(-1); }
    });
  });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("mark-reviewed").addEventListener("click", async () => {
    if (!(await save())) return;
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/reviewed", { reviewed: true });
    if (res.status === 200) { data.reviewed = true; setState(); ek.toast("Seite als geprüft markiert"); }
    else ek.handleError(res, null);
  });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
  });
  window.addEventListener("beforeunload", (e) => { if (!ek.leaving && pageText() !== saved) { e.preventDefault(); e.returnValue = ""; } });
  ek.renderHistory(data.history, restore);
  ek.restoreUnsaved();
  setState();
  if (inputs[0]) inputs[0].focus();
})();
