"""The session's person and role, from what Streamlit knows: is sign-in configured (`[auth]` in
`.streamlit/secrets.toml`), who signed in (`st.user`), the server's configured address, and the
browser's address and headers (`st.context`). insight.sharing.access makes the decision; this module
only gathers the facts and keeps the answer for the pages of this run.

Roles file: INSIGHT_ROLES names it, else `.streamlit/roles.toml` beside app.py. It is read on
every run, so a change applies at the next click without a restart. Entries that can never match
are logged once per process (and at server start, by app.py) and shown to a data manager.

The local user needs INSIGHT_LOCAL_USER=1 in the server's environment (`make run` sets it).

Also the rerun limit (insight.sharing.throttle): `over_limit` is the first thing app.py asks.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import streamlit as st

from insight.sharing import throttle
from insight.sharing.access import (
    LOCAL,
    LOCAL_USER_ENV,
    NO_RULES,
    VISITOR,
    Action,
    Principal,
    RoleRules,
    RolesError,
    is_loopback,
    load_roles,
    local_user_opted_in,
    resolve,
)

_LOG = logging.getLogger("restart_insight.access")

ROOT = Path(__file__).resolve().parent.parent
ROLES_ENV = "INSIGHT_ROLES"
PRINCIPAL = "principal"  # session_state key: the Principal app.py resolved for this run
ROLES_PROBLEM = "roles_problem"  # session_state key: why the roles file could not be read
ROLES_WARNINGS = "roles_warnings"  # session_state key: roles entries that can never match


def roles_path() -> Path:
    configured = os.environ.get(ROLES_ENV)
    return Path(configured).expanduser() if configured else ROOT / ".streamlit" / "roles.toml"


def auth_configured() -> bool:
    """Whether `[auth]` is in the secrets (Streamlit's st.login configuration)."""
    try:
        return bool(st.secrets.get("auth"))
    except (FileNotFoundError, KeyError, AttributeError, TypeError, ValueError):
        return False  # no secrets file at all, or one without [auth]


def local_user() -> bool:
    """Whoever started the server opted in to the local user (`make run` does)."""
    return local_user_opted_in(os.environ.get(LOCAL_USER_ENV))


_LOGGED: set[str] = set()
_LOGGED_LOCK = threading.Lock()


def log_warnings(warnings: tuple[str, ...]) -> None:
    """Log each roles warning once per process."""
    with _LOGGED_LOCK:
        fresh = [w for w in warnings if w not in _LOGGED]
        _LOGGED.update(fresh)
    for warning in fresh:
        _LOG.warning(warning)


def check_roles_at_start() -> None:
    """At server start (app.py): log the roles file's problem or its never-matching entries."""
    try:
        log_warnings(load_roles(roles_path()).warnings)
    except RolesError as problem:
        _LOG.warning(str(problem))


def _rules() -> RoleRules:
    try:
        rules = load_roles(roles_path())
    except RolesError as problem:
        st.session_state[ROLES_PROBLEM] = str(problem)
        return NO_RULES  # a broken roles file names nobody: everyone is a viewer
    st.session_state.pop(ROLES_PROBLEM, None)
    st.session_state[ROLES_WARNINGS] = rules.warnings
    log_warnings(rules.warnings)
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
        issuer=_user_claim("iss") if signed_in else None,
        rules=_rules() if signed_in else NO_RULES,
        local_user=local_user(),
        server_address=st.get_option("server.address"),
        client_ip=client_ip,
        header_names=list(headers.keys()) if headers is not None else [],
    )
    if principal is None:
        st.session_state.pop(PRINCIPAL, None)
    else:
        st.session_state[PRINCIPAL] = principal
    return principal


_NOBODY = Principal(VISITOR, "viewer", False, "Not resolved for this run.")


def current() -> Principal:
    """The person app.py resolved for this run. A page run on its own (the page tests) is the
    local user where the server opted in to one (as `make run` does), else a viewer."""
    principal = st.session_state.get(PRINCIPAL)
    if isinstance(principal, Principal):
        return principal
    return LOCAL if local_user() else _NOBODY


def may(action: Action) -> bool:
    return current().may(action)


def roles_problem() -> str | None:
    return st.session_state.get(ROLES_PROBLEM)


def roles_warnings() -> tuple[str, ...]:
    """Roles entries that can never match (read with the roles file for a signed-in person)."""
    return tuple(st.session_state.get(ROLES_WARNINGS, ()))


# --- the rerun limit ---------------------------------------------------------------------------
def _client_key() -> str:
    """Whom this session's limits count against: the signed-in account (the provider's issuer
    and subject, which no other account can claim, unlike an unverified e-mail address), else
    the browser's address. A forwarding header is believed only from a proxy on this machine (a
    loopback peer), and only its last X-Forwarded-For hop, the one that proxy wrote (a client can
    put anything before it). A TCP forwarder's visitors share its address unless they sign in."""
    if _user_claim("is_logged_in"):
        account = _user_claim("sub") or _user_claim("email")
        if account:
            return f"user:{_user_claim('iss') or ''}|{str(account)[:256]}"
    peer = st.context.ip_address
    peer = peer if isinstance(peer, str) else None  # AppTest's stand-in: this machine
    headers = st.context.headers
    if (peer is None or is_loopback(peer)) and headers is not None:
        hops = headers.get_all("X-Forwarded-For")
        last = hops[-1].split(",")[-1].strip() if hops else ""
        if last:
            return f"via-proxy:{last[:64]}"
    return f"address:{peer or 'loopback'}"


BUCKET = "rerun_bucket"  # session_state key: this session's insight.sharing.throttle.Bucket
_LIMIT_ENVS = (throttle.RERUNS_PER_MINUTE_ENV, throttle.RERUN_BURST_ENV, throttle.SESSIONS_ENV)


def _runtime():
    """The server's runtime; None without a server (AppTest puts a stand-in in its place, of
    another type, for the length of a run)."""
    from streamlit.runtime import Runtime

    runtime = Runtime.instance() if Runtime.exists() else None
    return runtime if type(runtime) is Runtime else None


def over_limit() -> str | None:
    """The sentence to show instead of this run when the session reruns too fast or its client
    has too many sessions open; None when the run may go ahead (app.py asks this first).

    Under a server, the process's Throttle. Without one (AppTest, benchmarks/rerun.py: no other
    visitor to protect, and every AppTest shares one session id) only when a limit is set in the
    environment, and then with a throttle of this run's own (the bucket still lives in the
    session, so reruns are limited; sessions per client are not counted)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    runtime = _runtime()
    if ctx is None:
        return None
    if runtime is not None:
        limiter, alive = throttle.process_throttle(), runtime.is_active_session
    elif any(os.environ.get(name) for name in _LIMIT_ENVS):
        limiter, alive = throttle.Throttle(throttle.limits_from(os.environ)), lambda _s: True
    else:
        return None
    bucket = st.session_state.get(BUCKET)
    if not isinstance(bucket, throttle.Bucket):
        bucket = st.session_state[BUCKET] = limiter.bucket()
    verdict = limiter.admit(ctx.session_id, _client_key(), bucket, alive)
    return throttle.MESSAGES.get(verdict)


__all__ = [
    "PRINCIPAL",
    "ROLES_ENV",
    "auth_configured",
    "check_roles_at_start",
    "current",
    "local_user",
    "may",
    "over_limit",
    "resolve_principal",
    "roles_path",
    "roles_problem",
    "roles_warnings",
]
