"""`make cluster` for real (ops/cluster.py): haproxy in front of two gunicorn app servers,
a Celery worker, PostgreSQL and Redis, all on the loopback, driven over HTTP.

Logs in through the balancer, whose requests alternate between the servers; previews
an upload on one server and confirms it on the other; follows a background import from
both; publishes a version on one and sees the catalogue change on the other. Skipped
with the reason where haproxy, Redis or PostgreSQL is missing (never on CI). The cluster
has its own database, created and dropped here, and its own Redis key prefix.
"""

from __future__ import annotations

import http.cookiejar
import io
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile
from email.message import Message
from pathlib import Path

import pytest

from ops.cluster import SERVERS, Cluster, drop_database
from tests.standards.samples import expected_data

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')
JOB_URL = re.compile(r"/jobs/(\d+)/$")


def missing() -> str:
    """What the cluster needs that this machine lacks, or ""."""
    if not shutil.which("haproxy") and not Path("/usr/sbin/haproxy").exists():
        return "haproxy is not installed (Debian package haproxy)"
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis is unreachable at {REDIS}: {exc}"
    try:
        import psycopg

        psycopg.connect(POSTGRES, connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL is unreachable at {POSTGRES}: {exc}"
    return ""


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"portal_cluster_{uuid.uuid4().hex[:10]}"
    cluster = Cluster(
        folder=tmp_path_factory.mktemp("cluster"),
        database_url=urllib.parse.urlunsplit(
            urllib.parse.urlsplit(POSTGRES)._replace(path=f"/{name}")
        ),
        redis_url=REDIS,
        prefix=f"portal-test-{uuid.uuid4().hex[:12]}",
        quiet=True,
    )
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        cluster.forget_redis_keys()
        drop_database(cluster.database_url)


class Browser:
    """Cookies and CSRF like a browser; every request goes through the balancer."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        # The session cookie is Secure (the balancer stands for a TLS proxy).
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "http"))
        self.jar = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        server: str = "",
        data: bytes | None = None,
        content_type: str = "",
        referer: str = "",
    ) -> tuple[int, Message, str]:
        headers = {"Accept-Language": "zh-Hant"}
        if server:
            headers["X-Portal-Server"] = server
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST":
            # Django's CSRF check over HTTPS wants a same-origin Referer.
            origin = self.cluster.url.replace("http://", "https://")
            headers["Referer"] = origin + (referer or path)
        request = urllib.request.Request(  # noqa: S310 - the cluster on the loopback
            self.cluster.url + path, data=data, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")

    def get(self, path: str, server: str = "") -> tuple[int, Message, str]:
        return self.request("GET", path, server=server)

    def post(self, path: str, fields: dict, *, server: str = "", files=()) -> tuple[int, Message]:
        status, _headers, page = self.get(path, server=server)
        assert status == 200, (path, status)
        fields = {"csrfmiddlewaretoken": CSRF.search(page)[1], **fields}
        body, content_type = multipart(fields, files)
        status, headers, _ = self.request(
            "POST", path, server=server, data=body, content_type=content_type
        )
        return status, headers

    def post_page(self, path: str, fields: dict, *, server: str, files=()) -> tuple[int, str]:
        """A POST answered with a page, not a redirect (the upload preview)."""
        status, _headers, page = self.get(path, server=server)
        fields = {"csrfmiddlewaretoken": CSRF.search(page)[1], **fields}
        body, content_type = multipart(fields, files)
        status, _headers, page = self.request(
            "POST", path, server=server, data=body, content_type=content_type
        )
        return status, page

    def confirm(self, path: str, preview: str, *, server: str) -> tuple[int, Message]:
        """Confirm the upload previewed on `preview`, on `server`."""
        fields = {"csrfmiddlewaretoken": CSRF.search(preview)[1], "token": TOKEN.search(preview)[1]}
        body, content_type = multipart(fields, [])
        status, headers, _ = self.request(
            "POST", path, server=server, data=body, content_type=content_type
        )
        return status, headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture(scope="module")
def hr(cluster) -> Browser:
    browser = Browser(cluster)
    status, headers = browser.post(
        "/accounts/login/", {"username": "hr", "password": cluster.demo_password}
    )
    assert status == 302, "the login through the balancer failed"
    return browser


def test_requests_through_the_balancer_alternate_between_the_servers(cluster, hr):
    served = [hr.get("/standards/")[1]["X-Served-By"] for _ in range(4)]

    assert sorted(served) == ["app1", "app1", "app2", "app2"]
    assert served[0] != served[1] and served[1] != served[2]


def test_the_login_holds_on_both_servers(cluster, hr):
    for server in SERVERS:
        status, headers, page = hr.get("/admin/", server=server)
        assert (status, headers["X-Served-By"]) == (200, server)


def test_each_server_and_the_balancer_are_healthy_with_one_worker(cluster, hr):
    for server in SERVERS:
        status, headers, body = hr.get("/healthz", server=server)
        assert status == 200 and headers["X-Served-By"] == server
        assert json.loads(body) == {"database": "ok", "cache": "ok", "broker": "ok", "workers": 1}


def test_an_upload_previewed_on_one_server_is_confirmed_on_the_other(cluster, hr):
    data = expected_data("KRM1324-002v1")
    data["code"] = "CLU0001-001v1"
    upload = "/admin/standards/standard/upload/"

    status, page = hr.post_page(
        upload,
        {"publish": "on"},
        server="app1",
        files=[("files", "CLU0001-001v1.json", json.dumps(data).encode())],
    )
    assert status == 200 and "CLU0001-001v1" in page
    status, headers = hr.confirm(upload, page, server="app2")

    assert status == 302 and headers["X-Served-By"] == "app2"
    assert hr.get("/standards/CLU0001-001v1/", server="app1")[0] == 200


def test_a_background_import_is_followed_from_both_servers(cluster, hr):
    sample = expected_data("AVA4322-001v4")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number in range(40):
            sample["code"] = f"CLB{number:04d}-001v1"
            zipped.writestr(f"{sample['code']}.json", json.dumps(sample))

    status, headers = hr.post(
        "/admin/standards/standard/upload/background/",
        {"publish": "on"},
        server="app1",
        files=[("files", "library.zip", archive.getvalue())],
    )
    assert status == 302
    job = JOB_URL.search(headers["Location"])[1]

    seen: dict[str, list[int]] = {name: [] for name in SERVERS}
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for server in SERVERS:
            status, _headers, body = hr.get(f"/jobs/{job}/status/", server=server)
            assert status == 200
            seen[server].append(json.loads(body)["percent"])
        if seen["app1"][-1] == seen["app2"][-1] == 100:
            break
        time.sleep(0.2)

    assert seen["app1"][-1] == seen["app2"][-1] == 100
    every = [percent for pair in zip(seen["app1"], seen["app2"], strict=True) for percent in pair]
    assert every == sorted(every), "progress went backwards between the servers"
    assert every[0] < 100, "the job was already done: nothing was followed"
    page = hr.get(f"/jobs/{job}/", server="app2")[2]
    assert "CLB0039-001v1" in page and "已匯入：40" in page


def test_a_version_published_on_one_server_shows_in_the_catalogue_on_the_other(cluster, hr):
    data = expected_data("KRM1324-002v1")
    data["code"] = "CLP0001-001v1"
    upload = "/admin/standards/standard/upload/"
    status, page = hr.post_page(
        upload,
        {},
        server="app1",
        files=[("files", "CLP0001-001v1.json", json.dumps(data).encode())],
    )
    assert hr.confirm(upload, page, server="app1")[0] == 302
    anonymous = Browser(cluster)
    before = anonymous.get("/standards/?q=CLP0001", server="app2")[2]
    assert "CLP0001-001v1" not in before
    changelist = hr.get("/admin/standards/standard/?q=CLP0001", server="app1")[2]
    pk = re.search(r"/admin/standards/standard/(\d+)/change/", changelist)[1]

    status, _headers = hr.post(f"/admin/standards/standard/{pk}/publish/", {}, server="app1")

    assert status == 302
    after = anonymous.get("/standards/?q=CLP0001", server="app2")
    assert after[1]["X-Served-By"] == "app2"
    assert "CLP0001-001v1" in after[2]
