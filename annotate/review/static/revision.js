/* One saved version and what changed in it: a word-level diff against the version before,
   shown in the "show revision" dialog (_show_revision.html) and summed up in history lists.
   Small and standalone so every history (page, line, analysis) can use it. */
"use strict";
const ExamkitDiff = (() => {
  /* Words and the white space after them, so that joining the parts gives the text back. */
  const tokens = (text) => String(text || "").match(/\S+\s*|\s+/g) || [];
  const bare = (token) => token.trim();

  /* [{op: "same" | "add" | "del", text}] turning `before` into `after`, word by word (LCS;
     texts of a page are a few hundred words, so the table stays small). */
  function words(before, after) {
    const a = tokens(before), b = tokens(after);
    let start = 0;
    while (start < a.length && start < b.length && bare(a[start]) === bare(b[start])) start++;
    let endA = a.length, endB = b.length;
    while (endA > start && endB > start && bare(a[endA - 1]) === bare(b[endB - 1])) { endA--; endB--; }
    const midA = a.slice(start, endA), midB = b.slice(start, endB);
    const n = midA.length, m = midB.length;
    const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        table[i][j] = bare(midA[i]) === bare(midB[j]) ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    const parts = [];
    const push = (op, text) => {
      const last = parts[parts.length - 1];
      if (last && last.op === op) last.text += text; else parts.push({ op, text });
    };
    b.slice(0, start).forEach((t) => push("same", t));
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && bare(midA[i]) === bare(midB[j])) { push("same", midB[j]); i++; j++; }
      else if (i < n && (j === m || table[i + 1][j] >= table[i][j + 1])) { push("del", midA[i]); i++; }
      else { push("add", midB[j]); j++; }
    }
    b.slice(endB).forEach((t) => push("same", t));
    return parts;
  }

  /* The diff as nodes: <ins> for added words, <del> for removed ones (screen readers name both). */
  function nodes(parts) {
    return parts.flatMap((p) => {
      if (p.op === "same") return [document.createTextNode(p.text)];
      const [, words, space] = p.text.match(/^([\s\S]*?)(\s*)$/);
      return [Examkit.el(p.op === "add" ? "ins" : "del", { text: words, title: p.op === "add" ? "hinzugefügt" : "entfernt" }),
              document.createTextNode(space)];
    });
  }

  /* One line for a history list: the first change ("neur" → "neuer"), and how many more. */
  function summary(before, after) {
    const parts = words(before, after);
    const changes = [];
    for (let k = 0; k < parts.length; k++) {
      const p = parts[k];
      if (p.op === "same") continue;
      const next = parts[k + 1];
      if (p.op === "del" && next && next.op === "add") { changes.push(`„${p.text.trim()}“ → „${next.text.trim()}“`); k++; }
      else changes.push(`${p.op === "add" ? "+" : "−"} „${p.text.trim()}“`);
    }
    if (!changes.length) return "unverändert";
    const first = changes[0].length > 80 ? changes[0].slice(0, 80) + "…" : changes[0];
    return changes.length > 1 ? `${first} (und ${Examkit.plural(changes.length - 1, "weitere Änderung", "weitere Änderungen")})` : first;
  }

  return { words, nodes, summary };
})();

/* The dialog of _show_revision.html: who saved it when, and its text with the changes against
   `previous` marked (no previous: the text alone). `meta` is a revision ({author, when, source})
   or, as older callers pass it, a title string. */
Examkit.showText = (meta, text, previous) => {
  const dialog = document.getElementById("show-revision");
  const slot = (name) => dialog.querySelector(`[data-slot="${name}"]`);
  const title = typeof meta === "string" ? meta
    : [meta.author, meta.when, Examkit.SOURCE[meta.source] || meta.source].filter(Boolean).join(" · ");
  slot("title").textContent = title;
  const compare = previous !== undefined && previous !== null;
  slot("legend").hidden = !compare;
  slot("text").replaceChildren(...(compare ? ExamkitDiff.nodes(ExamkitDiff.words(previous, text)) : [document.createTextNode(text)]));
  dialog.querySelector('[data-action="close"]').onclick = () => dialog.close();
  dialog.showModal();
  const change = slot("text").querySelector("ins, del");
  if (change) change.scrollIntoView({ block: "center" });  // the first change, not the unchanged start
};
