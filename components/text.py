"""Text from a dataset or a person, made literal for st.markdown.

Provider names, insight text, plan titles, file and column names in a validation report: all of
it is data, so none of it may become a link, an image, emphasis, a heading, LaTeX, a coloured
span or raw HTML. `literal` turns it into markdown that renders as exactly the characters given.

Bare URLs need more than escaping: Streamlit's markdown (remark-gfm) turns `www.x.y`,
`http://x.y` and `name@x.y` into live links after the escapes are resolved, by searching the
plain text. So in each word that could be one (it holds `www.`, `scheme://`, `mailto:`, `xmpp:` or
`@`), an invisible WORD JOINER (U+2060) goes before every `.`, `:` and `@`: no domain, scheme or
address is then contiguous, nothing is linked, and the text reads (and is announced) as before.
Other words are left exactly as they are.
"""

from __future__ import annotations

import functools
import html
import re
import string

# CommonMark lets a backslash escape any ASCII punctuation, and it then stands for itself.
_PUNCTUATION = frozenset(string.punctuation) - {"&", "<", ">"}
_ESCAPES = str.maketrans({char: "\\" + char for char in _PUNCTUATION})
WORD_JOINER = "\u2060"
# A word remark-gfm could make a link of: www., a scheme (http://, mailto:, ...) or an address.
_LINKISH_WORD = re.compile(r"\S*(?:www\.|[a-z][a-z0-9+.-]*://|mailto:|xmpp:|@)\S*", re.IGNORECASE)
_LINK_JOINTS = re.compile(r"([.:@])")
_LINK_MARKS = ("www.", "://", "mailto:", "xmpp:", "@")  # what every _LINKISH_WORD holds


def _unlinkable(word: re.Match[str]) -> str:
    return _LINK_JOINTS.sub(WORD_JOINER + r"\1", word.group())


def too_long(label: str, value: str, limit: int, outcome: str = "nothing was saved") -> str | None:
    """The message for text over its length limit, or None. Inputs are given no `max_chars`:
    Streamlit's box then ignores a paste that would pass the limit, so the field stayed empty
    with no word said. The limit is checked on saving instead, and the text stays in the box."""
    if len(value) <= limit:
        return None
    return (
        f"{label} is {len(value):,} characters, more than the {limit:,} it may have: {outcome}. "
        "Shorten it (what you typed is still in the box) and try again."
    )


def literal(text: object) -> str:
    """Markdown that shows `text` as written: `<`, `>` and `&` become entities (so no fragment is
    read as HTML, where backslash escapes would show), every other ASCII punctuation character is
    backslash-escaped (no link, emphasis, code, LaTeX, emoji or directive can form), and line
    breaks are kept as breaks."""
    text = str(text)
    return _remembered(text) if len(text) <= _REMEMBER_CHARS else _literal(text)


_REMEMBER_CHARS = 1_000  # at most 4,096 texts this long are kept: a few MB, bounded


@functools.lru_cache(maxsize=4096)  # the same captions, titles and names on every rerun
def _remembered(text: str) -> str:
    return _literal(text)


def _literal(text: str) -> str:
    lowered = text.lower()
    linkish = any(mark in lowered for mark in _LINK_MARKS)  # the regex is slow on long text
    raw = _LINKISH_WORD.sub(_unlinkable, text) if linkish else text
    escaped = html.escape(raw, quote=False).translate(_ESCAPES)
    # Entities were made above; their '&', '#' and ';' must stay as they are to be read as such.
    escaped = escaped.replace("&lt\\;", "&lt;").replace("&gt\\;", "&gt;")
    escaped = escaped.replace("&amp\\;", "&amp;")
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
