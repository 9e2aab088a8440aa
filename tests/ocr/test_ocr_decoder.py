"""The decoder stage on small data made here: character model, beam search, language mapping."""

from __future__ import annotations

import math

import numpy as np
import pytest

from examkit.errors import UserInputError
from ocr.charlm import CharLM, Mixture, case_logprob
from ocr.ctc_beam import BeamParams, beam_search, doubt, is_known, restrict
from ocr.learn.recogniser import greedy_decode

ALPHABET = "abcdefghijklmnopqrstuvwxyzäöüß .,"
CLASSES = ["", "K", "a", "i", "l", "s", "e", "r", " ", "d", "t"]


def frames(*steps: dict[str, float], classes: list[str] = CLASSES) -> np.ndarray:
    """(steps × classes) probabilities; what a step does not name is blank."""
    out = np.zeros((len(steps), len(classes)))
    for t, step in enumerate(steps):
        for char, p in step.items():
            out[t, classes.index(char)] = p
        out[t, 0] = 1 - out[t].sum()
    return out


def kalser() -> np.ndarray:
    """A line the recogniser reads as "Kalser": at the third letter it prefers l to i."""
    return frames({"K": 0.95}, {}, {"a": 0.95}, {}, {"l": 0.55, "i": 0.43}, {}, {"s": 0.95}, {},
                  {"e": 0.95}, {}, {"r": 0.95}, {})


def test_char_model_probabilities_sum_to_one_and_follow_the_text() -> None:
    lm = CharLM(["der kaiser kam", "kaiser karl"] * 5, ALPHABET, order=4)
    for context in ("", "kai", "zzz", "der ka"):
        assert lm.probs(context).sum() == pytest.approx(1.0)
    p = lm.probs("kai")
    assert p[lm.index["s"]] > 0.5 > p[lm.index["l"]]
    assert lm.probs("KAI")[lm.index["s"]] == p[lm.index["s"]]  # case-blind


def test_unseen_characters_keep_some_probability() -> None:
    lm = CharLM(["abc"], ALPHABET, order=3)
    assert lm.probs("ab")[lm.index["z"]] > 0


def test_mixture_weighs_the_domain_model() -> None:
    general = CharLM(["kaiser"] * 3, ALPHABET, order=3)
    domain = CharLM(["kalender"] * 3, ALPHABET, order=3)
    i, ell = general.index["i"], general.index["l"]
    mixed = Mixture(general, domain, 0.9)
    assert mixed.probs("ka")[ell] > mixed.probs("ka")[i]
    assert Mixture(general, domain, 0.1).probs("ka")[i] > Mixture(general, domain, 0.1).probs("ka")[ell]
    assert mixed.probs("ka").sum() == pytest.approx(1.0)


def test_case_rule_punishes_capitals_inside_words_only() -> None:
    assert case_logprob("S", "e") < math.log(0.1)
    assert case_logprob("S", " ") == case_logprob("s", " ") == 0.0
    assert case_logprob("s", "e") > math.log(0.9)


def test_language_model_turns_kalser_into_kaiser() -> None:
    scores = kalser()
    assert greedy_decode(scores, CLASSES) == "Kalser"
    assert beam_search(scores, CLASSES).text == "Kalser"  # without a language model: as greedy
    lm = CharLM(["der kaiser sagte", "ein kaiser", "kaiser"], ALPHABET, order=6)
    decoded = beam_search(scores, CLASSES, lm, frozenset({"kaiser", "der"}), BeamParams(alpha=0.5))
    assert decoded.text == "Kaiser"
    assert [c.step for c in decoded.chars] == [0, 2, 4, 6, 8, 10]
    assert decoded.chars[2].prob == pytest.approx(0.43)
    word = decoded.words[0]
    assert (word.text, word.known, word.prob) == ("Kaiser", True, pytest.approx(0.43))


def test_word_list_alone_penalises_words_it_does_not_know() -> None:
    decoded = beam_search(kalser(), CLASSES, None, frozenset({"kaiser"}), BeamParams(beta=0.0, gamma=2.0))
    assert decoded.text == "Kaiser"
    assert beam_search(kalser(), CLASSES, None, frozenset({"kaiser"}), BeamParams(beta=0.0, gamma=0.0)).text == "Kalser"


def test_agreement_is_low_where_the_beams_disagree() -> None:
    scores = frames({"d": 0.95}, {}, {"a": 0.5, "e": 0.48}, {}, {"r": 0.95}, {}, {" ": 0.95}, {},
                    {"K": 0.95}, {}, {"a": 0.95}, {}, {"i": 0.95}, {}, {"s": 0.95}, {}, {"e": 0.95}, {},
                    {"r": 0.95})
    decoded = beam_search(scores, CLASSES)
    assert decoded.text == "dar Kaiser"
    first, second = decoded.words
    assert first.agreement < 0.6 < 0.95 < second.agreement
    assert (first.first, first.last, second.first, second.last) == (0, 2, 4, 9)


