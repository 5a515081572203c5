"""One screen for free text: what a dataset's text columns hold and what people type into the app.

It finds personal details (Annex 7.6 para 7) however they are written, and small counts of people,
and says only which *kind* it found, never the text that matched:

- National Insurance numbers and full postcodes, however spaced or punctuated (`AB.12.34.56.C`,
  `B1  1AA`);
- email addresses, obfuscated ones included (`name at example dot com`, `name [at] example [dot]
  com`);
- UK phone numbers with any separators (`07700.900.123`, `+44 (0)7700 900123`);
- NHS numbers (ten digits, as 3-3-4 or run together, with a valid modulus 11 check digit);
- dates of birth ("DOB", "date of birth" or "born on" followed by a date);
- street addresses (a house number and a street: "12 Acacia Avenue", "Flat 3, 14 High Street");
- people's names: a title (Mr, Mrs, Ms, Miss, Mx, Dr) and a name, or a common forename
  (`reference/forenames.txt`) and a capitalised word that is not a place or organisation word;
- a small count of people ("3 people in Trafford found work"): 1 to 9, or any number under the
  threshold given, attached to a word for people. Percentages, money, years, larger numbers and
  counts of anything else ("3 sessions a week") pass.

`PREFILTER` is one RE2 pattern (pyarrow `match_substring_regex`, case-sensitive) that every text
the precise checks flag also matches, so a column of a million values is screened in bulk and only
the few it catches are checked here in Python.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

NINO = "a National Insurance number"
POSTCODE = "a full UK postcode"
EMAIL = "an email address"
PHONE = "a UK phone number"
NHS = "an NHS number"
BIRTH = "a date of birth"
ADDRESS = "a street address"
NAME = "a person's name"
SMALL_COUNT = "a small count of people"

PERSONAL_KINDS: tuple[str, ...] = (NINO, POSTCODE, EMAIL, PHONE, NHS, BIRTH, ADDRESS, NAME)
KINDS: tuple[str, ...] = (*PERSONAL_KINDS, SMALL_COUNT)
SMALL_COUNT_BELOW = 10  # 1 to 9 people is a small count; a dataset's min_cell may raise it

# What to remove, for a message to the person who typed it ("Remove the phone number from ...").
NOUNS: dict[str, str] = {
    NINO: "the National Insurance number",
    POSTCODE: "the postcode",
    EMAIL: "the email address",
    PHONE: "the phone number",
    NHS: "the NHS number",
    BIRTH: "the date of birth",
    ADDRESS: "the street address",
    NAME: "the person's name",
    SMALL_COUNT: "the small count of people (give a share, or leave it out)",
}


def _compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """ASCII classes only (digits, letters, word boundaries), as RE2 reads the prefilter; every
    Unicode space is turned into a plain space before matching (`_SPACES`)."""
    return re.compile(pattern, flags | re.ASCII)


_SPACES = {code: " " for code in range(0x3001) if chr(code).isspace() and code != 0x20}
_SEP = r"[\s.\-_/]{0,3}"  # separators a person may put inside a code

# --- codes -------------------------------------------------------------------------------------
_NINO = _compile(
    rf"(?<![a-z0-9])[a-z]{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}\d{{2}}{_SEP}[a-d](?![a-z0-9])", re.I
)
_POSTCODE = _compile(
    r"(?<![a-z0-9])[a-pr-uwyz][a-hk-y]?\d[a-z\d]?"
    rf"{_SEP}(\d[abd-hjlnp-uw-z]{{2}})(?![a-z0-9])",
    re.I,
)
_ORDINAL = _compile(r"\d(?:st|nd|rd|th)")  # 'M1 2nd floor' is not a postcode
_NHS = _compile(r"(?<![\w.])(\d{3})[\s.\-]{0,3}(\d{3})[\s.\-]{0,3}(\d{4})(?![\w]|[.,]\d)")

# --- email -------------------------------------------------------------------------------------
_TLD = (
    r"(?:com|org|net|uk|co|gov|ac|nhs|sch|ltd|plc|me|io|info|biz|edu|eu|ie|scot|wales|cymru"
    r"|london|email|online|app|dev)"
)
_AT_MARK = _compile(r"@|[\[({<]\s*at\s*[\])}>]|\sat\s", re.I)
_LOCAL_END = _compile(r"[a-z0-9._%+'-]\s*$", re.I)
_DOMAIN = _compile(r"\s*[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.I)
_DOT_WORD = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s*\.\s*)"
_DOMAIN_WORDS = _compile(rf"\s*[a-z0-9-]+(?:{_DOT_WORD}[a-z0-9-]+)*{_DOT_WORD}{_TLD}\b", re.I)
_SPELT_DOT = _compile(r"[\[({<]\s*dot\s*[\])}>]|\sdot\s", re.I)
_EMAIL_SPAN = 256  # characters an address can run to after its '@'

# --- phone -------------------------------------------------------------------------------------
_PHONE = _compile(
    r"(?<![\w+])(?P<lead>(?:\+|00)\s*\(?\s*44\s*\)?\s*(?:\(\s*0\s*\)\s*)?|\(\s*0|0)"
    r"(?P<rest>(?:[\s.\-()/]{0,3}\d){9,10})(?!\d)"
)
_PHONE_AREA = "1235789"  # 01, 02, 03, 05, 07, 08, 09: UK numbers people give

# --- date of birth -----------------------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{2,4}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_BIRTH = _compile(
    r"\b(?:(?:d\.?\s?o\.?\s?b\b\.?|date\s+of\s+birth|birth\s*date|birthday)"
    rf"\s*(?:[:=\-]|is|was|of)?\s*(?:on\s+)?(?:the\s+)?(?:{_DATE}|\d{{4}}\b)"
    rf"|born\s*(?:on\s+)?(?:the\s+)?{_DATE})",
    re.I,
)

# --- street address ----------------------------------------------------------------------------
_STREET_ANY_CASE = r"(?:[Ss]treet|[Rr]oad|[Aa]venue|[Ll]ane|[Cc]rescent|[Tt]errace|[Gg]ardens|[Mm]ews|[Bb]oulevard)"
_STREET_CAPITAL = (
    r"(?:St|Rd|Ave|Ln|Close|Drive|Dr|Way|Grove|Place|Court|Square|Hill|Park|Row|Walk|Rise|View"
    r"|Green|Parade|Vale|Wharf|Croft|Fold|Gate|Yard|Meadows?|Bank|Circus|Embankment|Approach)"
)
_ADDRESS = _compile(
    r"(?<![\w.,£$])\d{1,3}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?\s+){1,3}"
    rf"(?:{_STREET_ANY_CASE}|{_STREET_CAPITAL}\b)"
    r"|(?<![\w.,£$])\d{1,3}[A-Za-z]?,?\s+(?:[a-z'’]+\s+){1,2}(?:avenue|crescent|terrace|mews)\b"
)

# --- names -------------------------------------------------------------------------------------
_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_TITLE = _compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|MR|MRS|MISS|MX)\b\.?\s+(?P<word>{_WORD}|[A-Z]{{2,}})"
    r"|\b(?:[Mm]rs?|[Mm]x)\b\.?\s+(?P<lower>[a-z][a-z'’-]+)"
)
_PAIR = _compile(rf"\b(?P<first>[A-Z][a-z]+)(?=\s+(?P<next>{_WORD}|[A-Z]\b\.?))")
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
    enterprises holdings associates sons brothers bros
    """.split()
)
_NOT_A_SURNAME = _ORGANISATION_WORDS | frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december christmas easter
    the a an and or but of in on at to for with by from i we you they it this that these those
    our your their his her its all some many most every each no not also then so if as is are was
    were be been will may can could should would must has have had do does did
    """.split()
)
# Forenames that are also everyday words: at the start of a sentence they are read as words.
_EVERYDAY = frozenset(
    """
    will may grace hope faith joy april june summer autumn dawn rose lily ruby amber jade iris
    holly ivy daisy heather hazel penny robin jay sue bill mark frank victor max dean carol
    willow violet poppy morgan grant chase lee
    """.split()
)
_PREVIOUS_WORD = _compile(r"([A-Za-z]+)\W*$")
_BEFORE_A_WORD = frozenset(
    "the a an this that these our your their its every each last next in on by since until "
    "during from of early late mid".split()
)
_NEXT_WORD = _compile(r"(?:[ \t]+(?:&|and))?[ \t]+([A-Z][A-Za-z'’&-]*)")  # on the same line
_NAMES_FILE = Path(__file__).resolve().parents[1] / "reference" / "forenames.txt"

# --- small counts of people ------------------------------------------------------------------------
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
}
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
    r"|working-age|jobless|vulnerable|existing|current|former|such|economically|inactive|neet)"
)
_SMALL = _compile(
    r"(?<![\w.,£$€#/])(?P<n>\d{1,3}(?:,\d{3})*|one|two|three|four|five|six|seven|eight|nine)"
    rf"(?![\w%]|[.,]\d)(?:\s+{_FILLER}){{0,3}}\s+{_PEOPLE}\b",
    re.I,
)
_PROPORTION = _compile(r"\b(?:in|out\s+of|of\s+every|per)\s+$", re.I)

# --- the bulk screen ---------------------------------------------------------------------------
_X = r"[^0-9A-Za-z]"
_S = r"[\s\x0b\x1c-\x1f\x85\p{Z}]"  # RE2's \s is ASCII; Python's (and _SPACES) is not
_PREFILTER_PARTS = (
    rf"(?i:[a-z]{{2}}{_X}{{0,3}}\d{{2}}{_X}{{0,3}}\d{{2}}{_X}{{0,3}}\d{{2}}{_X}{{0,3}}[a-d])",
    rf"(?i:[a-z]\d[a-z0-9]?{_X}{{0,3}}\d[a-z]{{2}})",  # postcode
    r"@|(?i:[\[({<]\s*(?:at|dot)\s*[\])}>]|\sdot\s)",  # email, plain or obfuscated
    rf"(?:\+|00)\s*\(?\s*44(?:{_X}*\d){{9}}|0[1-9](?:{_X}{{0,3}}\d){{8}}",  # phone
    rf"\d{{3}}{_X}{{0,3}}\d{{3}}{_X}{{0,3}}\d{{4}}",  # NHS number
    r"(?i:d\.?\s?o\.?\s?b|birth|born)",  # date of birth
    r"\d[A-Za-z]?,?\s+[A-Za-z]",  # house number and street
    r"\b(?:[Mm][Rr][Ss]?|[Mm][Ss]|[Mm]iss|MISS|[Mm][Xx]|Dr|DR)\b",  # title
    r"[A-Z][a-z]+\s+[A-Z]",  # forename and capitalised word
    rf"(?i:{_PEOPLE})",  # small counts of people
)
PREFILTER = "|".join(part.replace(r"\s", _S) for part in _PREFILTER_PARTS)


@cache
def forenames() -> frozenset[str]:
    """The forename list, lower-cased."""
    lines = _NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def findings(text: str, *, small_below: int = SMALL_COUNT_BELOW) -> tuple[str, ...]:
    """The kinds of detail found in `text` (in `KINDS` order), empty when none. Never the text."""
    if not text:
        return ()
    text = text.translate(_SPACES)
    checks = {
        NINO: lambda: _NINO.search(text) is not None,
        POSTCODE: lambda: _has_postcode(text),
        EMAIL: lambda: _has_email(text),
        PHONE: lambda: _has_phone(text),
        NHS: lambda: _has_nhs(text),
        BIRTH: lambda: _BIRTH.search(text) is not None,
        ADDRESS: lambda: _ADDRESS.search(text) is not None,
        NAME: lambda: _has_name(text),
        SMALL_COUNT: lambda: has_small_count(text, small_below),
    }
    return tuple(kind for kind, found in checks.items() if found())


def personal_kinds(text: str) -> tuple[str, ...]:
    """The personal details found in `text`, without small counts."""
    return tuple(kind for kind in findings(text, small_below=0) if kind != SMALL_COUNT)


def removal_message(kinds: tuple[str, ...] | list[str], field: str, before: str = "saving") -> str:
    """'Remove the phone number and the email address from Text before saving.'"""
    nouns = [NOUNS[kind] for kind in kinds]
    listed = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " and " + nouns[-1]
    return f"Remove {listed} from {field} before {before}"


# --- precise checks ----------------------------------------------------------------------------
def _has_postcode(text: str) -> bool:
    for match in _POSTCODE.finditer(text):
        inward = match.group(1)
        if _ORDINAL.fullmatch(inward):  # lower-case ordinal: '2nd', '4th'
            continue
        return True
    return False


def _has_email(text: str) -> bool:
    """An address around each '@' (or spelt-out 'at'), matched outward from it within an
    address's length, so no run of text is searched more than a bounded number of times.
    'jobs at gov.uk' is a website, not an address: after a bare 'at' the dot must be spelt out."""
    for mark in _AT_MARK.finditer(text):
        if not _LOCAL_END.search(text, max(0, mark.start() - 64), mark.start()):
            continue
        end = min(len(text), mark.end() + _EMAIL_SPAN)
        marker = mark.group()
        if marker == "@" and _DOMAIN.match(text, mark.end(), end):
            return True
        spelt = _DOMAIN_WORDS.match(text, mark.end(), end)
        if spelt and (marker == "@" or marker[0] in "[({<" or _SPELT_DOT.search(spelt.group())):
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


def _has_name(text: str) -> bool:
    for match in _TITLE.finditer(text):
        word = match.group("word") or match.group("lower") or ""
        if word.lower() not in _NOT_A_SURNAME:
            return True
    names = forenames()
    for match in _PAIR.finditer(text):
        first, following = match.group("first"), match.group("next")
        key = first.lower()
        if key not in names:
            continue
        if following.rstrip(".").lower() in _NOT_A_SURNAME or _organisation_follows(
            text, match.end("next")
        ):
            continue
        if key in _EVERYDAY and _reads_as_a_word(text[: match.start()]):
            continue
        return True
    return False


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


def has_small_count(text: str, below: int = SMALL_COUNT_BELOW) -> bool:
    """A count of people from 1 to `below` - 1 ('3 people', 'two of our participants')."""
    for match in _SMALL.finditer(text):
        raw = match.group("n").lower()
        value = _NUMBER_WORDS.get(raw) or int(raw.replace(",", ""))
        if not 1 <= value < below:
            continue
        if _PROPORTION.search(text[: match.start()]):  # 'one in five people'
            continue
        return True
    return False
