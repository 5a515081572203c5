"""The About page's text, generated from the constants the code runs on, so it cannot drift:
the disclosure thresholds (defaults and the dataset's own), the guards, the periods, the symbols,
the sources and licences. Markdown; never imports streamlit.
"""

from __future__ import annotations

from dataclasses import fields

from insight.core.caveat import CAVEAT
from insight.core.contract import BARRIERS, CONTRACT_VERSION
from insight.core.dataset import Meta
from insight.core.geo import ATTRIBUTION
from insight.core.periods import PERIODS
from insight.core.thresholds import DEFAULT_THRESHOLDS, Thresholds
from insight.intake import screen
from insight.intake.guard import GUARD_RULES
from insight.intake.prepare import POSTCODE_ATTRIBUTION
from insight.numbers.certainty import COMPARISON_RULES
from insight.numbers.disclosure import RULES
from insight.numbers.place import SOURCE_LINE as PLACE_SOURCE
from insight.numbers.tables import SYMBOLS

_THRESHOLD_WORDS: dict[str, str] = {
    "min_base": "A percentage whose base (the people it is a share of) is under {v} is shown as `[c]`.",
    "min_cell": (
        "A percentage whose numerator, or base minus numerator, is from 1 to {w} is shown as `[c]` "
        "(minimum cell {v})."
    ),
    "round_to": "Counts, where the annex allows them at all, are rounded to the nearest {v}.",
}


def threshold_lines(th: Thresholds) -> list[str]:
    """One plain sentence per disclosure setting, with its value."""
    lines = []
    for item in fields(Thresholds):
        value = getattr(th, item.name)
        words = _THRESHOLD_WORDS.get(item.name, item.name.replace("_", " ") + ": {v}.")
        lines.append(words.format(v=value, w=value - 1) + f" (`{item.name}` = {value})")
    return lines


def guard_lines() -> list[str]:
    """One line per guard: its name, what it refuses, and the annex paragraph behind it."""
    lines = []
    for rule in GUARD_RULES:
        lines.append(f"`{rule.name}`: {rule.refuses} (Annex 7.6 {rule.para})")
    return lines


def method() -> str:
    periods = ", ".join(f"{label.lower()}" for label in PERIODS.values())
    return "\n".join(
        [
            "Every figure is a share of the provider's own participants, aggregated from the "
            "dataset loaded (data contract version "
            f"{CONTRACT_VERSION}); nothing is drawn from DWP performance data.",
            "",
            "- **Shares** are whole-number percentages of the participants who started support in "
            "the period chosen, for the Local Authority chosen and for the whole area beside it.",
            "- **Barriers and services** are multi-response: a participant can report more than "
            "one, so the shares do not add up to 100%. A blank answer is unknown, not 'no', and is "
            "left out of that barrier's base.",
            "- **Hotspot index against claimants** (Locations): the same, with each LA's share of "
            "the area's claimants (ONS claimant count rate times its working-age population) in "
            "place of its population share. Shares against shares: never participants per "
            "claimant, which would read as a referral rate.",
            "- **Whole-area official rates** (The place): the LAs' rates weighted by working-age "
            "population; an approximation made here, not an ONS figure. Medians (pay) and travel "
            "times are listed by LA, not combined.",
            "- **Hotspot index**: an LA's share of the area's participants divided by its share of "
            "the area's working-age (16 to 64) population (ONS mid-2022 estimates), times 100. "
            "100 means proportionate; above 100, more participants than the population suggests.",
            "- **Planned referrals against capacity** are shown as a percentage of each local "
            "organisation's places, flagged in words and with a marker when over 100%.",
            "- **Job entries** are shown only as shares by sector, employer or LA: never as counts "
            "and never as a rate against participants (that would be a DWP job outcome rate).",
            f"- **Fixed periods only**: {periods}. Fixed geographies only: the whole area or one "
            "LA. No free cross-tabulation of two characteristics within one LA.",
            f"- **Barrier list** (the annex's): {', '.join(BARRIERS.values())}.",
        ]
    )


