"""One screen for free text: what a dataset's text columns hold, `provider_name` and `area_name`,
and what people type into the app (stakeholder insights, meeting names, speaker notes, the pack's
note). It finds both bans however they are written and says only which *kind* it found, never the
text that matched.

Before matching, text is normalised (`normalise`): NFKC (full-width digits and letters, ligatures,
the full-width at sign), format characters removed (zero-width spaces and joiners, soft hyphens,
bidirectional marks, the byte-order mark, variation selectors), confusable letters mapped to Latin
(Cyrillic and Greek look-alikes, dotless i, long s), accents folded (Siân -> Sian, Łukasz ->
Lukasz) and every kind of space turned into a plain one; matching ignores case. Codes may have any
run of separators (spaces, dots, hyphens, slashes, commas, colons) between their parts.

Personal details (Annex 7.6 para 7):

- National Insurance numbers and full postcodes, however spaced or punctuated;
- email addresses, spelt-out ones included (`name at example dot com`, any top-level domain),
  except a service's role mailbox (`jobs@`, `info@`, `enquiries@`...);
- UK phone numbers of people (01, 02, 05 and 07 numbers) with any separators; a service's
  helpline (0300, 0330, 0345, 0800, 0808, 084x, 087x, 09) is not personal data;
- NHS numbers (ten digits with a valid modulus 11 check digit);
- dates of birth and ages: "DOB", "date of birth", "dyddiad geni", "born (on|in)", "b." followed by
  a date or a year; "aged 37", "37 years old" (an age band such as "aged 18-24", "aged 50 and
  over" or "over 50s" is not an age);
- street addresses: a house number (in figures or words) and a street, in any case; a venue's
  address ("Unit 3 Park Lane Industrial Estate", a business park, an estate, a centre) is not;
- people's names, in name-like context only: a title (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Rev, Cllr,
  Sir, Dame, Lady, Lord...) and a name in any case; a forename (`reference/forenames.txt`, about
  eight thousand names from every community in England and Wales) followed by a surname-like
  capitalised word or an initial; a forename and a known surname in any case ("jane doe"); "my
  name is", "called" or "named" and a forename; a forename's possessive before a personal fact
  ("Priya's address"). A forename that is also an everyday word (Grace, Will, Hope) counts only
  when it does not read as the word. Organisations named after people that partners mention all
  the time (John Lewis, Marie Curie...) are read as organisations.

Numbers that count people or outcomes (Annex 7.6 paras 5 and 13):

- a small count of people (1 to 9, or under the dataset's minimum cell): personal, para 7;
- any other count of people ("1200 people", "two hundred participants") or of outcomes ("312
  job outcomes", "starts rose to 980", "85% sustainment", "15 into work"), and a ranking ("PRaP
  ranking 2nd of 8", "ranked 3rd"): para 5 and para 13, absolute numbers and DWP performance;
- the programme's performance vocabulary (`insight.intake.guard`'s performance check: referrals,
  starts, job outcomes, sustainment, outcome payments, satisfaction survey results...) anywhere in
  the text: para 5.

Numbers that pass: years and dates ("2024", "01/02/2024", "3 March 2025", "2024-07"), times,
durations and frequencies ("12 weeks", "3 days a week"), money, qualification levels ("Level 2",
"NVQ 3"), age bands ("16-24", "over 50", "50+"), road names ("A38", "M6"), codes ("E08000025"),
postcode districts ("B1"), a service's helpline, proportions ("one in five people"), and
percentages of anything that is not an outcome ("40% of places were taken", "Over 50% of
participants have a health condition"); a count of anything that is not people or outcomes ("3
sessions a week", "40 places", "12 employers").

Values of organisation columns (employer, sector, the provision's organisation and service) are
names of organisations, never screened as people: no name, street address or postcode rule
applies to them, and a message may quote them.

`PREFILTER` is one RE2 pattern (pyarrow `match_substring_regex`, case-sensitive) that every text
the precise personal and count checks flag also matches, so a column of a million values is
screened in bulk and only the few it catches are checked here in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

NINO = "a National Insurance number"
POSTCODE = "a full UK postcode"
EMAIL = "an email address"
PHONE = "a UK phone number"
NHS = "an NHS number"
BIRTH = "a date of birth or an age"
ADDRESS = "a street address"
NAME = "a person's name"
SMALL_COUNT = "a small count of people"
COUNT = "a count of people or outcomes"
PERFORMANCE = "DWP performance information"

PERSONAL_KINDS: tuple[str, ...] = (NINO, POSTCODE, EMAIL, PHONE, NHS, BIRTH, ADDRESS, NAME)
PARA5_KINDS: tuple[str, ...] = (COUNT, PERFORMANCE)
KINDS: tuple[str, ...] = (*PERSONAL_KINDS, SMALL_COUNT, *PARA5_KINDS)
SMALL_COUNT_BELOW = 10  # 1 to 9 people is a small count; a dataset's min_cell may raise it
ORGANISATION_SKIPS = frozenset({NAME, ADDRESS, POSTCODE})  # not screened in organisation names

# What to remove, for a message to the person who typed it ("Remove the phone number from ...").
NOUNS: dict[str, str] = {
    NINO: "the National Insurance number",
    POSTCODE: "the postcode",
    EMAIL: "the email address",
    PHONE: "the phone number",
    NHS: "the NHS number",
    BIRTH: "the date of birth or age",
    ADDRESS: "the street address",
    NAME: "the person's name",
    SMALL_COUNT: "the small count of people (give a share, or leave it out)",
    COUNT: "the count of people or outcomes (give a share of something that is not an outcome, "
    "or leave the number out)",
    PERFORMANCE: "the DWP performance information (referrals, starts, job outcomes, sustainment, "
    "outcome payments, satisfaction results)",
}

# The rules of this screen that are not in insight.intake.guard.GUARD_RULES, for the About page and
# the README: (name, what it refuses, annex paragraph).
TEXT_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "count_text",
        "Free text (a dataset's insights, plans, provision, employer, sector and organisation "
        "names, provider_name and area_name, and what people type into the app) that counts "
        "people or outcomes: '1200 people', '312 job outcomes', 'starts rose to 980', '85% "
        "sustainment', 'PRaP ranking 2nd of 8'. Years, dates, times, durations, money, "
        "qualification levels ('Level 2'), age bands ('16-24'), road names ('A38'), codes, a "
        "service's helpline, proportions ('one in five people') and percentages of anything that "
        "is not an outcome are allowed.",
        "para 5",
    ),
    (
        "performance_text",
        "Free text that uses the programme's performance vocabulary (referrals, starts, job "
        "outcomes, sustainment, outcome payments, satisfaction survey results, in any spelling "
        "the column-name check knows).",
        "para 5",
    ),
    (
        "personal_text",
        "Free text holding a personal detail however it is disguised: the text is normalised "
        "first (full-width and other compatibility characters, zero-width characters and soft "
        "hyphens removed, Cyrillic and Greek look-alike letters read as Latin, accents folded) "
        "and codes may hold any run of spaces, dots, hyphens, commas or colons. Besides the "
        "codes, e-mails spelt out with any domain, dates of birth ('born in 1987', 'b. "
        "03/03/1987', 'dyddiad geni') and ages ('aged 37'), street addresses in any case or with "
        "the house number in words, and names in name-like context: a title (Mr, Dr, Prof, Rev, "
        "Cllr, Sir, Lady...) and a name, a forename from about 8,000 of every community in "
        "England and Wales and a surname-like word, 'my name is' or 'called' and a forename, or a "
        "forename's possessive before a personal fact.",
        "para 7",
    ),
    (
        "organisation_names",
        "Not a refusal: employer, sector and the provision's organisation and service values are "
        "names of organisations, so they are never screened as people's names, street addresses "
        "or postcodes (John Lewis, Marie Curie, Dr. Martens, 'Unit 3 Park Lane Industrial "
        "Estate'), and a message may quote them. A service's helpline (0300, 0800, 0808...) and "
        "role mailbox (jobs@, info@...) are not personal data anywhere.",
        "para 7",
    ),
)


# --- the normaliser ----------------------------------------------------------------------------
# Characters that print as nothing: format characters (Unicode category Cf: zero-width space and
# joiners, soft hyphen, bidirectional marks, the byte-order mark, tags), variation selectors and
# the fillers that render blank.
_INVISIBLE_RANGES = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
# Letters that look like Latin ones (after NFKC), and the punctuation people swap in.
_CONFUSABLE_PAIRS = (
    "аa вb еe ёe кk мm нh оo рp сc тt уy хx ѕs іi їi јj ԁd ԛq ԝw һh үy ӏl ԍg ɡg ɑa ɩi"
    " АA ВB ЕE ЁE КK МM НH ОO РP СC ТT УY ХX ЅS ІI ЇI ЈJ ԚQ ԜW ҮY ӀI"
    " ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX αa οo ρp νv ιi κk υu χx ϲc ϳj γy"
    " ıi ȷj łl ŁL øo ØO đd ĐD ħh ŀl ſs ʼ' ’' ‘' ′' ‐- ‑- ‒- –- —- ―- −- 。. ｡."
).split()
_TRANSLATE: dict[int, str | None] = {
    code: None for start, end in _INVISIBLE_RANGES for code in range(start, end + 1)
}
_TRANSLATE.update({ord(pair[0]): pair[1:] for pair in _CONFUSABLE_PAIRS})
_TRANSLATE.update({ord(a): b for a, b in {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe"}.items()})
# Every space a plain one, and every line break a plain one ("\n"): a line break still ends a
# run of words ('Jane Doe' on one line, 'LN' on the next is not 'Jane Doe Ln', a street), and
# every pattern that reads across spaces (\s) reads across it as before.
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_SPACES = {
    code: "\n" if chr(code) in _LINE_BREAKS else " "
    for code in range(0x3001)
    if chr(code).isspace() and code not in (0x20, 0x0A)
}


def normalise(text: str) -> str:
    """The text as the screen reads it: NFKC, invisible characters removed, confusable letters
    mapped to Latin, accents folded and every space a plain one. Case is kept (names are read
    by their capitals); every code pattern ignores it."""
    if text.isascii():
        return text.translate(_SPACES)
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE).translate(_SPACES)


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """ASCII classes only (digits, letters, word boundaries), as RE2 reads the prefilter; the
    text is normalised first, so its letters and spaces are ASCII ones."""
    return re.compile(pattern, flags | re.ASCII)


_SEP = r"[\s.,:;\-_/\\|]*"  # any run of separators a person may put inside a code

# --- codes -------------------------------------------------------------------------------------
_NINO = _compile(
    rf"(?<![a-z0-9])[a-z]{_SEP}[a-z]{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}\d{_SEP}[a-d]"
    r"(?![a-z0-9])",
    re.I,
)
_POSTCODE = _compile(
    r"(?<![a-z0-9])[a-pr-uwyz][a-hk-y]?\d[a-z\d]?"
    rf"{_SEP}(\d[abd-hjlnp-uw-z]{{2}})(?![a-z0-9])",
    re.I,
)
_NOT_INWARD = _compile(r"\d(?:st|nd|rd|th|am|pm)", re.I)  # 'M1 2nd floor', 'M1, 3pm'
_NHS = _compile(r"(?<![\w.])(\d{3})[\s.,:\-]*(\d{3})[\s.,:\-]*(\d{4})(?![\w]|[.,]\d)")

# --- email -------------------------------------------------------------------------------------
_AT_MARK = _compile(r"@|[\[({<]\s*at\s*[\])}>]|\sat\s", re.I)
_LOCAL = _compile(r"([a-z0-9._%+'-]+)\s*$", re.I)
_DOMAIN = _compile(r"\s*[a-z0-9-]+(?:\s*\.\s*[a-z0-9-]+)*\s*\.\s*[a-z]{2,}", re.I)
_DOT_WORD = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s*\.\s*)"
_DOMAIN_WORDS = _compile(
    rf"\s*([a-z0-9-]+)(?:{_DOT_WORD}[a-z0-9-]+)*{_DOT_WORD}[a-z]{{2,}}\b", re.I
)
_SPELT_DOT = _compile(r"[\[({<]\s*dot\s*[\])}>]|\sdot\s", re.I)
_NOT_A_DOMAIN = frozenset("the a an our your their this that my his her its".split())
_EMAIL_SPAN = 256  # characters an address can run to after its '@'
# A role mailbox of a service, not a person's address: every part of the local part is one of these.
_ROLE_MAILBOX = frozenset(
    """
    info jobs job careers career enquiries enquiry hello contact contactus admin office reception
    recruitment recruit recruiting hr vacancies vacancy apply applications team support help
    helpdesk helpline bookings booking referrals referral general mail post accounts finance sales
    service services customerservices customer customers feedback events training employment work
    employers employer partnerships partners partnership restart providerenquiries enquiriesteam
    press media communications comms marketing volunteer volunteers volunteering noreply no reply
    donotreply do not webmaster office1 uk gb london wales cymru advice skills learning community
    """.split()
)

# --- phone -------------------------------------------------------------------------------------
_PHONE = _compile(
    r"(?<![\w+])(?P<lead>(?:\+|00)\s*\(?\s*44\s*\)?\s*(?:\(\s*0\s*\)\s*)?|\(\s*0|0)"
    r"(?P<rest>(?:[\s.,:;\-()/]*\d){9,10})(?!\d)"
)
# 01, 02 (geographic), 05 (VoIP) and 07 (mobiles): the numbers people give. 03 (public bodies and
# charities), 08 (freephone and business) and 09 are services' numbers: not personal data.
_PHONE_AREA = "1257"

# --- date of birth and age ---------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTH},?\s+\d{{4}}\b|\d{{4}}\b)"
)
_BIRTH = _compile(
    r"\b(?:(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|birthday|dyddiad\s+(?:eich\s+)?geni)"
    rf"\s*(?:[:=\-]|is|was|of)?\s*(?:on\s+)?(?:the\s+)?{_DATE}"
    rf"|(?:born|ganwyd)\s*(?:on\s+|in\s+|ar\s+|yn\s+)?(?:the\s+)?{_DATE})"
    rf"|(?<![a-z])b\.\s*{_DATE}",
    re.I,
)
_AGE = _compile(
    r"\baged?\s+(?:of\s+)?\d{1,3}\b(?!\s*(?:[-+/]|to\b|and\b|or\b|plus\b|%|\d|years?\s+and))"
    r"|(?<![\d\-/])\b\d{1,3}\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b",
    re.I,
)

# --- street address ----------------------------------------------------------------------------
_HOUSE_WORDS = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:(?:\s|-)(?:one|two|three|four"
    r"|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
)
_HOUSE = rf"(?:\d{{1,3}}[A-Za-z]?|{_HOUSE_WORDS})"
_STREET_ANY_CASE = (
    r"(?:street|road|avenue|lane|crescent|terrace|gardens|mews|boulevard|grove|close|drive)"
)
_STREET_CAPITAL = (
    r"(?:St|Rd|Ave|Ln|Close|Drive|Dr|Way|Grove|Place|Court|Square|Hill|Park|Row|Walk|Rise|View"
    r"|Green|Parade|Vale|Wharf|Croft|Fold|Gate|Yard|Meadows?|Bank|Circus|Embankment|Approach"
    r"|Street|Road|Avenue|Lane|Crescent|Terrace|Gardens|Mews|Boulevard)"
)
_ADDRESS = _compile(
    rf"(?<![\w.,£$])(?i:{_HOUSE}),?\s+(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?\s+){{1,3}}"
    rf"{_STREET_CAPITAL}\b"
    rf"|(?<![\w.,£$])(?i:{_HOUSE},?\s+(?:[a-z'’]+\s+){{1,2}}{_STREET_ANY_CASE})\b"
)
_VENUE_BEFORE = _compile(
    r"\b(?:unit|units|suite|block|floor|office|offices|building|stand|stall|plot|pitch|bay)\s*$",
    re.I,
)
_VENUE_AFTER = _compile(
    r"(?:industrial|business|retail|trading|enterprise|science|technology"
    r"|shopping|office|commercial)\s+(?:estate|park|centre|center|village|quarter|hub)\b",
    re.I,
)

# --- names -------------------------------------------------------------------------------------
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_SHORT_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|prof|rev|revd|cllr|fr|capt|sgt)"
_LONG_TITLES = (
    r"(?:Doctor|Professor|Reverend|Councillor|Sir|Dame|Lady|Lord|Father|Sister|Captain|Sergeant)"
)
_TITLE = _compile(
    rf"\b(?:(?i:{_SHORT_TITLES})\b\.?|{_LONG_TITLES}\b)\s+(?P<word>{_WORD}|[A-Z]{{2,}})"
    r"|\b(?:[Mm]rs?|[Mm]x|[Mm]iss|[Pp]rof|[Cc]llr)\b\.?\s+(?P<lower>[a-z][a-z'’-]+)"
)
_UPPER_TITLES = frozenset({"MS", "DR", "FR", "REV", "PROF"})  # 'MS Society', 'DR Congo'
# 'Sir' is Welsh for county: Sir Benfro, Sir Fynwy (the ONS Welsh names of Welsh LAs).
_WELSH_COUNTIES = frozenset(
    "benfro ddinbych fynwy gaerfyrddin fflint gar conwy ceredigion powys wrecsam".split()
)
_PAIR = _compile(rf"\b(?P<first>[A-Z][a-z]+)(?=\s+(?P<next>{_WORD}|[A-Z]\b\.?))")
_LOWER_PAIR = _compile(r"\b(?P<first>[a-z]{2,})\s+(?P<next>[a-z][a-z'-]+)\b")
_CALLED = _compile(
    r"\b(?:(?:my|his|her|their|your)\s+name\s+(?:is|was)|called|named"
    r"|known\s+as|goes\s+by)\s+(?P<word>[A-Za-z'-]+)",
    re.I,
)
_POSSESSIVE = _compile(
    r"\b(?P<word>[A-Za-z]+)'s\s+(?:(?:home|mobile|phone|personal|email|e-mail|postal|full|new|old"
    r"|current|own)\s+)?(?:address|phone|mobile|number|email|e-mail|dob|date\s+of\s+birth|birthday"
    r"|age|postcode|diagnosis|condition|medication|son|daughter|husband|wife|partner|mum|mother"
    r"|dad|father|children|kids|baby|family|claim|benefits?|debts?|convictions?|criminal|record"
    r"|surname|landlord|flat|house)\b",
    re.I,
)
_BOUNDARY = _compile(r"(?:^|[.!?:;\n\r•·\-–—(\"“]\s*)$")
# A capitalised word after a forename that makes the pair a place, organisation, date or plain
# sentence rather than a person ('Grace Foods', 'Amber Valley', 'May Day', 'Will The').
_ORGANISATION_WORDS = frozenset(
    """
    street st road rd avenue ave lane ln close drive dr way grove place court square hill hills park
    row walk rise view green parade vale valley wharf croft gate yard meadow meadows bank gardens
    terrace crescent mews boulevard bridge cross end heath wood woods moor common field fields
    centre center house hall halls court library church chapel mosque temple school college
    academy university hospital surgery clinic council borough district county city town village
    ltd limited plc llp co cooperative group groups trust foundation partnership partners services
    service care homes home health foods food retail works industries motors logistics construction
    hub club clubs network association society team project programme scheme fund charity
    jobcentre jobs job market estate station airport festival fair day days week weeks month
    months year years holiday holidays bank time builders building plumbing electrical
    electricians joinery roofing decorating hairdressing salon barbers cafe bakery kitchen kitchens
    restaurant hotel hotels pub inn taxis cars garage transport haulage cleaning solutions
    consulting consultancy recruitment agency agencies stores store shop shops supplies
    enterprises holdings associates sons brothers bros ambulance hospice appeal
    """.split()
)
_NOT_A_SURNAME = _ORGANISATION_WORDS | frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter
    the a an and or but of in on at to for with by from i we you they it this that these those
    our your their his her its all some many most every each no not also then so if as is are was
    were be been will may can could should would must has have had do does did who which what
    """.split()
)
_PREVIOUS_WORD = _compile(r"([A-Za-z]+)\W*$")
_BEFORE_A_WORD = frozenset(
    "the a an this that these our your their its every each last next in on by since until "
    "during from of early late mid".split()
)
_NEXT_WORD = _compile(r"(?:[ \t]+(?:&|and))?[ \t]+([A-Z][A-Za-z'’&-]*)")  # on the same line
_REFERENCE = Path(__file__).resolve().parents[1] / "reference"
# Organisations named after people, as partners write them: read as organisations in free text.
_KNOWN_ORGANISATIONS = _compile(
    r"\b(?:john\s+lewis|marie\s+curie|laura\s+ashley|ted\s+baker|mr\.?\s+kipling|dr\.?\s+martens"
    r"|st\.?\s+john(?:'s)?\s+ambulance|sue\s+ryder|joseph\s+rowntree|paul\s+smith|jack\s+wills"
    r"|ben\s+sherman|karen\s+millen|ann\s+summers|bernard\s+matthews|john\s+menzies"
    r"|william\s+hill|tommy\s+hilfiger|harvey\s+nichols|victoria\s+beckham|ronald\s+mcdonald"
    r"|sir\s+robert\s+mcalpine|jack\s+petchey|prince(?:ss)?\s+\w+(?:'s)?\s+trust|james\s+dyson"
    r"|john\s+moores|guy's\s+and\s+st\.?\s+thomas|morgan\s+sindall|ann\s+craft|jd\s+wetherspoon"
    r"|tim\s+hortons|sam\s+smith's|emmaus|mary\s+portas|jamie\s+oliver|gordon\s+ramsay"
    r"|helen\s+&\s+douglas\s+house|terrence\s+higgins|william\s+morris|dr\.?\s+barnardo'?s?)\b",
    re.I,
)