def test_repeated_letters_need_a_blank_between_them() -> None:
    scores = frames({"r": 0.9}, {"r": 0.9}, {}, {"r": 0.9})
    assert beam_search(scores, CLASSES).text == "rr"


def test_restrict_keeps_blank_and_latin_and_renormalises() -> None:
    scores = np.array([[0.5, 0.2, 0.3], [0.1, 0.1, 0.8]])
    probs, kept = restrict(scores, ["", "a", "語"])
    assert kept == ["", "a"]
    assert probs.sum(axis=1) == pytest.approx([1.0, 1.0])
    assert probs[1, 1] == pytest.approx(0.5)


def test_lookalikes_let_the_language_model_choose_an_eszett_the_reader_writes_as_b() -> None:
    """The reader writes "ß" as "B" (or Greek "β"); with "ß" given their score, the language model
    and the case rule read "Straße", and a word that starts with "B" keeps it."""
    classes = ["", "S", "t", "r", "a", "B", "e", "u", "g", "ß", "β", " "]

    def line(*chars: str) -> np.ndarray:  # each character sure, a blank after it
        return frames(*(step for c in chars for step in ({c: 0.95}, {})), classes=classes)

    lm = CharLM(["die straße zur burg", "straße burg straße"] * 5, ALPHABET, order=4)
    read = line("S", "t", "r", "a", "B", "e", " ", "B", "u", "r", "g")
    plain, kept = restrict(read, classes)
    assert beam_search(plain, kept, lm).text == "StraBe Burg"  # no "ß" from the reader: nothing to choose
    probs, kept = restrict(read, classes, lookalikes={"ß": "Bβ"})
    assert "β" not in kept
    assert beam_search(probs, kept, lm).text == "Straße Burg"
    greek = line("S", "t", "r", "a", "β", "e")
    assert beam_search(*restrict(greek, classes, lookalikes={"ß": "Bβ"}), lm).text == "Straße"


def test_a_hyphenated_word_is_not_split_for_the_reward_of_a_space() -> None:
    """A faint space after a word's hyphen is not rewarded (``Gülitz- Reetz``); after a dash it is."""
    classes = ["", "a", "b", "-", " ", "c", "d"]
    hyphen = frames({"a": 0.95}, {"b": 0.95}, {"-": 0.95}, {" ": 0.3}, {"c": 0.95}, {"d": 0.95}, classes=classes)
    assert beam_search(hyphen, classes).text == "ab-cd"
    dash = frames({"a": 0.95}, {" ": 0.95}, {"-": 0.95}, {" ": 0.3}, {"c": 0.95}, {"d": 0.95}, classes=classes)
    assert beam_search(dash, classes).text == "a - cd"


def test_only_german_has_lookalikes() -> None:
    from ocr.language import lookalikes

    assert lookalikes("deu") == {"ß": "Bβ"} == lookalikes("deu+eng")
    assert lookalikes("eng") == {}


@pytest.mark.parametrize(("word", "known"), [("Kaiser,", True), ("Kalser", False), ("1905", True), ("-", True),
                                             ("Kaiser-Karl", True), ("Kaiser-Kxrl", False)])
def test_known_words(word: str, known: bool) -> None:
    assert is_known(word, frozenset({"kaiser", "karl"})) is known


@pytest.mark.parametrize(("word", "known"), [
    ("ruhrkampf", True),  # ruhr + kampf
    ("thesenanschlag", True),  # thesen + anschlag
    ("sündenstrafen", True),
    ("hitlerputsches", False),  # the second part is no word
    ("kampfruhrx", False),
    ("amkampf", False),  # a part shorter than four letters
    ("kampfskampf", True),  # linking s
])
def test_german_compounds_of_known_words_are_known(word: str, known: bool) -> None:
    from ocr.language import COMPOUND_DOUBT, Lexicon

    lexicon = Lexicon.of("deu", frozenset({"ruhr", "kampf", "thesen", "anschlag", "sünden", "strafen", "hitler",
                                           "putsch", "am"}))
    assert word not in lexicon  # a compound is not a listed word ...
    assert is_known(word.capitalize() + ",", lexicon) is known  # ... but it is not flagged as unknown
    assert doubt(word, lexicon) == (COMPOUND_DOUBT if known else 1.0)  # and costs the search less
    assert 0 < COMPOUND_DOUBT < 1


