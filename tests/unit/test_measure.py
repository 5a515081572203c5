"""Raw measures against hand-counted small datasets."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.numbers.measure import (
    EMPLOYER_NOT_RECORDED,
    OTHER_EMPLOYERS,
    count_barrier_by_age,
    count_characteristic,
    count_events,
    count_flag_by_la,
    count_flags,
    count_la_shares,
    count_provision,
    count_trend,
    cube,
    employer_groups,
    in_period,
    participants_in,
)
from tests.unit.tiny_dataset import BIRMINGHAM, SANDWELL, WALSALL, dataset, people


def cells(raw, area: str) -> dict[str, tuple[int, int]]:
    rows = raw.frame[raw.frame["area_code"] == area]
    return {
        k: (int(n), int(b))
        for k, n, b in zip(rows["category_key"], rows["count"], rows["base"], strict=True)
    }


def small():
    rows = (
        people(SANDWELL, 6, age_band="50+", gender="Male", barrier_digital_skills=True)
        + people(SANDWELL, 4, age_band="18-24", barrier_digital_skills=None, start_month="2025-11")
        + people(SANDWELL, 2, barrier_digital_skills=False, service_skills_training=None)
        + people(
            BIRMINGHAM,
            20,
            barrier_digital_skills=True,
            service_skills_training=True,
            start_month="2025-05",
        )
        + people(WALSALL, 8, gender="Other", start_month="2025-12")
    )
    return dataset(rows)


def test_characteristic_counts_per_area_with_the_base_of_each() -> None:
    raw = count_characteristic(small(), "whole", SANDWELL, "age_band")
    assert raw.exhaustive
    assert cells(raw, SANDWELL) == {
        "18-24": (4, 12),
        "25-34": (2, 12),
        "35-49": (0, 12),
        "50+": (6, 12),
        "Unknown": (0, 12),
    }
    assert cells(raw, "all")["25-34"] == (30, 40)


def test_the_period_filters_participants_by_start_month() -> None:
    ds = small()
    raw = count_characteristic(ds, "latest_quarter", "all", "gender")  # Oct to Dec 2025
    assert cells(raw, "all") == {
        "Female": (4, 12),
        "Male": (0, 12),
        "Other": (8, 12),
        "Prefer not to say": (0, 12),
    }
    assert participants_in(ds, "latest_quarter", SANDWELL) == 4
    assert participants_in(ds, "latest_quarter", BIRMINGHAM) == 0
    assert participants_in(ds, "whole", "E09000001") == 0  # an LA not in the dataset


def test_blank_flags_are_left_out_of_their_base() -> None:
    raw = count_flags(small(), "whole", SANDWELL, "barrier")
    assert not raw.exhaustive
    assert cells(raw, SANDWELL)["digital_skills"] == (6, 8)
    assert cells(raw, "all")["digital_skills"] == (26, 36)
    services = count_flags(small(), "whole", SANDWELL, "service")
    assert cells(services, SANDWELL)["skills_training"] == (0, 10)
    assert cells(services, "all")["skills_training"] == (20, 38)


def test_barrier_by_age_has_a_base_per_band() -> None:
    raw = count_barrier_by_age(small(), "whole", SANDWELL, "digital_skills")
    assert cells(raw, SANDWELL) == {
        "18-24": (0, 0),
        "25-34": (0, 2),
        "35-49": (0, 0),
        "50+": (6, 6),
        "Unknown": (0, 0),
    }


def test_trend_by_month_and_by_quarter() -> None:
    ds = small()
    monthly = cells(count_trend(ds, "whole", "all", "barrier", "digital_skills", "month"), "all")
    assert len(monthly) == 12
    assert (
        monthly["2025-01"] == (6, 8)
        and monthly["2025-05"] == (20, 20)
        and monthly["2025-11"] == (0, 0)
    )
    quarterly = count_trend(ds, "latest_6", "all", "barrier", "digital_skills", "quarter")
    assert cells(quarterly, "all") == {"2025-Q3": (0, 0), "2025-Q4": (0, 8)}
    assert quarterly.frame["category"].tolist() == ["Jul to Sep 2025", "Oct to Dec 2025"]


def test_la_shares_form_one_group_over_the_area() -> None:
    raw = count_la_shares(small(), "whole")
    assert raw.exhaustive and set(raw.frame["group"]) == {"all"}
    assert dict(zip(raw.frame["area_code"], raw.frame["count"], strict=True)) == {
        BIRMINGHAM: 20,
        SANDWELL: 12,
        WALSALL: 8,
    }
    assert set(raw.frame["base"]) == {40}


def test_flag_by_la() -> None:
    raw = count_flag_by_la(small(), "whole", "barrier", "digital_skills")
    assert {r.area_code: (r.count, r.base) for r in raw.frame.itertuples()} == {
        BIRMINGHAM: (20, 20),
        SANDWELL: (6, 8),
        WALSALL: (0, 8),
    }


def test_vacancies_sum_positions_and_job_entries_count_rows() -> None:
    vac = pd.DataFrame(
        {
            "la_code": [SANDWELL, BIRMINGHAM, BIRMINGHAM, SANDWELL],
            "sector": ["Retail", "Care", "Retail", "Care"],
            "month": ["2025-02", "2025-02", "2025-03", "2024-12"],
            "positions": [10, 20, 7, 99],
        }
    )
    ds = small()
    ds = dataset(
        ds.participants.drop(columns=["participant_id", "start_month_index"]).to_dict("records"),
        vacancies=vac,
    )
    rows = in_period(ds, ds.vacancies, "whole")
    assert len(rows) == 3  # Dec 2024 is outside the period
    by_sector = count_events(ds, rows, SANDWELL, "sector", "positions")
    assert cells(by_sector, SANDWELL) == {"Care": (0, 10), "Retail": (10, 10)}
    assert cells(by_sector, "all") == {"Care": (20, 37), "Retail": (17, 37)}
    entries = count_events(ds, rows, "all", "la", None)
    assert {r.area_code: (r.count, r.base) for r in entries.frame.itertuples()} == {
        BIRMINGHAM: (2, 3),
        SANDWELL: (1, 3),
        WALSALL: (0, 3),
    }


_VACANCY = st.tuples(
    st.sampled_from([SANDWELL, BIRMINGHAM, WALSALL]),
    st.sampled_from(["Care", "Retail", "Logistics"]),
    st.sampled_from(["2025-02", "2025-03", "2025-04"]),
    st.integers(1, 40),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_VACANCY, min_size=1, max_size=25), st.sampled_from(["positions", None]))
def test_events_grouped_once_count_each_area_as_added_up_by_hand(vacancies, weight) -> None:
    """count_events by sector (the period's sums grouped once for every area, then one area's
    taken): each LA's and the whole area's count and base, against sums made row by row."""
    vac = pd.DataFrame(vacancies, columns=["la_code", "sector", "month", "positions"])
    ds = small()
    ds = dataset(
        ds.participants.drop(columns=["participant_id", "start_month_index"]).to_dict("records"),
        vacancies=vac,
    )
    rows = in_period(ds, ds.vacancies, "whole")
    sectors = sorted(set(rows["sector"]))
    for la in ("all", SANDWELL, BIRMINGHAM, WALSALL):
        raw = count_events(ds, rows, la, "sector", weight)
        for area in {la, "all"}:
            mine = [r for r in rows.itertuples() if area == "all" or r.la_code == area]
            amount = {
                k: sum(r.positions if weight else 1 for r in mine if r.sector == k) for k in sectors
            }
            base = sum(amount.values())
            assert cells(raw, area) == {k: (amount[k], base) for k in sectors}


def test_small_employers_are_grouped() -> None:
    names = pd.Series(["Acme"] * 12 + ["Beta"] * 9 + [None, " "] + ["Gamma"] * 10)
    grouped = employer_groups(names, keep_at_least=10)
    assert grouped.value_counts().to_dict() == {
        "Acme": 12,
        "Gamma": 10,
        OTHER_EMPLOYERS: 9,
        EMPLOYER_NOT_RECORDED: 2,
    }


def test_provision_for_all_las_counts_in_each_la() -> None:
    provision = pd.DataFrame(
        {
            "organisation": ["Org A", "Org A", "Org B", "Org C"],
            "service": ["Debt advice"] * 2 + ["Counselling", "Transport"],
            "la_code": ["ALL", "ALL", SANDWELL, BIRMINGHAM],
            "month": ["2025-01", "2025-02", "2025-03", "2025-03"],
            "capacity": [10, 10, 5, 40],
            "planned_referrals": [8, 9, 7, 12],
            "funded_by": ["local"] * 4,
        }
    )
    ds = dataset(people(SANDWELL, 10), local_provision=provision)
    sandwell = cells(count_provision(ds, "whole", SANDWELL), SANDWELL)
    assert sandwell == {"Org A|Debt advice": (17, 20), "Org B|Counselling": (7, 5)}
    assert len(count_provision(ds, "whole", "all").frame) == 3
    assert count_provision(dataset(people(SANDWELL, 10)), "whole", "all").frame.empty


def test_the_cube_is_built_once_per_dataset() -> None:
    ds = small()
    assert cube(ds) is cube(ds)
    assert cube(small()) is not cube(ds)
