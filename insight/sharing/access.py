"""Who may see and do what: roles, the roles file, and the rule for a session's role.

Pure Python (no streamlit): the app asks `components.access` for the session's facts (is sign-in
configured, who signed in, the server's address, the client's address and proxy headers) and this
module decides.

- **viewer**: presenter mode only; no Data page, no exports, no meetings, no editing.
- **analyst**: standard mode, exports and the sharing log, meetings, stakeholder insights (their
  own records: edit and delete).
- **data manager**: everything an analyst may do, plus the Data page and kept datasets, and
  editing or deleting anyone's records.

The rule for a session:
- Sign-in configured (`[auth]` in `.streamlit/secrets.toml`): nobody gets in without signing in;
  a signed-in person's role comes from the roles file, and anyone it does not name is a viewer.
- No sign-in configured: the "local user" (data manager rights, a laptop as before roles) is
  never inferred. The person starting the server opts in (`make run` sets INSIGHT_LOCAL_USER=1),
  AND the server listens on a loopback address, AND the browser connects from loopback, AND no
  proxy forwarded the request. Why the opt-in: a TCP forwarder on the machine (ssh -L, socat,
  kubectl port-forward, HAProxy in TCP mode) delivers every remote visitor from loopback without
  a header, so the address alone cannot tell the owner from the world. Anyone else is a viewer,
  whatever the URL says.

Signed-in addresses are matched strictly: the provider must say the address is verified
(`email_verified` true; a missing claim is not verified), or the sign-in must come from an issuer
the roles file trusts (`trusted_issuers`, for a single-tenant Microsoft Entra ID, which sends no
`email_verified`). An address holding anything but ASCII, or one that NFKC would change, never
matches the roles file: case folding turns "ſ" into "s" and "K" (Kelvin) into "k", so a look-alike
address could otherwise take someone's role. Roles entries that can never match (a wildcard such
as "*.example", non-ASCII, a malformed domain) are kept out of the rules and reported as warnings.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Role = Literal["viewer", "analyst", "data_manager"]
ROLES: tuple[Role, ...] = ("viewer", "analyst", "data_manager")
ROLE_LABELS: dict[Role, str] = {
    "viewer": "viewer",
    "analyst": "analyst",
    "data_manager": "data manager",
}
LOCAL_USER = "local user"  # the owner of records made without sign-in on the machine itself
VISITOR = "visitor"  # a viewer reached without sign-in from beyond this machine

Action = Literal["standard_mode", "exports", "meetings", "insights", "data"]
ACTIONS: tuple[Action, ...] = ("standard_mode", "exports", "meetings", "insights", "data")
_ANALYST: frozenset[Action] = frozenset({"standard_mode", "exports", "meetings", "insights"})
PERMISSIONS: dict[Role, frozenset[Action]] = {
    "viewer": frozenset(),
    "analyst": _ANALYST,
    "data_manager": _ANALYST | {"data"},
}

# Headers a reverse proxy adds: a request that came through one is not from this machine, even
# though it reaches the server from 127.0.0.1.
FORWARDING_HEADERS: tuple[str, ...] = (
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-real-ip",
)


# The opt-in for the local user: `make run` sets it. Read by components.access on every run.
LOCAL_USER_ENV = "INSIGHT_LOCAL_USER"
_YES = frozenset({"1", "true", "yes", "on"})


def local_user_opted_in(value: str | None) -> bool:
    """Whether INSIGHT_LOCAL_USER's value opts in ("1", "true", "yes" or "on", any case)."""
    return (value or "").strip().casefold() in _YES


class RolesError(ValueError):
    """The roles file cannot be read as roles: the message says where and why."""


class NotAllowed(PermissionError):
    """Someone tried to change a record their role does not let them change."""


@dataclass(frozen=True)
class Principal:
    """Who is using this session and with which role. `user` is the signed-in e-mail address,
    LOCAL_USER, or VISITOR; it is what records are stamped with as their owner."""

    user: str
    role: Role
    signed_in: bool = False
    why: str = ""  # one sentence for the screen: how this role was decided

    def may(self, action: Action) -> bool:
        return may(self.role, action)


LOCAL = Principal(LOCAL_USER, "data_manager", why="On this machine, without sign-in.")


def may(role: str, action: Action) -> bool:
    """Whether `role` may do `action` (an unknown role may do nothing)."""
    return action in PERMISSIONS.get(role, frozenset())  # type: ignore[call-overload]


def may_change(principal: Principal, owner: str) -> bool:
    """Whether this person may edit or delete a record made by `owner`: a data manager any
    record, an analyst their own (same address, letter case aside), a viewer none."""
    if principal.role == "data_manager":
        return True
    if principal.role == "analyst":
        return _norm(owner) == _norm(principal.user)
    return False


def check_change(principal: Principal, owner: str) -> None:
    """Raise NotAllowed unless `principal` may change a record owned by `owner`."""
    if not may_change(principal, owner):
        raise NotAllowed(
            f"As {ROLE_LABELS.get(principal.role, principal.role)} you cannot change a record "
            f"made by {owner}."
        )


