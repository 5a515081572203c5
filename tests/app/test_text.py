"""Dataset and stakeholder text is shown literally: `components.text.literal` must leave no
markdown or HTML construct able to form, and must lose no character."""

from __future__ import annotations

import html
import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from components.text import WORD_JOINER, literal

HOSTILE = [
    "[link](javascript:window.__pwned=1)",
    "![x](http://example.invalid/x.png)",
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>",
    "**bold** _em_ `code` ~~strike~~",
    "# heading",
    ":red[alert] :material/warning: $x^2$",
    "Tom & Jerry's <b>café</b>",
    "1. not a list\n- nor this",
    "www.example.invalid and https://example.invalid",
]


def visible(text: str) -> str:
    """The text as read: literal() may put an invisible word joiner inside a would-be link
    ("www.example" stays text, never a live link), which is no lost character."""
    return text.replace(WORD_JOINER, "")


def unescape(markdown: str) -> str:
    text = visible(markdown).replace("  \n", "\n")
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return html.unescape(text)


def unescaped_punctuation(markdown: str) -> list[str]:
    """Punctuation that is neither backslash-escaped nor part of an entity we wrote."""
    stripped = re.sub(r"&(lt|gt|amp);", "", markdown)
    stripped = re.sub(r"\\[!-/:-@\[-`{-~]", "", stripped)
    return [c for c in stripped if c in string.punctuation]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_cannot_form_markup(text: str) -> None:
    out = literal(text)
    assert unescaped_punctuation(out) == []
    assert "<" not in out and ">" not in out
    assert unescape(out) == visible(text)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))))
def test_any_text_round_trips_and_stays_inert(text: str) -> None:
    out = literal(text)
    assert unescaped_punctuation(out) == []
    assert unescape(out) == visible(text)