@cache
def _names(file: str) -> frozenset[str]:
    lines = (_REFERENCE / file).read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def forenames() -> frozenset[str]:
    """The forename list (lower case, accents folded)."""
    return _names("forenames.txt")


def surnames() -> frozenset[str]:
    """The surname list, for a forename and a surname written in lower case ('jane doe')."""
    return _names("surnames.txt")


def everyday_forenames() -> frozenset[str]:
    """Forenames that are also everyday words (Grace, Will, Hope): a name only where they do not
    read as the word."""
    return _names("forename_words.txt")


# --- counts of people and outcomes ---------------------------------------------------------------
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "dozen": 12,
    "dozens": 24,
    "hundred": 100,
    "hundreds": 200,
    "thousand": 1000,
    "thousands": 2000,
}
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|dozens?|hundreds?"
    r"|thousands?)"
)
_PEOPLE = (
    r"(?:people|persons?|participants?|customers?|clients?|claimants?|individuals?|learners?"
    r"|residents?|parents?|carers?|job\s?seekers?|candidates?|applicants?|adults?|men|women"
    r"|mums?|dads?|mothers?|fathers?|famil(?:y|ies)|veterans?|refugees?|starters?|leavers?"
    r"|volunteers?|trainees?|apprentices?|graduates?|workers?|employees?|tenants?|patients?"
    r"|students?|lads?|girls?|boys?|youngsters?|over\s?50s|under\s?25s)"
)
_FILLER = (
    r"(?:of|our|the|these|those|local|young|younger|older|new|more|other|unemployed|disabled"
    r"|female|male|long-term|lone|single|extra|additional|further|different|eligible|adult"
    r"|working-age|jobless|vulnerable|existing|current|former|such|economically|inactive|neet"
    r"|more|than|over|about|around|nearly|almost|some|a|an)"
)
_PEOPLE_COUNT = _compile(
    rf"(?<![\w.,£$€#/])(?P<n>{_NUMBER})(?![\w%]|[.,]\d)(?:\s+{_FILLER}){{0,3}}\s+{_PEOPLE}\b",
    re.I,
)
_PROPORTION = _compile(r"\b(?:in|out\s+of|of\s+every|per)\s+$", re.I)
# Outcomes: what a count or a rate of would be DWP performance information.
_OUTCOME = (
    r"(?:job\s+outcomes?|outcomes?|job\s+starts?|starts|starters|referrals?|referred|sustainment"
    r"|sustained(?:\s+(?:jobs?|employment|outcomes?|work))?|sust|job\s+entr(?:y|ies)"
    r"|(?:into|in)\s+(?:work|jobs?|employment)|(?:found|got|secured|entered|started)\s+(?:work"
    r"|jobs?|employment)|hires|hired|placements?|placed|earnings\s+(?:outcomes?|threshold)"
    r"|outcome\s+payments?|jso|jos|css|satisfaction|conversions?|attachments?|commenced)"
)
_NUMBER_THEN_OUTCOME = _compile(
    rf"(?<![\w.,£$€#/:])(?P<n>{_NUMBER})(?P<pct>\s*(?:%|per\s*cent|percent))?(?![\w:/]|[.,]\d)"
    rf"(?:\W+(?!{_OUTCOME}\b)\w+){{0,3}}?\W+{_OUTCOME}\b",
    re.I,
)
_OUTCOME_THEN_NUMBER = _compile(
    rf"\b{_OUTCOME}\b(?:\s*[:=]|\s*-|\s+(?:rose|fell|grew|increased|decreased|dropped|went|are"
    r"|is|was|were|up|down|to|by|at|of|stood|stand|stands|reached|hit|totalled|totaled|total"
    r"|now|from|rate|rates|figure|figures|count|number|numbers|achieved|climbed|jumped|doubled"
    r"|halved|this|last|year|month|quarter|a|an|the|our|around|about|nearly|almost|over))*\s*"
    rf"(?P<n>{_NUMBER})(?P<pct>\s*(?:%|per\s*cent|percent))?(?![\w/]|[.:]\d)",
    re.I,
)
_RANKING = _compile(
    r"\b\d+(?:st|nd|rd|th)\s+(?:(?:out\s+)?of|/)\s+\d+\b"
    r"|\b(?:ranked|ranking|rankings|rank|league\s+tables?|positioned|came|finished)\b"
    r"(?:\W+\w+){0,3}?\W+(?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|last|top|bottom)\b",
    re.I,
)
# A number that is not a count: 'Level 2', 'NVQ 3', 'Year 11', 'week 4', 'Unit 3', 'A38'.
_NOT_A_COUNT_BEFORE = frozenset(
    """
    level levels nvq step steps stage stages phase phases year years week weeks month months day
    days module modules unit units room rooms floor floors block route bus platform tier tiers
    band bands grade grades key version chapter page part session sessions cohort wave round
    """.split()
)
_YEAR = _compile(r"(?:19|20)\d\d")


