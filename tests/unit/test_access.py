"""Roles, the roles file and the rule that decides a session's role (insight.sharing.access)."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight.sharing import access
from insight.sharing.access import LOCAL, LOCAL_USER, Principal, RolesError, parse_roles, resolve

ROLES_TOML = """
data_manager = ["Lead@Provider.example"]
analyst = ["provider.example", "partner@council.example"]
viewer = ["@council.example", "intern@provider.example"]
"""


@pytest.fixture
def rules() -> access.RoleRules:
    return parse_roles(ROLES_TOML)


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("lead@provider.example", "data_manager"),
        ("LEAD@PROVIDER.EXAMPLE ", "data_manager"),  # letter case and spaces aside
        ("someone@provider.example", "analyst"),  # by domain
        ("intern@provider.example", "viewer"),  # an address wins over its domain
        ("partner@council.example", "analyst"),
        ("clerk@council.example", "viewer"),
        ("someone@sub.provider.example", "viewer"),  # exactly the domain, not its subdomains
        ("someone@provider.example.evil", "viewer"),
        ("stranger@elsewhere.example", "viewer"),  # unknown: viewer
        ("", "viewer"),
        (None, "viewer"),
        ("not-an-address", "viewer"),
        ("a@b@provider.example", "viewer"),
    ],
)
def test_role_for_an_address(rules: access.RoleRules, email: str | None, role: str) -> None:
    assert rules.role_for(email) == role


def test_permissions_grow_from_viewer_to_data_manager() -> None:
    viewer, analyst, manager = (access.PERMISSIONS[r] for r in access.ROLES)
    assert viewer == frozenset()
    assert analyst == {"standard_mode", "exports", "meetings", "insights"}
    assert manager == analyst | {"data"}
    assert not access.may("administrator", "data"), "an unknown role may do nothing"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('analyst = ["a@x.example"]\nviewer = ["a@x.example"]', "two roles"),
        ('owner = ["a@x.example"]', "not a role"),
        ('analyst = "a@x.example', "not valid TOML"),
        ("analyst = [1, 2]", "must be a list"),
        ('analyst = ["no domain"]', "not an e-mail address or a domain"),
        ('analyst = ["localhost"]', "not an e-mail address or a domain"),
    ],
)
def test_a_bad_roles_file_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(RolesError, match=problem):
        parse_roles(text)


def test_roles_file_accepts_a_roles_table_and_single_strings() -> None:
    rules = parse_roles('[roles]\n"data managers" = "boss@x.example"\nanalysts = ["x.example"]')
    assert rules.role_for("boss@x.example") == "data_manager"
    assert rules.role_for("any@x.example") == "analyst"


def test_load_roles_missing_file_names_nobody(tmp_path: Path) -> None:
    assert access.load_roles(tmp_path / "absent.toml").role_for("lead@provider.example") == "viewer"
    path = tmp_path / "roles.toml"
    path.write_text(ROLES_TOML, encoding="utf-8")
    assert access.load_roles(path).role_for("lead@provider.example") == "data_manager"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RolesError, match="cannot be read"):
        access.load_roles(path)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("insight.example.org", False),
        ("unix:///run/insight.sock", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback(address: str | None, loopback: bool) -> None:
    assert access.is_loopback(address) is loopback


def local(
    server: str | None, client: str | None, headers=(), *, opted_in: bool = True
) -> Principal | None:
    return resolve(
        auth_configured=False,
        signed_in=False,
        email=None,
        local_user=opted_in,
        server_address=server,
        client_ip=client,
        header_names=headers,
    )


def test_without_sign_in_only_the_machine_itself_is_the_local_user() -> None:
    assert local("127.0.0.1", None) == LOCAL  # Streamlit reports a loopback client as None
    assert local("localhost", "127.0.0.1") == LOCAL
    assert local("::1", "::1") == LOCAL
    assert LOCAL.user == LOCAL_USER and LOCAL.role == "data_manager"


@pytest.mark.parametrize(
    ("server", "client"), [("127.0.0.1", None), ("localhost", "127.0.0.1"), ("::1", "::1")]
)
def test_a_loopback_peer_without_the_opt_in_is_a_viewer(server, client) -> None:
    """A TCP forwarder (ssh -L, socat, kubectl port-forward) delivers every remote visitor from
    loopback with no header: without INSIGHT_LOCAL_USER nobody is the local user."""
    principal = local(server, client, opted_in=False)
    assert principal is not None
    assert (principal.role, principal.user) == ("viewer", access.VISITOR)
    assert "INSIGHT_LOCAL_USER" in principal.why


@pytest.mark.parametrize(
    ("value", "opted_in"),
    [("1", True), ("true", True), (" YES ", True), ("on", True), ("", False), (None, False),
     ("0", False), ("false", False), ("no", False), ("2", False)],
)  # fmt: skip
def test_the_opt_in_reads_only_a_plain_yes(value, opted_in) -> None:
    assert access.local_user_opted_in(value) is opted_in


@pytest.mark.parametrize(
    ("server", "client", "headers"),
    [
        ("0.0.0.0", None, ()),  # every interface: whoever connects
        (None, None, ()),  # server address unset: Streamlit listens on every interface
        ("", None, ()),
        ("192.168.1.20", None, ()),
        ("127.0.0.1", "192.168.1.77", ()),  # a client from elsewhere
        ("127.0.0.1", None, ("X-Forwarded-For",)),  # a reverse proxy on this machine
        ("127.0.0.1", None, ("forwarded",)),
        ("127.0.0.1", None, ("X-Real-IP",)),
        ("unix:///run/insight.sock", None, ()),
    ],
)
def test_beyond_this_machine_without_sign_in_is_a_viewer(server, client, headers) -> None:
    principal = local(server, client, headers)
    assert principal is not None
    assert (principal.role, principal.user, principal.signed_in) == (
        "viewer",
        access.VISITOR,
        False,
    )
    assert not any(principal.may(action) for action in access.ACTIONS)


def signed(email: str | None, rules: access.RoleRules, **extra) -> Principal | None:
    return resolve(
        auth_configured=True,
        signed_in=email is not None,
        email=email,
        rules=rules,
        server_address=extra.pop("server", "0.0.0.0"),
        client_ip=extra.pop("client", "192.168.1.77"),
        email_verified=extra.pop("email_verified", True),
        **extra,
    )


def test_with_sign_in_configured_nobody_gets_in_without_signing_in(rules) -> None:
    assert signed(None, rules) is None
    # not even on the machine itself: configuring sign-in switches the local user off
    assert signed(None, rules, server="127.0.0.1", client=None) is None


def test_signed_in_roles_come_from_the_roles_file(rules) -> None:
    manager = signed("lead@provider.example", rules)
    assert manager == Principal(
        "lead@provider.example", "data_manager", True, "From the roles file."
    )
    assert signed("someone@provider.example", rules).role == "analyst"
    stranger = signed("stranger@elsewhere.example", rules)
    assert (stranger.role, stranger.why) == ("viewer", "Not named in the roles file.")
    # a signed-in person on the machine itself is still only what the file says
    assert (
        signed("stranger@elsewhere.example", rules, server="127.0.0.1", client=None).role
        == "viewer"
    )


@pytest.mark.parametrize("verified", [False, "false", "False", None, "", 1, "yes", "1", [True]])
def test_only_email_verified_true_counts(rules, verified) -> None:
    """A missing claim (None: Microsoft Entra ID sends none) is not verified, and neither is
    anything but true."""
    refused = signed("lead@provider.example", rules, email_verified=verified)
    assert (refused.role, refused.why) == ("viewer", access.NOT_VERIFIED)
    assert signed("lead@provider.example", rules, email_verified=True).role == "data_manager"
    assert signed("lead@provider.example", rules, email_verified="true").role == "data_manager"


ENTRA = "https://login.microsoftonline.com/7f1f6a3e-0000-4000-8000-000000000001/v2.0"


def test_a_trusted_single_tenant_issuer_stands_in_for_the_claim() -> None:
    rules = parse_roles(f'trusted_issuers = ["{ENTRA}"]\n{ROLES_TOML}')
    assert rules.trusted_issuers == {ENTRA}
    no_claim = {"email_verified": None}  # Entra ID sends no email_verified
    manager = signed("lead@provider.example", rules, issuer=ENTRA, **no_claim)
    assert manager.role == "data_manager", "the tenant's own sign-in: no email_verified needed"
    other = ENTRA.replace("0001", "0002")  # another tenant (a multi-tenant app would admit it)
    assert signed("lead@provider.example", rules, issuer=other, **no_claim).role == "viewer"
    assert signed("lead@provider.example", rules, issuer=None, **no_claim).role == "viewer"
    assert signed("lead@provider.example", rules, issuer=other, email_verified=False).role == (
        "viewer"
    )
    with pytest.raises(RolesError, match="not an https address"):
        parse_roles('trusted_issuers = ["login.microsoftonline.com/x"]')


@pytest.mark.parametrize(
    "email",
    [
        "lead@provider.example",  # the control: plain ASCII matches
        "\u017fomeone@provider.example",  # long s: casefolds to "someone@provider.example"
        "lead@provider.exampl\u0435",  # Cyrillic e
        "lead@provider.e\u212aample",  # Kelvin sign: casefolds to "k"
        "\uff4cead@provider.example",  # full-width l: NFKC makes it "lead@..."
        "lead@provider.example\u200b",  # a zero-width space inside
        "le\u0301ad@provider.example",  # a combining accent
        "lead\ufe6bprovider.example",  # small commercial at: NFKC makes it "@"
    ],
)
def test_an_address_changed_by_nfkc_or_not_ascii_never_matches(rules, email) -> None:
    if email.isascii():
        assert signed(email, rules).role == "data_manager"
        return
    assert rules.named(email) is None
    assert access.strict_address(email) is None
    found = signed(email, rules)
    assert (found.role, found.why) == ("viewer", access.NOT_MATCHABLE)


def test_the_long_s_would_have_folded_onto_a_named_domain() -> None:
    """The case that was open: "ſ".casefold() is "s", so a provider account spelt with it took
    the role of the plain address's domain."""
    rules = parse_roles('analyst = ["provider.example"]')
    assert "\u017f".casefold() == "s"
    assert rules.role_for("ross@provider.example") == "analyst"
    assert rules.role_for("ro\u017f\u017f@provider.example") == "viewer"
    assert rules.role_for("\u017fam@provider.example") == "viewer"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("*.council.example", "wildcard"),
        ("*@council.example", "wildcard"),
        ("\u017fam@provider.example", "outside ASCII"),
        ("b\u00f6rse.example", "outside ASCII"),
        ("council..example", "letters, digits and hyphens"),
        ("-council.example", "letters, digits and hyphens"),
        ("council_x.example", "letters, digits and hyphens"),
        ('"quoted"@council.example', "plain e-mail name"),
        ("a..b@council.example", "plain e-mail name"),
    ],
)
def test_roles_entries_that_can_never_match_are_warned_about(entry, why) -> None:
    rules = parse_roles(f"analyst = ['{entry}', 'fine.example']")
    (warning,) = rules.warnings
    assert entry in warning
    assert why in warning and "can never match" in warning
    assert rules.role_for("someone@fine.example") == "analyst", "the rest of the file still works"
    assert not rules.addresses and set(rules.domains) == {"fine.example"}


