"""The session's person and role, from what Streamlit knows: is sign-in configured (`[auth]` in
`.streamlit/secrets.toml`), who signed in (`st.user`), the server's configured address, and the
browser's address and headers (`st.context`). insight.sharing.access makes the decision; this module
only gathers the facts and keeps the answer for the pages of this run.

Roles file: INSIGHT_ROLES names it, else `.streamlit/roles.toml` beside app.py. It is read on
every run, so a change applies at the next click without a restart.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from insight.sharing.access import (
    LOCAL,
    NO_RULES,
    Action,
    Principal,
    RoleRules,
    RolesError,
    load_roles,
    resolve,
)

ROOT = Path(__file__).resolve().parent.parent
ROLES_ENV = "INSIGHT_ROLES"
PRINCIPAL = "principal"  # session_state key: the Principal app.py resolved for this run
ROLES_PROBLEM = "roles_problem"  # session_state key: why the roles file could not be read


def roles_path() -> Path:
    configured = os.environ.get(ROLES_ENV)
    return Path(configured).expanduser() if configured else ROOT / ".streamlit" / "roles.toml"


def auth_configured() -> bool:
    """Whether `[auth]` is in the secrets (Streamlit's st.login configuration)."""
    try:
        return bool(st.secrets.get("auth"))
    except (FileNotFoundError, KeyError, AttributeError, TypeError, ValueError):
        return False  # no secrets file at all, or one without [auth]


def _rules() -> RoleRules:
    try:
        rules = load_roles(roles_path())
    except RolesError as problem:
        st.session_state[ROLES_PROBLEM] = str(problem)
        return NO_RULES  # a broken roles file names nobody: everyone is a viewer
    st.session_state.pop(ROLES_PROBLEM, None)
    return rules


def _user_claim(name: str) -> object:
    try:
        return st.user.get(name)
    except (AttributeError, KeyError):
        return None


def resolve_principal() -> Principal | None:
    """Decide who this session is, for this run (None: sign-in needed first)."""
    configured = auth_configured()
    signed_in = bool(_user_claim("is_logged_in")) if configured else False
    headers = st.context.headers
    client_ip = st.context.ip_address
    if not isinstance(client_ip, str):
        # A real server gives a string, or None for a loopback client; AppTest gives a stand-in
        # object for the client it does not have, which is the test's own machine.
        client_ip = None
    principal = resolve(
        auth_configured=configured,
        signed_in=signed_in,
        email=str(_user_claim("email") or "") if signed_in else None,
        email_verified=_user_claim("email_verified") if signed_in else None,
        rules=_rules() if signed_in else NO_RULES,
        server_address=st.get_option("server.address"),
        client_ip=client_ip,
        header_names=list(headers.keys()) if headers is not None else [],
    )
    if principal is None:
        st.session_state.pop(PRINCIPAL, None)
    else:
        st.session_state[PRINCIPAL] = principal
    return principal


def current() -> Principal:
    """The person app.py resolved for this run. A page run on its own (the page tests) is the
    local user, as on a laptop."""
    principal = st.session_state.get(PRINCIPAL)
    return principal if isinstance(principal, Principal) else LOCAL


def may(action: Action) -> bool:
    return current().may(action)


def roles_problem() -> str | None:
    return st.session_state.get(ROLES_PROBLEM)


__all__ = [
    "PRINCIPAL",
    "ROLES_ENV",
    "auth_configured",
    "current",
    "may",
    "resolve_principal",
    "roles_path",
    "roles_problem",
]
