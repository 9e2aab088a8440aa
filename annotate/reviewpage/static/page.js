// Page view: the page image with word boxes, the editable text, save / conflict / history.
"use strict";
(function () {
  const data = ek.data("page-data");
  const text = document.getElementById("page-text");
  const overlay = document.getElementById("overlay");
  const state = document.getElementById("state");
  let base = data.base;
  let saved = data.text;
  text.value = data.text;

  function setState() {
    const dirty = text.value !== saved;
    state.textContent = (dirty ? "Ungespeicherte Änderungen" : "Gespeichert") + (data.reviewed ? " · geprüft ✓" : "");
    state.classList.toggle("dirty", dirty);
  }

  // Where a word of the OCR reading is in the (possibly edited) text: the occurrence of its
  // text nearest to where it would be proportionally.
  function wordPosition(w) {
    const value = text.value;
    if (value === data.ocr_text) return w.offset;
    const expected = data.ocr_text.length ? w.offset * value.length / data.ocr_text.length : 0;
    let best = -1, bestDist = Infinity, i = value.indexOf(w.text);
    while (i !== -1) {
      const d = Math.abs(i - expected);
      if (d < bestDist) { best = i; bestDist = d; }
      i = value.indexOf(w.text, i + 1);
    }
    return best === -1 ? Math.min(Math.round(expected), value.length) : best;
  }

  const boxes = [];
  data.words.forEach((w, n) => {
    const cls = "word " + (w.conf < 0 ? "conf-unknown" : w.conf < 60 ? "conf-low" : w.conf < 85 ? "conf-mid" : "conf-high") + (w.flagged ? " flagged" : "");
    const b = ek.el("div", { class: cls, title: w.text + " (" + Math.round(w.conf) + " %)" });
    b.style.left = w.box[0] + "%"; b.style.top = w.box[1] + "%";
    b.style.width = w.box[2] + "%"; b.style.height = w.box[3] + "%";
    b.addEventListener("click", () => {
      const pos = wordPosition(w);
      text.focus();
      text.setSelectionRange(pos, pos + w.text.length);
      highlight(n);
    });
    overlay.append(b);
    boxes.push(b);
  });
  data.marks.forEach((m) => {
    const b = ek.el("div", { class: "mark mark-" + m.kind, title: "Lehrer-Markierung: " + m.text });
    b.style.left = m.box[0] + "%"; b.style.top = m.box[1] + "%";
    b.style.width = m.box[2] + "%"; b.style.height = m.box[3] + "%";
    overlay.append(b);
  });

  function highlight(n) {
    boxes.forEach((b, i) => b.classList.toggle("current", i === n));
  }

  // And back: the cursor in the text highlights the nearest word box with the same text.
  function fromCursor() {
    const pos = text.selectionStart;
    let best = -1, bestDist = Infinity;
    data.words.forEach((w, n) => {
      const p = wordPosition(w);
      if (pos >= p && pos <= p + w.text.length) {
        const d = Math.abs(pos - p);
        if (d < bestDist) { best = n; bestDist = d; }
      }
    });
    highlight(best);
    if (best >= 0) boxes[best].scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  text.addEventListener("click", fromCursor);
  text.addEventListener("keyup", (e) => { if (e.key.startsWith("Arrow")) fromCursor(); });
  text.addEventListener("input", setState);
  document.getElementById("show-boxes").addEventListener("change", (e) => overlay.classList.toggle("hidden", !e.target.checked));

  async function save(force) {
    const mine = text.value;
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/text", { text: mine, base: base });
    if (res.status === 200) {
      base = res.body.revision; saved = mine; ek.banner(null);
      ek.renderHistory(res.body.history, restore);
      setState(); ek.toast("Gespeichert");
      return;
    }
    ek.handleError(res, (body) => ek.conflict(mine, () => { base = body.current_revision; save(true); }));
  }

  async function restore(id) {
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/restore", { revision: id, base: base });
    if (res.status === 200) {
      base = res.body.revision;
      const current = res.body.history[0];
      text.value = saved = current.text;
      ek.renderHistory(res.body.history, restore); setState(); ek.toast("Wiederhergestellt");
      return;
    }
    ek.handleError(res, (body) => ek.conflict(text.value, () => { base = body.current_revision; save(true); }));
  }

  document.getElementById("save").addEventListener("click", () => save(false));
  document.getElementById("mark-reviewed").addEventListener("click", async () => {
    if (text.value !== saved) await save(false);
    const res = await ek.api("POST", "/api/pages/" + data.page.id + "/reviewed", { reviewed: true });
    if (res.status === 200) { data.reviewed = true; setState(); ek.toast("Seite als geprüft markiert"); }
    else ek.handleError(res, null);
  });
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(false); }
  });
  window.addEventListener("beforeunload", (e) => { if (!ek.leaving && text.value !== saved) { e.preventDefault(); e.returnValue = ""; } });
  ek.renderHistory(data.history, restore);
  ek.restoreUnsaved();
  setState();
})();
