/* One page's text as the review page keeps it: the revision it is based on, saving (with the
   conflict choice on 409), restoring, and mapping OCR words to positions in the text. */
"use strict";
class PageText {
  constructor(view, onChange) {
    this.pageId = view.page.id;
    this.base = view.base;
    this.saved = view.text;
    this.ocrText = view.ocr_text;
    this.history = view.history;
    this.reviewed = view.reviewed;
    this.onChange = onChange || (() => {});
  }

  /* Save `text` as a new revision; on 409 ask whether to keep both. Returns true when saved. */
  async save(text, url) {
    const result = await Examkit.api("POST", url || `api/pages/${this.pageId}/text`, { text, base: this.base });
    return this._after(result, text);
  }

  async restore(revisionId) {
    const result = await Examkit.api("POST", `api/pages/${this.pageId}/revert`, { revision: revisionId, base: this.base });
    if (result.status === 409) return this._after(result, this.saved);
    const ok = await this._after(result, null);
    if (ok) Examkit.say("Ältere Fassung als neue Fassung wiederhergestellt.", "ok");
    return ok;
  }

  async _after(result, mine) {
    if (result.status === 200) {
      const revision = result.data.revision;
      this.base = revision.id;
      this.saved = revision.text;
      this.history.unshift(revision);
      this.onChange(revision);
      return true;
    }
    if (result.status === 409) {
      return Examkit.afterConflict(result.data.current, mine, (theirs) => {
        if (theirs) { this.history.unshift(theirs); this.base = theirs.id; }
        return this.save(mine);
      }, "Ihr Text steht weiter im Eingabefeld.");
    }
    Examkit.explain(result);
    return false;
  }

  async markReviewed(reviewed) {
    const result = await Examkit.api("POST", `api/pages/${this.pageId}/reviewed`, { reviewed });
    if (result.status !== 200) { Examkit.explain(result); return false; }
    this.reviewed = reviewed;
    return true;
  }
}

/* Where the `wordIndex`-th whitespace-separated word of line `lineIndex` stands in `text`. */
function wordRange(text, lineIndex, wordIndex) {
  const lines = text.split("\n");
  if (lineIndex >= lines.length) return null;
  let offset = 0;
  for (let i = 0; i < lineIndex; i++) offset += lines[i].length + 1;
  const pattern = /\S+/g;
  let match, n = 0;
  while ((match = pattern.exec(lines[lineIndex])) !== null) {
    if (n === wordIndex) return [offset + match.index, offset + match.index + match[0].length];
    n++;
  }
  return null;
}

/* The (line, word) under a text position, or null between words. */
function wordAt(text, position) {
  const before = text.slice(0, position);
  const lineIndex = before.split("\n").length - 1;
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = text.slice(lineStart).split("\n")[0];
  const column = position - lineStart;
  const pattern = /\S+/g;
  let match, n = 0;
  while ((match = pattern.exec(line)) !== null) {
    if (column >= match.index && column <= match.index + match[0].length) return [lineIndex, n];
    n++;
  }
  return null;
}

/* The history list: newest first, each entry with who/when and view/restore buttons; the OCR
   reading at the end. `pick(rev)` returns what to show of a revision (the page, or one line). */
function renderHistory(list, pageText, pick, onRestore) {
  list.replaceChildren();
  const seen = new Set();
  const entries = pageText.history.map((rev) => ({ rev, shown: pick(rev.text) }));
  entries.push({ rev: { id: null, author: "Texterkennung", when: "", source: "ocr" }, shown: pick(pageText.ocrText) });
  entries.forEach(({ rev, shown }, index) => {
    if (pick.distinct && seen.has(shown)) return;
    seen.add(shown);
    const current = index === 0 && rev.id !== null;
    const before = index + 1 < entries.length ? entries[index + 1].shown : null;  // the version it changed
    const item = Examkit.el("li", { class: current ? "current" : "" },
      Examkit.el("span", { class: "who", text: rev.author }),
      Examkit.el("span", { class: "muted small", text: [rev.when, Examkit.SOURCE[rev.source] || rev.source].filter(Boolean).join(" · ") }),
      Examkit.el("span", { class: "snippet", text: before === null ? (shown.length > 90 ? shown.slice(0, 90) + "…" : shown)
                                                               : ExamkitDiff.summary(before, shown) }),
      Examkit.el("button", { type: "button", class: "link", text: "Ansehen",
        onclick: () => Examkit.showText(rev, shown, before) }),
      current ? Examkit.el("span", { class: "tag", text: "aktuell" }) :
        Examkit.el("button", { type: "button", class: "link", text: "Wiederherstellen",
          onclick: () => onRestore(rev, shown) }));
    list.append(item);
  });
}