# --- the roles file ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RoleRules:
    """E-mail addresses and domains to roles. An address wins over its domain."""

    addresses: Mapping[str, Role] = field(default_factory=dict)
    domains: Mapping[str, Role] = field(default_factory=dict)
    # Issuers (the `iss` claim) whose addresses count as verified without `email_verified`.
    trusted_issuers: frozenset[str] = frozenset()
    # Entries that can never match an address, each with why: kept out of the tables above.
    warnings: tuple[str, ...] = ()

    def named(self, email: str | None) -> Role | None:
        """The role the file gives this address (or its domain), None when it names neither
        (and always None for an address that is not plain ASCII, or that NFKC changes)."""
        address = strict_address(email)
        if address is None:
            return None
        if address in self.addresses:
            return self.addresses[address]
        return self.domains.get(address.split("@", 1)[1])

    def role_for(self, email: str | None) -> Role:
        """The role for a signed-in e-mail address; viewer for anyone not named."""
        return self.named(email) or "viewer"


NO_RULES = RoleRules()

_ROLE_NAMES: dict[str, Role] = {
    "viewer": "viewer",
    "viewers": "viewer",
    "analyst": "analyst",
    "analysts": "analyst",
    "data_manager": "data_manager",
    "data_managers": "data_manager",
    "data manager": "data_manager",
    "data managers": "data_manager",
}


def _norm(text: str) -> str:
    return text.strip().casefold()


def strict_address(email: str | None) -> str | None:
    """The address in lower case, or None when it can never match the roles file: not plain
    ASCII, changed by NFKC, or not one name, one "@" and a domain. Only ASCII letters are
    lowered: Unicode case folding maps look-alikes onto ASCII ("ſ" to "s", Kelvin "K" to "k")."""
    text = (email or "").strip()
    if not text.isascii() or unicodedata.normalize("NFKC", text) != text:
        return None
    address = text.lower()
    local, at, domain = address.partition("@")
    if not local or not at or _domain_problem(domain) or not _LOCAL_PART.fullmatch(local):
        return None
    return address


# What an address's parts may hold to be matched: the printable ASCII of RFC 5322's dot-atom
# (no quoted local parts), and host names of letters, digits and hyphens.
_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def _domain_problem(domain: str) -> str:
    """Why `domain` (lower-case ASCII) can never be an address's domain; "" when it can."""
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return "is not a domain of letters, digits and hyphens, with a dot"
    return ""


def _entry_problem(entry: str) -> str:
    """Why a roles entry can never match a verified address; "" when it can."""
    text = entry.strip()
    if not text.isascii() or unicodedata.normalize("NFKC", text) != text:
        return "holds characters outside ASCII, and addresses are matched in ASCII only"
    if "*" in text:
        return "a wildcard matches nothing: list the domain itself (every address at exactly it)"
    local, _at, domain = text.lower().rpartition("@")
    problem = _domain_problem(domain)
    if problem:
        return problem
    if local and not _LOCAL_PART.fullmatch(local):
        return "the part before the @ is not a plain e-mail name"
    return ""


