"""Typographic finish of running text: quotation marks, and no lone word on a last line."""

from __future__ import annotations

import re

from briefing.model import Lang

NBSP = "\u00a0"

# A quote opens at the start, after a space, an opening bracket or a dash; else it closes.
_OPENS_AFTER = frozenset(" \t\n\u00a0([{\u2013\u2014-/«“‘")
_QUOTES: dict[str, tuple[str, str]] = {"ar": ("«", "»"), "en": ("\u201c", "\u201d")}

# The last two words of a paragraph are tied when both together are at most this many
# characters: a longer pair would leave a gap at the end of the line before.
_WIDOW_PAIR = 24


def quotes(text: str, lang: Lang) -> str:
    """Return ``text`` with straight quotes made typographic.

    Double quotes become « » in Arabic and “ ” in English; in English an apostrophe or a
    single quote becomes ’ (‘ where it opens a quotation). Arabic single quotes stay.
    """
    if '"' not in text and "'" not in text:
        return text
    opening, closing = _QUOTES[lang]
    result: list[str] = []
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        opens = before in _OPENS_AFTER
        if char == '"':
            result.append(opening if opens else closing)
        elif char == "'" and lang == "en":
            after = text[index + 1] if index + 1 < len(text) else " "
            result.append("\u2018" if opens and not after.isspace() else "\u2019")
        else:
            result.append(char)
    return "".join(result)


def tie_last_words(text: str) -> str:
    """Return ``text`` with its last two words joined by a no-break space.

    A line break can then never leave the last word of a paragraph alone on its line
    (a widow word); the word before it comes down with it. Each paragraph of ``text``
    (separated by a line break) is tied on its own.
    """
    return "\n".join(_tie(part) for part in text.split("\n"))


# The gap between two words: a run of spaces or tabs (the line keeps one space for it).
_GAP = re.compile(r"[ \t]+")


def _tie(paragraph: str) -> str:
    body = paragraph.rstrip()
    gaps = list(_GAP.finditer(body))
    if len(gaps) < 2 or NBSP in body[gaps[-1].end() :]:
        return paragraph  # one or two words, or the last "word" is already tied
    if len(body) - gaps[-2].end() - (gaps[-1].end() - gaps[-1].start() - 1) > _WIDOW_PAIR:
        return paragraph
    last = gaps[-1]
    if _is_digit(body[last.start() - 1]) and _is_digit(body[last.end()]):
        # A no-break space is a number separator to the bidi algorithm (class CS): between
        # two numbers it would make them one ("12 0" in Arabic text would read as 12 0, not
        # 0 12), so two numbers are left apart.
        return paragraph
    # The whole gap becomes one no-break space: a space left beside it would be drawn too.
    return body[: last.start()] + NBSP + body[last.end() :] + paragraph[len(body) :]


def _is_digit(char: str) -> bool:
    return char.isdigit()


def finish(text: str, lang: Lang) -> str:
    """Return running text (a paragraph, list item or caption) typographically finished."""
    return tie_last_words(quotes(text, lang))
