"""Issue 30 items 2 to 4 at the screen's mechanisms: the normaliser, codes in disguise, ages and
dates of birth, names in any case and after any title, counts of people or outcomes in free
text, and the organisation-name rule (real UK employer names never refused as organisation
values; helplines, role mailboxes and venue addresses are not personal data)."""

from __future__ import annotations

import sys
import unicodedata

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insight.intake import screen
from insight.outputs import about

# --- the normaliser ------------------------------------------------------------------------------
NORMALISED = [
    ("\uff10\uff17\uff17\uff10\uff10", "07700"),  # full-width digits
    ("AB\u200b12\u200c34\u200d56\u2060C", "AB123456C"),  # zero-width characters
    ("ja\u00adne", "jane"),  # a soft hyphen
    ("\ufeffjane", "jane"),  # a byte-order mark
    ("\u0430\u0435\u043e\u0440\u0441", "aeopc"),  # Cyrillic look-alikes
    ("\u0391\u0392\u0395\u039f", "ABEO"),  # Greek look-alikes
    ("Si\u00e2n \u0141ukasz Se\u00e1n", "Sian Lukasz Sean"),  # accents folded
    ("jane\uff20example\uff0ecom", "jane@example.com"),  # full-width at sign and dot
    ("B69\u00a04HE", "B69 4HE"),  # a non-breaking space
    ("\u017ft", "st"),  # long s
]


@pytest.mark.parametrize(("text", "expected"), NORMALISED)
def test_the_normaliser(text: str, expected: str) -> None:
    assert screen.normalise(text) == expected


def test_every_format_character_is_removed() -> None:
    """Every character of Unicode category Cf (zero-width, bidirectional, tags...) prints as
    nothing, so none may sit inside a code unseen."""
    formats = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(formats) > 150
    assert screen.normalise("a" + "".join(formats) + "b") == "ab"


# --- item 3: personal details in disguise ------------------------------------------------------
DISGUISED = [
    # NI numbers, postcodes, phones and e-mails in full-width digits, with zero-width characters,
    # commas, colons or runs of 4+ spaces, or spelt out with any top-level domain
    ("AB \uff11\uff12 \uff13\uff14 \uff15\uff16 C", screen.NINO),
    ("A\u200bB 1\u200b2 34 56 C", screen.NINO),
    ("AB, 12, 34, 56, C", screen.NINO),
    ("AB:12:34:56:C", screen.NINO),
    ("AB    12    34    56    C", screen.NINO),
    ("B69,    4HE", screen.POSTCODE),
    ("SW1A:1AA", screen.POSTCODE),
    ("B\u200b69 4\u200bHE", screen.POSTCODE),
    ("\uff22\uff16\uff19 \uff14\uff28\uff25", screen.POSTCODE),
    ("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13", screen.PHONE),
    ("07700,900,123", screen.PHONE),
    ("07700:900:123", screen.PHONE),
    ("07700    900    123", screen.PHONE),
    ("0\u200b7700 900\u200b123", screen.PHONE),
    ("jane\uff20example.com", screen.EMAIL),
    ("ja\u200bne@exam\u200bple.com", screen.EMAIL),
    ("jane at example dot xyz", screen.EMAIL),
    ("jane at example dot museum", screen.EMAIL),
    ("j\u0430ne@ex\u0430mple.com", screen.EMAIL),  # Cyrillic a
    # dates of birth and ages
    ("born in 1987", screen.BIRTH),
    ("b. 03/03/1987", screen.BIRTH),
    ("(b. 1987)", screen.BIRTH),
    ("aged 37", screen.BIRTH),
    ("a 37-year-old man", screen.BIRTH),
    ("dyddiad geni 03/03/1987", screen.BIRTH),
    ("Dyddiad geni: 1987", screen.BIRTH),
    ("born in March 1987", screen.BIRTH),
    # lower-case street addresses and house numbers in words
    ("lives at 14 high street", screen.ADDRESS),
    ("12 church road", screen.ADDRESS),
    ("twelve acacia avenue", screen.ADDRESS),
    ("Twenty-One Mill Lane", screen.ADDRESS),
    # names in any case and after any title
    ("Prof Smith chaired it", screen.NAME),
    ("Rev. Evans opened the hall", screen.NAME),
    ("Sir Alan Jones", screen.NAME),
    ("Lady Hughes", screen.NAME),
    ("Cllr Begum asked", screen.NAME),
    ("JANE DOE TOLD US", screen.NAME),
    ("jane doe told us", screen.NAME),
    ("MR SMITH", screen.NAME),
    ("my name is Siobhan", screen.NAME),
    ("a man called Dafydd", screen.NAME),
    ("Priya's address changed", screen.NAME),
    # forenames from every community in England and Wales
    ("Siân Llewellyn started", screen.NAME),
    ("Gwenllian Parry said", screen.NAME),
    ("Aoife Murphy said", screen.NAME),
    ("Saoirse Byrne said", screen.NAME),
    ("Gurpreet Kaur said", screen.NAME),
    ("Shamima Begum said", screen.NAME),
    ("Łukasz Nowak said", screen.NAME),
    ("Małgorzata Kowalska said", screen.NAME),
    ("Chidi Okafor said", screen.NAME),
    ("Kwabena Mensah said", screen.NAME),
    ("Fadumo Ali said", screen.NAME),
]


