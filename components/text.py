"""Text from a dataset or a person, made literal for st.markdown.

Provider names, insight text, plan titles, file and column names in a validation report: all of
it is data, so none of it may become a link, an image, emphasis, a heading, LaTeX, a coloured
span or raw HTML. `literal` turns it into markdown that renders as exactly the characters given.
"""

from __future__ import annotations

import html
import string

# CommonMark lets a backslash escape any ASCII punctuation, and it then stands for itself.
_PUNCTUATION = frozenset(string.punctuation) - {"&", "<", ">"}


def literal(text: object) -> str:
    """Markdown that shows `text` as written: `<`, `>` and `&` become entities (so no fragment is
    read as HTML, where backslash escapes would show), every other ASCII punctuation character is
    backslash-escaped (no link, emphasis, code, LaTeX, emoji or directive can form), and line
    breaks are kept as breaks."""
    escaped = html.escape(str(text), quote=False)
    out = []
    for char in escaped:
        out.append("\\" + char if char in _PUNCTUATION else char)
    joined = "".join(out)
    # Entities were made above; their '&', '#' and ';' must stay as they are to be read as such.
    joined = joined.replace("&lt\\;", "&lt;").replace("&gt\\;", "&gt;").replace("&amp\\;", "&amp;")
    return joined.replace("\r\n", "\n").replace("\n", "  \n")
