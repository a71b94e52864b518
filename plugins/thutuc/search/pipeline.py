"""The Vietnamese token pipeline, identical in Python (index time) and JavaScript (query time).

theme/assets/js/search.js registers the same functions under the same labels in lunr.js; a test runs
both on the same tricky strings and compares the tokens. Keep the two in step: every rule here is
written so that it has a one-to-one JavaScript equivalent (explicit character ranges instead of
Python's Unicode classes, the same regular expressions).
"""

from __future__ import annotations

import re
import unicodedata

from lunr.pipeline import Pipeline
from lunr.token import Token

NORMALISE_LABEL = "vi-normalise"
EXPAND_LABEL = "vi-expand"

# Letters that can occur in Vietnamese (and other Latin-script) words after lower-casing: ASCII,
# Latin-1 letters, Latin Extended-A/B (ă đ ơ ư ĩ ũ), combining marks, Latin Extended Additional
# (ạ ả … ỹ). Spelled out so that Python and JavaScript split text at exactly the same places.
WORD_CHARS = "0-9a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f\u0300-\u036f\u1e00-\u1eff"
# A procedure code ("1.001193") stays one token; anything else splits at non-word characters.
TOKEN_RE = re.compile(rf"[0-9]+(?:\.[0-9]+)+|[{WORD_CHARS}]+")
COMBINING_RE = re.compile("[\u0300-\u036f]")

# The five tone marks as combining characters (huyền, sắc, ngã, hỏi, nặng).
TONES = "\u0300\u0301\u0303\u0309\u0323"
# Open syllables "oa", "oe", "uy" carry the tone on either vowel ("hoà"/"hòa", "Uỷ"/"Ủy"): put it on
# the first one. "qu" is a consonant, so "quý" is left alone; a final consonant or a third vowel
# ("hoàng", "khuya") means there is only one spelling and the pattern does not match.
OLD_TONE_RES = (
    re.compile(rf"^(|.*[^q])(o)([{TONES}]?)([ae])([{TONES}]?)$"),
    re.compile(rf"^(|.*[^q])(u)([{TONES}]?)(y)([{TONES}]?)$"),
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def tokenize(text: str) -> list[str]:
    """Split text into lower-case NFC words; codes such as "1.001193" stay whole."""
    return TOKEN_RE.findall(_nfc(_nfc(text).lower()))


def normalise(word: str) -> str:
    """NFC, lower case, and one tone placement for syllables that have two ("hoà" -> "hòa")."""
    decomposed = _nfd(word.lower())
    for pattern in OLD_TONE_RES:
        match = pattern.match(decomposed)
        if match and not match.group(3) and match.group(5):
            decomposed = match.group(1) + match.group(2) + match.group(5) + match.group(4)
            break
    return _nfc(decomposed)


def fold(word: str) -> str:
    """Without tones and diacritics; đ has no decomposition and is folded by hand ("Đăng" -> "dang")."""
    return _nfc(COMBINING_RE.sub("", _nfd(word.lower())).replace("đ", "d"))


def expand(word: str) -> list[str]:
    """What the index stores for one normalised word: the word and its folded form when different.

    A code stays one term ("1.001193"): the browser finds it by its digits ("001193") with a
    leading-wildcard query, which costs no index bytes."""
    folded = fold(word)
    return [word] if folded == word else [word, folded]


def index_terms(text: str) -> list[str]:
    """Every term the index stores for a text (the index pipeline applied to the tokenizer's output)."""
    return [term for word in tokenize(text) for term in expand(normalise(word))]


def query_terms(text: str) -> list[str]:
    """The words of a query after the search pipeline (what the browser looks up, before folding)."""
    return [normalise(word) for word in tokenize(text)]


# -- lunr.py registration ----------------------------------------------------------------------------


def vi_normalise(token: Token, i: int, tokens: list[Token]) -> Token | None:
    token.update(lambda s, _meta: normalise(s))
    return token if str(token) else None


def vi_expand(token: Token, i: int, tokens: list[Token]) -> list[Token]:
    return [Token(term, dict(token.metadata)) for term in expand(str(token))]


Pipeline.register_function(vi_normalise, NORMALISE_LABEL)
Pipeline.register_function(vi_expand, EXPAND_LABEL)
