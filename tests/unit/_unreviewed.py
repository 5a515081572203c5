"""A generated dataset whose text nobody has reviewed: the synthetic sample's generator, with
distinctive words put into its free text and a provider key declared but not signed off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from insight.sample.synthetic import write_sample

MARK = "Quokka"  # in every changed text: never on a presenter page before review
INSIGHT_TITLE = "Quokka lantern circles"
INSIGHT_TEXT = "Quokka lantern circles help people settle into a routine before job search."
ORGANISATION = "Quokka Lantern Trust"
EMPLOYER = "Quokka Lantern Makers"
KEY, LABEL = "mentoring", "Peer mentoring"


def write_unreviewed(folder: Path, participants: int = 3000, seed: int = 7) -> Path:
    write_sample(folder, participants, seed)
    insights = pd.read_csv(folder / "insights.csv", dtype=str, keep_default_na=False)
    first = insights.index[insights["category"] == "what_works"][0]
    insights.loc[first, ["title", "text", "la_codes"]] = [INSIGHT_TITLE, INSIGHT_TEXT, "ALL"]
    insights.to_csv(folder / "insights.csv", index=False)
    provision = pd.read_csv(folder / "local_provision.csv", dtype=str, keep_default_na=False)
    name = provision["organisation"].iloc[0]
    provision.loc[provision["organisation"] == name, "organisation"] = ORGANISATION
    provision.to_csv(folder / "local_provision.csv", index=False)
    vacancies = pd.read_csv(folder / "vacancies.csv", dtype=str, keep_default_na=False)
    vacancies.loc[vacancies["employer"] == vacancies["employer"].iloc[0], "employer"] = EMPLOYER
    vacancies.to_csv(folder / "vacancies.csv", index=False)
    people = pd.read_csv(folder / "participants.csv", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    people[f"service_{KEY}"] = np.where(rng.random(len(people)) < 0.3, "true", "false")
    people.to_csv(folder / "participants.csv", index=False)
    with (folder / "dataset.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'{KEY} = "{LABEL}"\n')  # the file ends with its [services] table
    return folder
