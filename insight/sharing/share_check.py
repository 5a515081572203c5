""" "Can I share this?": Annex 7.6 as a short guided check, as pure data plus one function.

Each question names the annex paragraph behind it and says, for each answer, where to go next:
another question or a verdict. `walk(answers)` replays the answers given so far and returns the
questions to show (answered ones, then the next one) and the verdict once one is reached. Any
"not sure" answer ends at the Performance Manager (para 17), as the annex asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Answer = Literal["yes", "no", "unsure"]
ANSWERS: dict[str, str] = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
Outcome = Literal["share_written", "say_it", "do_not_share", "ask"]

CONTACT = (
    "If you are unsure whether sharing would be acceptable to the Department, contact your DWP "
    "Performance Manager first; they will try to give clarity as soon as practicable "
    "(Annex 7.6 para 17)."
)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    paras: tuple[str, ...]
    then: Mapping[str, str]  # answer -> next question id, or "verdict:<key>"


@dataclass(frozen=True)
class Verdict:
    key: str
    outcome: Outcome
    answer: str  # the plain answer, first thing a reader sees
    reason: str
    paras: tuple[str, ...]
    conditions: tuple[tuple[str, str], ...] = field(default=())  # (what to do, paragraph)

    @property
    def paragraph_text(self) -> str:
        return "Annex 7.6 " + ", ".join(self.paras)


_NOT_ACCREDITED = (
    "Say clearly that the information is your own and is not accredited or sponsored by the "
    "Department. Every export from this app carries that caveat.",
    "para 15",
)
_COPY_PM = (
    "Copy the written material to your DWP Performance Manager.",
    "para 16",
)
_DISCRETION = (
    "Sharing is at your discretion: share where it genuinely improves joint working and "
    "outcomes for participants.",
    "para 14",
)

QUESTIONS: dict[str, Question] = {
    q.id: q
    for q in (
        Question(
            id="performance",
            text="Is it DWP performance information?",
            help=(
                "For example numbers of referrals, numbers of starts, numbers of job outcomes, "
                "rates made from them, or Customer Satisfaction Survey results."
            ),
            paras=("para 5",),
            then={"yes": "verdict:performance", "no": "personal", "unsure": "verdict:ask"},
        ),
        Question(
            id="personal",
            text="Could it identify a person, or does it include personal data?",
            help=(
                "Participants' personal or sensitive personal data: names, National Insurance "
                "numbers, dates of birth, addresses, contact details, or figures so small that a "
                "person could be recognised."
            ),
            paras=("para 7",),
            then={"yes": "verdict:personal", "no": "own_mi", "unsure": "verdict:ask"},
        ),
        Question(
            id="own_mi",
            text="Is it your own management information or insight?",
            help=(
                "Information from your own delivery of the Restart Scheme, anonymised and "
                "aggregated, not the Department's data or another organisation's."
            ),
            paras=("para 3",),
            then={"yes": "purpose", "no": "verdict:not_own", "unsure": "verdict:ask"},
        ),
        Question(
            id="purpose",
            text="Will sharing it help joint working or outcomes for participants?",
            help=(
                "For example aligning services, targeting provision or avoiding duplication, "
                "rather than reporting against targets."
            ),
            paras=("para 12", "para 14"),
            then={"yes": "oral", "no": "verdict:purpose", "unsure": "verdict:ask"},
        ),
        Question(
            id="oral",
            text="Could you say it in the meeting rather than write it down?",
            help=(
                "Saying it is preferred, particularly for more sensitive topics such as "
                "participant characteristics or barriers faced."
            ),
            paras=("para 13",),
            then={"yes": "verdict:say_it", "no": "percentages", "unsure": "verdict:ask"},
        ),
        Question(
            id="percentages",
            text="Could percentages meet the purpose instead of absolute numbers?",
            help="For example the share of participants reporting a barrier, not how many.",
            paras=("para 13",),
            then={
                "yes": "verdict:written_percentages",
                "no": "numbers_needed",
                "unsure": "verdict:ask",
            },
        ),
        Question(
            id="numbers_needed",
            text="Is an absolute number truly needed?",
            help=(
                "The annex's examples: how many referrals to a particular service are planned, "
                "or the extent of the need."
            ),
            paras=("para 13",),
            then={
                "yes": "verdict:written_numbers",
                "no": "verdict:numbers_not_needed",
                "unsure": "verdict:ask",
            },
        ),
    )
}
FIRST = "performance"

VERDICTS: dict[str, Verdict] = {
    v.key: v
    for v in (
        Verdict(
            key="performance",
            outcome="do_not_share",
            answer="No. Do not share it.",
            reason="Providers must not share DWP performance information.",
            paras=("para 5", "para 3"),
        ),
        Verdict(
            key="personal",
            outcome="do_not_share",
            answer="No. Not under this guidance.",
            reason=(
                "Annex 7.6 does not cover participants' personal or sensitive personal data. "
                "Data sharing is governed by the contract (Schedule 8 clause F7 and Schedule 11)."
            ),
            paras=("para 7", "para 6"),
        ),
        Verdict(
            key="not_own",
            outcome="do_not_share",
            answer="No. Share only your own information.",
            reason="Providers should only share their own management information and insights.",
            paras=("para 3",),
        ),
        Verdict(
            key="purpose",
            outcome="do_not_share",
            answer="Probably not.",
            reason=(
                "Information should be shared to align services and improve outcomes for "
                "participants, not to report against targets or imply performance management."
            ),
            paras=("para 12", "para 14"),
        ),
        Verdict(
            key="say_it",
            outcome="say_it",
            answer="Yes, but say it rather than write it.",
            reason=(
                "Where the purpose can be met by sharing orally, that is preferred, especially "
                "for participant characteristics and barriers."
            ),
            paras=("para 13",),
            conditions=(_NOT_ACCREDITED, _DISCRETION),
        ),
        Verdict(
            key="written_percentages",
            outcome="share_written",
            answer="Yes, in writing, as percentages only.",
            reason=(
                "Where the purpose can be met without absolute numbers, percentages are "
                "preferred. Use presenter mode: it carries no counts."
            ),
            paras=("para 13",),
            conditions=(_COPY_PM, _NOT_ACCREDITED, _DISCRETION),
        ),
        Verdict(
            key="written_numbers",
            outcome="share_written",
            answer="Yes, in writing, with rounded numbers where they are needed.",
            reason=(
                "Absolute numbers are sometimes required, for example planned referrals to a "
                "service or the extent of need. Standard mode shows only those counts, rounded, "
                "with small numbers suppressed."
            ),
            paras=("para 13",),
            conditions=(_COPY_PM, _NOT_ACCREDITED, _DISCRETION),
        ),
        Verdict(
            key="numbers_not_needed",
            outcome="say_it",
            answer="Not as written numbers.",
            reason=(
                "Avoid written products and absolute numbers where they are not needed. Say it "
                "in the meeting, or rework it as percentages."
            ),
            paras=("para 13", "para 3"),
            conditions=(_NOT_ACCREDITED,),
        ),
        Verdict(
            key="ask",
            outcome="ask",
            answer="Ask your Performance Manager first.",
            reason="You are not sure, and the annex asks providers in doubt to check first.",
            paras=("para 17",),
        ),
    )
}


# What each kind of export is, under the annex: every one is written material (para 16), and what
# to mind for it. Keyed like the sharing log's kinds (insight.sharing.store.EXPORT_KINDS).
FORMATS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "pack": ("A briefing pack (PDF)", (
        ("Built count-free unless you ask for rounded counts; ask only where an absolute number "
         "is truly needed.", "para 13"),
        _COPY_PM,
    )),
    "png": ("A chart image", (
        ("The caveat is inside the image: do not crop it out.", "para 15"),
        _COPY_PM,
    )),
    "csv": ("A safe table (CSV)", (
        ("A spreadsheet is easy to pass on and to reshape: prefer a chart or a percentage "
         "table where that meets the purpose.", "para 13"),
        _COPY_PM,
    )),
    "deck": ("Meeting slides as a PowerPoint deck", (
        ("A deck is written material even if you only present it: send the slides that were "
         "shown and copy them to your Performance Manager.", "para 16"),
        ("Its charts can be edited and their data opened in Excel: they hold only the "
         "percentages the slides show. A deck is count-free unless you ask for rounded counts "
         "where the annex allows them; keep it that way when you edit it.", "para 13"),
        _NOT_ACCREDITED,
    )),
    "slides": ("Meeting slides as a PDF", (
        ("The same count-free slides for people without PowerPoint: share the version the "
         "room saw.", "para 13"),
        _COPY_PM,
    )),
    "summary": ("A two-page LA summary (PDF)", (
        ("Percentages only; official figures are labelled as official statistics with their "
         "source, apart from your own information.", "para 13"),
        _COPY_PM,
    )),
}  # fmt: skip


def about_format(kind: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """(what it is, what to mind: (text, paragraph) pairs) for one kind of export."""
    if kind not in FORMATS:
        raise ValueError(f"no export is called {kind!r}: one of {', '.join(FORMATS)}")
    return FORMATS[kind]


@dataclass(frozen=True)
class Walk:
    questions: tuple[Question, ...]  # answered questions in order, then the next one (if any)
    verdict: Verdict | None

    @property
    def next_question(self) -> Question | None:
        return None if self.verdict else self.questions[-1]


def walk(answers: Mapping[str, str]) -> Walk:
    """Follow the answers from the first question to a verdict or the first unanswered question.

    Answers to questions not on the path are ignored (a changed earlier answer can take another
    path). An answer that is not one of ANSWERS raises ValueError.
    """
    asked: list[Question] = []
    target = FIRST
    while not target.startswith("verdict:"):
        question = QUESTIONS[target]
        asked.append(question)
        answer = answers.get(question.id)
        if answer is None:
            return Walk(tuple(asked), None)
        if answer not in ANSWERS:
            raise ValueError(f"answer to {question.id!r} must be one of {', '.join(ANSWERS)}")
        target = question.then[answer]
    return Walk(tuple(asked), VERDICTS[target.removeprefix("verdict:")])


def decide(answers: Mapping[str, str]) -> Verdict | None:
    """The verdict the answers lead to, or None while a question on the path is unanswered."""
    return walk(answers).verdict
