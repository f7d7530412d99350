"""Incident phrases in the Asana manner, ``6 sad squid snuggle softly``, drawn with :mod:`secrets` from
``phrase_words.txt`` (``docs/incidents.md#the-phrase``)."""

from __future__ import annotations

import math
import secrets
from importlib.resources import files

# Numbers from 2, so the plural noun always agrees.
LOWEST_NUMBER = 2
HIGHEST_NUMBER = 9999

_TEXT = files(__package__).joinpath("phrase_words.txt").read_text(encoding="utf-8")
_BLOCKS = "\n".join(line for line in _TEXT.splitlines() if not line.startswith("#")).split("\n\n")
#: The four word lists, in the order of the file (blocks separated by a blank line).
ADJECTIVES, PLURAL_NOUNS, VERBS, ADVERBS = _WORD_LISTS = tuple(
    words for block in _BLOCKS if (words := tuple(block.split()))
)


def phrase_count() -> int:
    """How many distinct phrases :func:`new_phrase` can return."""
    return math.prod(map(len, _WORD_LISTS), start=HIGHEST_NUMBER - LOWEST_NUMBER + 1)


_PHRASE_COUNT = phrase_count()


def new_phrase() -> str:
    """A fresh random phrase: number, adjective, plural noun, verb, adverb, separated by spaces."""
    # One uniform draw over every phrase, read as a mixed-radix number: a single call to the
    # operating system's source instead of five, with the same distribution.
    draw = secrets.randbelow(_PHRASE_COUNT)
    words = []
    for word_list in _WORD_LISTS:
        draw, index = divmod(draw, len(word_list))
        words.append(word_list[index])
    return f"{LOWEST_NUMBER + draw} {' '.join(words)}"


def normalise_phrase(text: str) -> str:
    """A phrase as typed by a person (any case, extra spaces) in the form it is stored in."""
    return " ".join(text.lower().split())
