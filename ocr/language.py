"""What examkit knows of a language before any page is read: general text and a word list.

Both come from ``wordfreq`` (PyPI, MIT; its frequency lists ship inside the wheel, so nothing is
fetched): the general text is a sample of its most frequent words drawn by frequency, with
commas, full stops and numbers sprinkled in at rates typical of prose, so that a character model
learns which letter sequences the language makes; the word list is its top words (lower case),
for the decoder's out-of-lexicon penalty and for flags. examkit's ``lang`` is Tesseract's code
(``deu``, ``eng``, ``deu+eng``); each part maps to a wordfreq language.

wordfreq folds case with Unicode's rules, which write German "ß" as "ss": its German lists hold
"ausserdem" and "heisst", never "außerdem". Debian's German word lists (today's spelling and the
spelling before 1996, installed by ``make setup``) say which words are written with "ß"; the general
text is sampled in that spelling and the word list holds both, so that the decoder can read "ß".

German joins words into new ones ("Ruhrkampf", "Thesenanschlag") that no frequency list holds;
:class:`Lexicon` counts a compound of two known words as half known, so that the class's subject
words are not flagged and cost the decoder less than a word it has never seen.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from examkit.errors import MissingDependencyError, UserInputError

#: examkit (Tesseract) language code -> wordfreq language code.
WORDFREQ_CODES = {"deu": "de", "eng": "en", "fra": "fr", "ita": "it", "spa": "es", "nld": "nl", "por": "pt",
                  "pol": "pl", "tur": "tr", "swe": "sv", "dan": "da", "nor": "nb", "fin": "fi", "ces": "cs"}
#: Words of the general text sampled (about 3.5 M characters; measured: more than 200,000 helps a little).
SAMPLE_WORDS = 500_000
#: Most frequent words the general text is drawn from, and the word list's length.
TEXT_VOCABULARY = 100_000
WORD_LIST_SIZE = 200_000
#: After a word: P(","), P("."); P(a number instead of a word).
COMMA, FULL_STOP, NUMBER = 0.06, 0.05, 0.01
#: Languages that join words into compounds -> the linking letters between the parts ("Fugen").
COMPOUND_LINKS = {"de": ("", "s", "es", "n", "en", "er", "e")}
#: The shortest part of a compound: shorter parts would make most misreadings a "compound" (measured
#: on 2,900 German words with one or two letters changed: 4 % of them pass at 4, 35 % at 3).
COMPOUND_PART = 4
#: A compound costs the decoder this share of an unknown word's penalty, and is not flagged as
#: unknown. At 0 a misread "Drittenberg" (dritten + berg) beat "Wittenberg"; drawn German lines with
#: one unlisted compound each read 162 of 200 compounds right without the rule, 166 at 0.5, 164 at 0.7.
COMPOUND_DOUBT = 0.7
#: Characters the bundled reader (trained without much German) writes as others: a written "ß" comes
#: out as "B" (probability 0.6-1.0, "ß" 0.001-0.2) or Greek "β". On 1,194 real German handwritten
#: names (DHSD, 37 writers) "B" for "ß" was the commonest error; giving "ß" its lookalikes' score, so
#: that the language model and the case rule choose, read them at CER 0.166 instead of 0.187.
LOOKALIKES = {"de": {"ß": "Bβ"}}
#: Word lists that spell what wordfreq folds (Debian's wngerman and wogerman, for "ß").
SPELLING_LISTS = {"de": (Path("/usr/share/dict/ngerman"), Path("/usr/share/dict/ogerman"))}


def wordfreq_codes(lang: str) -> tuple[str, ...]:
    """``deu+eng`` -> ``("de", "en")``; an unknown code is one clear line."""
    codes = []
    for part in filter(None, lang.split("+")):
        if part not in WORDFREQ_CODES:
            raise UserInputError(f"no language model for the language {part!r} (ocr.lang)",
                                 advice=f'Use one of {", ".join(WORDFREQ_CODES)}, or set [ocr.rapidocr] decoder = "greedy".')
        codes.append(WORDFREQ_CODES[part])
    if not codes:
        raise UserInputError("no language given (ocr.lang)", advice='Set [ocr] lang, e.g. "deu".')
    return tuple(codes)


def _wordfreq():
    try:
        import wordfreq
    except ModuleNotFoundError as exc:
        raise MissingDependencyError("the wordfreq Python package (language model for reading handwriting)",
                                     install="pip install 'wordfreq>=3.1'") from exc
    return wordfreq


@lru_cache(maxsize=4)
def general_text(lang: str, words: int = SAMPLE_WORDS, seed: int = 0) -> tuple[str, ...]:
    """Lines of text in ``lang`` sampled from wordfreq (the same lines for the same arguments)."""
    wordfreq = _wordfreq()
    codes = wordfreq_codes(lang)
    rng = np.random.default_rng(seed)
    lines = []
    for code in codes:
        spellings = folded_spellings(code)
        vocabulary = [w for w in wordfreq.top_n_list(code, TEXT_VOCABULARY) if w.isalpha() or "'" in w]
        freqs = np.array([wordfreq.word_frequency(w, code) for w in vocabulary])
        drawn = rng.choice(len(vocabulary), size=words // len(codes), p=freqs / freqs.sum())
        after = rng.random(len(drawn))
        numbers = rng.random(len(drawn)) < NUMBER
        tokens = []
        for i, (k, u, number) in enumerate(zip(drawn, after, numbers)):
            word = str(rng.integers(1, 2000)) if number else written(vocabulary[k], spellings)
            tokens.append(word + ("," if u < COMMA else "." if u < COMMA + FULL_STOP else ""))
            if len(tokens) == 12 or i == len(drawn) - 1:
                lines.append(" ".join(tokens))
                tokens = []
    return tuple(lines)


@lru_cache(maxsize=4)
def word_list(lang: str, size: int = WORD_LIST_SIZE) -> frozenset[str]:
    """The ``size`` most frequent words of each language of ``lang``, lower case."""
    wordfreq = _wordfreq()
    words: set[str] = set()
    for code in wordfreq_codes(lang):
        spellings = folded_spellings(code)
        for word in wordfreq.top_n_list(code, size):
            if not any(c.isdigit() for c in word):  # wordfreq writes every digit as 0
                words.add(word)  # "ausserdem" too: typed in ASCII, or written in Switzerland
                words.update(spellings.get(word, ()))
    return frozenset(words)


@lru_cache(maxsize=4)
def folded_spellings(code: str) -> dict[str, tuple[str, ...]]:
    """A word as wordfreq folds it -> its spellings in the word lists of :data:`SPELLING_LISTS`
    (lower case), for the words those lists write with "ß": ``ausserdem`` -> (``außerdem``,),
    ``dass`` -> (``dass``, ``daß``). Empty where no list is installed."""
    known: set[str] = set()
    for path in SPELLING_LISTS.get(code, ()):
        if path.is_file():
            known.update(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    forms: dict[str, set[str]] = {}
    for word in known:
        if "ß" in word:
            forms.setdefault(word.replace("ß", "ss"), {word}).add(word)
    return {folded: tuple(sorted(spelt | ({folded} & known))) for folded, spelt in forms.items()}


def written(word: str, spellings: dict[str, tuple[str, ...]]) -> str:
    """How a folded word is written in running text: with "ß" where the lists know it only so."""
    forms = spellings.get(word)
    return word if not forms or word in forms else forms[0]


def lookalikes(lang: str) -> dict[str, str]:
    """Character -> the characters the reader writes for it in ``lang`` (see :data:`LOOKALIKES`)."""
    table: dict[str, str] = {}
    for code in wordfreq_codes(lang):
        for char, others in LOOKALIKES.get(code, {}).items():
            table[char] = table.get(char, "") + others
    return table


def spelling_sources(lang: str) -> list[str]:
    """The installed word lists that restore folded spellings for ``lang`` (for ``ocr status``)."""
    return [str(path) for code in wordfreq_codes(lang) for path in SPELLING_LISTS.get(code, ()) if path.is_file()]


class Lexicon:
    """The words the decoder knows (lower case). In a compounding language a word made of two known
    words of at least :data:`COMPOUND_PART` letters, with a linking letter or two between, is half
    known: it costs less than an unknown word (:meth:`doubt`)."""

    def __init__(self, words: frozenset[str], links: tuple[str, ...] = ()) -> None:
        self.words = words
        self.links = links
        self._compounds: dict[str, bool] = {}

    @classmethod
    def of(cls, lang: str, words: frozenset[str]) -> Lexicon:
        links = sorted({link for code in wordfreq_codes(lang) for link in COMPOUND_LINKS.get(code, ())})
        return cls(words, tuple(links))

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def doubt(self, word: str) -> float:
        """1 for a word the lexicon does not hold; :data:`COMPOUND_DOUBT` for a compound of two it holds."""
        if not self.links or len(word) < 2 * COMPOUND_PART:
            return 1.0
        compound = self._compounds.get(word)
        if compound is None:
            if len(self._compounds) > 100_000:
                self._compounds.clear()
            compound = self._compounds[word] = self._is_compound(word)
        return COMPOUND_DOUBT if compound else 1.0

    def _is_compound(self, word: str) -> bool:
        for cut in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
            if word[cut:] not in self.words:
                continue
            head = word[:cut]
            for link in self.links:
                if head.endswith(link) and len(head) - len(link) >= COMPOUND_PART \
                        and head[:len(head) - len(link)] in self.words:
                    return True
        return False