# --- the bulk screen ---------------------------------------------------------------------------
_X = r"[^0-9A-Za-z]"
_S = r"[\s\x0b\x1c-\x1f\x85\p{Z}]"  # RE2's \s is ASCII; Python's (and _SPACES) is not
_PREFILTER_PARTS = (
    r"[^\x00-\x7f]",  # anything the normaliser changes: checked precisely
    rf"(?i:[a-z]{_X}*[a-z]{_X}*\d{_X}*\d{_X}*\d{_X}*\d{_X}*\d{_X}*\d{_X}*[a-d])",  # NI number
    rf"(?i:[a-z]\d[a-z0-9]?{_X}*\d[a-z]{{2}})",  # postcode
    r"@|(?i:[\[({<]\s*(?:at|dot)\s*[\])}>]|\sdot\s)",  # email, plain or obfuscated
    rf"(?:\+|00)\s*\(?\s*44(?:{_X}*\d){{9}}|0[1-9](?:{_X}*\d){{8}}",  # phone
    rf"\d{{3}}{_X}*\d{{3}}{_X}*\d{{4}}",  # NHS number
    r"(?i:d\.?\s?o\.?\s?b|birth|born|geni|ganwyd|b\.\s*\d|age|old)",  # date of birth, age
    r"\d[A-Za-z]?,?\s+[A-Za-z]",  # house number and street
    rf"(?i:{_HOUSE_WORDS})",  # house number in words, number words
    rf"(?i:\b{_SHORT_TITLES}\b)|{_LONG_TITLES}",  # title
    r"[A-Z][a-z]+\s+[A-Z]",  # forename and capitalised word
    r"[a-z]{2,}\s+[a-z]",  # forename and surname in lower case
    r"(?i:name|called|known|goes|'s\s)",  # 'my name is', 'called', possessives
    rf"(?i:{_PEOPLE})",  # counts of people
    rf"(?i:{_OUTCOME}|rank|league|positioned|came|finished|\d(?:st|nd|rd|th))",  # outcomes
    r"(?i:jo|eo|css|csat)",  # the guard's abbreviations (JO, EOs, CSAT), wherever they stand
)
PREFILTER = "|".join(part.replace(r"\s", _S) for part in _PREFILTER_PARTS)


