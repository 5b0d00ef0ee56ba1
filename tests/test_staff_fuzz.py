"""A schema-driven fuzzer of the staff console's HTTP API, against a real `kiosk staff serve`
process on loopback with a logged-in cookie: no answer is a 5xx, every answer has the security
headers.

Library: schemathesis (maintained, Hypothesis-based, reads the OpenAPI schema that FastAPI builds
from the routes, with the forms described by `form_doc` in the app). The console does not serve
its schema (/openapi.json is 404 on purpose), so the test builds it from the same app code.
The run is bounded (MAX_EXAMPLES per operation and mode) to stay well under a minute."""

from collections import Counter

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode

from kiosk.core.data.queue import Queue
from kiosk.core.data.store import Store
from kiosk.paths import db_path
from kiosk.staff.app import create_app
from staff_helpers import PIN, Console, add_staff, csrf_of

pytestmark = pytest.mark.slow

MAX_EXAMPLES = 10
SKIP = {("POST", "/logout")}     # would end the fuzzer's own session (tested elsewhere)
HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options",
           "referrer-policy", "cache-control")


def seed(data) -> None:
    s = Store(db_path(data))
    for _ in range(3):
        s.create_ticket(None, {"lesson": "<b>x</b>", "errors": ["voice_not_understood"]})
    Queue(s).call_next(1, "lan")
    s.close()


def log_in(url: str) -> tuple[requests.Session, str, str]:
    """A session with the staff cookie; its CSRF token; the login form's token."""
    http = requests.Session()
    login_token = csrf_of(http.get(url + "/login").text)
    r = http.post(url + "/login", data={"csrf": login_token, "name": "lan", "pin": PIN},
                  allow_redirects=False)
    assert r.status_code == 303, r.status_code
    http.cookies.set("kiosk_login", login_token)  # so that fuzzed logins reach the PIN check
    return http, csrf_of(http.get(url + "/queue").text), login_token


class Target:
    """The console under test: where to send a case, with which cookie and tokens."""

    def __init__(self, url: str):
        self.url = url
        self.http, self.csrf, self.login_token = log_in(url)
        self.counts: Counter = Counter()

    def send(self, op, case) -> None:
        if isinstance(case.body, dict):  # a valid token, so that the handler behind it runs
            case.body["csrf"] = self.login_token if op.path == "/login" else self.csrf
        r = case.call(base_url=self.url, session=self.http, headers={"X-CSRF-Token": self.csrf},
                      allow_redirects=False, timeout=30)
        self.counts[f"{op.method.upper()} {op.path}"] += 1
        curl = case.as_curl_command(base_url=self.url)
        assert r.status_code < 500, (r.status_code, curl)
        missing = [h for h in HEADERS if h not in {k.lower() for k in r.headers}]
        assert not missing, (missing, curl)


def boundary_cases(schema, op) -> list:
    """Schemathesis's coverage phase: each parameter and form field at and just past its limits
    (e.g. ticket id 2^63-1 and 2^63, counter 0 and 21), of the wrong type, missing, and the
    route called with methods it does not allow."""
    config = schema.config.generation_for(operation=op)
    return list(schema.iter_coverage_cases(op, generation_modes=list(GenerationMode),
                                           generation_config=config))


def fuzz(op, mode, target: Target) -> None:
    """Schemathesis's fuzzing phase: Hypothesis-generated cases, a fixed seed for CI."""
    @given(case=op.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        target.send(op, case)

    run()


def modes(raw: dict, op) -> list:
    """Invalid data for the typed parameters (ids, query strings) too. Not for the forms: their
    values travel as text, so schemathesis cannot make them invalid (it finds no example)."""
    if raw["paths"][op.path][op.method.lower()].get("parameters"):
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def test_fuzzing_the_console_api_finds_no_server_error_and_no_missing_header(tmp_path, record_property):
    data = tmp_path / "data"
    add_staff(data)
    seed(data)
    raw = create_app(db_path(data)).openapi()
    schema = schemathesis.openapi.from_dict(raw)
    ops = [r.ok() for r in schema.get_all_operations()]
    ops = [op for op in ops if (op.method.upper(), op.path) not in SKIP]
    assert len(ops) >= 19  # every route of the console but logout
    with Console(data, env={"KIOSK_TRUSTED_PROXY": ""}) as console:
        target = Target(console.url)
        boundary = 0
        for op in ops:
            cases = boundary_cases(schema, op)
            boundary += len(cases)
            for case in cases:
                target.send(op, case)
            for mode in modes(raw, op):
                fuzz(op, mode, target)
        assert target.http.get(console.url + "/queue").status_code == 200  # still logged in, still up
        assert "Traceback" not in console.output()
    counts = target.counts
    total = sum(counts.values())
    print(f"\nAPI fuzz: {total} cases ({boundary} boundary, {total - boundary} generated) over "
          f"{len(counts)} operations: {dict(counts)}")
    record_property("api_fuzz_cases", total)
    assert len(counts) == len(ops)
    assert boundary >= 5 * len(ops) and total - boundary >= 10 * len(ops)
