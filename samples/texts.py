"""The German content of the sample set, as data: task sheets, answers, the teacher's grading.

Everything here was written for examkit: the sources in the task sheets are invented (and say
so), the students and their names are invented, and the answers contain the kind of mistakes
real students make (spelling, wrong dates, vague claims). Quotes in the grading are verbatim
phrases of the answers; `model.validate` checks that.
"""

from __future__ import annotations

import texts_neuzeit
import texts_reformation
import texts_weimar
from model import Exam


def exams() -> list[Exam]:
    """The three sample exams with their students, in the order the generator writes them."""
    return [texts_neuzeit.exam(), texts_reformation.exam(), texts_weimar.exam()]