def findings(
    text: str,
    *,
    small_below: int = SMALL_COUNT_BELOW,
    organisation: bool = False,
    performance: bool = True,
) -> tuple[str, ...]:
    """The kinds found in `text` (in `KINDS` order), empty when none. Never the text.
    `organisation`: the text is an organisation's name (an employer, a sector, a service), so no
    name, street address or postcode rule applies. `performance`: look for the performance
    vocabulary too (a caller that checks each distinct text once itself passes False)."""
    if not text:
        return ()
    text = normalise(text)
    checks = {
        **_personal_checks(text),
        SMALL_COUNT: lambda: has_small_count(text, small_below),
        COUNT: lambda: has_count(text, small_below),
        PERFORMANCE: lambda: performance_words(text) is not None,
    }
    skip = ORGANISATION_SKIPS if organisation else frozenset()
    if not performance:
        skip = skip | {PERFORMANCE}
    return tuple(kind for kind, found in checks.items() if kind not in skip and found())


def personal_kinds(text: str, *, organisation: bool = False) -> tuple[str, ...]:
    """The personal details found in `text`, without counts or performance words."""
    if not text:
        return ()
    checks = _personal_checks(normalise(text))
    skip = ORGANISATION_SKIPS if organisation else frozenset()
    return tuple(kind for kind, found in checks.items() if kind not in skip and found())


