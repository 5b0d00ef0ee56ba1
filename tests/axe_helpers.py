"""axe-core (Deque's accessibility engine, from npm) run inside headless Chromium.

`bash scripts/bootstrap.sh test` installs the pinned axe-core into build/node/ with Debian's npm;
KIOSK_AXE_JS may name another axe.min.js. Missing: skipped on a developer's machine, a failure
under CI (conftest.missing_part)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import ROOT, missing_part

AXE_VERSION = "4.14.1"          # the same pin as scripts/bootstrap.sh (AXE_CORE)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_js() -> str:
    path = Path(os.environ.get("KIOSK_AXE_JS") or
                ROOT / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js")
    if not path.is_file():
        missing_part(f"axe-core {AXE_VERSION} is not installed at {path} "
                     "(bash scripts/bootstrap.sh setup installs it with npm)")
    return path.read_text(encoding="utf-8")


def run_axe(driver, source: str) -> list[dict]:
    """axe's violations on the current page, each reduced to id, impact, help and its nodes."""
    if not driver.execute_script("return !!window.axe"):
        driver.execute_script(source)
    version = driver.execute_script("return axe.version")
    assert version == AXE_VERSION, version
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(function (r) { done(JSON.stringify(r.violations)); })"
        ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', help: String(e), nodes: []}])); });",
        TAGS)
    return [{"id": v["id"], "impact": v.get("impact"), "help": v["help"],
             "nodes": [(n.get("target"), n.get("failureSummary", "")[:200]) for n in v["nodes"][:5]]}
            for v in json.loads(result)]
