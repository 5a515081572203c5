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
- No sign-in configured: the app is on someone's own machine only when the server listens on a
  loopback address AND the browser connects from loopback AND no proxy forwarded the request.
  That person is the "local user" with data manager rights (a laptop, as before roles). Anyone
  else is a viewer, whatever the URL says.
"""

from __future__ import annotations

import ipaddress
import tomllib
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

    def named(self, email: str | None) -> Role | None:
        """The role the file gives this address (or its domain), None when it names neither."""
        address = _norm(email or "")
        if address.count("@") != 1 or address.startswith("@"):
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
    under two roles is an error, not a guess."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        raise RolesError(f"{source} is not valid TOML: {problem}") from None
    if isinstance(data.get("roles"), dict):  # also accept a [roles] table around the lists
        data = data["roles"]
    addresses: dict[str, Role] = {}
    domains: dict[str, Role] = {}
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
            table, name = (addresses, name) if local else (domains, domain)
            if table.get(name, role) != role:
                raise RolesError(f"{source}: '{entry}' is listed under two roles")
            table[name] = role
    return RoleRules(addresses=addresses, domains=domains)


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
    loopback client as None), and no proxy forwarded the request."""
    client_local = client_ip is None or is_loopback(client_ip)
    return is_loopback(server_address) and client_local and not forwarded(header_names)


def resolve(
    *,
    auth_configured: bool,
    signed_in: bool,
    email: str | None,
    email_verified: object = None,
    rules: RoleRules = NO_RULES,
    server_address: str | None,
    client_ip: str | None,
    header_names: Iterable[str] = (),
) -> Principal | None:
    """The session's principal, or None when sign-in is configured and nobody has signed in yet
    (the app then shows only the sign-in page)."""
    if auth_configured:
        if not signed_in:
            return None
        address = (email or "").strip() or "unknown"
        if email_verified is False or str(email_verified).casefold() == "false":
            return Principal(address, "viewer", True, "Your e-mail address is not verified.")
        role = rules.named(address)
        if role is None:
            return Principal(address, "viewer", True, "Not named in the roles file.")
        return Principal(address, role, True, "From the roles file.")
    if is_local(server_address, client_ip, header_names):
        return LOCAL
    return Principal(
        VISITOR,
        "viewer",
        False,
        "Served beyond this machine without sign-in: view only, in presenter mode.",
    )


__all__ = [
    "ACTIONS",
    "LOCAL",
    "LOCAL_USER",
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
    "may",
    "may_change",
    "parse_roles",
    "resolve",
]