def _personal_checks(text: str) -> dict[str, Callable[[], bool]]:
    """The personal-detail checks of a normalised text, by kind, in `KINDS` order (each run only
    when asked: the first that finds is enough for some callers)."""
    return {
        NINO: lambda: _NINO.search(text) is not None,
        POSTCODE: lambda: _has_postcode(text),
        EMAIL: lambda: _has_email(text),
        PHONE: lambda: _has_phone(text),
        NHS: lambda: _has_nhs(text),
        BIRTH: lambda: _BIRTH.search(text) is not None or _AGE.search(text) is not None,
        ADDRESS: lambda: _has_address(text),
        NAME: lambda: _has_name(text),
    }


def removal_message(kinds: tuple[str, ...] | list[str], field: str, before: str = "saving") -> str:
    """'Remove the phone number and the email address from Text before saving.'"""
    nouns = [NOUNS[kind] for kind in kinds]
    listed = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " and " + nouns[-1]
    return f"Remove {listed} from {field} before {before}"


def performance_words(text: str) -> str | None:
    """What DWP performance information the text's words name ('job outcomes'), or None: the
    para 5 vocabulary (insight.intake.vocabulary, as for free text in a dataset), then the guard's
    performance words, the ones column, file and sheet names are checked against."""
    from insight.intake.guard import compact, performance_reason  # guard imports this module
    from insight.intake.vocabulary import performance_terms

    terms = performance_terms(text)  # the para 5 vocabulary (into work, PRaP, J.O., ...)
    if terms:
        return terms[0]
    reason = performance_reason("text", text)
    if reason == "outcome payments" and "outcome" not in compact(text):
        return None  # prose says 'rent payments', 'bill payments': only outcome payments count
    return reason


