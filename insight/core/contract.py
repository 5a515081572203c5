"""The dataset contract (version 1), as constants.

Everything the loader, validator, generator and About page need to agree on lives here once.
See DATA_CONTRACT.md in the design folder for the prose; this module is its executable form.
"""

from __future__ import annotations

CONTRACT_VERSION = 1

# Table stems, in the order the contract lists them.
REQUIRED_TABLES: tuple[str, ...] = ("participants",)
OPTIONAL_TABLES: tuple[str, ...] = (
    "vacancies",
    "job_entries",
    "local_provision",
    "commissioning_plans",
    "insights",
)
TABLES: tuple[str, ...] = REQUIRED_TABLES + OPTIONAL_TABLES
FILE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx", ".parquet")
META_FILE = "dataset.toml"

META_REQUIRED: tuple[str, ...] = (
    "provider_name",
    "area_name",
    "period_start",
    "period_end",
    "extract_date",
)
META_OPTIONAL: tuple[str, ...] = (
    "performance_manager_email",
    "synthetic",
    "disclosure",
    "barriers",
    "services",
)

# 2025 LAD codes accepted in data and mapped to the 2024 codes the geography uses.
LAD_2025_TO_2024: dict[str, str] = {
    "E08000038": "E08000016",  # Barnsley
    "E08000039": "E08000019",  # Sheffield
}
ALL_LAS = "ALL"  # the contract's value for "every LA in the dataset" in la_codes fields

STATUSES: tuple[str, ...] = ("active", "completed", "left")
AGE_BANDS: tuple[str, ...] = ("18-24", "25-34", "35-49", "50+", "Unknown")
GENDERS: tuple[str, ...] = ("Female", "Male", "Other", "Prefer not to say")
ETHNICITIES: tuple[str, ...] = (
    "White",
    "Mixed or Multiple ethnic groups",
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Other ethnic group",
    "Prefer not to say",
)
DISABILITY: tuple[str, ...] = ("Yes", "No", "Prefer not to say")

# The characteristics the app breaks down by, with their allowed values in display order.
CHARACTERISTICS: dict[str, tuple[str, ...]] = {
    "age_band": AGE_BANDS,
    "gender": GENDERS,
    "ethnicity": ETHNICITIES,
    "disability": DISABILITY,
}
CHARACTERISTIC_LABELS: dict[str, str] = {
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
}

# The annex's list of barriers (key -> label), in the annex's order.
BARRIERS: dict[str, str] = {
    "digital_skills": "Digital skills",
    "literacy": "Literacy",
    "numeracy": "Numeracy",
    "mental_health": "Mental health",
    "health_condition": "Health condition or disability",
    "substance_misuse": "Addiction or substance misuse",
    "motivation": "Motivation",
    "language": "Language or cultural",
    "childcare": "Childcare",
    "debt": "Debt and financial issues",
    "housing": "Housing",
    "transport": "Transport or accessibility",
}
# Service elements the contract names; providers may add more `service_<key>` columns.
SERVICES: dict[str, str] = {
    "skills_training": "Skills training",
    "work_placement": "Work placement",
}
BARRIER_PREFIX = "barrier_"
SERVICE_PREFIX = "service_"
# dataset.toml tables where a provider declares its own keys beyond the contract's, with labels:
# [barriers] and [services]. Any other barrier_/service_ column refuses the dataset (para 5 by
# allow-list), and a declared key is shown only after a data manager signs it off.
FLAG_TABLES: dict[str, str] = {"barriers": BARRIER_PREFIX, "services": SERVICE_PREFIX}
FLAG_KEY_MAX = 40  # characters of a declared key
FLAG_LABEL_MAX = 60  # characters of its label

