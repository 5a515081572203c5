"""The catalogue of the synthetic sample: the two regional presets and the words (sectors,
employers, local organisations, commissioning plans, qualitative insights), written as a provider
would write them, and the two tables made only of words (commissioning plans, insights). The
random draws that make the other tables live in `insight.sample.synthetic`.

Everything here is fictional. Employer and organisation names are invented; none names a person,
and no text holds an email address, phone number or postcode. Nothing mentions DWP performance
information (referral or start counts, job outcomes or their rates, satisfaction scores).

Places are written as roles (`{core_city}`, `{rural}`, ...) that each preset maps to one of its
LAs, so one catalogue serves every region. `ALL` stands for every LA in the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from insight.core import geo
from insight.core.contract import ALL_LAS
from insight.core.periods import month_index, month_text


# --- presets -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class LaProfile:
    """How one LA of a preset differs from the average."""

    code: str
    weight: float  # over- or under-representation against working-age population (1 = average)
    ethnicity: str  # a key of ETHNICITY_PROFILES
    rurality: str  # "urban", "semi" or "rural"
    jobs: float  # how strongly vacancies concentrate here (cities above 1)
    strengths: tuple[str, ...] = ()  # sectors recruiting more here than elsewhere


@dataclass(frozen=True)
class Preset:
    provider_name: str
    area_name: str
    period_start: str  # YYYY-MM
    months: int
    extract_date: str  # ISO date, a few days after the period ends
    las: tuple[LaProfile, ...]
    roles: dict[str, str]  # role in the text catalogue -> LA code


# Shares of White, Mixed, Asian, Black, Other, Prefer not to say (the contract's order).
ETHNICITY_PROFILES: dict[str, tuple[float, ...]] = {
    "most_diverse": (0.46, 0.05, 0.30, 0.12, 0.04, 0.03),
    "diverse": (0.60, 0.04, 0.22, 0.09, 0.03, 0.02),
    "mixed": (0.71, 0.04, 0.14, 0.06, 0.03, 0.02),
    "some": (0.83, 0.03, 0.07, 0.04, 0.01, 0.02),
    "mostly_white": (0.93, 0.02, 0.02, 0.01, 0.005, 0.015),
    "rural": (0.965, 0.01, 0.008, 0.003, 0.004, 0.01),
}

# fmt: off
PRESETS: dict[str, Preset] = {
    "west-midlands": Preset(
        provider_name="Heartwood Employment Partnership (synthetic)",
        area_name="West Midlands and the Marches",
        period_start="2024-07",
        months=24,
        extract_date="2026-07-03",
        las=(
            LaProfile("E08000025", 1.30, "most_diverse", "urban", 1.6, ("Hospitality", "Customer service and contact centres")),
            LaProfile("E08000026", 1.00, "mixed", "urban", 1.4, ("Logistics and warehousing", "Construction")),
            LaProfile("E08000027", 1.10, "some", "urban", 0.9, ("Manufacturing",)),
            LaProfile("E08000028", 1.85, "diverse", "urban", 1.0, ("Manufacturing", "Logistics and warehousing")),
            LaProfile("E08000029", 0.74, "some", "urban", 1.1, ("Customer service and contact centres", "Retail")),
            LaProfile("E08000030", 1.30, "mixed", "urban", 0.9, ("Logistics and warehousing",)),
            LaProfile("E08000031", 1.70, "diverse", "urban", 1.2, ("Manufacturing",)),
            LaProfile("E06000051", 0.72, "rural", "rural", 0.8, ("Hospitality", "Health and social care")),
            LaProfile("E06000020", 1.25, "some", "semi", 1.2, ("Logistics and warehousing", "Manufacturing")),
            LaProfile("E06000019", 0.80, "rural", "rural", 0.8, ("Hospitality", "Manufacturing")),
            LaProfile("E07000234", 0.68, "mostly_white", "semi", 0.7, ("Retail",)),
            LaProfile("E07000235", 0.72, "rural", "rural", 0.6, ("Hospitality",)),
            LaProfile("E07000236", 1.15, "some", "semi", 0.9, ("Logistics and warehousing",)),
            LaProfile("E07000237", 0.95, "some", "urban", 1.2, ("Education", "Hospitality")),
            LaProfile("E07000238", 0.70, "rural", "rural", 0.7, ("Manufacturing",)),
            LaProfile("E07000239", 1.00, "mostly_white", "semi", 0.8, ("Retail",)),
        ),
        roles={
            "core_city": "E08000025",  # Birmingham
            "second_city": "E08000026",  # Coventry
            "diverse_town": "E08000028",  # Sandwell
            "industrial": "E08000027",  # Dudley
            "industrial2": "E08000030",  # Walsall
            "new_town": "E06000020",  # Telford and Wrekin
            "rural": "E06000051",  # Shropshire
            "rural2": "E06000019",  # Herefordshire
            "small_district": "E07000235",  # Malvern Hills
            "county_town": "E07000237",  # Worcester
            "commuter": "E08000029",  # Solihull
            "valley_town": "E07000239",  # Wyre Forest
            "logistics_town": "E07000236",  # Redditch
        },
    ),
    "wales": Preset(
        provider_name="Afon Valleys Employment Services (synthetic)",
        area_name="South Wales",
        period_start="2025-04",
        months=12,
        extract_date="2026-04-08",
        las=(
            LaProfile("W06000015", 1.10, "mixed", "urban", 1.7, ("Hospitality", "Customer service and contact centres")),
            LaProfile("W06000022", 1.35, "some", "urban", 1.2, ("Logistics and warehousing", "Customer service and contact centres")),
            LaProfile("W06000011", 1.00, "some", "urban", 1.3, ("Hospitality", "Education")),
            LaProfile("W06000016", 1.15, "mostly_white", "semi", 0.9, ("Manufacturing",)),
            LaProfile("W06000018", 1.10, "mostly_white", "semi", 0.8, ("Manufacturing",)),
            LaProfile("W06000013", 0.90, "mostly_white", "semi", 1.0, ("Manufacturing", "Retail")),
            LaProfile("W06000014", 0.62, "mostly_white", "semi", 0.8, ("Hospitality",)),
            LaProfile("W06000012", 1.00, "mostly_white", "semi", 0.9, ("Manufacturing", "Logistics and warehousing")),
            LaProfile("W06000024", 1.45, "mostly_white", "semi", 0.7, ("Retail",)),
            LaProfile("W06000019", 1.55, "rural", "semi", 0.6, ("Manufacturing",)),
            LaProfile("W06000020", 1.05, "mostly_white", "semi", 0.8, ("Manufacturing",)),
            LaProfile("W06000021", 0.55, "rural", "rural", 0.6, ("Hospitality",)),
        ),
        roles={
            "core_city": "W06000015",  # Cardiff
            "second_city": "W06000011",  # Swansea
            "diverse_town": "W06000022",  # Newport
            "industrial": "W06000016",  # Rhondda Cynon Taf
            "industrial2": "W06000018",  # Caerphilly
            "new_town": "W06000020",  # Torfaen
            "rural": "W06000021",  # Monmouthshire
            "rural2": "W06000014",  # Vale of Glamorgan
            "small_district": "W06000024",  # Merthyr Tydfil
            "county_town": "W06000013",  # Bridgend
            "commuter": "W06000014",  # Vale of Glamorgan
            "valley_town": "W06000019",  # Blaenau Gwent
            "logistics_town": "W06000012",  # Neath Port Talbot
        },
    ),
}
# fmt: on

# --- labour market -----------------------------------------------------------------------------
SECTORS: tuple[str, ...] = (
    "Health and social care",
    "Retail",
    "Hospitality",
    "Logistics and warehousing",
    "Manufacturing",
    "Construction",
    "Education",
    "Business administration",
    "Customer service and contact centres",
    "Security and cleaning",
)
# Share of vacancy postings and of job entries by sector, before each LA's local strengths.
VACANCY_SECTOR_WEIGHTS: tuple[float, ...] = (18, 13, 12, 13, 9, 7, 5, 6, 8, 9)
ENTRY_SECTOR_WEIGHTS: tuple[float, ...] = (20, 15, 13, 14, 8, 5, 3, 5, 7, 10)
# Chance that a job entry in the sector is recorded as sustained.
SUSTAINED_CHANCE: tuple[float, ...] = (0.72, 0.56, 0.46, 0.66, 0.69, 0.58, 0.74, 0.73, 0.52, 0.6)

# Invented employers by sector, largest recruiter first.
EMPLOYERS: dict[str, tuple[str, ...]] = {
    "Health and social care": (
        "Larkspur Meadow Care Group",
        "Willowmere Home Care",
        "Kestrelmoor Supported Living",
        "Amberlea Nursing Homes",
        "Fernwhistle Care Partnership",
        "Heronsgate Community Health",
    ),
    "Retail": (
        "Corner Basket Stores",
        "Threadwhistle Fashion",
        "Greengage Food Halls",
        "Brightpenny Discount",
        "Tillbrook Garden Centres",
    ),
    "Hospitality": (
        "Copperfinch Hotels",
        "Saltwhistle Kitchens",
        "Old Mill Inns Collective",
        "Bluewren Events Catering",
        "Riverbend Stadium Hospitality",
    ),
    "Logistics and warehousing": (
        "Quaymere Parcel Hub",
        "Ironlark Distribution",
        "Swiftcrate Fulfilment",
        "Midshire Cold Chain",
        "Tandemoor Freight Services",
    ),
    "Manufacturing": (
        "Anvilworks Engineering",
        "Crestmoor Automotive Components",
        "Tinplate Packaging",
        "Foundry Lane Castings",
        "Oakwhistle Food Production",
    ),
    "Construction": (
        "Cobblestride Civils",
        "Brackenbrick Homes",
        "Ridgeburrow Groundworks",
        "Plumbwick Building Services",
    ),
    "Education": (
        "Sycamore Vale Academy Trust",
        "Brightwater Vale College",
        "Hazelnook Nurseries",
    ),
    "Business administration": (
        "Ledgerwise Payroll Services",
        "Hollinfold Housing Association",
        "Quillstone Business Support",
    ),
    "Customer service and contact centres": (
        "Lanternfield Contact Solutions",
        "Harbourline Energy Customer Centre",
        "Signalbrook Telecoms Support",
    ),
    "Security and cleaning": (
        "Quartzgate Guarding",
        "Glintwell Facilities Management",
        "Bastionmoor Site Services",
        "Morrowbright Cleaning Co-operative",
    ),
}
SMALL_EMPLOYERS = "Other small employers"

# --- places ------------------------------------------------------------------------------------
# The roles a preset maps to its LAs (see insight.sample.synthetic.Preset.roles).
ROLES: tuple[str, ...] = (
    "core_city",
    "second_city",
    "diverse_town",
    "industrial",
    "industrial2",
    "new_town",
    "rural",
    "rural2",
    "small_district",
    "county_town",
    "commuter",
    "valley_town",
    "logistics_town",
)

# --- local provision ---------------------------------------------------------------------------
# (organisation, service, role or ALL, funded_by, monthly capacity, usual share of capacity
# planned, overloaded in the latest months)
PROVISION: tuple[tuple[str, str, str, str, int, float, bool], ...] = (
    ("{diverse_town} Community Digital Hub", "Digital skills drop-in", "diverse_town", "local", 30, 0.8, True),
    ("{new_town} Money Advice Service", "Debt and budgeting advice", "new_town", "local", 25, 0.75, True),
    ("Talking Spaces Wellbeing Service", "Group wellbeing and anxiety courses", "ALL", "other", 60, 0.85, True),
    ("{core_city} ESOL Partnership", "English for speakers of other languages", "core_city", "local", 45, 0.7, False),
    ("{core_city} Adult Learning Service", "Functional skills in English and maths", "core_city", "local", 40, 0.55, False),
    ("{second_city} Adult Learning Service", "Functional skills in English and maths", "second_city", "local", 25, 0.6, False),
    ("{rural} Wheels to Work", "Moped and e-bike loans", "rural", "local", 8, 0.7, False),
    ("{rural2} Community Transport", "Booked minibus to interviews and first weeks in work", "rural2", "local", 12, 0.6, False),
    ("{industrial} Recovery Network", "Drug and alcohol recovery support", "industrial", "other", 15, 0.5, False),
    ("{county_town} Housing Advice Centre", "Housing options and tenancy support", "county_town", "local", 20, 0.55, False),
    ("{industrial2} Women's Work Club", "Peer support and confidence course", "industrial2", "provider", 18, 0.65, False),
    ("Open Door Childcare Brokerage", "Help to find and fund childcare", "ALL", "local", 35, 0.6, False),
    ("{commuter} Volunteer Centre", "Volunteering placements", "commuter", "local", 15, 0.45, False),
    ("{valley_town} Food and Fuel Hub", "Crisis support and energy advice", "valley_town", "other", 30, 0.5, False),
    ("{small_district} Library Digital Champions", "One-to-one help with devices and online forms", "small_district", "local", 6, 0.6, False),
    ("Second Chance Tech Recycling", "Refurbished laptop and tablet loans", "ALL", "provider", 40, 0.7, False),
    ("{logistics_town} Forklift and Warehouse Academy", "Licence to operate training", "logistics_town", "provider", 12, 0.75, False),
    ("{core_city} Refugee Employment Network", "Orientation and qualification recognition", "core_city", "other", 20, 0.6, False),
    ("Stepping Stones Mental Health Employment Service", "Individual placement and support", "ALL", "other", 30, 0.65, False),
    ("{second_city} Construction Skills Village", "CSCS card and site readiness", "second_city", "local", 16, 0.5, False),
)  # fmt: skip

# --- commissioning plans -----------------------------------------------------------------------
# (title, description, roles or ALL, barrier key or "", start offset from the period's first
# month, end offset, status). Offsets are clipped to the period.
PLANS: tuple[tuple[str, str, tuple[str, ...], str, int, int, str], ...] = (
    (
        "Digital inclusion on the high street",
        "Jointly fund drop-in digital support in two town-centre libraries, with a laptop loan for "
        "anyone starting a course. Aimed at people over 50 who have not used a computer for work.",
        ("diverse_town", "small_district"), "digital_skills", 2, 20, "in_progress",
    ),
    (
        "Rural transport to interviews",
        "Pool our travel budget with the council's community transport scheme so that people in "
        "villages without a bus before nine can reach interviews and early shifts.",
        ("rural", "rural2"), "transport", 3, 14, "complete",
    ),
    (
        "ESOL with a work focus",
        "Commission short English courses built around workplace language for care, warehousing "
        "and hospitality, run close to where participants live.",
        ("core_city", "diverse_town"), "language", 5, 23, "in_progress",
    ),
    (
        "Childcare for the first weeks in work",
        "Agree with the local childcare brokerage how we bridge the gap before the first pay day, "
        "so nobody turns down a job because of childcare costs in the first month.",
        ("ALL",), "childcare", 8, 23, "in_progress",
    ),
    (
        "Mental health employment support",
        "Extend individual placement and support to participants who are not in secondary mental "
        "health services, with a named employment specialist in each team.",
        ("ALL",), "mental_health", 0, 11, "complete",
    ),
    (
        "Debt advice alongside job search",
        "Hold a monthly money advice session in our offices so that debt worries are dealt with "
        "before they push people into unsuitable work.",
        ("new_town", "industrial2"), "debt", 10, 23, "in_progress",
    ),
    (
        "Recovery-friendly employer network",
        "Work with the local recovery network to recruit employers willing to offer trial shifts "
        "to people in recovery, with in-work support from both organisations.",
        ("industrial",), "substance_misuse", 14, 23, "planned",
    ),
    (
        "Housing first steps into work",
        "Co-locate an employment adviser with the housing advice centre one day a week for people "
        "in temporary accommodation.",
        ("county_town",), "housing", 18, 23, "planned",
    ),
    (
        "Maths and English in the community",
        "Move functional skills classes from the college campus into community centres and run "
        "them in the evenings as well as the day.",
        ("core_city", "second_city"), "numeracy", 4, 16, "complete",
    ),
    (
        "Confidence course for people out of work the longest",
        "A six-week group course led by people with lived experience of long-term unemployment, "
        "followed by a taster day with a local employer.",
        ("industrial", "valley_town"), "motivation", 20, 23, "planned",
    ),
)  # fmt: skip

# --- insights ----------------------------------------------------------------------------------
# (category, title, text, roles or ALL, barrier keys, approach, recommendation)
INSIGHTS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...], str, str], ...] = (
    # what works
    ("what_works", "Tablet loan scheme with weekly drop-in support",
     "Lending a tablet with data for twelve weeks, paired with a weekly drop-in at the library, "
     "has got people who had never applied online using job sites and email on their own. The "
     "drop-in matters as much as the device.",
     ("diverse_town", "small_district"), ("digital_skills",), "app", "buy_more"),
    ("what_works", "Job search app with offline mode",
     "Our job search app saves vacancies and draft applications offline, which helps people "
     "with pay-as-you-go phones who run out of data before the end of the month.",
     ("ALL",), ("digital_skills", "debt"), "app", "continue"),
    ("what_works", "Mock interviews run by local employers",
     "Mock interviews held on employers' own premises, with feedback from their recruiters, "
     "build confidence faster than practice with advisers alone.",
     ("core_city", "second_city"), ("motivation",), "interview_training", "increase"),
    ("what_works", "Sector routeways into care",
     "Two-week routeways with a care employer, covering the care certificate basics and a "
     "guaranteed interview, suit people returning to work after caring for family.",
     ("ALL",), ("health_condition",), "skills_provision", "buy_more"),
    ("what_works", "Warehouse licence training close to the jobs",
     "Forklift and reach truck training delivered at the logistics park, with shift patterns "
     "explained on the first day, means fewer people drop out in the first week of work.",
     ("logistics_town", "new_town"), (), "skills_provision", "increase"),
    ("what_works", "Wellbeing group before job search",
     "Starting people with anxiety on a short wellbeing group before any job search work helps "
     "them stay engaged. People tell us they value meeting others in the same position.",
     ("ALL",), ("mental_health",), "peer_support", "continue"),
    ("what_works", "ESOL classes linked to vacancies",
     "Workplace English classes that use real job adverts and induction materials from local "
     "employers are better attended than general classes.",
     ("core_city", "diverse_town"), ("language",), "skills_provision", "buy_more"),
    ("what_works", "Web portal for booking appointments",
     "Letting participants book and move appointments on the web portal has cut missed "
     "appointments, especially for people juggling school runs and shifts.",
     ("ALL",), ("childcare",), "web_portal", "continue"),
    ("what_works", "Outreach from community venues",
     "Meeting people in community centres, mosques, churches and family hubs rather than only "
     "in our offices reaches people who would not otherwise come forward.",
     ("core_city", "industrial2"), ("language", "motivation"), "outreach", "increase"),
    ("what_works", "In-work support for the first twelve weeks",
     "A weekly call in the first weeks of a new job, with quick help on rotas, travel or pay "
     "queries, keeps people in work through the difficult start.",
     ("ALL",), (), "in_work_support", "continue"),
    # improvement
    ("improvement", "Digital skills courses fill slowly in rural areas",
     "Courses held only in the county town are hard to reach from villages. We want to work "
     "with libraries and village halls to hold sessions closer to people.",
     ("rural", "rural2"), ("digital_skills", "transport"), "skills_provision", "improve"),
    ("improvement", "Waiting times for talking therapies",
     "People we support wait a long time for talking therapies. We would like a shared route "
     "into low-intensity support so that job search does not stall while people wait.",
     ("ALL",), ("mental_health",), "", "improve"),
    ("improvement", "Generic CV workshops",
     "One-size CV workshops are poorly attended and add little for people with recent work "
     "history. We are stopping them in favour of one-to-one help tied to a live vacancy.",
     ("ALL",), (), "skills_provision", "stop"),
    ("improvement", "Childcare places for shift work",
     "Few childcare settings open early enough for warehouse or care shifts. Stakeholders could "
     "help by mapping settings with early and weekend hours.",
     ("new_town", "logistics_town"), ("childcare",), "", "improve"),
    ("improvement", "Debt advice appointments",
     "The wait for specialist debt advice is long in some towns. A shared triage would let "
     "urgent cases be seen first.",
     ("new_town", "valley_town"), ("debt",), "", "improve"),
    ("improvement", "Translated information about the service",
     "Our leaflets are only in English. We plan to add the most requested community languages "
     "and would welcome help from partners to check the translations.",
     ("core_city", "diverse_town"), ("language",), "", "improve"),
    ("improvement", "Housing moves disrupt support",
     "When people are moved between temporary accommodation across the area we lose contact. "
     "We would like a way to keep in touch that respects people's choices about sharing.",
     ("county_town", "core_city"), ("housing",), "", "improve"),
    ("improvement", "Online-only employer applications",
     "Some large employers accept applications only online through long forms that time out. "
     "We are raising this with them and supporting people to complete forms in sessions.",
     ("ALL",), ("digital_skills",), "web_portal", "improve"),
    # employer engagement
    ("employer_engagement", "New distribution centre recruiting",
     "A new distribution centre is expected to recruit for warehouse and driving roles over "
     "the coming year, with some roles suitable for people without experience.",
     ("logistics_town", "new_town"), (), "", ""),
    ("employer_engagement", "Care employers want values-based recruitment",
     "Care employers tell us they will train people who show the right values. They are open to "
     "guaranteed interviews for people completing our routeway.",
     ("ALL",), (), "skills_provision", "increase"),
    ("employer_engagement", "Hospitality seasonal peaks",
     "Hotels and events caterers recruit ahead of the summer and Christmas. Planning training "
     "two months ahead of those peaks gives people the best chance.",
     ("core_city", "rural"), (), "", "continue"),
    ("employer_engagement", "Manufacturers open to work trials",
     "Several manufacturers offer short work trials instead of formal interviews, which suits "
     "people with low confidence or gaps in their work history.",
     ("industrial", "industrial2"), ("motivation",), "", "increase"),
    ("employer_engagement", "Construction site-ready training",
     "Construction employers want people with a site safety card and basic site experience. "
     "The skills village gives both in two weeks.",
     ("second_city",), (), "skills_provision", "buy_more"),
    ("employer_engagement", "Contact centres recruiting for home working",
     "Contact centres are offering home-based roles, which open work to people with health "
     "conditions or caring roles, provided they have a quiet space and a reliable connection.",
     ("ALL",), ("health_condition", "childcare"), "", "continue"),
    ("employer_engagement", "Travel to work beyond the city",
     "Many entry-level vacancies are on business parks outside the city centre, with poor "
     "public transport for early shifts. Employers are interested in shared minibuses.",
     ("core_city", "commuter"), ("transport",), "", ""),
    ("employer_engagement", "Employers supporting people with a conviction",
     "A growing group of employers will consider people with unspent convictions if we explain "
     "our support. Disclosure advice before the interview helps.",
     ("ALL",), (), "interview_training", "continue"),
    # area barriers
    ("area_barrier", "Few buses before early shifts",
     "Outside the towns, the first bus often arrives after shifts start. People without a car "
     "struggle to take warehouse, care or farm work.",
     ("rural", "rural2", "small_district"), ("transport",), "", ""),
    ("area_barrier", "Digital exclusion among older people out of work",
     "Many people over 50 we support have no device at home or only a basic phone, and some "
     "have never used email.",
     ("ALL",), ("digital_skills",), "", ""),
    ("area_barrier", "Poor mobile signal and broadband in villages",
     "Weak signal and slow broadband in some villages make online applications and video "
     "interviews hard, even for people with good digital skills.",
     ("rural", "rural2"), ("digital_skills", "transport"), "", ""),
    ("area_barrier", "Demand for English classes exceeds supply",
     "English classes have waiting lists in the most diverse neighbourhoods, delaying people "
     "who are otherwise ready for work.",
     ("core_city", "diverse_town"), ("language",), "", ""),
    ("area_barrier", "Cost of living pressures",
     "Rising rents and energy bills push people to take any job quickly, which can mean unstable "
     "work. Debt advice early on helps people make better choices.",
     ("new_town", "valley_town", "industrial2"), ("debt", "housing"), "", ""),
    ("area_barrier", "Childcare gaps in outlying estates",
     "Some estates have no childcare setting within walking distance, and places that exist "
     "are full.",
     ("industrial", "new_town"), ("childcare",), "", ""),
    ("area_barrier", "Temporary accommodation far from jobs",
     "People placed in temporary accommodation outside their home area face long journeys to "
     "interviews and lose local networks.",
     ("county_town", "core_city"), ("housing", "transport"), "", ""),
)  # fmt: skip


# --- the tables made of words -------------------------------------------------------------
def make_plans(spec: Preset) -> pd.DataFrame:
    """The provider's commissioning plans, their months scaled into the period."""
    first = month_index(spec.period_start)
    scale = (spec.months - 1) / 23
    rows = [
        {
            "title": title,
            "description": description,
            "la_codes": la_codes(spec, roles),
            "barrier": barrier,
            "start_month": month_text(first + round(start * scale)),
            "end_month": month_text(first + round(end * scale)),
            "status": status,
        }
        for title, description, roles, barrier, start, end, status in PLANS
    ]
    return pd.DataFrame(rows).sort_values(["start_month", "title"], ignore_index=True)


def make_insights(spec: Preset) -> pd.DataFrame:
    """Qualitative insights in the annex's four categories."""
    rows = [
        {
            "category": category,
            "title": title,
            "text": text,
            "la_codes": la_codes(spec, roles),
            "barriers": ";".join(barriers),
            "approach": approach,
            "recommendation": recommendation,
        }
        for category, title, text, roles, barriers, approach, recommendation in INSIGHTS
    ]
    return pd.DataFrame(rows).sort_values(["category", "title"], ignore_index=True)


def short_name(code: str) -> str:
    """'Herefordshire, County of' -> 'Herefordshire'."""
    return geo.la_name(code).split(",")[0]


def role_names(spec: Preset) -> dict[str, str]:
    return {role: short_name(code) for role, code in spec.roles.items()}


def la_codes(spec: Preset, roles: tuple[str, ...]) -> str:
    if ALL_LAS in roles:
        return ALL_LAS
    return ";".join(sorted({spec.roles[role] for role in roles}))