# --- precise checks ----------------------------------------------------------------------------
def _has_postcode(text: str) -> bool:
    return any(not _NOT_INWARD.fullmatch(m.group(1)) for m in _POSTCODE.finditer(text))


def _has_email(text: str) -> bool:
    """An address around each '@' (or spelt-out 'at'), matched outward from it within an
    address's length, so no run of text is searched more than a bounded number of times.
    'jobs at gov.uk' is a website, not an address: after a bare 'at' the dot must be spelt out.
    A role mailbox ('jobs@', 'info at ... dot ...') is a service's, not a person's."""
    for mark in _AT_MARK.finditer(text):
        local = _LOCAL.search(text, max(0, mark.start() - 64), mark.start())
        if local is None:
            continue
        parts = [part for part in re.split(r"[._%+'-]+", local.group(1).lower()) if part]
        if parts and all(part in _ROLE_MAILBOX for part in parts):
            continue
        end = min(len(text), mark.end() + _EMAIL_SPAN)
        marker = mark.group()
        if marker == "@" and _DOMAIN.match(text, mark.end(), end):
            return True
        spelt = _DOMAIN_WORDS.match(text, mark.end(), end)
        if (
            spelt
            and spelt.group(1).lower() not in _NOT_A_DOMAIN
            and (marker == "@" or marker[0] in "[({<" or _SPELT_DOT.search(spelt.group()))
        ):
            return True
    return False