def disclosure(meta: Meta | None) -> str:
    th = meta.thresholds if meta is not None else DEFAULT_THRESHOLDS
    lines = ["Settings in use for this dataset:", ""]
    lines += [f"- {line}" for line in threshold_lines(th)]
    if meta is not None and th != DEFAULT_THRESHOLDS:
        lines += [
            "",
            "The defaults (a dataset may only make these stricter; looser is refused):",
            "",
        ]
        lines += [f"- {line}" for line in threshold_lines(DEFAULT_THRESHOLDS)]
    lines += [f"- {rule}" for rule in RULES]
    lines += [f"- {rule}" for rule in COMPARISON_RULES]
    lines += [
        "- Presenter mode: percentages and indices only. No count, base or total anywhere: not "
        "in a chart, axis, hover, label, table, caption or talking point. Every text a "
        "presenter-mode chart, headline or talking point is made with is checked as it is made: "
        "a number in it that is not a share shown, an index, a period or a date stops it being "
        "made. No downloads and no Data page.",
        "- Standard mode: percentages first; rounded, suppressed counts only where the annex "
        "allows them (planned referrals and capacity, extent of need). Every `[c]` count says "
        "why on its own row and in its CSV: fewer than 5 people, or a figure that would reveal "
        "such a group; or hidden so that other figures cannot reveal a small group.",
        "- Every export's sharing-log entry keeps a disclosure statement: the rules applied, the "
        "figures shown and hidden, and how many hidden figures an attack combining every figure "
        "in that export could narrow to fewer than 5 values. The briefing pack prints it in one "
        "line.",
        "",
        "Symbols (Analysis Function standard):",
        "",
    ]
    lines += [f"- `{symbol}` {meaning}" for symbol, meaning in SYMBOLS.items()]
    return "\n".join(lines)


def guards() -> str:
    lines = guard_lines()
    intro = (
        "A dataset is refused whole, with a message naming the file, row and column, when any of "
        "these is found. Nothing from a refused dataset is shown or kept."
    )
    typed = (
        "What people type into the tool (stakeholder insights, meeting names, speaker notes, the "
        "sharing log's note) goes through the same free-text screen: an entry holding a personal "
        "detail, a count of people or outcomes or DWP performance words is not saved, the "
        "message says which kind of detail to remove without showing it back, and what was typed "
        "stays in the box to be corrected. A symbolic link inside a dataset folder refuses the dataset before "
        "anything is read."
    )
    from insight.sharing.review import PLACEHOLDER, SIGN_OFF_STATEMENT

    reviewed = (
        "Review for sharing: because no screen is perfect, a dataset's free text (insights, "
        "plans, local provision, employer, sector, organisation and service names) reaches "
        "presenter mode, slides and exports only after a data manager has read it on the Data "
        f'page; until then "{PLACEHOLDER}" stands in its place. The provider\'s own barrier and '
        "service keys (declared in dataset.toml with their labels) are shown only after a data "
        f'manager signs each one off: "{SIGN_OFF_STATEMENT}" Both records keep who and when.'
    )
    lines += [
        f"`{name}`: {refuses} (Annex 7.6 {para})" for name, refuses, para in screen.TEXT_RULES
    ]
    return (
        intro
        + "\n\n"
        + "\n".join(f"- {line}" for line in lines)
        + "\n\n"
        + typed
        + "\n\n"
        + reviewed
    )


def sources(meta: Meta | None) -> str:
    provider = meta.provider_name if meta is not None else "the provider"
    return "\n".join(
        [
            f"- **Participant, vacancy, job entry, provision and insight data**: {provider}'s own "
            "management information. " + CAVEAT,
            "- **Local Authority District boundaries (May 2024, BUC), LAD lookups and mid-2022 "
            f"population estimates**: {ATTRIBUTION}",
            "- **Forename list** used to recognise people's names in free text: common UK "
            "forenames, compiled for this project (MIT licence, with the code).",
            f"- **Postcode to Local Authority** (Prepare, on the Data page): {POSTCODE_ATTRIBUTION} "
            "Looked up on this machine from the installed package; postcodes are then dropped.",
            "- **Official context (The place; claimant and inactivity rates beside participants' "
            "shares; the hotspot index against claimants)**: ONS Explore Local Statistics "
            "indicators and statistical nearest neighbours (claimant count rate, employment, "
            "economic inactivity, modelled unemployment, no qualifications, gross median weekly "
            "pay; travel time to employment centres from the Department for Transport). "
            f"{PLACE_SOURCE} Survey-based figures (Annual Population Survey) stop at Dec 2023 while "
            "their reweighting is under way. A figure the source flags as unreliable reads `[u]` "
            "and says why; neither it nor one whose 95% confidence interval overlaps the other "
            "area's is ever called better or worse. See `sample_data/context/ATTRIBUTION.md`.",
            "- **Guidance**: DWP Restart Scheme provider guidance, Annex 7.6, Sharing information "
            "with stakeholders (Open Government Licence v3.0).",
            "- Software: Streamlit, pandas and plotly (open-source licences). Nothing is sent to "
            "any outside service: no usage statistics, no map tiles, no fonts or scripts from "
            "the internet.",
        ]
    )


