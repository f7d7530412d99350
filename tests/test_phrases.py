"""Incident phrases: their shape, their variety, and the word lists they are drawn from."""

import math
import re

import pytest

from django_api_errors.pipeline import phrases

PHRASE = re.compile(r"^(\d+) ([a-z]+) ([a-z]+) ([a-z]+) ([a-z]+)$")
WORD_LISTS = {
    "adjectives": phrases.ADJECTIVES,
    "plural nouns": phrases.PLURAL_NOUNS,
    "verbs": phrases.VERBS,
    "adverbs": phrases.ADVERBS,
}


def test_a_phrase_is_a_number_adjective_noun_verb_and_adverb():
    match = PHRASE.match(phrases.new_phrase())

    assert match is not None
    number, adjective, noun, verb, adverb = match.groups()
    assert phrases.LOWEST_NUMBER <= int(number) <= phrases.HIGHEST_NUMBER
    assert adjective in phrases.ADJECTIVES
    assert noun in phrases.PLURAL_NOUNS
    assert verb in phrases.VERBS
    assert adverb in phrases.ADVERBS


def test_ten_thousand_phrases_in_a_row_are_all_different():
    drawn = [phrases.new_phrase() for _ in range(10_000)]

    assert len(set(drawn)) == 10_000
    assert all(PHRASE.match(phrase) for phrase in drawn)


def test_every_word_of_every_list_turns_up():
    # Each list is drawn from uniformly: 20 000 draws miss a given word of ~350 with odds ~e^-57.
    seen = [set() for _ in WORD_LISTS]
    for _ in range(20_000):
        for position, word in enumerate(phrases.new_phrase().split()[1:]):
            seen[position].add(word)

    assert [len(words) for words in seen] == [len(words) for words in WORD_LISTS.values()]


def test_the_phrase_space_keeps_ten_thousand_phrases_apart():
    count = phrases.phrase_count()
    # Birthday bound: the chance of any repeat among n draws is below n^2 / 2N.
    assert 10_000**2 / (2 * count) < 1e-6
    assert math.log2(count) > 46


@pytest.mark.parametrize("name", list(WORD_LISTS))
def test_word_lists_hold_distinct_lower_case_words(name):
    words = WORD_LISTS[name]

    assert len(words) >= 250
    assert len(set(words)) == len(words)
    assert all(re.fullmatch(r"[a-z]{2,14}", word) for word in words)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("6 sad squid snuggle softly", "6 sad squid snuggle softly"),
        ("  6 Sad  SQUID snuggle\tsoftly\n", "6 sad squid snuggle softly"),
        ("", ""),
    ],
)
def test_a_typed_phrase_is_normalised_to_the_stored_form(typed, stored):
    assert phrases.normalise_phrase(typed) == stored