@pytest.mark.parametrize(("text", "kind"), DISGUISED)
def test_a_disguised_detail_is_found(text: str, kind: str) -> None:
    assert kind in screen.findings(text), (text, screen.findings(text))


@pytest.mark.parametrize(("text", "kind"), DISGUISED)
def test_the_bulk_prefilter_catches_every_disguise(text: str, kind: str) -> None:
    assert pc.match_substring_regex(pa.array([text]), screen.PREFILTER)[0].as_py()


def test_the_forename_list_covers_every_community() -> None:
    names = screen.forenames()
    assert len(names) > 5000
    welsh = {"sian", "dafydd", "gwenllian", "rhodri", "cerys", "iolo", "lowri"}
    irish = {"aoife", "siobhan", "niamh", "saoirse", "padraig", "roisin"}
    south_asian = {"gurpreet", "shamima", "mohammed", "priya", "harjit", "tanvir", "zainab"}
    polish = {"lukasz", "malgorzata", "wojciech", "agnieszka", "krzysztof"}
    african = {"chidi", "kwabena", "ngozi", "oluwaseun", "fadumo", "wanjiru", "tendai"}
    assert welsh | irish | south_asian | polish | african <= names


# --- item 2: counts of people or outcomes in free text -------------------------------------------
COUNTS = [
    "312 job outcomes",
    "starts rose to 980",
    "85% sustainment",
    "PRaP ranking 2nd of 8",
    "Helped 1200 people",
    "two hundred participants joined",
    "15 into work this quarter",
    "job outcomes: 312",
    "ranked 3rd in the league table",
    "85% of participants found work",
    "10 people joined",
]
NOT_COUNTS = [
    "In 2024 we ran it twice",
    "Rolled out 01/02/2024",
    "3 March 2025",
    "Level 2 course in maths",
    "NVQ 3 in care",
    "people aged 16-24",
    "over 50s",
    "50+ jobseekers club",
    "the A38 and the M6",
    "E08000025",
    "Weekly sessions in B1",
    "Call our helpline on 0800 123 4567",
    "one in five people",
    "40% of places were taken",
    "Over 50% of participants have a health condition",
    "3 sessions a week at 2 sites",
    "12 weeks",
    "£3,000 fund",
    "10:00 to 12:00",
]


@pytest.mark.parametrize("text", COUNTS)
def test_a_count_of_people_or_outcomes_is_found(text: str) -> None:
    assert set(screen.findings(text)) & {screen.COUNT, screen.SMALL_COUNT}, text
    assert pc.match_substring_regex(pa.array([text]), screen.PREFILTER)[0].as_py()


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_numbers_that_are_not_counts_pass(text: str) -> None:
    assert screen.findings(text) == (), (text, screen.findings(text))


