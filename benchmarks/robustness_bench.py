"""Robustness benchmark: how fast bad input is refused and how fast a stopped build lets go.

    .venv/bin/python benchmarks/robustness_bench.py              # 1,500 generated procedures
    .venv/bin/python benchmarks/robustness_bench.py --count 300  # a quick run

Prints: the time of a refused build (a typo in one file of the small test fixture), of a successful
build of the same fixture, and, for a generated catalogue, when the first pages are written, how long
a SIGTERM takes to stop the build and remove its folder, and the full build time. Figures, not
assertions (the behaviour itself is tested in tests/test_bad_inputs.py and tests/test_atomic_build.py).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "fixtures" / "minimal"
KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"


def project(folder: Path, content: Path) -> Path:
    shutil.copytree(content, folder / "content")
    (folder / "content" / "pages").mkdir(exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    return folder


def build(folder: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "thutuc.host.cli", "build"], cwd=folder, capture_output=True, text=True)
    return time.perf_counter() - started, result.returncode


def generated(folder: Path, count: int) -> Path:
    content = folder / "content"
    shutil.copytree(MINIMAL, content)
    template = (MINIMAL / KHAI_SINH).read_text("utf-8").replace('related: ["1.004194"]\n', "")
    for number in range(count):
        code = f"2.{number:06d}"
        text = template.replace('code: "1.001193"', f'code: "{code}"').replace(
            "title: Đăng ký khai sinh", f"title: Đăng ký khai sinh thử nghiệm số {number}"
        )
        (content / "procedures" / "ho-tich" / f"{code}-thu-nghiem.yml").write_text(text, "utf-8")
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        small = project(root / "small", MINIMAL)
        ok = [build(small)[0] for _ in range(args.runs)]
        file = small / "content" / KHAI_SINH
        file.write_text(file.read_text("utf-8").replace("title:", "titel:", 1), "utf-8")
        refused = [build(small) for _ in range(args.runs)]
        assert all(code == 1 for _, code in refused)
        print(f"minimal fixture: successful build {statistics.median(ok):.2f} s, refused build "
              f"{statistics.median(t for t, _ in refused):.2f} s (median of {args.runs})")

        large = project(root / "large", generated(root / "gen", args.count))
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "build"], cwd=large,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        staging = large / f"site.building-{process.pid}" / "thu-tuc"
        while not staging.is_dir() or len(list(staging.iterdir())) < 5:
            if process.poll() is not None:
                raise SystemExit("the build ended before it could be stopped")
            time.sleep(0.01)
        first_pages = time.perf_counter() - started
        process.send_signal(signal.SIGTERM)
        signalled = time.perf_counter()
        process.communicate()
        stopped = time.perf_counter() - signalled
        leftovers = sorted(p.name for p in large.iterdir() if p.name.startswith("site."))
        print(f"{args.count} procedures: first pages after {first_pages:.1f} s; SIGTERM -> exit {process.returncode} "
              f"in {stopped:.2f} s, leftovers: {leftovers or 'none'}")
        seconds, code = build(large)
        print(f"{args.count} procedures: full build {seconds:.1f} s (exit {code})")


if __name__ == "__main__":
    main()
