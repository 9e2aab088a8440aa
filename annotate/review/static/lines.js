/* The line editor: every line of the page with its own image (cut by its outline) above its text.
   A line is saved on its own, against its own revision, so tabs editing different lines never
   meet; adding, splitting, joining, moving and deleting lines change only the lines named.
   Unsaved text is kept by line id across every redraw, so nothing typed moves or disappears. */
"use strict";
(() => {
  const view = Examkit.data();
  const list = document.getElementById("lines");
  const stateLabel = document.getElementById("state");
  const reviewedButton = document.getElementById("mark-reviewed");
  const imageUrl = `img/page/${view.page.id}.jpg`;
  let lines = view.lines;
  let reviewed = view.reviewed;
  let rows = [];            // {line, input, row, history}; line.id === null: a new line not stored yet
  const drafts = new Map(); // line id -> unsaved text (survives redraws)
  let queue = Promise.resolve(true);

  function extent() {
    const boxes = lines.map((l) => l.bbox).filter((b) => b && b[2] > b[0]);
    return boxes.length ? [Math.min(...boxes.map((b) => b[0])), Math.max(...boxes.map((b) => b[2]))] : [0, 1];
  }

  /* The line's image: its box from the page image at one scale for all lines, masked by its outline. */
  function crop(line, left, right) {
    if (!view.page.has_image || !line.bbox || line.bbox[2] <= line.bbox[0]) {
      return Examkit.el("div", { class: "crop none", text: line.id === null ? "Neue Zeile" : "Zeile ohne Bildausschnitt" });
    }
    const [x0, y0, x1, y1] = line.bbox;
    const W = view.page.width, H = view.page.height, w = x1 - x0, h = y1 - y0;
    const div = Examkit.el("div", { class: "crop", role: "img", "aria-label": "Bild der Zeile", "data-testid": "crop" });
    div.dataset.top = String(y0);
    div.dataset.bottom = String(y1);
    div.style.marginLeft = `${(100 * (x0 - left)) / (right - left)}%`;
    div.style.width = `${(100 * w) / (right - left)}%`;
    div.style.aspectRatio = `${w} / ${Math.max(1, h)}`;
    div.style.backgroundImage = `url("${imageUrl}")`;
    div.style.backgroundSize = `${(100 * W) / w}% auto`;
    div.style.backgroundPosition = `${W === w ? 0 : (100 * x0) / (W - w)}% ${H === h ? 0 : (100 * y0) / (H - h)}%`;
    if (line.polygon.length > 4) {
      div.style.clipPath = `polygon(${line.polygon.map(([x, y]) => `${(100 * (x - x0)) / w}% ${(100 * (y - y0)) / h}%`).join(", ")})`;
    }
    return div;
  }

  const confClass = (line) => (line.confidence ? "conf-" + line.confidence : "");  /* cut-offs: views.py */
  const LAYER = { teacher: "Lehrkraft", margin: "Rand" };

  function build() {
    const focused = rows.findIndex((r) => r.input === document.activeElement);
    const focusedId = focused >= 0 ? rows[focused].line.id : undefined;
    const selection = focused >= 0 ? [rows[focused].input.selectionStart, rows[focused].input.selectionEnd] : null;
    rows.forEach((r) => { if (r.line.id !== null && r.input.value !== r.line.text) drafts.set(r.line.id, r.input.value); });
    list.replaceChildren();
    rows = [];
    const [left, right] = extent();
    const shown = lines.length ? lines : [{ id: null, revision: null, text: "", polygon: [], bbox: null, words: [],
                                           flagged: 0, by_person: false, conf: -1, layer: "student" }];
    shown.forEach((line, i) => {
      const value = drafts.has(line.id) ? drafts.get(line.id) : line.text;
      const input = Examkit.el("input", { type: "text", class: "line-input " + confClass(line), value,
        spellcheck: true, lang: "de", "aria-label": `Zeile ${i + 1}`, "data-testid": "line-input" });
      const history = Examkit.el("ol", { class: "line-history", hidden: true });
      const stored = line.id !== null;
      const tool = (text, title, onclick) => Examkit.el("button", { type: "button", class: "link small", text, title, onclick });
      const row = Examkit.el("li", { class: "line-row", "data-line": stored ? String(line.id) : "new" },
        crop(line, left, right),
        Examkit.el("div", { class: "line-edit" },
          Examkit.el("span", { class: "line-no", text: String(i + 1) }),
          input,
          LAYER[line.layer] ? Examkit.el("span", { class: "tag", text: LAYER[line.layer] }) : null,
          !line.by_person && line.flagged ? Examkit.el("span", { class: "badge flag", title: "unsichere Wörter in dieser Zeile", text: `${line.flagged} unsicher` }) : null,
          Examkit.el("span", { class: "line-state small muted" })),
        stored ? Examkit.el("div", { class: "line-tools" },
          tool("+ Zeile darunter", "Neue leere Zeile unter dieser einfügen (Alt+Eingabe)", () => insertAfter(i)),
          tool("Teilen", "Zeile an der Schreibmarke in zwei Zeilen teilen (Alt+T)", () => split(i)),
          i + 1 < shown.length ? tool("Mit nächster verbinden", "Die nächste Zeile an diese anhängen (Alt+J)", () => merge(i)) : null,
          i > 0 ? tool("↑", "Zeile nach oben verschieben", () => move(i, -1)) : null,
          i + 1 < shown.length ? tool("↓", "Zeile nach unten verschieben", () => move(i, 1)) : null,
          line.bbox ? tool("Neu lesen", "Die Texterkennung liest diese Zeile noch einmal aus ihrem Bildausschnitt", () => reread(i)) : null,
          tool("Löschen", "Zeile löschen (bleibt im Verlauf)", () => remove(i)),
          tool("Verlauf", "Frühere Fassungen dieser Zeile", () => toggleHistory(i))) : null,
        history);
      const entry = { line, input, row, history };
      rows.push(entry);
      input.addEventListener("keydown", (event) => onKey(event, entry));
      input.addEventListener("input", () => mark(entry));
      if (!stored && lines.length) input.addEventListener("blur", () => dropEmptyNew(entry));
      list.append(row);
      mark(entry);
    });
    const again = focusedId === undefined ? -1 : rows.findIndex((r) => r.line.id === focusedId);
    if (again >= 0) {
      rows[again].input.focus();
      if (selection) rows[again].input.setSelectionRange(selection[0], selection[1]);
    }
  }

  const changed = (r) => r.input.value !== r.line.text || (r.line.id === null && r.input.value !== "");
  function mark(r) {
    r.row.classList.toggle("changed", changed(r));
    r.row.querySelector(".line-state").textContent = changed(r) ? "geändert" : r.line.by_person ? "gespeichert" : "";
    stateLabel.textContent = rows.some(changed) ? "Ungespeicherte Zeilen" : "Alles gespeichert";
  }

  function replace(updated) {
    lines = updated;
    build();
  }

  /* Saves run one after another; each names the revision of its own line. */
  function run(task) {
    queue = queue.then(task, task);
    return queue;
  }

  function saveRow(r) {
    return run(async () => {
      const value = r.input.value;
      if (r.line.id === null) {
        if (!value.trim()) return true;
        const result = await Examkit.api("POST", `api/pages/${view.page.id}/lines`, { text: value });
        if (result.status !== 200) { Examkit.explain(result); return false; }
        replace(result.data.lines);
        return true;
      }
      const result = await Examkit.api("POST", `api/lines/${r.line.id}`, { text: value, base: r.line.revision });
      if (result.status === 200) {
        drafts.delete(r.line.id);
        const index = lines.findIndex((l) => l.id === r.line.id);
        lines[index] = r.line = result.data.line;
        r.input.classList.remove("conf-low", "conf-mid", "conf-high");
        const badge = r.row.querySelector(".badge.flag");
        if (badge) badge.remove();
        if (r.input.value === value) mark(r);
        if (!r.history.hidden) drawHistory(r);
        return true;
      }
      if (result.status === 409) return resolve(r, result.data.current, value);
      Examkit.explain(result);
      return false;
    });
  }

  /* Someone saved this line meanwhile: show both; only an explicit click stores mine on top. */
  async function resolve(r, theirs, mine) {
    const choice = await Examkit.conflict(theirs, mine, "Zeile");
    const index = lines.findIndex((l) => l.id === r.line.id);
    if (choice === "keep") {
      lines[index] = r.line = theirs;
      const result = await Examkit.api("POST", `api/lines/${theirs.id}`, { text: mine, base: theirs.revision });
      if (result.status === 200) { lines[index] = r.line = result.data.line; drafts.delete(theirs.id); mark(r); return true; }
      Examkit.explain(result);
      return false;
    }
    if (choice === "reload") {
      lines[index] = r.line = theirs;
      r.input.value = theirs.text;
      keep(r, mine);
      mark(r);
      return false;
    }
    Examkit.say("Nicht gespeichert. Ihr Text steht weiter im Eingabefeld.", "warn", true);
    return false;
  }

  /* The user's own text, shown under the line to copy from after taking the other version. */
  function keep(r, text) {
    const old = r.row.querySelector(".kept");
    if (old) old.remove();
    const box = Examkit.el("div", { class: "kept small", "data-testid": "kept-line" },
      Examkit.el("span", { class: "muted", text: "Ihre nicht gespeicherte Fassung: " }),
      Examkit.el("input", { type: "text", readOnly: true, value: text, class: "line-input" }),
      Examkit.el("button", { type: "button", class: "link", text: "Ausblenden", onclick: () => box.remove() }));
    r.row.append(box);
  }

  async function structural(method, url, body, focusId) {
    return run(async () => {
      for (const r of rows) if (r.line.id !== null && changed(r)) drafts.set(r.line.id, r.input.value);
      const result = await Examkit.api(method, url, body);
      if (result.status === 409) {
        Examkit.say("Diese Zeile wurde inzwischen anderswo geändert. Die Seite zeigt jetzt den neuen Stand; Ihre Eingaben sind noch da.", "warn", true);
        const fresh = await Examkit.api("GET", `api/pages/${view.page.id}/lines`);
        if (fresh.status === 200) replace(fresh.data.lines);
        return false;
      }
      if (result.status !== 200) { Examkit.explain(result); return false; }
      replace(result.data.lines);
      const target = focusId !== undefined ? focusId : result.data.line && result.data.line.id;
      const k = rows.findIndex((r) => r.line.id === target);
      if (k >= 0) focusRow(k);
      return true;
    });
  }

  /* The gap under line i, down to the next line's top (at most one line's height): the outline of a
     line inserted there, so it has its own image and "Neu lesen" works; null where there is no gap. */
  function gapBelow(i) {
    const box = rows[i].line.bbox;
    if (!box || !view.page.has_image) return null;
    const height = box[3] - box[1];
    const next = rows.slice(i + 1).map((r) => r.line.bbox).find((b) => b && b[3] > b[1]);
    const bottom = Math.min(next ? next[1] : view.page.height - 1, box[3] + height);
    if (bottom - box[3] < Math.max(8, 0.3 * height)) return null;
    return [[box[0], box[3]], [box[2], box[3]], [box[2], bottom], [box[0], bottom]];
  }
  function insertAfter(i) {
    const gap = gapBelow(i);
    structural("POST", `api/pages/${view.page.id}/lines`, Object.assign({ text: "", after: rows[i].line.id }, gap ? { polygon: gap } : {}));
  }
  function split(i) {
    const r = rows[i];
    if (changed(r)) Examkit.say("Bitte speichern Sie die Zeile zuerst (Eingabetaste), dann teilen.", "warn");
    else structural("POST", `api/lines/${r.line.id}/split`, { base: r.line.revision, at: r.input.selectionStart || 0 });
  }
  function merge(i) {
    const a = rows[i], b = rows[i + 1];
    if (changed(a) || changed(b)) { Examkit.say("Bitte speichern Sie beide Zeilen zuerst, dann verbinden.", "warn"); return; }
    structural("POST", `api/lines/${a.line.id}/merge`, { base: a.line.revision, other: b.line.id, other_base: b.line.revision }, a.line.id);
  }
  function move(i, step) {
    const r = rows[i], neighbour = rows[i + step].line.id;
    structural("POST", `api/lines/${r.line.id}/move`, step < 0 ? { base: r.line.revision, before: neighbour }
      : { base: r.line.revision, after: neighbour }, r.line.id);
  }
  function reread(i) {
    const r = rows[i];
    if (changed(r)) { Examkit.say("Bitte speichern Sie die Zeile zuerst oder setzen Sie sie zurück (Esc), dann neu lesen.", "warn"); return; }
    run(async () => {
      Examkit.say("Die Zeile wird neu gelesen …", "info");
      const result = await Examkit.api("POST", `api/lines/${r.line.id}/reread`, { base: r.line.revision });
      if (result.status === 409) return resolve(r, result.data.current, r.input.value);
      if (result.status !== 200) { Examkit.explain(result); return false; }
      const index = lines.findIndex((l) => l.id === r.line.id);
      lines[index] = result.data.line;
      build();
      focusRow(rows.findIndex((x) => x.line.id === r.line.id));  /* the caret goes back to the line just read */
      Examkit.say("Neu gelesen. Bitte prüfen und mit der Eingabetaste bestätigen.", "ok");
      return true;
    });
  }

  function remove(i) {
    const r = rows[i];
    drafts.delete(r.line.id);
    structural("POST", `api/lines/${r.line.id}/delete`, { base: r.line.revision },
      rows[i + 1] ? rows[i + 1].line.id : rows[i - 1] ? rows[i - 1].line.id : undefined);
  }

  function focusRow(i, range) {
    if (i < 0 || i >= rows.length) return;
    const input = rows[i].input;
    input.focus();
    if (range) input.setSelectionRange(range[0], range[1]);
    rows[i].row.scrollIntoView({ block: "center" });
  }

  /* Enter: save this line and go on; on the last line with text, a new line follows. */
  async function enter(r) {
    const i = rows.indexOf(r);
    const last = i === rows.length - 1;
    const id = r.line.id;
    const ok = await saveRow(r);
    if (!ok) return;
    const k = id === null ? rows.length - 1 : rows.findIndex((x) => x.line.id === id);
    if (last && rows[k].input.value.trim()) appendNew();
    else focusRow(k + 1);
  }

  /* A new line left empty is no line: it goes when the caret leaves it (nothing was stored). */
  function dropEmptyNew(r) {
    setTimeout(() => {
      if (r.line.id !== null || r.input.value.trim() || !rows.includes(r)) return;
      lines = lines.filter((l) => l !== r.line);
      build();
    }, 0);
  }

  /* After the last stored line of an empty page: a fresh input that is stored once typed into. */
  function appendNew() {
    lines.push({ id: null, revision: null, text: "", polygon: [], bbox: null, words: [], flagged: 0, by_person: false, conf: -1, layer: "student" });
    build();
    focusRow(rows.length - 1);
  }

  function nextFlagged(step, from) {
    const flagged = [];
    rows.forEach((r, i) => { if (!r.line.by_person) r.line.words.forEach((w, k) => { if (w.flagged) flagged.push([i, k]); }); });
    if (!flagged.length) { Examkit.say("Keine unsicheren Wörter auf dieser Seite.", "info"); return; }
    const cursor = rows[from] ? rows[from].input.selectionStart : 0;
    const at = ([i, k]) => { const range = wordRange(rows[i].input.value, 0, k); return range ? range[0] : 0; };
    const after = (f) => f[0] > from || (f[0] === from && at(f) > cursor);
    const before = (f) => f[0] < from || (f[0] === from && at(f) < cursor);
    const pick = step > 0 ? flagged.find(after) || flagged[0] : [...flagged].reverse().find(before) || flagged[flagged.length - 1];
    focusRow(pick[0], wordRange(rows[pick[0]].input.value, 0, pick[1]));
  }

  function onKey(event, r) {
    const i = rows.indexOf(r);
    const key = event.key.toLowerCase();
    if (event.key === "Enter" && event.altKey) { event.preventDefault(); if (r.line.id !== null) insertAfter(i); }
    else if (event.key === "Enter") { event.preventDefault(); enter(r); }
    else if (event.altKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault(); nextFlagged(event.key === "ArrowDown" ? 1 : -1, i);
    }
    else if (event.altKey && key === "t" && r.line.id !== null) { event.preventDefault(); split(i); }
    else if (event.altKey && key === "j" && rows[i + 1]) { event.preventDefault(); merge(i); }
    else if (event.key === "ArrowDown") { event.preventDefault(); focusRow(i + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusRow(i - 1); }
    else if (event.key === "Escape") { r.input.value = r.line.text; drafts.delete(r.line.id); mark(r); }
  }

  async function drawHistory(r) {
    const result = await Examkit.api("GET", `api/lines/${r.line.id}/history`);
    if (result.status !== 200) { Examkit.explain(result); return; }
    r.history.replaceChildren();
    const seen = new Set();
    for (const rev of result.data.history) {
      const shown = rev.deleted ? "(gelöscht)" : rev.text;
      if (seen.has(shown)) continue;
      seen.add(shown);
      const current = rev.revision === r.line.revision;
      r.history.append(Examkit.el("li", { class: current ? "current" : "" },
        Examkit.el("span", { class: "who", text: rev.source === "ocr" ? "Texterkennung" : rev.author }),
        Examkit.el("span", { class: "muted small", text: [rev.when, Examkit.SOURCE[rev.source] || rev.source].join(" · ") }),
        Examkit.el("span", { class: "snippet", text: shown }),
        current ? Examkit.el("span", { class: "tag", text: "aktuell" })
          : rev.deleted ? null : Examkit.el("button", { type: "button", class: "link", text: "Wiederherstellen",
            onclick: () => { r.input.value = rev.text; saveRow(r); } })));
    }
  }
  function toggleHistory(i) {
    const r = rows[i];
    r.history.hidden = !r.history.hidden;
    if (!r.history.hidden) drawHistory(r);
  }

  async function saveAll() {
    for (const r of [...rows]) if (changed(r)) await saveRow(r);
    Examkit.say("Gespeichert.", "ok");
  }

  async function toggleReviewed() {
    await saveAll();
    const result = await Examkit.api("POST", `api/pages/${view.page.id}/reviewed`, { reviewed: !reviewed });
    if (result.status !== 200) { Examkit.explain(result); return; }
    reviewed = !reviewed;
    reviewedButton.textContent = reviewed ? "✓ Durchgesehen" : "Als durchgesehen markieren";
    reviewedButton.classList.toggle("done", reviewed);
    Examkit.say(reviewed ? "Seite als durchgesehen markiert." : "Markierung entfernt.", "ok");
  }

  document.getElementById("save").addEventListener("click", saveAll);
  reviewedButton.addEventListener("click", toggleReviewed);
  document.addEventListener("keydown", (event) => {
    if (document.getElementById("conflict").open) return;
    const key = event.key.toLowerCase();
    const current = rows.findIndex((r) => r.input === document.activeElement);
    if ((event.ctrlKey || event.metaKey) && key === "s") { event.preventDefault(); saveAll(); }
    else if (event.key === "F8") { event.preventDefault(); nextFlagged(event.shiftKey ? -1 : 1, Math.max(0, current)); }
    else if (event.altKey && key === "g") { event.preventDefault(); toggleReviewed(); }
    else if (event.altKey && event.key === "PageDown" && view.next_page) window.location = `lines/${view.next_page}`;
    else if (event.altKey && event.key === "PageUp" && view.prev_page) window.location = `lines/${view.prev_page}`;
  });
  window.addEventListener("beforeunload", (event) => {
    if (!Examkit.isLeaving() && rows.some(changed)) { event.preventDefault(); event.returnValue = ""; }
  });
  build();
  if (view.state === "empty") Examkit.say("Auf dieser Seite hat die Texterkennung nichts erkannt. Tippen Sie den Text Zeile für Zeile ein: die Eingabetaste beginnt die nächste Zeile.", "info", true);
  stateLabel.textContent = lines.some((l) => l.by_person) ? "Alles gespeichert" : "Text der Texterkennung";
  /* Arriving from the page view with a line just drawn there (?neu=ID): that line, ready to type or re-read. */
  const drawn = rows.findIndex((r) => String(r.line.id) === new URLSearchParams(window.location.search).get("neu"));
  if (drawn >= 0) {
    focusRow(drawn);
    Examkit.say("Neue Zeile eingezeichnet. Tippen Sie ihren Text ein (Eingabetaste speichert) oder lassen Sie sie mit „Neu lesen“ von der Texterkennung lesen.", "info", true);
  }
  else if (rows.length) rows[0].input.focus();
})();