def test_performance_words_in_free_text_are_found() -> None:
    assert screen.PERFORMANCE in screen.findings("Our job outcomes were strong")
    assert screen.PERFORMANCE in screen.findings("Customer satisfaction is high")
    assert screen.findings("Digital skills drop-in at the library") == ()


# --- item 4: no false refusals of real data -------------------------------------------------------
# Real UK employers and organisations, written for this test (a partner's employer column).
EMPLOYERS = (
    """
John Lewis|Dr. Martens|Marie Curie|St John Ambulance|Mr Kipling|Laura Ashley|Ted Baker|Sue Ryder
Joseph Rowntree Foundation|Paul Smith|Jack Wills|Ben Sherman|Karen Millen|Ann Summers
Bernard Matthews|John Menzies|William Hill|Marks & Spencer|Sainsbury's|Tesco|Asda|Morrisons
Aldi|Lidl|Greggs|Boots|Argos|Currys|Next|Primark|Wilko|B&Q|Wickes|Screwfix|Toolstation
Travis Perkins|Jewson|Balfour Beatty|Kier Group|Morgan Sindall|Willmott Dixon|Sir Robert McAlpine
Laing O'Rourke|Taylor Wimpey|Barratt Homes|Persimmon|Bellway|JCB|Jaguar Land Rover|Rolls-Royce
BAE Systems|GKN|Airbus UK|Nissan Sunderland|Toyota Manufacturing UK|Mini Plant Oxford
Royal Mail|DPD|Hermes|DHL Supply Chain|Wincanton|Eddie Stobart|Amazon|Ocado|John Lewis Partnership
Whitbread|Premier Inn|Mitchells & Butlers|JD Wetherspoon|Pizza Express|Nando's|Costa Coffee
Pret A Manger|McDonald's|Burger King|KFC|Domino's|Compass Group|Sodexo|Serco|Capita|Mitie
G4S|ISS Facilities|Barchester Healthcare|HC-One|Four Seasons Health Care|Anchor Hanover
Bupa|Care UK|Priory Group|NHS Trust|Sandwell and West Birmingham Hospitals|Birmingham City Council
Dudley Council|Welsh Government|Cardiff Council|Admiral Group|Principality Building Society
Tata Steel|Iceland Foods|Dyson|Lloyds Banking Group|NatWest|Barclays|Nationwide
Co-op|Oxfam|British Heart Foundation|Cancer Research UK|Age UK|Mind|Shelter|Barnardo's
Prince's Trust|Salvation Army|YMCA|Scope|Mencap|Sense|Leonard Cheshire|Thomas Cook
Harvey Nichols|Fortnum & Mason|Selfridges|Hobbycraft|Poundland|Matalan|TK Maxx|Sports Direct
Unit 3 Park Lane Industrial Estate|Jobs at 12 Mill Lane|Ellis Brigham|Fred Perry|Clarks
Victoria Plum|Lucy & Yak|Hotter Shoes|Charlie Bigham's|Tony's Chocolonely|Ella's Kitchen
""".replace("\n", "|")
    .strip("|")
    .split("|")
)


def test_the_employer_list_is_real_and_long() -> None:
    assert len(set(EMPLOYERS)) >= 90


@pytest.mark.parametrize("name", sorted(set(EMPLOYERS)))
def test_no_real_employer_is_refused_as_an_organisation_value(name: str) -> None:
    assert screen.findings(name, organisation=True) == (), name


def test_organisations_named_after_people_pass_in_free_text() -> None:
    for text in ("John Lewis took on trainees", "Marie Curie volunteers", "Dr. Martens jobs"):
        assert screen.NAME not in screen.findings(text), text


SERVICE_CONTACTS = [
    "Call 0800 123 4567",
    "Helpline 0300 123 1234",
    "Freephone 0808 800 5000",
    "0345 600 0000",
    "Email jobs@tesco.com",
    "info@council.gov.uk",
    "restart.providerenquiries@dwp.gov.uk",
    "enquiries at example dot org",
    "Sessions at Unit 3 Park Lane Industrial Estate",
    "Suite 4, 10 High Street Business Park",
]


