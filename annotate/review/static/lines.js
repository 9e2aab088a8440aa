/* The line editor: each line's image crop above its text (as HTR tools do); Enter saves a line
   and moves on. A line save stores the whole page as a new revision with only that line changed. */
"use strict";
(() => {
  const view = Examkit.data();
  const list = document.getElementById("lines");
  const stateLabel = document.getElementById("state");
  const reviewedButton = document.getElementById("mark-reviewed");
  const page = new PageText(view, () => {});
  const imageUrl = `/img/page/${view.page.id}.jpg`;
  const rows = [];
  let queue = Promise.resolve(true);

  // the horizontal extent of the writing: crops keep one scale and their place on the line
  const withBox = view.lines.filter((l) => l.bbox[2] > l.bbox[0]);
  const left = Math.min(...withBox.map((l) => l.bbox[0]));
  const right = Math.max(...withBox.map((l) => l.bbox[2]));

  function crop(line) {
    if (!view.page.has_image || !line || line.bbox[2] <= line.bbox[0]) return null;
    const [x0, y0, x1, y1] = line.bbox;
    const pad = Math.round((y1 - y0) * 0.15);
    const top = Math.max(0, y0 - pad), bottom = Math.min(view.page.height, y1 + pad);
    const W = view.page.width, H = view.page.height, w = x1 - x0, h = bottom - top;
    const div = Examkit.el("div", { class: "crop", role: "img", "aria-label": "Bild der Zeile" });
    div.style.marginLeft = `${(100 * (x0 - left)) / (right - left)}%`;
    div.style.width = `${(100 * w) / (right - left)}%`;
    div.style.aspectRatio = `${w} / ${h}`;
    div.style.backgroundImage = `url("${imageUrl}")`;
    div.style.backgroundSize = `${(100 * W) / w}% auto`;
    div.style.backgroundPosition = `${W === w ? 0 : (100 * x0) / (W - w)}% ${H === h ? 0 : (100 * top) / (H - h)}%`;
    return div;
  }

  function confidenceClass(index) {
    const words = view.words.filter((w) => w.line === index);
    if (!words.length) return "";
    const low = Math.min(...words.map((w) => w.conf));
    return low < 50 ? "conf-low" : low < 80 ? "conf-mid" : "conf-high";
  }

  function build() {
    const texts = page.saved.split("\n");
    const count = Math.max(texts.length, view.lines.length);
    for (let i = 0; i < count; i++) {
      const flagged = view.words.filter((w) => w.line === i && w.flagged).length;
      const input = Examkit.el("input", { type: "text", class: "line-input " + confidenceClass(i), value: texts[i] ?? "",
        spellcheck: true, lang: "de", "aria-label": `Zeile ${i + 1}` });
      const history = Examkit.el("ol", { class: "line-history", hidden: true });
      const row = Examkit.el("li", { class: "line-row" },
        crop(view.lines[i]),
        Examkit.el("div", { class: "line-edit" },
          Examkit.el("span", { class: "line-no", text: String(i + 1) }),
          input,
          flagged ? Examkit.el("span", { class: "badge flag", title: "unsichere Wörter in dieser Zeile", text: `${flagged} unsicher` }) : null,
          Examkit.el("span", { class: "line-state small muted" }),
          Examkit.el("button", { type: "button", class: "link", text: "Verlauf", onclick: () => toggleHistory(i) })),
        history);
      rows.push({ input, history, row });
      input.addEventListener("keydown", (event) => onKey(event, i));
      input.addEventListener("input", () => mark(i));
      input.addEventListener("change", () => saveLine(i));
      list.append(row);
    }
  }

  const savedLine = (i) => page.saved.split("\n")[i] ?? "";
  function mark(i) {
    const changed = rows[i].input.value !== savedLine(i);
    rows[i].row.classList.toggle("changed", changed);
    rows[i].row.querySelector(".line-state").textContent = changed ? "geändert" : "";
    stateLabel.textContent = rows.some((r, k) => r.input.value !== savedLine(k)) ? "Ungespeicherte Zeilen" : "Alles gespeichert";
  }

  /* Saves run one after the other, so each is based on the revision the previous one made. */
  function saveLine(i) {
    queue = queue.then(async () => {
      const value = rows[i].input.value;
      if (value === savedLine(i) && page.history.length) return true;
      const lines = page.saved.split("\n");
      while (lines.length <= i) lines.push("");
      lines[i] = value;
      const ok = await page.save(lines.join("\n"));
      if (ok) {
        rows[i].row.querySelector(".line-state").textContent = "gespeichert";
        rows[i].row.classList.remove("changed");
        if (!rows[i].history.hidden) drawHistory(i);
      }
      rows.forEach((_, k) => { if (k !== i) mark(k); });
      return ok;
    });
    return queue;
  }

  function focusLine(i, selectRange) {
    if (i < 0 || i >= rows.length) return;
    const input = rows[i].input;
    input.focus();
    if (selectRange) input.setSelectionRange(selectRange[0], selectRange[1]);
    rows[i].row.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function nextFlagged(step, from) {
    const flagged = view.words.filter((w) => w.flagged);
    if (!flagged.length) { Examkit.say("Keine unsicheren Wörter auf dieser Seite.", "info"); return; }
    const cursor = [from, rows[from] ? rows[from].input.selectionStart : 0];
    const at = (w) => { const r = wordRange(rows[w.line] ? rows[w.line].input.value : "", 0, w.word); return r ? r[0] : 0; };
    const after = (w) => w.line > cursor[0] || (w.line === cursor[0] && at(w) > cursor[1]);
    const before = (w) => w.line < cursor[0] || (w.line === cursor[0] && at(w) < cursor[1]);
    const pick = step > 0 ? flagged.find(after) || flagged[0] : [...flagged].reverse().find(before) || flagged[flagged.length - 1];
    focusLine(pick.line, wordRange(rows[pick.line].input.value, 0, pick.word));
  }

  function onKey(event, i) {
    if (event.key === "Enter") { event.preventDefault(); saveLine(i); focusLine(i + 1); }
    else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault(); nextFlagged(event.key === "ArrowDown" ? 1 : -1, i);
    }
    else if (event.key === "ArrowDown") { event.preventDefault(); focusLine(i + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusLine(i - 1); }
    else if (event.key === "Escape") { rows[i].input.value = savedLine(i); mark(i); }
  }

  function drawHistory(i) {
    const pick = (text) => (text || "").split("\n")[i] ?? "";
    pick.distinct = true;
    renderHistory(rows[i].history, page, pick, (rev, shown) => { rows[i].input.value = shown; saveLine(i); });
  }
  function toggleHistory(i) {
    const box = rows[i].history;
    box.hidden = !box.hidden;
    if (!box.hidden) drawHistory(i);
  }

  async function saveCurrent() {
    const i = rows.findIndex((r) => r.input === document.activeElement);
    const pending = rows.map((r, k) => k).filter((k) => rows[k].input.value !== savedLine(k));
    for (const k of (pending.length ? pending : i >= 0 ? [i] : [])) await saveLine(k);
    Examkit.say("Gespeichert.", "ok");
  }

  async function toggleReviewed() {
    await saveCurrent();
    const now = !page.reviewed;
    if (await page.markReviewed(now)) {
      reviewedButton.textContent = now ? "✓ Durchgesehen" : "Als durchgesehen markieren";
      reviewedButton.classList.toggle("done", now);
      Examkit.say(now ? "Seite als durchgesehen markiert." : "Markierung entfernt.", "ok");
    }
  }

  document.getElementById("save").addEventListener("click", saveCurrent);
  reviewedButton.addEventListener("click", toggleReviewed);
  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    const current = rows.findIndex((r) => r.input === document.activeElement);
    if ((event.ctrlKey || event.metaKey) && key === "s") { event.preventDefault(); saveCurrent(); }
    else if (event.key === "F8") { event.preventDefault(); nextFlagged(event.shiftKey ? -1 : 1, Math.max(0, current)); }
    else if (event.altKey && key === "g") { event.preventDefault(); toggleReviewed(); }
    else if (event.altKey && event.key === "PageDown" && view.next_page) window.location = `/lines/${view.next_page}`;
    else if (event.altKey && event.key === "PageUp" && view.prev_page) window.location = `/lines/${view.prev_page}`;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!Examkit.isLeaving() && rows.some((r, k) => r.input.value !== savedLine(k))) { event.preventDefault(); event.returnValue = ""; }
  });
  build();
  stateLabel.textContent = page.history.length ? "Alles gespeichert" : "Text der Texterkennung";
  if (rows.length) rows[0].input.focus();
})();
