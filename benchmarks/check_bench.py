"""How long `build.py check` takes on a large catalogue (target: at most 2 s for 2,000 procedures).

    .venv/bin/python benchmarks/check_bench.py [--count 2000] [--profile]

Generates the catalogue with catalogue_gen.py into a temporary folder, then times the same code path as
`python3 build.py check` (thutuc.host.cli check) in-process, best of three, cold (parse cache emptied before
each run) and warm (files unchanged since the last check), and prints wall and CPU seconds.
--profile prints a cProfile of a warm run.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalogue_gen import generate  # noqa: E402

from thutuc.host.cli import main  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def run_check(project: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code): CPU time is what to compare on a busy machine."""
    previous = Path.cwd()
    os.chdir(project)
    try:
        sink = io.StringIO()
        started, cpu = time.perf_counter(), time.process_time()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = main(["check"])
        return time.perf_counter() - started, time.process_time() - cpu, code
    finally:
        os.chdir(previous)


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary)
        generate(project / "content", args.count)
        (project / "content" / "pages").mkdir(exist_ok=True)
        config = (REPO / "mkdocs.yml").read_text("utf-8").replace("custom_dir: theme", f"custom_dir: {REPO / 'theme'}")
        (project / "mkdocs.yml").write_text(config, "utf-8")
        if args.profile:
            run_check(project)  # fills the parse cache: the profile is of a re-check
            profiler = cProfile.Profile()
            profiler.enable()
            run_check(project)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            return
        cache = project / ".cache" / "check"
        for label, keep_cache in (("cold (no parse cache)", False), ("warm (unchanged files)", True)):
            runs = []
            for _ in range(3):
                if not keep_cache:
                    shutil.rmtree(cache, ignore_errors=True)
                runs.append(run_check(project))
            wall = min(r[0] for r in runs)
            cpu = min(r[1] for r in runs)
            print(f"check, {args.count} procedures, {label}: best wall {wall:.2f} s, best CPU {cpu:.2f} s, exit {runs[-1][2]}")
        shutil.rmtree(project / "content", ignore_errors=True)


if __name__ == "__main__":
    main_bench()
