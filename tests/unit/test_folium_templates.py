"""The folium map's plain-text templates (components.maps_folium._compiled): text that holds no
template syntax is taken as the text jinja2 would render it to, without compiling it."""

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Template, TemplateSyntaxError

from components.maps_folium import _compiled, _Text

# Text like folium's: script and markup lines, braces of JS objects, newlines at either end.
_PIECES = st.sampled_from(
    ["var map_1 = L.map(", "{", "}", "{ a: 1 }", "\n", "\n\n", "  ", "<div>", "\t", "%", "#"]
)
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=12).map("".join)


_SYNTAX = ("{{", "{%", "{#", "\r")


@settings(max_examples=300, deadline=None)
@given(_TEXT.filter(lambda text: not any(mark in text for mark in _SYNTAX)))
def test_plain_text_renders_as_jinja2_renders_it(source: str) -> None:
    made = _compiled(source)
    assert isinstance(made, _Text)
    assert made.render(this=object(), kwargs={}) == Template(source).render(this=None, kwargs={})


@settings(max_examples=100, deadline=None)
@given(_TEXT, st.sampled_from(_SYNTAX))
def test_text_with_template_syntax_or_carriage_returns_is_never_plain(text: str, mark: str) -> None:
    source = text + mark + "{ this }}" if mark == "{{" else text + mark
    try:
        made = _compiled(source)
    except TemplateSyntaxError:  # jinja2 compiled it and refused it: not taken as text
        return
    assert not isinstance(made, _Text)


def test_text_with_template_syntax_is_compiled() -> None:
    made = _compiled("var {{ this }} = 1;\n")
    assert isinstance(made, Template)
    assert made.render(this="x") == "var x = 1;"


def test_a_styler_is_not_compiled_and_has_no_macros() -> None:
    made = _compiled("\n  function geo_json_1_styler(feature) { switch (feature.id) {} }\n")
    assert isinstance(made, _Text)
    assert made.render() == "\n  function geo_json_1_styler(feature) { switch (feature.id) {} }"
    assert made.module.__dict__.get("script") is None
