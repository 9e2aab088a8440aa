// Analysis view: the exam's tasks, error lines per task, live canonical preview, save.
"use strict";
(function () {
  const data = ek.data("analysis-data");
  const docUrl = "/api/documents/" + data.document.id.split("/").map(encodeURIComponent).join("/") + "/analysis";
  let base = data.base;
  const sheet = normalise(data.sheet);
  let savedJson = JSON.stringify(sheet);

  function normalise(s) {
    const task = (t) => ({
      label: String(t.label ?? ""), max: t.max ?? 0, points: t.points ?? null,
      errors: (t.errors || []).map((e) => ({ quote: e.quote || "", comment: e.comment || "", deduction: e.deduction ?? "" })),
      tasks: (t.tasks || []).map(task),
    });
    return { title: s.title || "", tasks: (s.tasks || []).map(task), extras: (s.extras || []).map((x) => ({ ...x })) };
  }
  const num = (v) => (v === "" || v === null || v === undefined ? "" : String(v).replace(".", ","));

  function leaves(tasks, prefix, out) {
    tasks.forEach((t) => {
      const name = prefix ? prefix + " › " + t.label : t.label;
      if (t.tasks.length) leaves(t.tasks, name, out); else out.push([name, t]);
    });
    return out;
  }

  // -- the exam's task structure --------------------------------------------------------------
  function renderStructure() {
    const root = document.getElementById("structure");
    root.replaceChildren();
    const walk = (list, depth, container) => {
      list.forEach((t, i) => {
        const row = ek.el("div", { class: "struct-row" });
        row.style.marginLeft = depth * 1.5 + "rem";
        const label = ek.el("input", { type: "text", value: t.label, placeholder: "Bezeichnung, z. B. A" });
        label.setAttribute("aria-label", "Bezeichnung der Aufgabe");
        label.addEventListener("input", () => { t.label = label.value; renderTasks(); changed(); });
        const max = ek.el("input", { type: "text", inputMode: "decimal", value: num(t.max), class: "num" });
        max.setAttribute("aria-label", "Höchstpunkte");
        max.addEventListener("input", () => { t.max = max.value; renderTasks(); changed(); });
        const sub = ek.el("button", { type: "button", class: "small" }, "+ Unteraufgabe");
        sub.addEventListener("click", () => { t.tasks.push({ label: "", max: 0, points: null, errors: [], tasks: [] }); renderAll(); });
        const del = ek.el("button", { type: "button", class: "small danger", title: "Aufgabe entfernen" }, "✕");
        del.addEventListener("click", () => { list.splice(i, 1); renderAll(); });
        row.append(label, ek.el("span", { class: "muted" }, "max."), max, ek.el("span", { class: "muted" }, "P."), sub, del);
        container.append(row);
        walk(t.tasks, depth + 1, container);
      });
    };
    walk(sheet.tasks, 0, root);
    if (!sheet.tasks.length) root.append(ek.el("p", { class: "muted" }, "Noch keine Aufgaben. Legen Sie die Aufgaben der Klausur mit ihren Höchstpunkten an; sie gelten dann für alle Schüler."));
  }

  // -- error lines per task -------------------------------------------------------------------
  function renderTasks() {
    const root = document.getElementById("tasks");
    root.replaceChildren();
    const walk = (list, depth) => {
      list.forEach((t) => {
        const box = ek.el("div", { class: "task depth-" + depth });
        box.append(ek.el("h3", {}, (t.label || "?") + " (max. " + num(t.max) + " P.)"));
        if (!t.tasks.length) {
          t.errors.forEach((e, i) => box.append(errorRow(t, e, i)));
          const add = ek.el("button", { type: "button", class: "small" }, "+ Fehler ohne Zitat");
          add.addEventListener("click", () => { t.errors.push({ quote: "", comment: "", deduction: 1 }); renderTasks(); changed(); focusLast(t); });
          box.append(add);
        }
        root.append(box);
        walk(t.tasks, depth + 1);
      });
    };
    walk(sheet.tasks, 0);
    renderSelect();
  }

  function errorRow(t, e, i) {
    const row = ek.el("div", { class: "error-row" });
    const quote = ek.el("input", { type: "text", value: e.quote, placeholder: "Zitat (optional)", class: "quote" });
    quote.setAttribute("aria-label", "Zitat aus dem Schülertext");
    const comment = ek.el("input", { type: "text", value: e.comment, placeholder: "Kommentar", class: "comment" });
    comment.setAttribute("aria-label", "Kommentar");
    const ded = ek.el("input", { type: "text", inputMode: "decimal", value: num(e.deduction), class: "num", placeholder: "–" });
    ded.setAttribute("aria-label", "Punktabzug");
    ded.title = "Punktabzug (leer = nicht angegeben, 0 = kein Abzug)";
    quote.addEventListener("input", () => { e.quote = quote.value; changed(); });
    comment.addEventListener("input", () => { e.comment = comment.value; changed(); });
    ded.addEventListener("input", () => { e.deduction = ded.value; changed(); });
    const del = ek.el("button", { type: "button", class: "small danger", title: "Fehler entfernen" }, "✕");
    del.addEventListener("click", () => { t.errors.splice(i, 1); renderTasks(); changed(); });
    row.append(quote, comment, ek.el("span", { class: "muted" }, "−"), ded, ek.el("span", { class: "muted" }, "P."), del);
    row.dataset.task = t.label;
    return row;
  }

  function focusLast(t) {
    const rows = [...document.querySelectorAll("#tasks .error-row")].filter((r) => r.dataset.task === t.label);
    if (rows.length) rows[rows.length - 1].querySelector(".comment").focus();
  }

  function renderSelect() {
    const select = document.getElementById("task-select");
    const keep = select.value;
    select.replaceChildren();
    leaves(sheet.tasks, "", []).forEach(([name], i) => select.append(ek.el("option", { value: String(i) }, name)));
    if (keep && Number(keep) < select.options.length) select.value = keep;
  }

  function renderExtras() {
    const root = document.getElementById("extras");
    root.replaceChildren();
    sheet.extras.forEach((x, i) => {
      const row = ek.el("div", { class: "struct-row" });
      const label = ek.el("input", { type: "text", value: x.label || "", placeholder: "z. B. Form" });
      const pts = ek.el("input", { type: "text", inputMode: "decimal", value: num(x.points), class: "num" });
      const max = ek.el("input", { type: "text", inputMode: "decimal", value: num(x.max), class: "num" });
      label.setAttribute("aria-label", "Bezeichnung"); pts.setAttribute("aria-label", "Punkte"); max.setAttribute("aria-label", "Höchstpunkte");
      label.addEventListener("input", () => { x.label = label.value; changed(); });
      pts.addEventListener("input", () => { x.points = pts.value; changed(); });
      max.addEventListener("input", () => { x.max = max.value; changed(); });
      const del = ek.el("button", { type: "button", class: "small danger" }, "✕");
      del.addEventListener("click", () => { sheet.extras.splice(i, 1); renderExtras(); changed(); });
      row.append(label, pts, ek.el("span", { class: "muted" }, "von"), max, ek.el("span", { class: "muted" }, "P."), del);
      root.append(row);
    });
  }

  function renderAll() { renderStructure(); renderTasks(); renderExtras(); changed(); }

  // -- adding errors from the student's text ---------------------------------------------------
  const studentBox = document.getElementById("student-text");
  studentBox.textContent = data.student_text || "(Noch kein Text – bitte zuerst die Seiten prüfen.)";

  function addError(quote) {
    const targets = leaves(sheet.tasks, "", []);
    if (!targets.length) { ek.banner("Bitte zuerst die Aufgaben der Klausur anlegen."); document.getElementById("exam-tasks").open = true; return; }
    const select = document.getElementById("task-select");
    const task = targets[Number(select.value) || 0][1];
    task.errors.push({ quote: quote, comment: "", deduction: 1 });
    renderTasks(); changed(); focusLast(task);
  }
  document.getElementById("add-error").addEventListener("click", () => {
    const sel = window.getSelection();
    const inside = sel && sel.rangeCount && studentBox.contains(sel.getRangeAt(0).commonAncestorContainer);
    const quote = inside ? sel.toString().replace(/\s+/g, " ").trim() : "";
    addError(quote);
  });
  document.addEventListener("keydown", (e) => {
    if (e.altKey && e.key.toLowerCase() === "f") { e.preventDefault(); document.getElementById("add-error").click(); }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") { e.preventDefault(); save(); }
  });

  const suggestions = document.getElementById("suggestions");
  const kinds = { underline: "unterstrichen", strike: "durchgestrichen", circle: "eingekreist" };
  data.suggestions.forEach((s) => {
    const li = ek.el("li");
    li.append(ek.el("span", { class: "tag" }, kinds[s.kind] || s.kind), ek.el("q", {}, s.text), ek.el("span", { class: "muted" }, " S. " + s.page));
    const ok = ek.el("button", { type: "button", class: "small" }, "Übernehmen");
    ok.addEventListener("click", () => { addError(s.text); li.remove(); checkSuggestions(); });
    const no = ek.el("button", { type: "button", class: "small" }, "Verwerfen");
    no.addEventListener("click", () => { li.remove(); checkSuggestions(); });
    li.append(ok, no);
    suggestions.append(li);
  });
  function checkSuggestions() { document.getElementById("suggestions-box").hidden = !suggestions.children.length; }
  checkSuggestions();

  // -- preview and save ------------------------------------------------------------------------
  const title = document.getElementById("title");
  title.value = sheet.title;
  title.addEventListener("input", () => { sheet.title = title.value; changed(); });
  let timer = null, seq = 0;
  function changed() { clearTimeout(timer); timer = setTimeout(refresh, 250); }

  async function refresh() {
    const mine = ++seq;
    const res = await ek.api("POST", docUrl + "/preview", { sheet: sheet });
    if (mine !== seq) return;  // a newer preview is on its way
    const totals = document.getElementById("totals"), problems = document.getElementById("problems");
    const pre = document.getElementById("preview");
    totals.replaceChildren(); problems.replaceChildren();
    if (res.status !== 200) { ek.handleError(res, null); return; }
    const p = res.body;
    if (!p.ok) {
      pre.textContent = "";
      problems.append(ek.el("li", { class: "error" }, p.error));
      return;
    }
    const t = p.totals;
    totals.append(
      ek.el("div", { class: "big" }, num(t.points) + " / " + num(t.max) + " P."),
      ek.el("div", {}, t.percent + " %"),
      ek.el("div", { class: "grade" }, "Note: " + (t.grade ?? "–")),
    );
    if (!p.problems.length) problems.append(ek.el("li", { class: "ok" }, "Keine Auffälligkeiten"));
    p.problems.forEach((pr) => {
      const li = ek.el("li", { class: pr.severity });
      li.append(ek.el("strong", {}, pr.title + ": "), ek.el("span", {}, pr.message));
      problems.append(li);
    });
    pre.textContent = p.text;
    document.getElementById("save").classList.toggle("attention", JSON.stringify(sheet) !== savedJson);
  }

  async function save() {
    const snapshot = JSON.stringify(sheet);
    const res = await ek.api("POST", docUrl, { sheet: sheet, base: base });
    if (res.status === 200) {
      base = res.body.revision; savedJson = snapshot; ek.banner(null);
      document.getElementById("save").classList.remove("attention");
      ek.toast("Analyse gespeichert");
      return;
    }
    ek.handleError(res, (body) => ek.conflict(snapshot, () => { base = body.current_revision; save(); }));
  }
  document.getElementById("save").addEventListener("click", save);

  document.getElementById("add-task").addEventListener("click", () => {
    sheet.tasks.push({ label: String.fromCharCode(65 + sheet.tasks.length), max: 0, points: null, errors: [], tasks: [] });
    renderAll();
  });
  document.getElementById("add-extra").addEventListener("click", () => {
    sheet.extras.push({ label: "Form", points: 0, max: 0 }); renderExtras(); changed();
  });
  document.getElementById("save-exam").addEventListener("click", async () => {
    const res = await ek.api("POST", "/api/exam-sheet", { exam: data.document.exam, sheet: sheet });
    if (res.status === 200) ek.toast("Aufgaben als Vorlage für alle Schüler gespeichert");
    else ek.handleError(res, null);
  });
  window.addEventListener("beforeunload", (e) => { if (!ek.leaving && JSON.stringify(sheet) !== savedJson) { e.preventDefault(); e.returnValue = ""; } });

  renderAll();
  ek.restoreUnsaved();
})();
