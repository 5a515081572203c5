"""What validation found: each problem names the file, row and column, and a report groups them
by kind for the reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from insight.core.contract import PROBLEMS_LISTED_PER_KIND

ProblemKind = Literal["personal_data", "performance_data", "contract", "file"]


@dataclass(frozen=True)
class Problem:
    """One reason a dataset is refused. `row` is the 1-based data row as a person counts it in a
    spreadsheet (header is row 1, so the first data row is row 2); None when the problem is about a
    whole file or column."""

    kind: ProblemKind
    file: str
    message: str
    column: str | None = None
    row: int | None = None
    para: str | None = None  # the annex paragraph behind a guard, e.g. "para 7"
    rule: str = ""  # a short stable name of the rule broken, used to group and count

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def text(self) -> str:
        suffix = f" (Annex 7.6 {self.para})" if self.para else ""
        return f"{self.where()}: {self.message}{suffix}"


_KIND_HEADINGS: dict[str, str] = {
    "personal_data": "Personal data found: the dataset is refused and nothing from it is kept",
    "performance_data": "DWP performance information found: the dataset is refused",
    "file": "Files that could not be read",
    "contract": "Contract errors",
}


@dataclass(frozen=True)
class Report:
    """What validation found. Empty `problems` means the dataset passed."""

    problems: tuple[Problem, ...] = ()
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def grouped(self) -> list[tuple[str, list[Problem], int]]:
        """(heading, first problems of each rule up to the limit, number left out) per kind."""
        out: list[tuple[str, list[Problem], int]] = []
        for kind, heading in _KIND_HEADINGS.items():
            of_kind = [p for p in self.problems if p.kind == kind]
            if not of_kind:
                continue
            shown: list[Problem] = []
            left_out = 0
            per_rule: dict[str, int] = {}
            for problem in of_kind:
                seen = per_rule.get(problem.rule, 0)
                per_rule[problem.rule] = seen + 1
                if seen < PROBLEMS_LISTED_PER_KIND:
                    shown.append(problem)
                else:
                    left_out += 1
            out.append((heading, shown, left_out))
        return out

    def text(self) -> str:
        if self.ok:
            return f"{self.source or 'Dataset'}: valid."
        lines = [f"{self.source or 'Dataset'}: refused ({len(self.problems)} problems)."]
        for heading, shown, left_out in self.grouped():
            lines.append("")
            lines.append(heading + ":")
            lines.extend(f"  - {p.text()}" for p in shown)
            if left_out:
                lines.append(f"  ... and {left_out} more of the same kinds")
        return "\n".join(lines)


class DatasetRefused(Exception):
    """Raised by `insight.intake.load.load_dataset` when a dataset fails a guard or the contract."""

    def __init__(self, report: Report):
        super().__init__(report.text())
        self.report = report
