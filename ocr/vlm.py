"""The ``vlm`` engine: a vision-language model transcribes the page, Tesseract places the words.

Tesseract reads handwriting poorly (character error rates near 0.9 on real cursive); today's
strongest readers of handwriting are vision-language models, served behind the same
OpenAI-compatible chat API in the cloud (OpenAI) and on a school's own machine (vLLM, llama.cpp's
server, Ollama). So this engine uses the official ``openai`` SDK with a configurable base URL.

It receives what every engine receives: the preprocessed student layer (red teacher ink already
removed by :mod:`ocr.ink`). The image goes as a ``data:image/png;base64,...`` URL in an
``image_url`` content part (very tall pages as several strips, cut between lines), with a prompt
asking for a verbatim transcription: nothing corrected, line breaks kept, crossed-out text as
``[[...]]`` or left out. Temperature 0. The answer's lines become :class:`Line` objects; word
boxes and review flags come from aligning them with a Tesseract layout pass (:mod:`ocr.align`).

Sending pages somewhere is the caller's decision, made in the open: see :mod:`ocr.cloud`.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from examkit.errors import ExternalProgramError, MissingDependencyError, UserInputError
from examkit.models import PageOCR
from examkit.service_client import api_errors, api_key, make_client, resolve_base_url
from examkit.service_messages import redact
from ocr import cloud
from ocr.align import align
from ocr.engine import EngineBase, EngineContext, EngineInput

LANGUAGES = {"deu": "German", "eng": "English", "fra": "French", "spa": "Spanish", "ita": "Italian",
             "nld": "Dutch", "pol": "Polish", "tur": "Turkish", "lat": "Latin", "rus": "Russian"}
SYSTEM_PROMPT = "You transcribe handwritten school exam pages exactly as they are written."
CROSSED_OUT = {
    "mark": "Crossed-out text: write it between double square brackets, [[like this]].",
    "omit": "Crossed-out text: leave it out.",
}
PROMPT = """Transcribe the handwritten text in this image verbatim. The text is in {language}.
- Copy every word exactly as written. Do not correct spelling, grammar, punctuation or capitalisation; do not complete, reorder or rephrase anything.
- Keep the line breaks: one output line for each written line.
- {crossed_out}
- A word you cannot read: write [?].
- Answer with the transcription only: no comments, no headings, no Markdown."""
#: Pages taller than this many widths are sent as strips cut between lines.
STRIP_RATIO = 2.0
FENCE = re.compile(r"^```[\w-]*\s*$")
MARKED = re.compile(r"\[\[.*?\]\]", re.S)


def language_name(lang: str) -> str:
    """``deu+eng`` -> ``German and English`` (unknown codes are used as given)."""
    names = [LANGUAGES.get(code, code) for code in lang.split("+") if code]
    return " and ".join(names) or "German"


def build_prompt(language: str, crossed_out: str = "mark") -> str:
    return PROMPT.format(language=language, crossed_out=CROSSED_OUT[crossed_out])


def data_url(image: np.ndarray, *, max_side: int, fmt: str = "png") -> str:
    """The image, scaled down to ``max_side`` if larger, as a base64 data URL."""
    h, w = image.shape[:2]
    scale = max_side / max(h, w)
    if scale < 1:
        image = cv2.resize(image, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    if fmt == "png":
        ext, params = ".png", [cv2.IMWRITE_PNG_COMPRESSION, 6]
    else:
        ext, params = ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 90]
    ok, data = cv2.imencode(ext, image, params)
    if not ok:
        raise ExternalProgramError("could not encode the page image for the model")
    mime = "image/png" if fmt == "png" else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data.tobytes()).decode('ascii')}"


def strips(image: np.ndarray, ratio: float = STRIP_RATIO) -> list[np.ndarray]:
    """A tall page as strips no taller than about 1.4 widths, cut at the emptiest row near each cut."""
    h, w = image.shape[:2]
    if h <= ratio * w:
        return [image]
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    ink = (grey < 128).sum(axis=1)
    target, window = int(w * 1.4), int(w * 0.2)
    cuts, y = [0], 0
    while h - y > target + window:
        lo, hi = y + target - window, y + target + window
        y = lo + int(np.argmin(ink[lo:hi]))
        cuts.append(y)
    cuts.append(h)
    return [image[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def parse_answer(text: str, crossed_out: str = "mark") -> list[list[str]]:
    """The model's answer as lines of words: code fences dropped, ``[[...]]`` removed for "omit"."""
    if crossed_out == "omit":
        text = MARKED.sub(" ", text)
    lines = []
    for raw in text.splitlines():
        if FENCE.match(raw.strip()):
            continue
        words = raw.split()
        if words:
            lines.append(words)
    return lines


