"""Company sign-in against a real OpenLDAP server: Debian's slapd, started here on a
free port with a small directory in a temporary folder (skipped where slapd is absent;
.ci/run installs it)."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from assessments.models import Employee
from portal.settings import LDAP_BACKEND, ldap_settings
from tests.mail import free_port
from tests.test_settings import start

pytestmark = pytest.mark.django_db

SLAPD = Path("/usr/sbin/slapd")
SLAPADD = Path("/usr/sbin/slapadd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
BASE = "ou=people,dc=example,dc=com"

CONFIG = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
modulepath {modules}
moduleload back_mdb
pidfile {folder}/slapd.pid
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw admin-secret
directory {folder}/data
"""


def person(uid: str, mail: str, password: str, given: str, family: str) -> str:
    return (
        f"dn: uid={uid},{BASE}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
        f"cn: {given} {family}\nsn: {family}\ngivenName: {given}\nmail: {mail}\n"
        f"userPassword: {password}\n"
    )


DIRECTORY = "\n".join(
    [
        "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\n"
        "o: Example\ndc: example\n",
        f"dn: {BASE}\nobjectClass: organizationalUnit\nou: people\n",
        "dn: cn=portal,dc=example,dc=com\nobjectClass: organizationalRole\n"
        "objectClass: simpleSecurityObject\ncn: portal\nuserPassword: search-secret\n",
        # Same username as the persona alice.
        person("alice", "alice@corp.example", "dir-secret-1", "Alice", "Wang"),
        # No login of this name: matched by address to the employee E600.
        person("mei", "mei@example.com", "dir-secret-2", "Mei", "Lin"),
        # The address of the staff account stan: never matched by address.
        person("stan.dir", "stan@example.com", "dir-secret-3", "Stan", "Shih"),
    ]
)


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"slapd stopped: {process.stderr.read()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError("slapd did not start listening")


@pytest.fixture(scope="module")
def directory(tmp_path_factory) -> Iterator[str]:
    """A running slapd with DIRECTORY; its URI."""
    if not SLAPD.exists() or not SLAPADD.exists():
        pytest.skip("OpenLDAP's slapd is not installed (Debian: slapd, ldap-utils); CI installs it")
    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    config = folder / "slapd.conf"
    config.write_text(CONFIG.format(schemas=SCHEMAS, modules=MODULES, folder=folder))
    (folder / "directory.ldif").write_text(DIRECTORY)
    subprocess.run(
        [SLAPADD, "-f", config, "-l", folder / "directory.ldif"], check=True, capture_output=True
    )
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [SLAPD, "-f", config, "-h", uri, "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, process)
        yield uri
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def company_sign_in(directory, settings, monkeypatch) -> None:
    """The portal's settings as LDAP_SERVER_URI and LDAP_SEARCH_BASE make them."""
    monkeypatch.setenv("LDAP_SERVER_URI", directory)
    monkeypatch.setenv("LDAP_SEARCH_BASE", BASE)
    for name, value in ldap_settings().items():
        setattr(settings, name, value)
    backends = list(settings.AUTHENTICATION_BACKENDS)
    settings.AUTHENTICATION_BACKENDS = [backends[0], LDAP_BACKEND, *backends[1:]]


def log_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def logged_in_as(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_person_signs_in_with_their_directory_account(client, company_sign_in, alice):
    response = log_in(client, "alice", "dir-secret-1")

    assert response.status_code == 302
    assert logged_in_as(client) == alice.user
    alice.user.refresh_from_db()
    assert (alice.user.email, alice.user.first_name) == ("alice@corp.example", "Alice")
    assert client.get(reverse("home"))["Location"] == reverse("assessments:mine")


def test_a_wrong_directory_password_is_refused(client, company_sign_in, alice):
    response = log_in(client, "alice", "wrong")

    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_a_directory_account_is_matched_to_the_employee_by_e_mail(
    client, company_sign_in, production
):
    user = User.objects.create_user("E600", email="mei@example.com")
    employee = Employee.objects.create(user=user, employee_number="E600", name="林美")

    log_in(client, "mei", "dir-secret-2")

    assert logged_in_as(client) == user
    assert not User.objects.filter(username="mei").exists()
    assert Employee.objects.get(pk=employee.pk).user == user


def test_a_staff_account_is_never_matched_by_e_mail(client, company_sign_in, stan):
    User.objects.filter(pk=stan.user_id).update(email="stan@example.com")

    log_in(client, "stan.dir", "dir-secret-3")

    signed_in = logged_in_as(client)
    assert signed_in.username == "stan.dir" and signed_in != stan.user
    assert not signed_in.is_staff and not hasattr(signed_in, "employee")


def test_a_disabled_login_cannot_sign_in_with_the_directory(client, company_sign_in, alice):
    User.objects.filter(pk=alice.user_id).update(is_active=False)

    log_in(client, "alice", "dir-secret-1")

    assert logged_in_as(client) is None


def test_local_passwords_still_work_beside_the_directory(client, company_sign_in, alice):
    log_in(client, "alice", "password")

    assert logged_in_as(client) == alice.user


def test_a_search_account_given_by_its_dn_is_used(client, company_sign_in, settings, alice):
    settings.LDAP_AUTH_CONNECTION_USERNAME = "cn=portal,dc=example,dc=com"
    settings.LDAP_AUTH_CONNECTION_PASSWORD = "search-secret"

    log_in(client, "alice", "dir-secret-1")

    assert logged_in_as(client) == alice.user


def test_without_ldap_server_uri_only_local_passwords_are_checked():
    from django.conf import settings

    assert LDAP_BACKEND not in settings.AUTHENTICATION_BACKENDS


def test_ldap_server_uri_without_a_search_base_stops_start_up():
    result = start(LDAP_SERVER_URI="ldap://127.0.0.1:1/")

    assert result.returncode != 0
    assert "LDAP_SEARCH_BASE must be set" in result.stderr


@pytest.mark.parametrize("uri", ["http://ldap.example", "ldap://host:port", "ldap:///"])
def test_a_malformed_ldap_server_uri_stops_start_up(uri):
    result = start(LDAP_SERVER_URI=uri, LDAP_SEARCH_BASE=BASE)

    assert result.returncode != 0
    assert "LDAP_SERVER_URI" in result.stderr


def test_a_wrong_search_account_password_refuses_the_sign_in(
    client, company_sign_in, settings, alice
):
    settings.LDAP_AUTH_CONNECTION_USERNAME = "cn=portal,dc=example,dc=com"
    settings.LDAP_AUTH_CONNECTION_PASSWORD = "not-the-search-secret"

    log_in(client, "alice", "dir-secret-1")

    assert logged_in_as(client) is None
