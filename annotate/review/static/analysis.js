/* The analysis editor: tasks, error lines and extras as a form; a live preview rendered by the
   server (the same renderer and audit as the command line, and each task's points); quotes taken
   from the student's text. */
"use strict";
(() => {
  const view = Examkit.data();
  const docId = view.document.id;
  const sheet = view.sheet;
  let base = view.base;
  let savedJson = "";
  let lastPreview = "";
  let focusedTask = null;
  let lastQuote = "";
  const $ = (id) => document.getElementById(id);
  const el = Examkit.el;

  /* A number field holds a number, null (empty) or, while it is not a number, the text typed:
     that text is sent as it is, so the server refuses it and names the field; it never counts. */
  const isNumber = (v) => typeof v === "number";
  const show = (v) => (isNumber(v) ? Examkit.fmt(v) : v === null || v === undefined ? "" : String(v));
  const dirty = () => JSON.stringify(clean()) !== savedJson;

  /* ---- the form ---- */
  const key = (path) => JSON.stringify(path);
  function numberInput(obj, field, label, path, extra = {}) {
    return el("label", { class: "num" }, label,
      el("input", { type: "text", inputMode: "decimal", value: show(obj[field]), size: 4, ...extra,
        "data-path": key([...path, field]),
        oninput: (e) => {
          const n = Examkit.number(e.target.value);
          obj[field] = Number.isNaN(n) ? e.target.value.trim() : n;
          mark(e.target, Number.isNaN(n) ? "Keine Zahl – bitte z. B. 1 oder 0,5 eintragen" : null);
          changed();
        } }));
  }

  /* An invalid field: red, aria-invalid, its message as tooltip (and in the preview's list). */
  function mark(input, message) {
    input.classList.toggle("invalid", Boolean(message));
    if (message) { input.setAttribute("aria-invalid", "true"); input.title = message; }
    else { input.removeAttribute("aria-invalid"); input.removeAttribute("title"); }
  }
  function markAll(errors) {
    document.querySelectorAll("#tasks [data-path], #extras [data-path]").forEach((node) => mark(node, null));
    for (const error of errors || []) {
      const exact = document.querySelector(`[data-path='${CSS.escape(key(error.path))}']`);
      // a whole task or extra (its deductions, its maximum): mark its maximum
      const target = exact && exact.tagName === "INPUT" ? exact
        : document.querySelector(`[data-path='${CSS.escape(key([...error.path, "max"]))}']`) || exact;
      if (target) mark(target, error.message);
    }
  }

  function errorRow(task, error, index, path) {
    return el("div", { class: "error-row" },
      el("input", { type: "text", class: "quote", placeholder: "„Zitat“ (optional)", value: error.quote || "",
        "aria-label": "Zitat", oninput: (e) => { error.quote = e.target.value; changed(); drawSuggestions(); } }),
      el("input", { type: "text", class: "comment", placeholder: "Kommentar", value: error.comment || "",
        "aria-label": "Kommentar", oninput: (e) => { error.comment = e.target.value; changed(); } }),
      numberInput(error, "deduction", "−", path, { "aria-label": "Punktabzug", class: "deduction" }),
      el("button", { type: "button", class: "icon", title: "Fehler entfernen", "aria-label": "Fehler entfernen",
        text: "✕", onclick: () => { task.errors.splice(index, 1); draw(); changed(); } }));
  }

  function taskBox(task, siblings, index, depth, path) {
    const box = el("fieldset", { class: `task depth-${depth}`, "data-path": key(path) },
      el("div", { class: "task-head" },
        el("input", { type: "text", class: "label", value: task.label, "aria-label": "Bezeichnung der Aufgabe",
          oninput: (e) => { task.label = e.target.value; changed(); fillTargets(); } }),
        numberInput(task, "points", "Punkte", path, { "aria-label": "Punkte (leer: aus den Abzügen)", class: "explicit-points",
          placeholder: "aus Abzügen" }),
        numberInput(task, "max", "von", path, { "aria-label": "Höchstpunkte" }),
        el("span", { class: "points muted", "data-points": "" }),
        el("span", { class: "spacer" }),
        el("button", { type: "button", class: "link", text: "+ Fehler",
          onclick: () => { task.errors.push({ quote: null, comment: "", deduction: null }); draw(); changed(); focusLast(task); } }),
        el("button", { type: "button", class: "link", text: "+ Teilaufgabe",
          onclick: () => { task.tasks.push(newTask(task.tasks.length, true)); draw(); changed(); } }),
        el("button", { type: "button", class: "icon", title: "Aufgabe entfernen", "aria-label": "Aufgabe entfernen", text: "✕",
          onclick: () => { if (confirm(`Aufgabe „${task.label}“ entfernen?`)) { siblings.splice(index, 1); draw(); changed(); } } })),
      task.errors.map((error, i) => errorRow(task, error, i, [...path, "errors", i])),
      task.tasks.map((sub, i) => taskBox(sub, task.tasks, i, depth + 1, [...path, "tasks", i])));
    box.addEventListener("focusin", () => { focusedTask = task; $("target-task").value = String(allTasks().indexOf(task)); });
    task._box = box;
    return box;
  }

  function newTask(count, sub) {
    return { label: sub ? String.fromCharCode(65 + count) : `Aufgabe ${count + 1}`, max: 5, points: null, errors: [], tasks: [] };
  }

  function focusLast(task) {
    const comments = task._box ? task._box.querySelectorAll(":scope > .error-row .comment") : [];
    if (comments.length) comments[comments.length - 1].focus();
  }

  function allTasks(list = sheet.tasks, path = "", out = []) {
    for (const t of list) {
      t._path = path ? `${path} › ${t.label}` : t.label;
      out.push(t);
      allTasks(t.tasks, t._path, out);
    }
    return out;
  }

  function fillTargets() {
    const select = $("target-task");
    const keep = select.value;
    select.replaceChildren(...allTasks().map((t, i) => el("option", { value: String(i), text: t._path || "(ohne Namen)" })));
    if (keep && Number(keep) < select.options.length) select.value = keep;
  }

  function draw() {
    $("tasks").replaceChildren(...sheet.tasks.map((t, i) => taskBox(t, sheet.tasks, i, 0, ["tasks", i])));
    $("extras").replaceChildren(...sheet.extras.map((x, i) => el("div", { class: "extra-row", "data-path": key(["extras", i]) },
      el("input", { type: "text", value: x.label, "aria-label": "Bezeichnung", oninput: (e) => { x.label = e.target.value; changed(); } }),
      numberInput(x, "points", "Punkte", ["extras", i]), numberInput(x, "max", "von", ["extras", i]),
      el("button", { type: "button", class: "icon", text: "✕", title: "entfernen", "aria-label": "Zusatzpunkte entfernen",
        onclick: () => { sheet.extras.splice(i, 1); draw(); changed(); } }))));
    fillTargets();
    drawSuggestions();
  }

  /* ---- preview ---- */
  /* "= X P." per task, as the server counted it (the preview answers each task's points by its
     field path); "= ? P." while a number of the task is invalid: then it counts nowhere. */
  function showPoints(span, p) {
    const known = isNumber(p);
    span.textContent = known ? `= ${show(p)} P.` : "= ? P.";
    span.title = known ? "" : "Erst zählbar, wenn alle Zahlen dieser Aufgabe gültig sind";
  }
  const pointsSpan = (task) => task._box && task._box.querySelector(":scope > .task-head [data-points]");

  let timer = null;
  function changed() {
    for (const task of allTasks()) {  // a number just typed wrong: uncounted at once, not after the preview
      const span = pointsSpan(task);
      if (span && task._box.querySelector(".invalid")) showPoints(span, null);
    }
    $("state").textContent = dirty() ? "Ungespeicherte Änderungen" : "Gespeichert";
    $("state").classList.toggle("unsaved", dirty());
    clearTimeout(timer);
    timer = setTimeout(preview, 200);
  }

  const clean = () => JSON.parse(JSON.stringify(sheet, (k, v) => (k.startsWith("_") ? undefined : v)));

  async function preview() {
    const result = await Examkit.api("POST", "api/preview", { document_id: docId, sheet: clean() });
    const totals = $("totals"), problems = $("problems"), text = $("canonical");
    if (result.status !== 200) { Examkit.explain(result); return; }
    const answer = result.data;
    markAll(answer.ok ? [] : answer.errors);
    const counted = new Map((answer.points || []).map((p) => [key(p.path), p.points]));
    for (const task of allTasks()) {
      const span = pointsSpan(task);
      if (span) showPoints(span, counted.get(task._box.dataset.path));
    }
    if (!answer.ok) {  // nothing is counted while a field is refused: no old totals stay on screen
      totals.replaceChildren(el("span", { class: "bad", text: "Noch nicht stimmig – bitte die markierten Felder prüfen" }));
      problems.replaceChildren(...answer.errors.map((e) => el("li", { class: "error", text: e.message })));
      text.replaceChildren();
      text.hidden = true;
      return;
    }
    lastPreview = answer.text;
    const t = answer.totals;
    const paper = answer.problems.filter((p) => p.code === "red-total-mismatch");
    totals.replaceChildren(
      el("span", { class: "big", text: `${show(t.points)} von ${show(t.max)} Punkten` }),
      el("span", { class: "big", text: `${t.percent} %` }),
      el("span", { class: "big grade", text: `Note ${t.grade ?? "–"}` }),
      ...paper.map((p) => el("span", { class: "paper-check warn", "data-testid": "paper-check", text: p.message })));
    problems.replaceChildren(...answer.problems.map((p) =>
      el("li", { class: p.severity }, el("b", { text: p.label }), " – ", el("span", { class: "muted", text: p.message }))));
    text.replaceChildren(...canonical(answer.text, answer.stop_marker));
    text.hidden = false;
  }

  /* The text as it will be stored; the stop marker for the model shown as a small marker. */
  function canonical(body, marker) {
    const trimmed = body.trimEnd();
    if (!marker || !trimmed.endsWith(marker)) return [document.createTextNode(body)];
    return [document.createTextNode(trimmed.slice(0, -marker.length).trimEnd() + " "),
      el("span", { class: "stop-marker", text: marker, title: `Endmarke „${marker}“: steht so in der Trainingsdatei; hier hört das Modell auf zu schreiben` })];
  }

  /* ---- quotes from the student's text ----
     Text fields that refuse every edit (chromium gives a `readonly` one no caret, so it could not be
     selected by keyboard): the teacher moves and selects with the arrow keys as in any text. */
  const pagesText = Array.from(document.querySelectorAll("#student-text textarea"));
  const remember = (area) => {
    const chosen = area.value.slice(area.selectionStart, area.selectionEnd).replace(/\s+/g, " ").trim();
    if (chosen) lastQuote = chosen;
  };
  const fit = () => pagesText.forEach((area) => { area.style.height = "auto"; area.style.height = `${area.scrollHeight + 4}px`; });
  window.addEventListener("resize", fit);
  fit();
  for (const area of pagesText) {
    area.addEventListener("beforeinput", (event) => event.preventDefault());
    ["select", "keyup", "mouseup"].forEach((type) => area.addEventListener(type, () => remember(area)));
  }

  function targetTask() {
    const tasks = allTasks();
    const index = Number($("target-task").value);
    return tasks[index] || focusedTask || tasks[0] || null;
  }

  function addError(quote) {
    const task = targetTask();
    if (!task) { Examkit.say("Legen Sie zuerst eine Aufgabe an („+ Aufgabe“).", "warn"); $("add-task").focus(); return; }
    task.errors.push({ quote: quote || null, comment: "", deduction: null });  /* the teacher decides the deduction */
    draw();
    changed();
    focusLast(task);
  }

  $("add-error").addEventListener("click", () => {
    if (!lastQuote) Examkit.say("Tipp: erst Wörter im Schülertext markieren, dann wird das Zitat übernommen.", "info");
    addError(lastQuote);
    lastQuote = "";
  });

  /* ---- the teacher's marks from the scan as suggestions ---- */
  const dismissedKey = `examkit-dismissed:${docId}`;
  const dismissed = new Set(JSON.parse(localStorage.getItem(dismissedKey) || "[]"));
  function drawSuggestions() {
    const quotes = allTasks().flatMap((t) => t.errors.map((e) => (e.quote || "").trim())).filter(Boolean);
    const words = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter(Boolean);
    const alike = (a, b) => a === b || (a.length > 3 && b.length > 3 && (a.startsWith(b.slice(0, 4)) || b.startsWith(a.slice(0, 4))));
    /* taken: most of its words (spelled alike: the OCR's "neur" is the corrected "neuer") are in a quote already */
    const taken = (text) => quotes.some((q) => {
      const mine = words(text), theirs = words(q);
      return mine.length > 0 && mine.filter((w) => theirs.some((t) => alike(w, t))).length >= 0.6 * mine.length;
    });
    const open = view.suggestions.filter((s) => !dismissed.has(s.text) && !taken(s.text));
    $("suggestions").hidden = open.length === 0;
    $("suggestion-list").replaceChildren(...open.map((s) => el("li", {},
      el("span", { class: "tag", text: s.label }), el("q", { text: s.text }), el("span", { class: "muted small", text: ` S. ${s.page}` }),
      s.found ? null : el("span", { class: "muted small", text: "(so nicht mehr im korrigierten Text – bitte prüfen)" }),
      el("button", { type: "button", class: "link", text: "Übernehmen", onclick: () => addError(s.text) }),
      el("button", { type: "button", class: "link", text: "Verwerfen", onclick: () => {
        dismissed.add(s.text); localStorage.setItem(dismissedKey, JSON.stringify([...dismissed])); drawSuggestions(); } }))));
  }

  /* ---- the saved versions, newest first, each with what it changed ---- */
  function drawHistory() {
    $("analysis-history").hidden = view.history.length === 0;
    $("analysis-history").querySelector("summary").textContent =
      `Verlauf (${Examkit.plural(view.history.length, "gespeicherte Fassung", "gespeicherte Fassungen")})`;
    $("analysis-history-list").replaceChildren(...view.history.map((rev, i) => {
      const before = i + 1 < view.history.length ? view.history[i + 1].text : null;
      return el("li", { class: i === 0 ? "current" : "" },
        el("span", { class: "who", text: rev.author }),
        el("span", { class: "muted small", text: [rev.when, rev.draft ? "Entwurf" : Examkit.SOURCE[rev.source] || rev.source].join(" · ") }),
        el("span", { class: "snippet", text: before === null ? "erste Fassung" : ExamkitDiff.summary(before, rev.text) }),
        el("button", { type: "button", class: "link", text: "Ansehen", onclick: () => Examkit.showText(rev, rev.text, before) }));
    }));
  }

  /* ---- saving ---- */
  async function save() {
    const body = { document_id: docId, sheet: clean(), base };
    const result = await Examkit.api("POST", "api/analysis", body);
    if (result.status === 200) {
      base = result.data.revision.id;
      view.history.unshift({ ...result.data.revision, source: "teacher", draft: false });
      drawHistory();
      savedJson = JSON.stringify(clean());
      const banner = $("draft-banner");
      if (banner) banner.hidden = true;
      Examkit.say("Fehleranalyse gespeichert.", "ok");
      changed();
      return;
    }
    if (result.status === 409) {
      await Examkit.afterConflict(result.data.current, lastPreview,
        (theirs) => { base = theirs ? theirs.id : null; return save(); }, "Ihre Eingaben stehen weiter im Formular.");
      return;
    }
    if (result.status === 422 && result.data) {  // the refused fields are named and marked; focus the first
      markAll(result.data.errors);
      const first = document.querySelector("#tasks .invalid, #extras .invalid");
      if (first) first.focus();
    }
    Examkit.explain(result);
  }

  async function saveExam() {
    if (!confirm(`Aufgaben und Höchstpunkte dieser Analyse für alle Arbeiten der Klausur „${view.document.exam}“ übernehmen? ` +
                 "Neue Analysen dieser Klausur beginnen dann mit diesen Aufgaben; bereits gespeicherte bleiben, wie sie sind.")) return;
    const result = await Examkit.api("POST", "api/exam-sheet", { exam: view.document.exam, sheet: clean() });
    if (result.status === 200) Examkit.say("Aufgaben und Höchstpunkte gelten jetzt für alle Arbeiten dieser Klausur.", "ok");
    else { if (result.status === 422 && result.data) markAll(result.data.errors); Examkit.explain(result); }
  }

  $("title").value = sheet.title || "";
  $("title").addEventListener("input", (e) => { sheet.title = e.target.value || null; changed(); });
  $("add-task").addEventListener("click", () => {
    const task = newTask(sheet.tasks.length, false);
    sheet.tasks.push(task);
    draw();
    changed();
    const label = task._box && task._box.querySelector(".label");  /* the next keystroke names the new task */
    if (label) { label.focus(); label.select(); }
  });
  $("add-extra").addEventListener("click", () => { sheet.extras.push({ label: "Form", points: 0, max: 2 }); draw(); changed(); });
  $("save").addEventListener("click", save);
  if ($("save-exam")) $("save-exam").addEventListener("click", saveExam);
  document.addEventListener("keydown", (event) => {
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && key === "s") { event.preventDefault(); save(); }
    else if (event.altKey && key === "f") { event.preventDefault(); $("add-error").click(); }
  });
  window.addEventListener("beforeunload", (event) => { if (dirty() && !Examkit.isLeaving()) { event.preventDefault(); event.returnValue = ""; } });
  draw();
  drawHistory();
  savedJson = JSON.stringify(clean());
  changed();
  $("state").textContent = view.draft || view.origin === "redink" ? "Entwurf – noch nicht gespeichert"
    : view.saved ? "Gespeichert" : "Noch nicht gespeichert";

  /* A red note clicked: a score placed on a task becomes that task's points (and its maximum
     where the task has none); other notes show where they stand. */
  document.querySelectorAll("#red-note-list .red-note").forEach((button) => button.addEventListener("click", () => {
    const note = view.red_ink.notes[Number(button.dataset.i)];
    const found = /^(\d+(?:,\d)?)\/(\d+)$/.exec(note.text || "");
    const task = note.task !== null ? sheet.tasks[note.task] : null;
    if (!found || !task || note.rule === "total") {
      Examkit.say(`„${note.text}“ auf Seite ${note.page}: ${note.rule_de}.`, "info");
      return;
    }
    task.points = Examkit.number(found[1]);
    if (!task.max) task.max = Examkit.number(found[2]);
    draw();
    changed();
    Examkit.say(`${task.label}: ${found[1]} von ${found[2]} Punkten eingesetzt.`, "ok");
  }));
  preview();
})();
