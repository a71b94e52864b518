"""Preview benchmark: how long from saving a procedure file to seeing the change in the browser.

    .venv/bin/python benchmarks/preview_bench.py                # 2,000 procedures, 8 edits of each kind
    .venv/bin/python benchmarks/preview_bench.py --size 10000 --edits 3

Generates a catalogue, starts `build.py serve` on it, opens pages in headless Chromium (Debian's
/usr/bin/chromium through Playwright; plain HTTP polling when either is missing) and, for each edit, measures the time from
writing the file to the new text being on the open page, which reloads itself through live reload.
Two kinds of edit: the processing time of one procedure (its page is open) and the title of one
procedure (its field list is open: the lists are rendered again). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_bench import generated_project  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_server(url: str, process: subprocess.Popen, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit("serve did not start")
            time.sleep(0.1)


class HttpWatcher:
    """Without a browser: fetch the page until the text shows (no live-reload round trip)."""

    def open(self, url: str) -> None:
        self.url = url

    def seconds_until(self, text: str, started: float, present: bool = True, timeout: float = 60) -> float:
        while time.perf_counter() - started < timeout:
            if (text in urllib.request.urlopen(self.url, timeout=5).read().decode("utf-8")) == present:
                return time.perf_counter() - started
            time.sleep(0.02)
        return float("nan")

    def close(self) -> None:
        pass


class BrowserWatcher:
    """An open page in headless Chromium that live reload refreshes by itself."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        self.page = self._browser.new_page()

    def open(self, url: str) -> None:
        self.page.goto(url)

    def seconds_until(self, text: str, started: float, present: bool = True, timeout: float = 60) -> float:
        self.page.wait_for_function("([t, p]) => !!document.body && document.body.innerText.includes(t) === p",
                                    arg=[text, present], timeout=timeout * 1000, polling=10)
        return time.perf_counter() - started

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def _has_playwright() -> bool:
    try:
        import playwright  # noqa: F401 - a test extra: python3 build.py test installs it
    except ImportError:
        return False
    return True


def _procedure(project: Path, index: int) -> tuple[Path, str, str]:
    """A generated procedure file, its page URL and its field slug."""
    files = sorted((project / "content" / "procedures").rglob("*.yml"))
    file = files[index * 97 % len(files)]
    text = file.read_text("utf-8")
    code = re.search(r"^code: '?\"?([\d.]+)", text, re.M).group(1)
    field = re.search(r"^field: (\S+)", text, re.M).group(1)
    return file, code, field


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=8, help="edits of each kind")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix=f"thutuc-preview-{args.size}-"))
    project = generated_project(workdir / "ours", args.size)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (workdir / "serve.log").open("w+", encoding="utf-8")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "serve", "--address", f"127.0.0.1:{port}"],
                               cwd=project, stdout=log, stderr=subprocess.STDOUT, text=True)
    watcher = None
    try:
        _wait_for_server(base, process)
        print(f"== preview of {args.size:,} procedures ==".replace(",", "."))
        print(f"  first build and start     {time.perf_counter() - started:.1f} s")
        watcher = BrowserWatcher() if CHROMIUM.exists() and _has_playwright() else HttpWatcher()
        print(f"  measured in               {'Chromium (live reload)' if isinstance(watcher, BrowserWatcher) else 'HTTP polling'}")
        results: dict[str, list[float]] = {"processing time (procedure page open)": [], "title (field list open)": []}
        for edit in range(args.edits):
            file, code, field = _procedure(project, edit)
            original = file.read_text("utf-8")
            slug = code.replace(".", "-")
            watcher.open(_page_url(base, field, slug))
            marker = f"Đo thời gian xem trước {edit}"
            edited = re.sub(r"^processing_time: ", f"processing_time: {marker}; ", original, count=1, flags=re.M)
            results["processing time (procedure page open)"].append(_time_edit(watcher, file, original, edited, marker))
            watcher.open(base + f"linh-vuc/{field}/")
            title = f"Thủ tục đổi tên số {edit}"
            edited = re.sub(r"^title: .*$", f"title: {title}", original, count=1, flags=re.M)
            results["title (field list open)"].append(_time_edit(watcher, file, original, edited, title))
        for kind, values in results.items():
            print(f"  {kind:<38} median {statistics.median(values):.2f} s, max {max(values):.2f} s  ({len(values)} edits)")
        updates = _update_seconds(log, expected=4 * args.edits)
        if updates:
            print(f"  server-side update        median {statistics.median(updates):.2f} s, max {max(updates):.2f} s"
                  f"  ({len(updates)} updates)")
    finally:
        if watcher is not None:
            watcher.close()
        process.terminate()
        process.wait(timeout=180)  # removing the preview's folder of a large catalogue takes a while on a busy machine
        log.close()
        if args.keep:
            print(f"  kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _update_seconds(log, expected: int, timeout: float = 60) -> list[float]:
    """The server-side times of the updates, once all are printed: pages reload before an update's link
    check, so the last update's line may come after the last change was seen."""
    deadline = time.monotonic() + timeout
    while True:
        log.seek(0)
        found = re.findall(r"Đã cập nhật bản xem trước: .*\(([\d,]+) giây\)", log.read())
        if len(found) >= expected or time.monotonic() > deadline:
            return [float(m.replace(",", ".")) for m in found]
        time.sleep(0.2)


def _time_edit(watcher, file: Path, original: str, edited: str, marker: str) -> float:
    """Seconds from saving `edited` to `marker` showing on the open page; then put the file back."""
    begin = time.perf_counter()
    file.write_text(edited, "utf-8")
    seconds = watcher.seconds_until(marker, begin)
    # Wait until the page shows the original again: the next navigation must not race a reload the
    # live-reload script is about to do.
    file.write_text(original, "utf-8")
    watcher.seconds_until(marker, time.perf_counter(), present=False)
    return seconds


def _page_url(base: str, field: str, slug: str) -> str:
    """The procedure's page URL, read from its field list (slugs come from titles)."""
    html = urllib.request.urlopen(base + f"linh-vuc/{field}/", timeout=10).read().decode("utf-8")
    match = re.search(rf'href="?(?:\.\./\.\./)?(thu-tuc/[^"/ >]*-{re.escape(slug)})/', html)
    if not match:
        sys.exit(f"no link to {slug} on linh-vuc/{field}/")
    return base + match.group(1) + "/"


if __name__ == "__main__":
    main()
