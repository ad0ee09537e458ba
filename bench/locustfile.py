"""What the users of `make load` do (bench/load.py starts this with a LOAD_PLAN file).

Visitors browse, search and read the public catalogue; employees log in and save drafts
of their own self-assessment (each its own, so saves never collide); managers and HR
log in and read the team reports. Every request goes to the --host bench/load.py gives,
on 127.0.0.1, as a TLS-terminating proxy would pass it on (X-Forwarded-Proto: https);
a response that is not what a person would get counts as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import quote, urlsplit

from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
# The trivial page of the same stack (bench/harness.py), asked for by one probe user all
# through the run: the floor the pages' times are compared with.
FLOOR = "/bench-floor/"
# Every request's time in ms, by name, written to LOAD_TIMES when the run stops, so that
# bench/load.py can take percentiles of the pages without the floor's requests.
TIMES: dict[str, list[float]] = {}


@events.request.add_listener
def record_time(name: str, response_time: float, exception: object, **kwargs: object) -> None:
    if exception is None:
        TIMES.setdefault(name, []).append(response_time)


@events.test_stop.add_listener
def write_times(**kwargs: object) -> None:
    if os.environ.get("LOAD_TIMES"):
        Path(os.environ["LOAD_TIMES"]).write_text(json.dumps(TIMES), encoding="utf-8")


NEXT_EMPLOYEE = itertools.count()
NEXT_MANAGER = itertools.count()
# Seconds a user waits between two actions (reading the page), "low-high".
THINK_LOW, THINK_HIGH = map(float, os.environ.get("LOAD_THINK_TIME", "1-4").split("-"))
RNG = random.Random()  # noqa: S311 - made-up answers and picks, not secrets

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
LEVEL = re.compile(r'name="(level_\d+)"')
COMMENT = re.compile(r'name="(comment_\d+)"')
DONE = re.compile(r'name="(done_\d+_[^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(THINK_LOW, THINK_HIGH)
    # The portal's cookies are Secure (it is served over TLS); the proxy's TLS is left
    # out here, so the client sends them back over the loopback's plain HTTP.
    default_headers = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-Hant"}

    def on_start(self) -> None:
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))

    def page(self, path: str, name: str, expect: str | None = None) -> str:
        """GET a page that must answer 200 (and contain `expect`); returns its HTML."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
            elif expect is not None and expect not in response.text:
                response.failure(f"no {expect!r} in the page")
            return response.text or ""

    def post_form(self, path: str, data: dict[str, str], name: str):
        """POST a form as the browser would: with the page as referer, no redirect followed."""
        referer = "https://" + urlsplit(self.host).netloc + path
        return self.client.post(
            path,
            data=data,
            name=name,
            headers={"Referer": referer},
            allow_redirects=False,
            catch_response=True,
        )

    def log_in(self, username: str) -> None:
        html = self.page("/accounts/login/", "/accounts/login/")
        token = CSRF.search(html)
        data = {
            "csrfmiddlewaretoken": token.group(1) if token else "",
            "username": username,
            "password": PLAN["password"],
        }
        with self.post_form("/accounts/login/", data, "/accounts/login/ [log in]") as response:
            if response.status_code != 302:
                response.failure(f"{username} not logged in: status {response.status_code}")

    def log_out(self) -> None:
        html = self.page("/standards/", "/standards/")
        token = CSRF.search(html)
        data = {"csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.post_form("/accounts/logout/", data, "/accounts/logout/") as response:
            if response.status_code != 302:
                response.failure(f"not logged out: status {response.status_code}")


class FloorProbe(PortalUser):
    """One user asking for the trivial page twice a second while the others load the
    servers: how fast the same stack answers when it does nothing, under the same load."""

    fixed_count = 1
    wait_time = constant(0.5)

    @task
    def floor(self) -> None:
        self.page(FLOOR, FLOOR)


class Visitor(PortalUser):
    """Someone from outside reading the public catalogue."""

    weight = 5

    def on_start(self) -> None:
        super().on_start()
        html = self.page("/", "/ (to the catalogue)")
        self.stylesheets = STYLESHEET.findall(html)

    @task(4)
    def browse(self) -> None:
        self.page("/standards/", "/standards/")

    @task(4)
    def search(self) -> None:
        term = RNG.choice(PLAN["search_terms"])
        self.page(f"/standards/?q={quote(term)}", "/standards/?q=<term>")

    @task(6)
    def read_standard(self) -> None:
        code = RNG.choice(PLAN["standards"])
        self.page(f"/standards/{code}/", "/standards/<code>/", expect=code)

    @task(1)
    def static_file(self) -> None:
        for href in self.stylesheets:
            self.page(href, "/static/<css>")


class Employee(PortalUser):
    """An employee of the load organisation filling in their own self-assessment."""

    weight = 3

    def on_start(self) -> None:
        super().on_start()
        employees = PLAN["employees"]
        self.username, self.assessment = employees[next(NEXT_EMPLOYEE) % len(employees)]
        self.log_in(self.username)

    @task(4)
    def my_assessments(self) -> None:
        self.page("/assessments/", "/assessments/", expect=f"/assessments/{self.assessment}/")

    @task(12)
    def save_draft(self) -> None:
        path = f"/assessments/{self.assessment}/"
        html = self.page(path, "/assessments/<pk>/", expect='name="version"')
        version, token = VERSION.search(html), CSRF.search(html)
        if not version or not token:
            return
        data = {"csrfmiddlewaretoken": token.group(1), "version": version.group(1), "save": "1"}
        for field in sorted(set(LEVEL.findall(html))):
            if RNG.random() < 0.8:
                data[field] = str(RNG.randint(0, 6))
        for field in COMMENT.findall(html):
            data[field] = RNG.choice(["", "", "已獨立完成多次，可提供工作紀錄。"])
        for field in DONE.findall(html):
            if RNG.random() < 0.5:
                data[field] = "on"
        with self.post_form(path, data, "/assessments/<pk>/ [save draft]") as response:
            # Saved: back to the form at its progress bar; a stale version would
            # redirect to the bare form, a refused form would answer 200.
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.endswith(f"{path}#progress"):
                response.failure(f"draft not saved: {response.status_code} {location}")

    @task(3)
    def read_catalogue(self) -> None:
        code = RNG.choice(PLAN["standards"])
        self.page(f"/standards/{code}/", "/standards/<code>/", expect=code)

    @task(1)
    def log_in_again(self) -> None:
        """Now and then log out and in again (one password check: Argon2id, portal/hashers.py)."""
        self.log_out()
        self.log_in(self.username)


class Manager(PortalUser):
    """A manager (or HR) reading the reports on their team."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        managers = PLAN["managers"]
        self.log_in(managers[next(NEXT_MANAGER) % len(managers)])

    @task(3)
    def dashboard(self) -> None:
        self.page("/reports/", "/reports/")

    def cycle_query(self) -> str:
        """The newest cycle (the report's default) or one of the load cycles."""
        cycle = RNG.choice([None, *PLAN["cycles"]])
        return "" if cycle is None else f"?cycle={cycle}"

    @task(3)
    def heatmap(self) -> None:
        self.page("/reports/heatmap/" + self.cycle_query(), "/reports/heatmap/")

    @task(2)
    def training_needs(self) -> None:
        self.page("/reports/training-needs/" + self.cycle_query(), "/reports/training-needs/")