def test_english_has_no_compound_rule() -> None:
    from ocr.language import Lexicon

    assert is_known("kampfruhr", Lexicon.of("deu+eng", frozenset({"ruhr", "kampf"})))
    assert not is_known("kampfruhr", Lexicon.of("eng", frozenset({"ruhr", "kampf"})))
    assert len(Lexicon.of("eng", frozenset({"ruhr", "kampf"}))) == 2


def test_a_compound_costs_the_search_less_than_an_unknown_word() -> None:
    from ocr.language import Lexicon

    scores = frames({"K": 0.95}, {}, {"a": 0.95}, {}, {"l": 0.55, "i": 0.43}, {}, {"s": 0.95}, {},
                    {"e": 0.95}, {}, {"r": 0.95}, {}, {"r": 0.95}, {}, {"a": 0.95}, {}, {"s": 0.95}, {}, {"t": 0.95})
    words = frozenset({"kaiser", "rast"})
    params = BeamParams(beta=0.0, gamma=2.0)
    assert beam_search(scores, CLASSES, None, Lexicon.of("deu", words), params).text == "Kaiserrast"
    assert beam_search(scores, CLASSES, None, Lexicon.of("eng", words), params).text == "Kalserrast"  # as read


def test_language_codes_map_to_wordfreq_and_unknown_ones_are_one_line() -> None:
    from ocr.language import wordfreq_codes

    assert wordfreq_codes("deu+eng") == ("de", "en")
    with pytest.raises(UserInputError, match="xyz"):
        wordfreq_codes("xyz")


def test_wordfreq_lists_load_offline() -> None:
    pytest.importorskip("wordfreq")
    from ocr.language import general_text, word_list

    assert {"kaiser", "schule"} <= word_list("deu", 20_000)
    lines = general_text("deu", 2_000)
    assert lines == general_text("deu", 2_000)  # the same sample every time
    assert sum(len(x.split()) for x in lines) == 2_000


@pytest.fixture
def spelling_lists(tmp_path, monkeypatch):
    """Debian-style German word lists made here (today's spelling, and before 1996), with the
    language module's caches emptied so that they are read."""
    from ocr import language

    today, before = tmp_path / "ngerman", tmp_path / "ogerman"
    today.write_text("Außerdem\ndass\nMasse\nMaße\nStraße\n", encoding="utf-8")
    before.write_text("daß\nStraße\n", encoding="utf-8")
    monkeypatch.setitem(language.SPELLING_LISTS, "de", (today, before))
    caches = (language.folded_spellings, language.word_list, language.general_text)
    for cached in caches:
        cached.cache_clear()
    yield language
    for cached in caches:
        cached.cache_clear()


def test_german_words_keep_the_eszett_that_wordfreq_folds_away(spelling_lists) -> None:
    pytest.importorskip("wordfreq")
    language = spelling_lists
    spellings = language.folded_spellings("de")
    assert spellings["ausserdem"] == ("außerdem",)
    assert spellings["dass"] == ("dass", "daß")
    assert language.written("ausserdem", spellings) == "außerdem"
    assert language.written("dass", spellings) == "dass"  # today's spelling stays
    assert language.written("masse", spellings) == "masse"  # two words: the lists cannot tell which
    words = language.word_list("deu", 20_000)
    assert {"außerdem", "ausserdem", "daß", "dass", "straße", "strasse"} <= words
    text = " ".join(language.general_text("deu", 50_000)).split()
    assert "außerdem" in text and "ausserdem" not in text
    assert language.spelling_sources("deu+eng") == [str(path) for path in language.SPELLING_LISTS["de"]]


def test_without_the_lists_wordfreq_is_taken_as_it_is(spelling_lists, tmp_path, monkeypatch) -> None:
    pytest.importorskip("wordfreq")
    language = spelling_lists
    monkeypatch.setitem(language.SPELLING_LISTS, "de", (tmp_path / "missing",))
    assert language.folded_spellings("de") == {}
    assert "außerdem" not in language.word_list("deu", 20_000)
    assert language.spelling_sources("deu") == []


def test_the_probability_cache_is_bounded(monkeypatch) -> None:
    from ocr import charlm

    monkeypatch.setattr(charlm, "CACHE_LIMIT", 10)
    lm = CharLM(["der kaiser kam"], ALPHABET, order=4)
    for context in ("der", "kai", "kam", "ser", "er ", "aiser", "xyz", "ka", "k", "d", "de", "e"):
        lm.probs(context)
    assert 0 < len(lm._cache) <= 10
    assert lm.probs("kai").sum() == pytest.approx(1.0)
