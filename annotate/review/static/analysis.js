/* The analysis editor: tasks, error lines and extras as a form; a live preview rendered by the
   server (the same renderer and audit as the command line); quotes taken from the student's text. */
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

  const num = (value) => {
    const text = String(value).trim().replace(",", ".");
    if (text === "") return null;
    const n = Number(text);
    return Number.isFinite(n) ? n : NaN;
  };
  const show = (n) => (n === null || n === undefined ? "" : String(n).replace(".", ","));
  const dirty = () => JSON.stringify(clean()) !== savedJson;

  /* ---- the form ---- */
  function numberInput(obj, key, label, extra = {}) {
    return el("label", { class: "num" }, label,
      el("input", { type: "text", inputMode: "decimal", value: show(obj[key]), size: 4, ...extra,
        oninput: (e) => { obj[key] = num(e.target.value); changed(); } }));
  }

  function errorRow(task, error, index) {
    return el("div", { class: "error-row" },
      el("input", { type: "text", class: "quote", placeholder: "„Zitat“ (optional)", value: error.quote || "",
        "aria-label": "Zitat", oninput: (e) => { error.quote = e.target.value; changed(); } }),
      el("input", { type: "text", class: "comment", placeholder: "Kommentar", value: error.comment || "",
        "aria-label": "Kommentar", oninput: (e) => { error.comment = e.target.value; changed(); } }),
      numberInput(error, "deduction", "−", { "aria-label": "Punktabzug", class: "deduction" }),
      el("button", { type: "button", class: "icon", title: "Fehler entfernen", "aria-label": "Fehler entfernen",
        text: "✕", onclick: () => { task.errors.splice(index, 1); draw(); changed(); } }));
  }

  function taskBox(task, siblings, index, depth) {
    const box = el("fieldset", { class: `task depth-${depth}` },
      el("div", { class: "task-head" },
        el("input", { type: "text", class: "label", value: task.label, "aria-label": "Bezeichnung der Aufgabe",
          oninput: (e) => { task.label = e.target.value; changed(); fillTargets(); } }),
        numberInput(task, "max", "max.", { "aria-label": "Höchstpunkte" }),
        el("span", { class: "points muted", "data-points": "" }),
        el("span", { class: "spacer" }),
        el("button", { type: "button", class: "link", text: "+ Fehler",
          onclick: () => { task.errors.push({ quote: null, comment: "", deduction: 1 }); draw(); changed(); focusLast(task); } }),
        el("button", { type: "button", class: "link", text: "+ Teilaufgabe",
          onclick: () => { task.tasks.push(newTask(task.tasks.length, true)); draw(); changed(); } }),
        el("button", { type: "button", class: "icon", title: "Aufgabe entfernen", "aria-label": "Aufgabe entfernen", text: "✕",
          onclick: () => { if (confirm(`Aufgabe „${task.label}“ entfernen?`)) { siblings.splice(index, 1); draw(); changed(); } } })),
      task.errors.map((error, i) => errorRow(task, error, i)),
      task.tasks.map((sub, i) => taskBox(sub, task.tasks, i, depth + 1)));
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
    $("tasks").replaceChildren(...sheet.tasks.map((t, i) => taskBox(t, sheet.tasks, i, 0)));
    $("extras").replaceChildren(...sheet.extras.map((x, i) => el("div", { class: "extra-row" },
      el("input", { type: "text", value: x.label, "aria-label": "Bezeichnung", oninput: (e) => { x.label = e.target.value; changed(); } }),
      numberInput(x, "points", "Punkte"), numberInput(x, "max", "von"),
      el("button", { type: "button", class: "icon", text: "✕", title: "entfernen", "aria-label": "Zusatzpunkte entfernen",
        onclick: () => { sheet.extras.splice(i, 1); draw(); changed(); } }))));
    fillTargets();
    drawSuggestions();
  }

  /* ---- preview ---- */
  function points(task) {
    if (task.points !== null && task.points !== undefined) return task.points;
    if (task.tasks.length) return task.tasks.reduce((sum, t) => sum + points(t), 0);
    return (task.max || 0) - task.errors.reduce((sum, e) => sum + (e.deduction || 0), 0);
  }

  let timer = null;
  function changed() {
    for (const task of allTasks()) {
      const span = task._box && task._box.querySelector(":scope > .task-head [data-points]");
      if (span) span.textContent = `= ${show(points(task))} P.`;
    }
    $("state").textContent = dirty() ? "Ungespeicherte Änderungen" : "Gespeichert";
    $("state").classList.toggle("unsaved", dirty());
    clearTimeout(timer);
    timer = setTimeout(preview, 200);
  }

  const clean = () => JSON.parse(JSON.stringify(sheet, (k, v) => (k.startsWith("_") ? undefined : v)));

  async function preview() {
    const result = await Examkit.api("POST", "/api/preview", { document_id: docId, sheet: clean() });
    const totals = $("totals"), problems = $("problems"), text = $("canonical");
    if (result.status !== 200) { Examkit.explain(result); return; }
    const answer = result.data;
    if (!answer.ok) {
      totals.replaceChildren(el("span", { class: "bad", text: "Noch nicht stimmig" }));
      problems.replaceChildren(el("li", { class: "error", text: answer.error }));
      return;
    }
    lastPreview = answer.text;
    const t = answer.totals;
    totals.replaceChildren(
      el("span", { class: "big", text: `${show(t.points)} von ${show(t.max)} Punkten` }),
      el("span", { class: "big", text: `${t.percent} %` }),
      el("span", { class: "big grade", text: `Note ${t.grade ?? "–"}` }));
    problems.replaceChildren(...answer.problems.map((p) =>
      el("li", { class: p.severity }, el("b", { text: p.label }), " – ", el("span", { class: "muted", text: p.message }))));
    text.textContent = answer.text;
  }

  /* ---- quotes from the student's text ---- */
  const studentBox = $("student-text");
  document.addEventListener("selectionchange", () => {
    const sel = window.getSelection();
    if (sel && sel.rangeCount && studentBox.contains(sel.anchorNode) && sel.toString().trim())
      lastQuote = sel.toString().replace(/\s+/g, " ").trim();
  });

  function targetTask() {
    const tasks = allTasks();
    const index = Number($("target-task").value);
    return tasks[index] || focusedTask || tasks[0] || null;
  }

  function addError(quote) {
    const task = targetTask();
    if (!task) { Examkit.say("Legen Sie zuerst eine Aufgabe an („+ Aufgabe“).", "warn"); $("add-task").focus(); return; }
    task.errors.push({ quote: quote || null, comment: "", deduction: 1 });
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
    const taken = (text) => quotes.some((q) => q.includes(text) || text.includes(q));
    const open = view.suggestions.filter((s) => !dismissed.has(s.text) && !taken(s.text));
    $("suggestions").hidden = open.length === 0;
    $("suggestion-list").replaceChildren(...open.map((s) => el("li", {},
      el("span", { class: "tag", text: s.label }), el("q", { text: s.text }), el("span", { class: "muted small", text: ` S. ${s.page}` }),
      el("button", { type: "button", class: "link", text: "Übernehmen", onclick: () => addError(s.text) }),
      el("button", { type: "button", class: "link", text: "Verwerfen", onclick: () => {
        dismissed.add(s.text); localStorage.setItem(dismissedKey, JSON.stringify([...dismissed])); drawSuggestions(); } }))));
  }

  /* ---- saving ---- */
  async function save() {
    const body = { document_id: docId, sheet: clean(), base };
    const result = await Examkit.api("POST", "/api/analysis", body);
    if (result.status === 200) {
      base = result.data.revision.id;
      savedJson = JSON.stringify(clean());
      const banner = $("draft-banner");
      if (banner) banner.hidden = true;
      Examkit.say("Fehleranalyse gespeichert.", "ok");
      changed();
      return;
    }
    if (result.status === 409) {
      const theirs = result.data.current;
      const choice = await Examkit.conflict(theirs, lastPreview);
      if (choice === "reload") { Examkit.reloadKeeping(lastPreview); return; }
      if (choice === "keep") { base = theirs ? theirs.id : null; return save(); }
      Examkit.say("Nicht gespeichert. Ihre Eingaben stehen weiter im Formular.", "warn", true);
      return;
    }
    Examkit.explain(result);
  }

  async function saveExam() {
    const result = await Examkit.api("POST", "/api/exam-sheet", { exam: view.document.exam, sheet: clean() });
    if (result.status === 200) Examkit.say("Aufgaben und Höchstpunkte gelten jetzt für alle Arbeiten dieser Klausur.", "ok");
    else Examkit.explain(result);
  }

  $("title").value = sheet.title || "";
  $("title").addEventListener("input", (e) => { sheet.title = e.target.value || null; changed(); });
  $("add-task").addEventListener("click", () => { sheet.tasks.push(newTask(sheet.tasks.length, false)); draw(); changed(); });
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
  savedJson = JSON.stringify(clean());
  changed();
  $("state").textContent = view.draft ? "Entwurf – noch nicht gespeichert" : view.saved ? "Gespeichert" : "Noch nicht gespeichert";
  preview();
})();