def _entries(value: object, role_key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise RolesError(f"'{role_key}' must be a list of e-mail addresses or domains, in quotes")


def parse_roles(text: str, *, source: str = "the roles file") -> RoleRules:
    """Read roles from TOML text, one list per role:

        data_manager = ["lead@provider.example"]
        analyst = ["provider.example", "partner@council.example"]
        viewer = ["council.example"]

    An entry with an "@" and a name before it is an address; otherwise ("provider.example" or
    "@provider.example") a domain, meaning every address at exactly that domain. A name listed
    under two roles is an error, not a guess. An entry that can never match (a wildcard, non-ASCII
    characters, a malformed domain) is left out and reported in `warnings`.

    `trusted_issuers = ["https://login.microsoftonline.com/<tenant-id>/v2.0"]` names issuers
    whose addresses count as verified although the token has no `email_verified` claim."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise RolesError(f"{source} is not valid TOML: {problem}") from None
    issuers = data.pop(TRUSTED_ISSUERS, [])
    if isinstance(data.get("roles"), dict):  # also accept a [roles] table around the lists
        data = data["roles"]
        issuers = data.pop(TRUSTED_ISSUERS, issuers)
    addresses: dict[str, Role] = {}
    domains: dict[str, Role] = {}
    warnings: list[str] = []
    for key, value in data.items():
        role = _ROLE_NAMES.get(_norm(key))
        if role is None:
            known = ", ".join(ROLES)
            raise RolesError(f"{source}: '{key}' is not a role (the roles are {known})")
        for entry in _entries(value, key):
            name = _norm(entry)
            local, at, domain = name.rpartition("@")
            if not domain or " " in name or "." not in domain or (at and "@" in local):
                raise RolesError(f"{source}: '{entry}' is not an e-mail address or a domain")
            never = _entry_problem(entry)
            if never:
                warnings.append(f"{source}: '{entry}' under {key} can never match anyone: {never}.")
                continue
            table, name = (addresses, name) if local else (domains, domain)
            if table.get(name, role) != role:
                raise RolesError(f"{source}: '{entry}' is listed under two roles")
            table[name] = role
    trusted = _issuers(issuers, source)
    return RoleRules(addresses, domains, trusted, tuple(warnings))


TRUSTED_ISSUERS = "trusted_issuers"


def _issuers(value: object, source: str) -> frozenset[str]:
    entries = _entries(value, TRUSTED_ISSUERS) if value else []
    for issuer in entries:
        if not issuer.startswith("https://") or not issuer.isascii() or " " in issuer:
            raise RolesError(f"{source}: '{issuer}' in {TRUSTED_ISSUERS} is not an https address")
    return frozenset(issuer.rstrip("/") for issuer in entries)


def load_roles(path: Path | None) -> RoleRules:
    """The roles file at `path`; no file means nobody is named (every signed-in person a
    viewer). Raises RolesError for a file that exists but cannot be read as roles."""
    if path is None or not path.exists():
        return NO_RULES
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise RolesError(f"The roles file {path} cannot be read: {problem}") from None
    return parse_roles(text, source=f"The roles file {path.name}")


# --- the session's role ------------------------------------------------------------------------
def is_loopback(address: str | None) -> bool:
    """True for a loopback address or `localhost`; False for a wildcard (0.0.0.0, ::), any other
    address, a Unix socket, or nothing at all (Streamlit then listens on every interface)."""
    if not address:
        return False
    host = address.strip().strip("[]").casefold()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def forwarded(header_names: Iterable[str]) -> bool:
    """Whether a request carries a reverse proxy's forwarding headers."""
    names = {_norm(name) for name in header_names}
    return any(name in names for name in FORWARDING_HEADERS)


def is_local(
    server_address: str | None, client_ip: str | None, header_names: Iterable[str]
) -> bool:
    """The server listens on loopback only, the browser is on loopback (Streamlit reports a
    loopback client as None), and no proxy forwarded the request. Necessary for the local user,
    never enough: a TCP forwarder passes all three (see `resolve`, which needs the opt-in too)."""
    client_local = client_ip is None or is_loopback(client_ip)
    return is_loopback(server_address) and client_local and not forwarded(header_names)


def verified(email_verified: object, issuer: object, rules: RoleRules) -> bool:
    """Only a claim that says true counts (a missing claim is not verified), or a sign-in from an
    issuer the roles file trusts."""
    if email_verified is True or (
        isinstance(email_verified, str) and email_verified.strip().casefold() == "true"
    ):
        return True
    return isinstance(issuer, str) and issuer.rstrip("/") in rules.trusted_issuers


NOT_VERIFIED = (
    "Your provider did not confirm this e-mail address (email_verified), so the roles file is not "
    "used: view only."
)
NOT_MATCHABLE = (
    "This e-mail address holds characters outside plain ASCII, so the roles file is not used: "
    "view only."
)
NOT_OPTED_IN = (
    "No sign-in and no local-user opt-in (make run sets INSIGHT_LOCAL_USER=1): view only, in "
    "presenter mode."
)


def resolve(
    *,
    auth_configured: bool,
    signed_in: bool,
    email: str | None,
    email_verified: object = None,
    issuer: object = None,
    rules: RoleRules = NO_RULES,
    local_user: bool = False,
    server_address: str | None,
    client_ip: str | None,
    header_names: Iterable[str] = (),
) -> Principal | None:
    """The session's principal, or None when sign-in is configured and nobody has signed in yet
    (the app then shows only the sign-in page). `local_user` is the opt-in (INSIGHT_LOCAL_USER,
    set by `make run`): without it nobody is the local user, wherever they connect from."""
    if auth_configured:
        if not signed_in:
            return None
        address = (email or "").strip() or "unknown"
        if not verified(email_verified, issuer, rules):
            return Principal(address, "viewer", True, NOT_VERIFIED)
        if strict_address(address) is None:
            return Principal(address, "viewer", True, NOT_MATCHABLE)
        role = rules.named(address)
        if role is None:
            return Principal(address, "viewer", True, "Not named in the roles file.")
        return Principal(address, role, True, "From the roles file.")
    if local_user and is_local(server_address, client_ip, header_names):
        return LOCAL
    why = (
        "Served beyond this machine without sign-in: view only, in presenter mode."
        if local_user
        else NOT_OPTED_IN
    )
    return Principal(VISITOR, "viewer", False, why)


__all__ = [
    "ACTIONS",
    "LOCAL",
    "LOCAL_USER",
    "LOCAL_USER_ENV",
    "NO_RULES",
    "PERMISSIONS",
    "ROLES",
    "ROLE_LABELS",
    "VISITOR",
    "Action",
    "NotAllowed",
    "Principal",
    "Role",
    "RoleRules",
    "RolesError",
    "check_change",
    "forwarded",
    "is_local",
    "is_loopback",
    "load_roles",
    "local_user_opted_in",
    "may",
    "may_change",
    "parse_roles",
    "resolve",
    "strict_address",
    "verified",
]