def test_a_clean_roles_file_has_no_warnings(rules) -> None:
    assert rules.warnings == ()


def test_ownership_rule() -> None:
    ana = Principal("ana@provider.example", "analyst", True)
    boss = Principal("boss@provider.example", "data_manager", True)
    view = Principal("view@provider.example", "viewer", True)
    assert access.may_change(ana, "ana@provider.example")
    assert access.may_change(ana, "ANA@provider.example"), "addresses compare without case"
    assert not access.may_change(ana, "boss@provider.example")
    assert not access.may_change(ana, LOCAL_USER)
    assert access.may_change(boss, "ana@provider.example") and access.may_change(boss, LOCAL_USER)
    assert not access.may_change(view, "view@provider.example"), "a viewer changes nothing"
    assert access.may_change(LOCAL, LOCAL_USER)
    with pytest.raises(access.NotAllowed, match="analyst you cannot change a record made by boss"):
        access.check_change(ana, "boss@provider.example")


def test_the_page_list_follows_the_role_as_well_as_the_mode() -> None:
    from components.navigation import PAGES, pages_for

    def titles(mode, role):
        return {page.title for page in pages_for(mode, role)}

    restricted = {"Data", "Exports and sharing log"}
    everything = {page.title for page in PAGES}
    assert titles("standard", "data_manager") == everything
    assert pages_for("standard") == pages_for("standard", "data_manager"), "default: as before"
    assert everything - titles("standard", "analyst") == {"Data"}
    assert titles("standard", "viewer") & restricted == set()
    for role in access.ROLES:
        assert titles("presenter", role) & restricted == set()
        assert "Overview" in titles("presenter", role)


def test_never_matching_entries_are_logged_at_start_once(tmp_path, monkeypatch, caplog) -> None:
    """app.py calls check_roles_at_start when the server starts; a warning is logged once per
    process, however often the file is read afterwards."""
    from components import access as session_access

    roles = tmp_path / "roles.toml"
    roles.write_text('analyst = ["*.council-start.example", "provider.example"]\n', "utf-8")
    monkeypatch.setenv("INSIGHT_ROLES", str(roles))
    with caplog.at_level("WARNING", logger="restart_insight.access"):
        session_access.check_roles_at_start()
        session_access.check_roles_at_start()
    logged = [r.getMessage() for r in caplog.records if "council-start" in r.getMessage()]
    assert len(logged) == 1 and "can never match" in logged[0]
    roles.write_text('analyst = "provider.example"\nviewer = ["a@b@c.example"]\n', "utf-8")
    caplog.clear()
    with caplog.at_level("WARNING", logger="restart_insight.access"):
        session_access.check_roles_at_start()  # a file that cannot be read is logged too
    assert any("not an e-mail address" in r.getMessage() for r in caplog.records)
