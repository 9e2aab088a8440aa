"""The decoder stage: a recognition model's per-step probabilities -> a line's words, read with
what the exam already knows.

:class:`LineDecoder` runs a RapidOCR-format recognition model (the bundled one or a learned
``rec_model``) itself, through :mod:`ocr.learn.recogniser`, because rapidocr's own pipeline only
hands back its greedy text. The language model is the general model of the exam's language
(:mod:`ocr.language`) with the exam's own text (task sheets, confirmed lines) interpolated in; the
lexicon for the out-of-lexicon penalty is wordfreq's word list plus the exam's words.

Building the general model takes seconds, so it is built once per process and language, and kept
on disk (``~/.cache/examkit``, keyed by language and wordfreq's version) for the next process.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from ocr.charlm import CharLM, Mixture
from ocr.ctc_beam import LATIN, BeamParams, Decoded, DecodedWord, beam_search, restrict
from ocr.language import Lexicon

#: The character model's alphabet (lower case; capitals are mapped onto it).
LM_ALPHABET = "".join(dict.fromkeys(LATIN.lower()))
#: In-domain words at which the exam's text weighs as much as the general model.
DOMAIN_HALF_WEIGHT = 1000
#: The most the exam's text ever weighs against the general model.
DOMAIN_MAX_WEIGHT = 0.9
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


@dataclass(frozen=True)
class LanguageModel:
    """What the decoder knows: the character model, the lexicon, and what they were built from."""

    lm: CharLM | Mixture
    lexicon: Lexicon
    general_words: int
    exam_lines: int
    exam_words: int
    domain_weight: float
    lookalikes: dict[str, str] = field(default_factory=dict)  #: see :data:`ocr.language.LOOKALIKES`

    def describe(self) -> str:
        """One line for ``ocr status``."""
        return (f"general text of {self.general_words:,} words, word list of {len(self.lexicon):,} words; "
                f"exam text: {self.exam_lines} lines, {self.exam_words:,} words (weight {self.domain_weight:.2f})")


def confidence(word: DecodedWord) -> float:
    """A decoded word's confidence 0-100: the share of the final beams that read it there."""
    return round(100 * word.agreement, 1)


def unsure(word: DecodedWord, flag_below: float, word_list: frozenset[str] | None = None) -> bool:
    """Flag a decoded word when the beams disagree on it, when it is in neither the word list nor
    the exam's text, or when it does not look like a word (:func:`ocr.flags.should_flag`)."""
    from ocr.flags import should_flag

    return not word.known or should_flag(word.text, confidence(word), flag_below, word_list)


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "examkit"


@lru_cache(maxsize=2)
def general_model(lang: str) -> CharLM:
    """The general character model of ``lang`` (once per process; on disk between processes)."""
    from importlib.metadata import version

    from ocr.language import SAMPLE_WORDS, TEXT_VOCABULARY, general_text, spelling_sources

    recipe = (f"{CharLM.FORMAT}|{LM_ALPHABET}|{version('wordfreq')}|{SAMPLE_WORDS}|{TEXT_VOCABULARY}"
              f"|{spelling_sources(lang)}")
    key = hashlib.sha256(recipe.encode()).hexdigest()[:12]
    path = cache_dir() / f"charlm-{lang}-{key}.pickle"
    if path.is_file():
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # a damaged cache file is rebuilt below
    model = CharLM(general_text(lang), LM_ALPHABET)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # no writable cache: the next process builds it again
    return model


def language_model(lang: str, exam_texts: tuple[str, ...] = (),
                   own_words: frozenset[str] | None = None) -> LanguageModel:
    """The general model of ``lang`` with ``exam_texts`` interpolated in, and the lexicon: wordfreq's
    list, the exam's words and ``own_words`` (a person's ``--word-list``, lower case)."""
    from ocr.language import SAMPLE_WORDS, lookalikes, word_list

    general = general_model(lang)
    exam_words = [w.lower() for text in exam_texts for w in WORD.findall(text)]
    weight = min(DOMAIN_MAX_WEIGHT, len(exam_words) / (len(exam_words) + DOMAIN_HALF_WEIGHT))
    lm = Mixture(general, CharLM(exam_texts, LM_ALPHABET, general.order), weight) if exam_words else general
    lines = sum(len([x for x in text.splitlines() if x.strip()]) for text in exam_texts)
    lexicon = Lexicon.of(lang, word_list(lang) | frozenset(exam_words) | (own_words or frozenset()))
    return LanguageModel(lm, lexicon, SAMPLE_WORDS, lines, len(exam_words), weight, lookalikes(lang))


def status(ws) -> dict:
    """What the reader's language model is built from in this workspace (``ocr status``): the
    decoder chosen, the general text and word list of the language, the exam's text."""
    from ocr.engine import engine_options
    from ocr.exam_text import exam_text
    from ocr.language import SAMPLE_WORDS, TEXT_VOCABULARY, WORD_LIST_SIZE, spelling_sources
    from ocr.rapidocr import RapidOcrEngine, RapidOcrOptions

    options = engine_options(RapidOcrEngine, ws.config.ocr.engine_tables().get(RapidOcrEngine.name, {}), {})
    assert isinstance(options, RapidOcrOptions)
    known = exam_text(ws)
    spelling = spelling_sources(ws.config.ocr.lang)
    return {"decoder": options.decoder, "lang": ws.config.ocr.lang,
            "general": f"{SAMPLE_WORDS:,} words sampled from wordfreq's {TEXT_VOCABULARY:,} most frequent",
            "word_list": f"wordfreq's {WORD_LIST_SIZE:,} most frequent words per language"
                         + (f", ß as {' and '.join(spelling)} spell it" if spelling else ""),
            "spelling": spelling, **known.describe()}


class LineDecoder:
    """Reads line crops with one recognition model, decoding with beam search + language model."""

    def __init__(self, model: Path, language: LanguageModel | None, params: BeamParams | None = None) -> None:
        from ocr.learn.recogniser import LineReader

        self.reader = LineReader(model, threads=1)
        self.language = language
        self.params = params or BeamParams()

    @cached_property
    def classes(self) -> list[str]:
        return self.reader.classes

    def scores(self, crop: np.ndarray) -> np.ndarray:
        """The model's (steps × classes) probabilities for one line crop (grey or BGR)."""
        from ocr.learn.recogniser import batch_width, line_tensor

        session = self.reader.session
        x = line_tensor(crop, batch_width([crop]))[None]
        return session.run(None, {session.get_inputs()[0].name: x})[0][0]

    def decode(self, scores: np.ndarray) -> Decoded:
        language = self.language
        probs, classes = restrict(scores, self.classes, lookalikes=language.lookalikes if language else None)
        return beam_search(probs, classes, language.lm if language else None,
                           language.lexicon if language else None, self.params)

    def read(self, crop: np.ndarray) -> Decoded:
        return self.decode(self.scores(crop))
