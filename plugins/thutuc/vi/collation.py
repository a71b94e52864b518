"""Vietnamese alphabetical order, as in Vietnamese dictionaries, for every list the site shows.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f j w z, used in foreign
words, sit at their Latin places). Words are compared syllable by syllable: first the letters of the
syllable, then its tone (none, huyền, hỏi, ngã, sắc, nặng), so "ca" < "cà" < "cả" < "cá" < "cạ" < "cha".
The tone belongs to the syllable, not to a vowel, so old and new tone placement ("hoà", "hòa") sort alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(ALPHABET)}

# Combining marks that make a different letter (ă â ê ô ơ ư) versus those that only carry the tone.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng

# ASCII-only URL slugs for the A–Z pages, in Telex spelling that Vietnamese typists know (ă = aw, đ = dd).
LETTER_SLUGS = {"ă": "aw", "â": "aa", "đ": "dd", "ê": "ee", "ô": "oo", "ơ": "ow", "ư": "uw"}
OTHER = "#"  # titles that start with a digit or a symbol
OTHER_SLUG = "khac"

_WORD = re.compile(r"\w+")


def _letters_and_tone(syllable: str) -> tuple[list[str], int]:
    """Split a lower-case syllable into its letters (with ă â ê ô ơ ư kept) and its tone rank."""
    letters: list[str] = []
    tone = 0
    for char in unicodedata.normalize("NFD", syllable):
        if char in _TONES:
            tone = _TONES[char]
        elif char in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif unicodedata.combining(char):
            continue
        else:
            letters.append(char)
    return letters, tone


def _letter_rank(letter: str) -> tuple[int, int, str]:
    # Digits first, then the alphabet, then any other script in code-point order.
    if letter.isdigit():
        return (0, int(letter) if letter.isascii() else 0, letter)
    if letter in _RANK:
        return (1, _RANK[letter], "")
    return (2, 0, letter)


@lru_cache(maxsize=1 << 16)
def _syllable_key(word: str) -> tuple:
    letters, tone = _letters_and_tone(word)
    return (tuple(_letter_rank(letter) for letter in letters), tone)


# Every list sorts the same titles again: a catalogue has few distinct titles and words, so both the
# per-word and the per-text keys are cached (the build stays linear in the catalogue size).
@lru_cache(maxsize=1 << 16)
def collation_key(text: str) -> tuple:
    """Sort key for Vietnamese text: letters, then tones per syllable, then case, then the text itself."""
    normalized = unicodedata.normalize("NFC", text)
    syllables = [_syllable_key(word) for word in _WORD.findall(normalized.lower())]
    # Lower case before upper case on full ties, and the raw text last so the order is total.
    case = tuple(not char.islower() for char in normalized if char.isalpha())
    return (tuple(syllables), case, normalized)


def sort_vi(items, key=lambda item: item):
    """Sort any iterable by a text key in Vietnamese order."""
    return sorted(items, key=lambda item: collation_key(key(item)))


def first_letter(text: str) -> str:
    """The A–Z letter a title is filed under: "Đăng ký" -> "đ", "Ấn định" -> "â", "1 cửa" -> "#"."""
    for word in _WORD.findall(unicodedata.normalize("NFC", text).lower()):
        letters, _tone = _letters_and_tone(word)
        if letters:
            return letters[0] if letters[0] in _RANK else OTHER
    return OTHER


def letter_slug(letter: str) -> str:
    if letter == OTHER:
        return OTHER_SLUG
    return LETTER_SLUGS.get(letter, letter)


def letter_label(letter: str) -> str:
    return "Khác" if letter == OTHER else letter.upper()


def alphabet_letters() -> list[str]:
    """The letters of the Vietnamese alphabet (without f j w z, which no Vietnamese word starts with)."""
    return [letter for letter in ALPHABET if letter not in "fjwz"]