def _has_phone(text: str) -> bool:
    for match in _PHONE.finditer(text):
        lead, rest = match.group("lead"), match.group("rest")
        number = "0" + re.sub(r"[^0-9]", "", rest)  # +44 and (0) stand for the leading 0
        national = "44" not in lead
        if national and len(re.match(r"[0-9]*", rest).group()) < 2:  # type: ignore[union-attr]
            continue  # '01/02/2024 10:00' is a date: a number's first group has 3 digits or more
        if len(number) in (10, 11) and number[1] in _PHONE_AREA:
            return True
    return False


def nhs_number_valid(digits: str) -> bool:
    """A ten-digit NHS number's modulus 11 check digit is right."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _has_nhs(text: str) -> bool:
    return any(nhs_number_valid("".join(m.groups())) for m in _NHS.finditer(text))


def _has_address(text: str) -> bool:
    """A house number and a street; a venue's address ('Unit 3 Park Lane Industrial Estate') is a
    service's, not a person's."""
    for match in _ADDRESS.finditer(text):
        if _VENUE_BEFORE.search(text, max(0, match.start() - 12), match.start()):
            continue
        if _VENUE_AFTER.search(text, match.start(), match.end() + 40):
            continue
        return True
    return False


def _has_name(text: str) -> bool:
    text = _KNOWN_ORGANISATIONS.sub("Organisation", text)
    if not re.search(r"[a-z]", text):  # written all in capitals: read it in title case
        text = text.title()
    names, everyday = forenames(), everyday_forenames()
    pos = 0
    # Overlapping matches: a title skipped below ('MS' of 'MS Society') may have swallowed the
    # next title as its word ('MS\nMr Smith'), which must still be read as a title of its own.
    while (match := _TITLE.search(text, pos)) is not None:
        pos = match.start() + 1
        if match.group("word") and match.group().split()[0].rstrip(".") in _UPPER_TITLES:
            continue
        word = match.group("word") or match.group("lower") or ""
        if (
            word.lower() in _NOT_A_SURNAME
            or word.lower() in _WELSH_COUNTIES
            or _organisation_follows(text, match.end())
        ):
            continue
        return True
    for match in _PAIR.finditer(text):
        first, following = match.group("first"), match.group("next")
        key = first.lower()
        if key not in names:
            continue
        if following.rstrip(".").lower() in _NOT_A_SURNAME or _organisation_follows(
            text, match.end("next")
        ):
            continue
        if key in everyday and _reads_as_a_word(text[: match.start()]):
            continue
        return True
    family = surnames()
    for match in _LOWER_PAIR.finditer(text):
        first, following = match.group("first"), match.group("next")
        if first in names and first not in everyday and following in family:
            return True
    for match in _CALLED.finditer(text):
        word = match.group("word").lower()
        if word in names and (word not in everyday or match.group().lower().startswith("my")):
            return True
    return any(m.group("word").lower() in names for m in _POSSESSIVE.finditer(text))


def _reads_as_a_word(before: str) -> bool:
    """'Will', 'May', 'Grace' at a sentence start, after a capitalised word (a heading in title
    case), or after an article or a word of time ('The Will Power course', 'in May Jobs Fair')."""
    if _BOUNDARY.search(before):
        return True
    previous = _PREVIOUS_WORD.search(before)
    return previous is not None and (
        previous.group(1)[0].isupper() or previous.group(1).lower() in _BEFORE_A_WORD
    )


def _organisation_follows(text: str, end: int) -> bool:
    """'John Lewis Partnership': a capitalised run ending in an organisation or place word."""
    for _ in range(3):
        match = _NEXT_WORD.match(text, end)
        if match is None:
            return False
        if match.group(1).lower() in _ORGANISATION_WORDS:
            return True
        end = match.end()
    return False


def _people_counts(text: str) -> Iterator[int]:
    """Each count of people in the text ('3 people', 'two hundred participants'), proportions
    ('one in five people') left out. Only the few characters before a count are looked at, so
    a long text of counts is read in linear time."""
    for match in _PEOPLE_COUNT.finditer(text):
        start = match.start()
        if _PROPORTION.search(text, max(0, start - 16), start) or _not_a_count(text, start):
            continue
        yield _value(match.group("n"))


def _value(raw: str) -> int:
    raw = raw.lower()
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    return int(float(raw.replace(",", "")))


def _not_a_count(text: str, start: int) -> bool:
    """'Level 2', 'Year 11', 'week 4': a number that names a step, not a count."""
    previous = _PREVIOUS_WORD.search(text, max(0, start - 24), start)
    return previous is not None and previous.group(1).lower() in _NOT_A_COUNT_BEFORE


def has_small_count(text: str, below: int = SMALL_COUNT_BELOW) -> bool:
    """A count of people from 1 to `below` - 1 ('3 people', 'two of our participants')."""
    return any(1 <= value < below for value in _people_counts(normalise(text)))


def has_count(text: str, small_below: int = SMALL_COUNT_BELOW) -> bool:
    """Any other count of people ('1200 people'), a count or rate of outcomes ('312 job
    outcomes', 'starts rose to 980', '85% sustainment'), or a ranking ('2nd of 8')."""
    text = normalise(text)
    if any(value >= small_below for value in _people_counts(text)):
        return True
    if _RANKING.search(text):
        return True
    for pattern in (_NUMBER_THEN_OUTCOME, _OUTCOME_THEN_NUMBER):
        for match in pattern.finditer(text):
            raw = match.group("n")
            if _YEAR.fullmatch(raw) and not match.group("pct"):
                continue  # 'referrals in 2024' (the words are refused on their own)
            if _not_a_count(text, match.start("n")):
                continue
            return True
    return False