PARTICIPANT_COLUMNS: tuple[str, ...] = (
    "participant_id",
    "la_code",
    "start_month",
    "status",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
)
VACANCY_COLUMNS: tuple[str, ...] = ("la_code", "sector", "month", "positions")
VACANCY_OPTIONAL: tuple[str, ...] = ("employer",)
JOB_ENTRY_COLUMNS: tuple[str, ...] = ("la_code", "sector", "month")
JOB_ENTRY_OPTIONAL: tuple[str, ...] = ("employer", "sustained")
PROVISION_COLUMNS: tuple[str, ...] = (
    "organisation",
    "service",
    "la_code",
    "month",
    "capacity",
    "planned_referrals",
    "funded_by",
)
FUNDED_BY: tuple[str, ...] = ("local", "provider", "other")
PLAN_COLUMNS: tuple[str, ...] = (
    "title",
    "description",
    "la_codes",
    "start_month",
    "end_month",
    "status",
)
PLAN_OPTIONAL: tuple[str, ...] = ("barrier",)
PLAN_STATUSES: tuple[str, ...] = ("planned", "in_progress", "complete")
INSIGHT_COLUMNS: tuple[str, ...] = ("category", "title", "text", "la_codes")
INSIGHT_OPTIONAL: tuple[str, ...] = ("barriers", "approach", "recommendation")
INSIGHT_CATEGORIES: dict[str, str] = {
    "what_works": "What works",
    "improvement": "What could be improved",
    "employer_engagement": "Employer engagement",
    "area_barrier": "Area barrier",
}
RECOMMENDATIONS: dict[str, str] = {
    "buy_more": "Buy more",
    "increase": "Increase",
    "continue": "Continue",
    "stop": "Stop",
    "improve": "Improve",
}
# The free text of each table: written by the provider, shown on pages, slides and exports only
# once a data manager has reviewed it for sharing (insight.sharing.review), and screened for the
# para 5 vocabulary (insight.intake.vocabulary) when the dataset is read.
FREE_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "vacancies": ("sector", "employer"),
    "job_entries": ("sector", "employer"),
    "local_provision": ("organisation", "service"),
    "commissioning_plans": ("title", "description"),
    "insights": ("title", "text", "approach"),
}
# Free-text columns whose distinct values are names (a sector, an employer, an organisation, a
# service): before review each is shown as a numbered placeholder, so shares by them stay true.
NAME_TEXT_COLUMNS: frozenset[str] = frozenset({"sector", "employer", "organisation", "service"})

# Every column with a closed list of values, with that list (`status` depends on the table:
# STATUSES in participants, PLAN_STATUSES in commissioning_plans). Prepare maps values onto these
# and the template offers them as dropdowns.
CLOSED_VALUES: dict[str, tuple[str, ...]] = {
    **CHARACTERISTICS,
    "funded_by": FUNDED_BY,
    "category": tuple(INSIGHT_CATEGORIES),
    "recommendation": tuple(RECOMMENDATIONS),
}

REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": PARTICIPANT_COLUMNS,
    "vacancies": VACANCY_COLUMNS,
    "job_entries": JOB_ENTRY_COLUMNS,
    "local_provision": PROVISION_COLUMNS,
    "commissioning_plans": PLAN_COLUMNS,
    "insights": INSIGHT_COLUMNS,
}
# The columns each table may carry beyond its required ones (barrier_/service_ flags aside).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "participants": (),
    "vacancies": VACANCY_OPTIONAL,
    "job_entries": JOB_ENTRY_OPTIONAL,
    "local_provision": (),
    "commissioning_plans": PLAN_OPTIONAL,
    "insights": INSIGHT_OPTIONAL,
}

TRUE_VALUES: frozenset[str] = frozenset({"true", "yes", "y", "1"})
FALSE_VALUES: frozenset[str] = frozenset({"false", "no", "n", "0"})

# How many problems of one kind a report lists before it gives a count of the rest.
PROBLEMS_LISTED_PER_KIND = 20


def label_from_key(key: str) -> str:
    """`interview_training` -> `Interview training`: the label for a category known only by key."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# Labels of the keys a dataset declares (dataset.toml's [barriers] and [services]), set by the
# loader through `declare_labels`; the contract's own labels always win. Labels are looked up by
# key alone, so where two datasets open in this process give one key different labels, neither
# is used: the key's own words are shown (a label is signed off with its key, and one dataset's
# label must never be shown for another's figures).
_DECLARED: dict[str, dict[str, str | None]] = {BARRIER_PREFIX: {}, SERVICE_PREFIX: {}}


def declare_labels(barriers: dict[str, str], services: dict[str, str]) -> None:
    """Remember the labels a dataset declared for its own keys."""
    for prefix, labels in ((BARRIER_PREFIX, barriers), (SERVICE_PREFIX, services)):
        known = _DECLARED[prefix]
        for key, label in labels.items():
            known[key] = label if known.get(key, label) == label else None


def barrier_label(key: str) -> str:
    return BARRIERS.get(key) or _DECLARED[BARRIER_PREFIX].get(key) or label_from_key(key)


def service_label(key: str) -> str:
    return SERVICES.get(key) or _DECLARED[SERVICE_PREFIX].get(key) or label_from_key(key)


def normalise_column_name(name: object) -> str:
    """Column names match case-insensitively after trimming, spaces and hyphens to underscores."""
    text = str(name).strip().lower()
    return text.replace(" ", "_").replace("-", "_")
