"""Accessibility checks with axe-core, injected into the page by Playwright.

axe-core's build (axe.min.js) comes from the PyPI package axe-playwright-python, so the
test suite needs no Node.js; we call axe ourselves and keep only serious and critical
violations."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

AXE_JS = Path(find_spec("axe_playwright_python").submodule_search_locations[0]) / "axe.min.js"


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
