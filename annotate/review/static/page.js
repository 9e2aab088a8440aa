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
  const original = document.getElementById("show-original");
  if (original) original.addEventListener("change", () => {
    document.getElementById("page-img").src = `img/page/${view.page.id}.jpg?v=${original.checked ? "original" : "image"}`;
    // word boxes refer to the processed image; on the original they would sit askew
    document.getElementById("figure").classList.toggle("original", original.checked);
  });

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
    else if (event.altKey && event.key === "PageDown" && view.next_page) window.location = `page/${view.next_page}`;
    else if (event.altKey && event.key === "PageUp" && view.prev_page) window.location = `page/${view.prev_page}`;
  });
  window.addEventListener("beforeunload", (event) => { if (dirty() && !Examkit.isLeaving()) { event.preventDefault(); event.returnValue = ""; } });
  refresh();
  drawHistory();
  area.focus({ preventScroll: true });  // typing corrections starts at once
})();