@pytest.mark.parametrize("text", SERVICE_CONTACTS)
def test_a_services_contact_details_are_not_personal(text: str) -> None:
    assert screen.personal_kinds(text) == (), (text, screen.personal_kinds(text))


def test_a_persons_contacts_still_are() -> None:
    assert screen.PHONE in screen.findings("07700 900123")
    assert screen.PHONE in screen.findings("0121 496 0000")
    assert screen.EMAIL in screen.findings("jane.doe@example.com")
    assert screen.ADDRESS in screen.findings("Lives at 12 Acacia Avenue")
    assert screen.PHONE in screen.findings("07700 900123", organisation=True)  # a mobile


def test_the_about_page_lists_the_text_rules() -> None:
    text = about.guards()
    for name, refuses, para in screen.TEXT_RULES:
        assert name in text and refuses in text and para in text


# --- the property: disguise never hides a detail -------------------------------------------------
_BASES = [
    ("AB 12 34 56 C", screen.NINO),
    ("B69 4HE", screen.POSTCODE),
    ("07700 900 123", screen.PHONE),
    ("jane.doe@example.com", screen.EMAIL),
    ("943 476 5919", screen.NHS),
]
_SEPARATORS = st.lists(
    st.sampled_from([" ", "\u00a0", "\u2009", "\t", ".", "-", ",", ":"]), min_size=1, max_size=8
)
_INVISIBLE = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff"])


def _wide(char: str) -> str:
    """An NFKC-equivalent of a character: its full-width or mathematical form."""
    if "0" <= char <= "9":
        return chr(0xFF10 + ord(char) - ord("0"))
    if "A" <= char <= "Z":
        return chr(0xFF21 + ord(char) - ord("A"))
    if "a" <= char <= "z":
        return chr(0xFF41 + ord(char) - ord("a"))
    return {"@": "\uff20", ".": "\uff0e"}.get(char, char)


@st.composite
def _disguised(draw: st.DrawFn) -> tuple[str, str]:
    base, kind = draw(st.sampled_from(_BASES))
    out = []
    for char in base:
        if char == " ":
            out.append("".join(draw(_SEPARATORS)))
            continue
        out.append(_wide(char) if draw(st.booleans()) else char)
        if draw(st.integers(0, 3)) == 0:
            out.append(draw(_INVISIBLE))
    return "".join(out), kind


@settings(max_examples=300, deadline=None)
@given(_disguised(), st.sampled_from(["", "Note: ", "Call "]), st.sampled_from(["", " today."]))
def test_disguise_never_hides_a_detail(detail: tuple[str, str], before: str, after: str) -> None:
    text, kind = detail
    assert kind in screen.findings(before + text + after), repr(text)
    assert pc.match_substring_regex(pa.array([before + text + after]), screen.PREFILTER)[0].as_py()


def test_a_typed_organisation_is_never_read_as_a_person() -> None:
    from insight.sharing import store

    def record(organisation: str, text: str) -> store.StakeholderInsight:
        return store.add_insight(
            organisation=organisation, la="all", theme="Other", text=text, shared_on="2025-03-01"
        )

    assert record("John Lewis", "Hiring").organisation == "John Lewis"
    with pytest.raises(store.PersonalDetail) as refused:
        record("Dudley Council", "Ask John Smith")
    assert refused.value.kinds == (screen.NAME,)


@pytest.mark.parametrize(
    "text",
    [
        "Faith Groups in Sandwell run a food bank",
        "Mark Schemes for functional skills changed",
        "Will Sandwell Council fund the bus pass?",
        "Bill payments advice at the library",
        "Rent payments are the first worry",
        "Crystal Palace Football Club",
        "Cyngor Sir Ddinbych",
        "Mohammed Ali Road Community Centre",
        "Penny Lane Hub",
    ],
)
def test_forenames_that_read_as_words_or_places_pass(text: str) -> None:
    assert screen.findings(text) == (), (text, screen.findings(text))