class VlmOptions(BaseModel):
    """``[ocr.vlm]`` and ``-o key=value`` (``--model``, ``--base-url``): which model reads, where, at what cost."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(None, description="model name, e.g. gpt-4o or a local Qwen2.5-VL")
    base_url: str | None = Field(None, description="OpenAI-compatible server; --base-url and $OPENAI_BASE_URL come first")
    consent: bool = Field(False, description="allow sending pages to a cloud service without --yes")
    local_hosts: list[str] = Field(default_factory=list, description="LAN hosts/networks that count as local")
    price_per_page: float | None = Field(None, ge=0, description="USD per page; overrides the built-in estimate")
    crossed_out: Literal["mark", "omit"] = "mark"
    language: str | None = Field(None, description="language named in the prompt; None: from ocr.lang")
    max_side: int = Field(2048, ge=256, description="longest image side sent, pixels")
    layout: bool = Field(True, description="Tesseract layout pass to place the model's words")
    psm: int = Field(4, ge=0, le=13, description="Tesseract page segmentation mode of the layout pass")


@dataclass
class VlmEngine(EngineBase):
    """A vision-language model behind the OpenAI-compatible chat API. Picklable: the SDK client is
    made on first use in each process and never pickled."""

    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    lang: str = "deu"  #: Tesseract languages of the layout pass (``recognize`` gets the batch's)
    language: str | None = None  #: named in the prompt; None: from the page's ``lang``
    crossed_out: Literal["mark", "omit"] = "mark"
    max_side: int = 2048
    image_format: Literal["png", "jpeg"] = "png"
    layout: bool = True  #: Tesseract layout pass for word boxes and agreement flags
    #: Read the grey student layer, not the binarised one: vision models are trained on photographs,
    #: and binarisation of textured paper adds noise they need not see (see ocr.page.prepare).
    input: EngineInput = "grey"
    psm: int = 4  #: Tesseract page segmentation mode of the layout pass
    word_list: frozenset[str] | None = field(default=None, repr=False)  #: flag words not in it
    local_hosts: tuple[str, ...] = ()
    price_per_page: float | None = None  #: USD, for the cost statement; None: built-in estimate
    consent: bool = False  #: ``ocr.vlm_consent``: cloud sending allowed without --yes
    timeout: float = 180.0
    max_tokens: int = 4096
    name: str = "vlm"
    Options = VlmOptions
    sends_pages = True  #: a cloud model gets the pages; confirm_sending says where and asks consent
    _client: object | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, context: EngineContext, options: VlmOptions) -> VlmEngine:
        if not options.model:
            raise UserInputError("the vlm engine needs a model",
                                 advice="Give --model NAME (e.g. gpt-4o, or the name your local server serves) "
                                        "or set model in [ocr.vlm] in examkit.toml.")
        given = "base_url" in context.command_options  # --base-url comes before $OPENAI_BASE_URL, the file after
        url = resolve_base_url(options.base_url if given else None, None if given else options.base_url)
        return cls(model=options.model, base_url=url,
                   lang=context.lang, language=options.language, crossed_out=options.crossed_out,
                   max_side=options.max_side, layout=options.layout, local_hosts=tuple(options.local_hosts),
                   price_per_page=options.price_per_page, consent=options.consent, psm=options.psm,
                   word_list=context.word_list)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_client"] = None
        return state

    @property
    def label(self) -> str:
        return f"{self.name}:{self.model}"

    @property
    def url(self) -> str:
        return resolve_base_url(self.base_url)

    def confirm_sending(self, pages: int, *, yes: bool = False) -> cloud.Disclosure:
        """Before a batch: where ``pages`` pages go and at what cost; raises without consent for a
        cloud host (see :func:`ocr.cloud.confirm_sending`). Print the returned ``statement``."""
        return cloud.confirm_sending(pages, model=self.model, base_url=self.url, local_hosts=self.local_hosts,
                                     price=self.price_per_page, consent=self.consent, yes=yes)

    def check(self) -> None:
        try:
            import openai  # noqa: F401
        except ImportError as exc:
            raise MissingDependencyError("the openai Python package", install="pip install openai") from exc
        api_key(self.url, self.api_key)  # OpenAI's endpoint needs a key (examkit/service_client.py)
        if self.layout:
            from ocr import programs

            programs.check_ready(self.lang)

    def client(self):
        if self._client is None:
            self._client = make_client(self.url, key=self.api_key, timeout=self.timeout)
        return self._client

    def transcribe(self, image: np.ndarray, *, lang: str) -> tuple[str, list[str]]:
        """The model's text for the page (strips joined by line breaks), and warnings."""
        prompt = build_prompt(self.language or language_name(lang), self.crossed_out)
        texts, warnings = [], []
        for part in strips(image):
            content = [{"type": "text", "text": prompt},
                       {"type": "image_url", "image_url": {"url": data_url(part, max_side=self.max_side,
                                                                           fmt=self.image_format)}}]
            reply = self._chat([{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": content}])
            choice = reply.choices[0]
            if choice.finish_reason == "length":
                warnings.append("the model's answer was cut off (token limit): lines may be missing")
            texts.append(redact(choice.message.content or ""))
        return "\n".join(texts), warnings

    def recognize(self, image: np.ndarray, *, lang: str) -> PageOCR:
        height, width = int(image.shape[0]), int(image.shape[1])
        text, warnings = self.transcribe(image, lang=lang)
        text_lines = parse_answer(text, self.crossed_out)
        layout = []
        if self.layout:
            from ocr.tesseract import TesseractEngine

            layout = TesseractEngine(lang=lang, psm=self.psm).recognize(image, lang=lang).lines
            if not layout and text_lines:
                warnings.append("Tesseract found no words to place the model's text on: word positions are estimated")
        lines = align(text_lines, layout, width=width, height=height, words_to_check=self.word_list)
        if not text_lines:
            warnings.append("the model returned no text for the page")
        return PageOCR(engine=self.name, lines=lines, width=width, height=height, warnings=warnings)

    def _chat(self, messages: list[dict]):
        with api_errors(f"reading a page with {self.model}", base_url=self.url, model=self.model):
            return self.client().chat.completions.create(model=self.model, messages=messages, temperature=0,
                                                         max_tokens=self.max_tokens)
