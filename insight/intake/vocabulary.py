"""The para 5 deny vocabulary: the words of DWP performance measures, in one list, matched by one
matcher, for column, sheet and file names, declared flag keys and labels, and free text alike.

It is the second line of the para 5 ban. The first is the closed list of barrier and service keys
(the contract's own, and the provider's declared in dataset.toml and signed off by a data
manager): a deny list cannot know every word a provider might use, so it only backs the
allow-list up.

Matching is on a normalised form: NFKC, format characters (zero-width spaces, soft hyphens)
removed, apostrophes dropped, case folded, and every separator (`_ - . /`, spaces, any
punctuation) a token boundary; a run of single letters is read as one word, so `C.S.S.`, `c_s_s`
and `C S S` are all `css`, and `J.O.` is `jo`. Each name is also read with its camelCase split
(`JobStart` is `job start`, `PRaP` stays `prap`). Terms match whole words only: `OP` is not found
in `operations`, nor `JSO` in `Jsonify`, nor `employed` in `unemployed`.

Decisions (documented in the README):
- `self-employed` is not `employed`: self-employment support is a service many providers give,
  and a key for it still needs declaring and a data manager's sign-off (the first line).
- `in-work support` (and in-work progression, poverty, benefits) is not `in work`: they name a
  service or a barrier, not a result. `work placements` is not `placements`: the contract's own
  service `work_placement`, in the plural.
- In names (columns, sheets, files, flag keys and labels) every term refuses. In free text the
  unambiguous terms refuse anywhere (PRaP, JSO, job outcomes, sustained employment, earnings
  threshold, customer service standards, customer satisfaction, CSS, cust sat, jobout, the Welsh
  for job outcome and outcome payment); the words that are also plain English or Welsh ("keeps
  people in work", "placements", "hired", "cychwyn" for "start") refuse only within four words
  of a figure ("31% into work", "hired 45", "into work: 312"). A year (2024) is not a figure.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """One entry of the vocabulary."""

    label: str  # how a message names it
    words: tuple[str, ...]  # the normalised words, matched consecutively
    anywhere: bool  # True: refuses free text anywhere; False: in free text only near a figure
    unless_before: frozenset[str] = frozenset()  # not when the word before is one of these
    unless_after: frozenset[str] = frozenset()  # not when the word after is one of these


def _term(
    label: str,
    *spellings: str,
    anywhere: bool,
    unless_before: tuple[str, ...] = (),
    unless_after: tuple[str, ...] = (),
) -> list[Term]:
    return [
        Term(
            label,
            tuple(spelling.split()),
            anywhere,
            frozenset(unless_before),
            frozenset(unless_after),
        )
        for spelling in spellings
    ]


# The list. English first, then Welsh; each spelling is written already normalised.
TERMS: tuple[Term, ...] = tuple(
    _term("into work", "into work", "intowork", anywhere=False)
    + _term(
        "in work",
        "in work",
        "inwork",
        anywhere=False,
        unless_after=("support", "progression", "poverty", "benefit", "benefits"),
    )
    + _term("employed", "employed", anywhere=False, unless_before=("self",))
    + _term("found work", "found work", "foundwork", "found a job", "found jobs", anywhere=False)
    + _term("hired", "hired", anywhere=False)
    + _term("placements", "placements", anywhere=False, unless_before=("work",))
    + _term("sustained", "sustained", "sust", anywhere=False)
    + _term(
        "sustained employment",
        "sustained employment",
        "sustained job",
        "sustained jobs",
        "sust employment",
        "sust jobs",
        anywhere=True,
    )
    + _term("earnings threshold", "earnings threshold", "earningsthreshold", anywhere=True)
    + _term("job start", "job start", "job starts", "jobstart", "jobstarts", anywhere=False)
    + _term("JSO", "jso", "jsos", anywhere=True)
    + _term("OP (outcome payment)", "op", "ops", anywhere=False)
    + _term("outcome payment", "outcome payment", "outcome payments", anywhere=True)
    + _term("PRaP", "prap", anywhere=True)
    + _term(
        "job outcome", "job outcome", "job outcomes", "joboutcome", "joboutcomes", anywhere=True
    )
    + _term("J.O.", "jo", "jos", anywhere=False)
    + _term("jobout", "jobout", "jobouts", "job out", anywhere=True)
    + _term(
        "customer service standards",
        "customer service standard",
        "customer service standards",
        "customer services standards",
        anywhere=True,
    )
    + _term("customer satisfaction", "customer satisfaction", "cust sat", "custsat", anywhere=True)
    + _term(
        "CSS (customer service standards or satisfaction)", "css", "csat", "cssat", anywhere=True
    )
    + _term("satisfaction", "satisfaction", anywhere=False)
    + _term("NPS", "nps", "net promoter", anywhere=False)
    + _term("commenced", "commenced", anywhere=False)
    # Welsh
    + _term("canlyniad swydd (job outcome)", "canlyniad swydd", "canlyniadau swyddi", anywhere=True)
    + _term(
        "taliad canlyniad (outcome payment)",
        "taliad canlyniad",
        "taliadau canlyniad",
        anywhere=True,
    )
    + _term("canlyniadau (outcomes)", "canlyniadau", anywhere=False)
    + _term("atgyfeiriad (referral)", "atgyfeiriad", "atgyfeiriadau", anywhere=False)
    + _term("cychwyn (start)", "cychwyn", "cychwyniadau", anywhere=False)
)

# Names run together with no separator at all ('serviceintowork'): these distinctive spellings are
# looked for inside each word of a name too. Short or common ones ('inwork' is in 'trainwork...')
# are not: only whole words.
RUN_TOGETHER: tuple[tuple[str, str], ...] = (
    ("intowork", "into work"),
    ("foundwork", "found work"),
    ("jobstart", "job start"),
    ("jobout", "jobout"),
    ("custsat", "customer satisfaction"),
    ("earningsthreshold", "earnings threshold"),
    ("sustainedemployment", "sustained employment"),
    ("sustainedjob", "sustained employment"),
    ("customerservicestandard", "customer service standards"),
    ("customersatisfaction", "customer satisfaction"),
    ("canlyniadswydd", "canlyniad swydd (job outcome)"),
    ("taliadcanlyniad", "taliad canlyniad (outcome payment)"),
    ("joboutcome", "job outcome"),
)

NEAR_A_FIGURE = 4  # words either side of a term within which a figure makes prose refuse
_NUMBER_WORDS = frozenset(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred hundreds thousand thousands dozen dozens half quarter third percent per cent "
    "dau dwy tri tair pedwar pedair pump chwech saith wyth naw deg cant mil".split()
)
_YEAR = re.compile(r"(19|20)\d\d")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[\W_]+")


_APOSTROPHES = str.maketrans("", "", "'\u2019\u02bc`")


def _clean(text: str) -> str:
    """NFKC, without format characters (zero-width spaces, soft hyphens, joiners) or
    apostrophes."""
    text = str(text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.translate(_APOSTROPHES)


def _words(text: str) -> list[str]:
    """Case-folded words; a run of single letters is one word ('c s s' -> 'css')."""
    raw = [word for word in _SPLIT.split(text.casefold()) if word]
    out: list[str] = []
    run: list[str] = []
    for word in raw + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if run:
            out.extend(["".join(run)] if len(run) > 1 else run)
            run = []
        if word:
            out.append(word)
    return out


def words(text: str) -> list[list[str]]:
    """The normalised readings of a text: as written, and with camelCase split (when that
    differs)."""
    cleaned = _clean(text)
    plain = _words(cleaned)
    camel = _words(_CAMEL.sub(" ", cleaned))
    return [plain] if camel == plain else [plain, camel]


_DIGIT = re.compile(r"\d")


def _is_figure(word: str) -> bool:
    if _DIGIT.search(word):
        return not _YEAR.fullmatch(word)
    return word in _NUMBER_WORDS


_BY_FIRST_WORD: dict[str, tuple[Term, ...]] = {}
for _t in TERMS:
    _BY_FIRST_WORD[_t.words[0]] = (*_BY_FIRST_WORD.get(_t.words[0], ()), _t)


def _hits(seq: list[str]) -> list[tuple[Term, int, int]]:
    """(term, first word, last word + 1) for each term found in a word sequence."""
    found = []
    for start, word in enumerate(seq):
        for term in _BY_FIRST_WORD.get(word, ()):
            end = start + len(term.words)
            if tuple(seq[start:end]) != term.words:
                continue
            if start > 0 and seq[start - 1] in term.unless_before:
                continue
            if end < len(seq) and seq[end] in term.unless_after:
                continue
            found.append((term, start, end))
    return found


def performance_name_terms(name: str) -> list[str]:
    """The vocabulary's terms in a name (a column, sheet or file name, a flag key or its label):
    every term counts. [] when none."""
    labels: list[str] = []
    for seq in words(name):
        labels += [term.label for term, _, _ in _hits(seq)]
        for word in seq:
            labels += [label for spelling, label in RUN_TOGETHER if spelling in word]
    return list(dict.fromkeys(labels))


def performance_terms(text: str) -> list[str]:
    """The vocabulary's terms in free text (an insight, a plan, an organisation's name, anything
    typed): the unambiguous terms anywhere, the others within NEAR_A_FIGURE words of a figure
    ("31% into work"). [] when none."""
    labels: list[str] = []
    for seq in words(text):
        hits = _hits(seq)
        if not hits:
            continue
        figures = [i for i, word in enumerate(seq) if _is_figure(word)]
        for term, start, end in hits:
            if term.anywhere or any(
                start - NEAR_A_FIGURE <= i < end + NEAR_A_FIGURE for i in figures
            ):
                labels.append(term.label)
    return list(dict.fromkeys(labels))


def all_spellings() -> list[str]:
    """Every spelling in the list, as written (for the About page and tests)."""
    return [" ".join(term.words) for term in TERMS]


__all__ = ["TERMS", "Term", "all_spellings", "performance_name_terms", "performance_terms", "words"]
