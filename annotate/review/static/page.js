/* The page view: image with word boxes beside the editable text, linked both ways. */
"use strict";
(() => {
  const view = Examkit.data();
  const area = document.getElementById("page-text");
  const stateLabel = document.getElementById("state");
  const reviewedButton = document.getElementById("mark-reviewed");
  const boxes = Array.from(document.querySelectorAll("#boxes .w"));
  const historyList = document.getElementById("history-list");
  const page = new PageText(view, () => { refresh(); drawHistory(); });

  const dirty = () => area.value !== page.saved;
  function refresh() {
    stateLabel.textContent = dirty() ? "Ungespeicherte Änderungen" : (page.history.length ? "Gespeichert" : "Text der Texterkennung");
    stateLabel.classList.toggle("unsaved", dirty());
  }
  function drawHistory() {
    renderHistory(historyList, page, (text) => text, async (rev) => {
      if (dirty() && !confirm("Ihre ungespeicherten Änderungen gehen dabei verloren. Trotzdem wiederherstellen?")) return;
      if (await page.restore(rev.id)) area.value = page.saved;
      refresh();
    });
    document.querySelector("#history summary").textContent = `Verlauf (${Examkit.plural(page.history.length, "gespeicherte Fassung", "gespeicherte Fassungen")})`;
  }

  async function save() {
    if (!dirty() && page.history.length) { Examkit.say("Nichts geändert.", "info"); return true; }
    const ok = await page.save(area.value);
    if (ok) { area.value = page.saved; Examkit.say("Gespeichert.", "ok"); }
    refresh();
    return ok;
  }

  async function toggleReviewed() {
    if (dirty() && !(await save())) return;
    const now = !page.reviewed;
    if (await page.markReviewed(now)) {
      reviewedButton.textContent = now ? "✓ Durchgesehen" : "Als durchgesehen markieren";
      reviewedButton.classList.toggle("done", now);
      Examkit.say(now ? "Seite als durchgesehen markiert." : "Markierung entfernt.", "ok");
    }
  }

  /* image → text */
  function selectWord(index) {
    const word = view.words[index];
    const range = wordRange(area.value, word.line, word.word);
    if (!range) { highlight(index); Examkit.say("Dieses Wort steht nicht mehr an seiner Stelle im Text.", "warn"); return; }
    area.focus();
    area.setSelectionRange(range[0], range[1]);
    highlight(index);
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, word.line * lineHeight - area.clientHeight / 3);
  }
  function highlight(index) {
    boxes.forEach((b) => b.classList.remove("active"));
    if (index !== null && boxes[index]) {
      boxes[index].classList.add("active");
      boxes[index].scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }
  boxes.forEach((box) => box.addEventListener("click", () => selectWord(Number(box.dataset.i))));

  /* text → image */
  const byPosition = new Map(view.words.map((w, i) => [`${w.line}:${w.word}`, i]));
  function followCursor() {
    const at = wordAt(area.value, area.selectionStart);
    highlight(at ? (byPosition.get(`${at[0]}:${at[1]}`) ?? null) : null);
  }
  ["click", "keyup", "focus"].forEach((type) => area.addEventListener(type, followCursor));
  area.addEventListener("input", refresh);

  function nextFlagged(step) {
    const flagged = view.words.map((w, i) => ({ w, i, r: wordRange(area.value, w.line, w.word) }))
      .filter((x) => x.w.flagged && x.r);
    if (!flagged.length) { Examkit.say("Keine unsicheren Wörter auf dieser Seite.", "info"); return; }
    const cursor = area.selectionStart;
    const pick = step > 0 ? flagged.find((x) => x.r[0] > cursor) || flagged[0]
                          : [...flagged].reverse().find((x) => x.r[0] < cursor) || flagged[flagged.length - 1];
    selectWord(pick.i);
  }

  const toggle = (id, target, cls) => {
    const box = document.getElementById(id);
    if (box) box.addEventListener("change", () => document.getElementById(target).classList.toggle(cls, !box.checked));
  };
  toggle("show-boxes", "boxes", "hidden");
  toggle("show-marks", "marks", "hidden");
  /* "Ganze Seite": the picture fits the window, so its bottom edge can be reached to draw a line
     there; the choice is kept for the next page. */
  const fitBox = document.getElementById("fit-page");
  const fit = () => { document.getElementById("figure").closest(".image-pane").classList.toggle("fit", fitBox.checked);
                      localStorage.setItem("examkit-fit-page", fitBox.checked ? "1" : ""); };
  fitBox.checked = localStorage.getItem("examkit-fit-page") === "1";
  fitBox.addEventListener("change", fit);
  fit();
  const marksBox = document.getElementById("show-marks");
  const pageImage = () => {  // the red ink itself goes with the marks: the page without it (if the scan kept one)
    const original = document.getElementById("show-original");
    const variant = original && original.checked ? "original" : marksBox && !marksBox.checked ? "student" : "image";
    document.getElementById("page-img").src = `img/page/${view.page.id}.jpg?v=${variant}`;
  };
  if (marksBox) marksBox.addEventListener("change", pageImage);
  /* A red note: what was read, how sure, where it was placed; corrected in place (a new revision of
     the page's teacher text, one line per note), then the page shows the notes anew. */
  document.querySelectorAll("#marks .note").forEach((note) => note.addEventListener("click", async () => {
    Examkit.say(note.title, "info");
    const text = window.prompt(`${note.title}\n\nRandnotiz korrigieren:`, note.dataset.text);
    if (text === null || text.trim() === note.dataset.text) return;
    const result = await Examkit.api("POST", `api/pages/${view.page.id}/notes/${note.dataset.ordinal}`,
      { text, base: view.notes_base });
    if (result.status === 200) window.location.reload();
    else Examkit.explain(result);
  }));
  const original = document.getElementById("show-original");
  if (original) original.addEventListener("change", () => {
    pageImage();
    // word boxes refer to the processed image; on the original they would sit askew
    document.getElementById("figure").classList.toggle("original", original.checked);
  });

  /* Drawing a line the reader missed: a box dragged on the image becomes a new line of the page,
     placed in reading order by the server (reading_place in routes_lines.py), then opened in the
     line editor to be typed or read again („Neu lesen“). */
  const drawButton = document.getElementById("draw-line");
  const figure = document.getElementById("figure");
  const drawBox = document.getElementById("draw-box");
  let drawing = false, start = null;
  const SAVE_FIRST = "Bitte speichern Sie zuerst Ihre Änderungen am Text (Strg+S), dann die Zeile einzeichnen.";
  function setDrawing(on) {
    drawing = on;
    start = null;
    drawBox.hidden = true;
    drawButton.setAttribute("aria-pressed", String(on));
    drawButton.classList.toggle("done", on);
    figure.classList.toggle("drawing", on);
    Examkit.say(on ? "Ziehen Sie mit der Maus einen Rahmen um die fehlende Zeile. Esc beendet das Einzeichnen."
                   : "Einzeichnen beendet.", "info", on);
  }
  /* A pointer position in page pixels: the image is shown scaled (and the pane may be scrolled). */
  function pagePoint(event) {
    const rect = document.getElementById("page-img").getBoundingClientRect();
    const clamp = (v, max) => Math.round(Math.min(Math.max(v, 0), max));
    return [clamp(((event.clientX - rect.left) * view.page.width) / rect.width, view.page.width),
            clamp(((event.clientY - rect.top) * view.page.height) / rect.height, view.page.height)];
  }
  const boxOf = (a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])];
  function showBox(a, b) {
    const [x0, y0, x1, y1] = boxOf(a, b);
    const W = view.page.width, H = view.page.height;
    Object.assign(drawBox.style, { left: `${(100 * x0) / W}%`, top: `${(100 * y0) / H}%`,
                                   width: `${(100 * (x1 - x0)) / W}%`, height: `${(100 * (y1 - y0)) / H}%` });
    drawBox.hidden = false;
  }
  async function addDrawn(a, b) {
    const [x0, y0, x1, y1] = boxOf(a, b);
    if (x1 - x0 < 10 || y1 - y0 < 5) {
      drawBox.hidden = true;
      Examkit.say("Der Rahmen ist zu klein. Bitte ziehen Sie ihn um die ganze Zeile.", "warn", true);
      return;
    }
    if (dirty()) { drawBox.hidden = true; Examkit.say(SAVE_FIRST, "warn", true); return; }
    const result = await Examkit.api("POST", `api/pages/${view.page.id}/lines`,
                                     { text: "", polygon: [[x0, y0], [x1, y0], [x1, y1], [x0, y1]] });
    if (result.status !== 200) { drawBox.hidden = true; Examkit.explain(result); return; }
    window.location = `lines/${view.page.id}?neu=${result.data.line.id}`;
  }
  if (drawButton) {
    drawButton.addEventListener("click", () => {
      if (!drawing && dirty()) { Examkit.say(SAVE_FIRST, "warn", true); return; }
      if (!drawing && original && original.checked) { Examkit.say("Zeilen werden im bearbeiteten Bild eingezeichnet: bitte „Originalscan“ ausschalten.", "warn", true); return; }
      setDrawing(!drawing);
    });
    figure.addEventListener("pointerdown", (event) => {
      if (!drawing || event.button !== 0) return;
      event.preventDefault();
      start = pagePoint(event);
      figure.setPointerCapture(event.pointerId);
      showBox(start, start);
    });
    figure.addEventListener("pointermove", (event) => { if (drawing && start) showBox(start, pagePoint(event)); });
    figure.addEventListener("pointerup", (event) => {
      if (!drawing || !start) return;
      const from = start;
      start = null;
      addDrawn(from, pagePoint(event));
    });
  }

  document.getElementById("save").addEventListener("click", save);
  reviewedButton.addEventListener("click", toggleReviewed);
  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === "s") { event.preventDefault(); save(); }
    else if (event.key === "F8") { event.preventDefault(); nextFlagged(event.shiftKey ? -1 : 1); }
    else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault(); nextFlagged(event.key === "ArrowDown" ? 1 : -1);
    }
    else if (event.altKey && key === "g") { event.preventDefault(); toggleReviewed(); }
    else if (event.key === "Escape" && drawing) { event.preventDefault(); setDrawing(false); }
    else if (event.altKey && event.key === "PageDown" && view.next_page) window.location = `page/${view.next_page}`;
    else if (event.altKey && event.key === "PageUp" && view.prev_page) window.location = `page/${view.prev_page}`;
  });
  window.addEventListener("beforeunload", (event) => { if (dirty() && !Examkit.isLeaving()) { event.preventDefault(); event.returnValue = ""; } });
  refresh();
  drawHistory();
  area.focus({ preventScroll: true });  // typing corrections starts at once
})();
