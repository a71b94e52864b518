#!/usr/bin/env python3
"""Lighthouse scores of the sample site: home, a procedure page and search results, on mobile and desktop.

    .venv/bin/python benchmarks/lighthouse.py [--keep-reports DIR]

Installs lighthouse@12.2.3 (12.x runs on Node 20; 13.x needs Node 22) into .cache/lighthouse (not
tracked), builds the sample catalogue, serves it on 127.0.0.1 with the production CSP
(tests/support/site_server.py) and runs Lighthouse in Debian's Chromium. Prints the four category
scores per page and form factor; exits 1 when one is below target (accessibility, best practices
and SEO 100; performance 95 or more on mobile, 100 on the search results page). A script, not a test: scores are measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from support.site_pages import procedure_with_most_forms  # noqa: E402
from support.site_server import serve_site  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"
CACHE = ROOT / ".cache" / "lighthouse"
LIGHTHOUSE = CACHE / "node_modules" / ".bin" / "lighthouse"
CHROME = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100}
MOBILE_PERFORMANCE_TARGET = 95


def ensure_lighthouse() -> None:
    installed = CACHE / "node_modules" / "lighthouse" / "package.json"
    if installed.exists() and json.loads(installed.read_text())["version"] == LIGHTHOUSE_VERSION:
        return
    print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {CACHE.relative_to(ROOT)} …", flush=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "i", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}", "--prefix", str(CACHE), "--no-audit", "--no-fund"],
                   check=True)


def build_sample(site_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "thutuc.host.cli", "build", "--site-dir", str(site_dir)],
                            cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout}{result.stderr}")


def run_lighthouse(url: str, desktop: bool, report: Path) -> dict[str, dict]:
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if desktop:
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROME})
    data = json.loads(report.read_text("utf-8"))
    return data


def failing_audits(data: dict, category: str) -> list[str]:
    """Audits that cost points in a category, to say what to fix."""
    audits = data["audits"]
    out = []
    for ref in data["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
            out.append(f"{ref['id']} ({audit.get('displayValue') or audit['score']})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-reports", type=Path, help="write the JSON reports into this folder")
    args = parser.parse_args()
    ensure_lighthouse()
    below = []
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as temp:
        site = Path(temp) / "site"
        reports = args.keep_reports or Path(temp) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        build_sample(site)
        # The results page as people reach it from the home page's form: search.js fills it on load.
        pages = {"home": "", "procedure": procedure_with_most_forms(site), "search": "tim-kiem/?q=dang+ky"}
        print(f"{'page':<10} {'device':<8} " + " ".join(f"{c:>15}" for c in CATEGORIES))
        with serve_site(site) as base_url:
            for name, path in pages.items():
                for desktop in (False, True):
                    device = "desktop" if desktop else "mobile"
                    data = run_lighthouse(base_url + path, desktop, reports / f"{name}-{device}.json")
                    scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
                    print(f"{name:<10} {device:<8} " + " ".join(f"{scores[c]:>15}" for c in CATEGORIES), flush=True)
                    targets = dict(TARGETS, **({} if desktop else {"performance": MOBILE_PERFORMANCE_TARGET}))
                    if name == "search":
                        targets["performance"] = 100
                    for category, target in targets.items():
                        if scores[category] < target:
                            below.append(f"{name} {device} {category} {scores[category]} < {target}: "
                                         + ", ".join(failing_audits(data, category)))
    for line in below:
        print("below target:", line)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