def accessibility() -> str:
    return "\n".join(
        [
            "This tool aims to meet WCAG 2.2 at level AA.",
            "",
            "- Every chart has a headline that states the finding, a text alternative under it, "
            "and a table view of the same safe figures.",
            "- Colour is never the only carrier of meaning: the chosen LA is named in the legend "
            "and the table, over-capacity bars are hatched and labelled in words, and suppressed "
            "figures are written as `[c]`.",
            "- Colours are the Analysis Function palette; text is near-black on white.",
            "- Every LA on a map is named with its figure: on the LA, or on a short leader line "
            "where LAs are close, never over another label; an LA with no room for its label is "
            "named with its figure in words under the map or in its legend.",
            "- Dates and periods are written as GOV.UK writes them, months in full "
            '("July 2024 to June 2025").',
            "- Presenter mode enlarges type and spacing for projectors and screen sharing.",
            "- Handouts are accessible documents: the PowerPoint deck's slides have real titles, "
            "native charts and a picture each with alt text, and a reading order from title to "
            "footer; the slide PDF and the LA summary are tagged PDFs (headings, paragraphs, "
            "figures with alt text, en-GB, the title shown), checked against PDF/UA-1's "
            "machine-checkable rules.",
            "- Everything works from the keyboard: the filters and the mode switch are in the "
            "sidebar; the pages are in the menu along the top (Tab to a section, Enter to open "
            "it, the arrow keys to choose a page, Enter to go there, Escape to close).",
            "",
            "Known limits:",
            "",
            "- Interactive plotly charts and maps are not fully usable with a screen reader or a "
            "keyboard alone; use the text alternative and the table view under each chart.",
            "- Hover details need a pointer; everything in them is also in the table view.",
            "- Maps show shares by shading; the same figures are in the bar chart and table "
            "beside each map.",
            "- Some Streamlit controls announce their state inconsistently in older screen "
            "readers.",
            "- In a window narrower than about 1280 pixels, the last sections of the top menu "
            "move into a 'more' menu at its end.",
        ]
    )


def meetings_text() -> str:
    """How a meeting is presented: the audience window, the presenter view, the keys, who may
    move the slides."""
    return "\n".join(
        [
            "- A meeting opens as slides (the audience window, for the projector) and as a "
            "presenter view (`&view=presenter`, for the presenter's own screen). Both follow the "
            "same presentation, kept in the app's store, so a move in one shows in the other "
            "without a click, even from another machine.",
            "- Speaker notes are shown in the presenter view only, never on a projected slide. "
            "The default notes are written from the slide's shown percentages: what the chart "
            "shows, where the LA differs most from the area and from its most similar LAs in "
            "the area (ONS), what to say about hidden or unreliable figures, and a question "
            "for the room. They never hold a count.",
            "- Keys: Page Down, Page Up, the arrow keys and Space move between slides; Home and "
            "End go to the first and last slide; B or . blanks the screen and brings it back. "
            "A key typed into a form never moves the slide.",
            "- Only the presenter moves their presentation, unless they let others drive; anyone "
            "else who may see the meeting can follow it, and sees only what their own role may "
            "open.",
        ]
    )


def bringing_data() -> str:
    """The Data page's round, in words (issue 29)."""
    return "\n".join(
        [
            "- One upload box takes a dataset in the contract's form (its tables and "
            "dataset.toml, or one .zip) or a raw extract from a case management system, and says "
            "which it recognised: a dataset is checked whole and kept, an extract is prepared.",
            "- Prepare shows what it will do before it does it: for each mapped column, every "
            "distinct value, what it becomes and on how many rows, the values it cannot map "
            "first. A value that looks personal is described, never quoted; postcodes are never "
            "listed, only the Local Authorities they give. `python -m insight prepare RAW "
            "--dry-run` prints the same and writes nothing.",
            "- The description is filled in from the data (its first and last month) and the "
            "file (a date in its name); each result is shown beside the button that made it, "
            "with a link to present a meeting on the dataset kept.",
            "- A data manager may make a kept dataset that everyone may open the default for "
            "everyone: every session whose link names no dataset opens it. Only a data manager "
            "may change it.",
        ]
    )


def limits() -> str:
    import os

    from insight.intake.limits import describe
    from insight.sharing import throttle

    lines = [*describe(), *throttle.describe(throttle.limits_from(os.environ))]
    return "\n".join(f"- {line}" for line in lines)


def sections(meta: Meta | None, mode: str = "standard") -> list[tuple[str, str]]:
    """(heading, markdown) for the About page, in order. The server's limits are for the person
    running it, not the room: presenter mode leaves them out (no figure on a projected page that
    is not a share)."""
    out = [
        ("Method", method()),
        ("Disclosure control", disclosure(meta)),
        ("Guards: what a dataset is refused for", guards()),
        ("Bringing data", bringing_data()),
        ("Limits on this server", limits()),
        ("Data sources and licences", sources(meta)),
        ("Meetings: slides and the presenter view", meetings_text()),
        ("Accessibility statement", accessibility()),
    ]
    return [item for item in out if mode != "presenter" or item[0] != "Limits on this server"]
