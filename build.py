#!/usr/bin/env python3
"""The one entry point for people: set up, build, check, preview and test the catalogue.

    python3 build.py            set up .venv if needed, check the content and build the site into site/
    python3 build.py check      check the content only
    python3 build.py new        create a new procedure file from a template (asks for what is missing)
    python3 build.py import F…  import procedures exported from the National Public Service Portal (JSON, CSV, XLSX)
    python3 build.py serve      preview at http://127.0.0.1:8000/ with live reload
    python3 build.py admin      the browser editor at http://127.0.0.1:8000/admin/ (this machine only) with the preview
    python3 build.py test       set up test tools and run the whole test suite (--fast: the quick tier)
    python3 build.py bench      build generated catalogues of 2,000 and 10,000 procedures and print figures,
                                then time the preview loop (save to visible) at 2,000

Standard library only until the virtual environment exists: it must run on a fresh machine.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".thutuc-installed"
CHROMIUM = Path("/usr/bin/chromium")
LIBERATION2 = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
MIN_PYTHON = (3, 11)


USAGE = """\
Cách dùng: python3 build.py [LỆNH] [THAM SỐ…]

  python3 build.py            cài môi trường .venv nếu cần, kiểm tra nội dung và xây dựng trang vào site/
  python3 build.py check      chỉ kiểm tra nội dung, không xây dựng
  python3 build.py new        tạo tệp thủ tục mới theo mẫu (hỏi những gì còn thiếu)
  python3 build.py import TỆP…  nhập thủ tục từ Cổng Dịch vụ công quốc gia (.json) hoặc bảng (.csv, .xlsx)
  python3 build.py serve      xem trước tại http://127.0.0.1:8000/, tự tải lại khi sửa
  python3 build.py admin      mở trình biên tập trên trình duyệt (chỉ máy này) cùng bản xem trước
  python3 build.py test       cài công cụ kiểm thử và chạy toàn bộ bài kiểm thử (--fast: chỉ phần nhanh)
  python3 build.py bench      đo thời gian xây dựng 2.000 và 10.000 thủ tục, rồi vòng xem trước ở 2.000

Hướng dẫn của từng lệnh: python3 build.py LỆNH -h (ví dụ python3 build.py new -h).
Hướng dẫn biên tập: docs/huong-dan-bien-tap.md"""


def say(message: str) -> None:
    print(message, flush=True)


def _install_fingerprint(extras: str) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(extras.encode())
    return digest.hexdigest()


def ensure_environment(with_tests: bool = False) -> None:
    """Create .venv and install the project with its pinned dependencies, once per pyproject change."""
    if sys.version_info < MIN_PYTHON:
        sys.exit(f"Cần Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} trở lên (đang dùng {sys.version.split()[0]}).")
    extras = "[test]" if with_tests else ""
    if not PYTHON.exists():
        say("Đang tạo môi trường Python riêng (.venv)…")
        venv.EnvBuilder(with_pip=True, clear=False).create(VENV)
    wanted = _install_fingerprint(extras)
    installed = STAMP.read_text().split() if STAMP.exists() else []
    if wanted in installed:
        return
    say("Đang cài đặt các gói cần thiết (chỉ lần đầu hoặc khi pyproject.toml thay đổi)…")
    command = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f".{extras}"]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        sys.exit("Cài đặt thất bại: kiểm tra kết nối tới kho gói PyPI rồi chạy lại.")
    STAMP.write_text(" ".join(installed + [wanted]))


VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def ensure_test_tools() -> None:
    """Java, Node and the HTML checker (vnu.jar from npm, pinned in package-lock.json), installed once.

    The test command needs every tool: a missing one stops it here rather than skipping tests."""
    for command, package, why in (("java", "default-jre-headless", "Java cho bộ kiểm tra HTML"),
                                  ("node", "nodejs", "Node.js cho các bài kiểm tra JavaScript"),
                                  ("npm", "npm", "npm để tải công cụ kiểm thử")):
        if not shutil.which(command):
            apt_install(package, why)
        if not shutil.which(command):
            sys.exit(f"Thiếu {command} ({why}): cài bằng lệnh 'sudo apt-get install {package}' rồi chạy lại.")
    if VNU_JAR.exists():
        return
    say("Đang cài công cụ kiểm tra HTML (npm ci)…")
    # --ignore-scripts: vnu-jar's install script would download a Java runtime; we use the system's.
    done = subprocess.run([shutil.which("npm"), "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT, check=False)
    if done.returncode != 0 or not VNU_JAR.exists():
        sys.exit("Không cài được công cụ kiểm tra HTML (npm ci): kiểm tra kết nối tới kho npm rồi chạy lại.")


def apt_install(package: str, why: str) -> None:
    """Install a Debian package when we can (root with apt-get); otherwise the caller explains."""
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        say(f"Đang cài {why} (apt-get install {package})…")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, env=env, stdout=subprocess.DEVNULL)


def ensure_fonts() -> None:
    """Form PDFs embed Liberation Serif 2.x (fonts-liberation2): the 1.07 package lacks ơ, ư and tones."""
    if os.environ.get("THUTUC_FONT_DIR") or LIBERATION2.exists():
        return
    apt_install("fonts-liberation2", "phông chữ Liberation Serif cho biểu mẫu PDF")
    if not LIBERATION2.exists():
        say("Chưa có phông chữ fonts-liberation2: biểu mẫu PDF sẽ không tạo được. Cài bằng 'sudo apt-get install fonts-liberation2'.")


def ensure_browser() -> None:
    """Browser tests drive Debian's Chromium; install it when we can (root with apt), else explain."""
    if CHROMIUM.exists():
        return
    apt_install("chromium", "Chromium cho các bài kiểm tra trên trình duyệt")
    if not CHROMIUM.exists():
        sys.exit("Thiếu trình duyệt Chromium (/usr/bin/chromium): cài bằng lệnh 'sudo apt-get install chromium' rồi chạy lại.")


SERVERS = {  # the generated server configurations are proved on these (tests/test_nginx.py, test_hosting.py)
    "/usr/sbin/nginx": ("nginx-light", "nginx"),
    "/usr/bin/openssl": ("openssl", "openssl (chứng thư thử nghiệm)"),
    "/usr/sbin/apache2": ("apache2-bin", "Apache"),
}


def ensure_servers() -> None:
    """Install the web servers the hosting tests run, when we can; the tests fail and say so when missing."""
    for path, (package, why) in SERVERS.items():
        if not Path(path).exists():
            apt_install(package, f"{why} cho các bài kiểm tra cấu hình máy chủ")
            if not Path(path).exists():
                say(f"Thiếu {path}: các bài kiểm tra cấu hình máy chủ sẽ báo lỗi. Cài bằng 'sudo apt-get install {package}'.")


ADMIN_ASSETS = ROOT / "tools" / "admin-assets.json"
ADMIN_CACHE = ROOT / ".cache" / "admin-assets"


def ensure_admin_assets(required: bool = False) -> None:
    """Fetch the browser editor (Decap CMS) once with npm, pinned and hash-checked; the site works without it,
    but the tests need it (required=True: a failed download stops the command instead of skipping tests)."""
    import base64
    import fnmatch
    import json
    import tarfile
    import tempfile

    pins = json.loads(ADMIN_ASSETS.read_text("utf-8"))["packages"]
    missing = {n: p for n, p in pins.items() if not (ADMIN_CACHE / f"{n}-{p['version']}" / ".complete").exists()}
    if not missing:
        return

    def give_up(message: str) -> None:
        if required:
            sys.exit(message + " Bộ kiểm thử cần trình biên tập này: kiểm tra kết nối tới kho npm rồi chạy lại.")
        say(message)
    npm = shutil.which("npm")
    if npm is None:
        give_up("Không có npm: trang biên tập /admin/ sẽ không được xuất bản (xem README, mục Biên tập trên trình duyệt).")
        return
    say("Đang tải trình biên tập Decap CMS từ kho npm (chỉ lần đầu)…")
    for name, pin in missing.items():
        with tempfile.TemporaryDirectory() as temporary:
            done = subprocess.run([npm, "pack", f"{name}@{pin['version']}", "--pack-destination", temporary, "--silent"],
                                  cwd=temporary, capture_output=True, text=True)
            tarballs = list(Path(temporary).glob("*.tgz"))
            if done.returncode != 0 or not tarballs:
                give_up(f"Không tải được {name}@{pin['version']} từ npm: trang /admin/ sẽ không được xuất bản lần này.")
                return
            algorithm, expected = pin["integrity"].split("-", 1)
            actual = base64.b64encode(hashlib.new(algorithm, tarballs[0].read_bytes()).digest()).decode()
            if actual != expected:
                give_up(f"Tệp tải về của {name} không khớp mã kiểm tra trong tools/admin-assets.json: bỏ qua.")
                return
            target = ADMIN_CACHE / f"{name}-{pin['version']}"
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarballs[0]) as archive:
                for member in archive.getmembers():
                    inner = member.name.removeprefix("package/")
                    if member.isfile() and any(fnmatch.fnmatch(inner, pattern) for pattern in pin["files"]):
                        destination = target / Path(inner).name
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        destination.write_bytes(archive.extractfile(member).read())
            (target / ".complete").write_text(pin["integrity"])


def admin_assets_ready() -> bool:
    import json

    pins = json.loads(ADMIN_ASSETS.read_text("utf-8"))["packages"]
    return all((ADMIN_CACHE / f"{n}-{p['version']}" / ".complete").exists() for n, p in pins.items())


FAST_TIER = "not slow and not browser"
# Two test processes (pytest-xdist): a build waits on the disk and on its helper process, so two keep two
# cores busy. Whole files go to one process, so a site or browser page a module shares is built once
# (xdist's loadgroup would spread finer, but its groups do nothing under pytest 9.2's node ids).
PARALLEL = ["-n", "2", "--dist", "loadfile"]


def pytest_arguments(rest: list[str]) -> list[str]:
    """pytest's arguments for `test`: two processes unless asked otherwise (-n, -p no:xdist); `--fast` runs
    the quick tier for editing loops (no browser, nothing that builds a site: tests/conftest.py marks them)."""
    arguments = [argument for argument in rest if argument != "--fast"]
    if not any(argument.startswith(("-n", "--numprocesses", "--dist")) or argument == "no:xdist" for argument in arguments):
        arguments = PARALLEL + arguments
    if "--fast" in rest:
        arguments = ["-m", FAST_TIER, *arguments]
    return arguments


def run_in_venv(args: list[str], *, last: bool = True) -> int:
    """Run the project's Python. The last step replaces this process on POSIX (os.execv), so a signal sent
    to `python3 build.py` (SIGTERM from a service manager or `kill`, Ctrl+C) reaches the build itself,
    which removes its temporary folder and never publishes; a child left running would swap in a site later."""
    command = [str(PYTHON), *args]
    if last and os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(ROOT)
        os.execv(command[0], command)
    child = subprocess.Popen(command, cwd=ROOT)

    def forward(signum: int, frame: object) -> None:
        child.send_signal(signum)

    # Ctrl+C reaches the child from the terminal by itself; SIGTERM is sent to this process only.
    handled = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {number: signal.signal(number, forward) for number in handled}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:
                continue  # the child got it too: wait until it has cleaned up
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    rest = argv[1:]
    if command in ("-h", "--help", "help"):
        say(USAGE)
        return 0
    if command in ("build", "serve", "admin", "check", "test"):
        ensure_fonts()
    if command == "test":
        ensure_environment(with_tests=True)
        ensure_browser()
        ensure_servers()
        ensure_test_tools()
        ensure_admin_assets(required=True)  # so the /admin/ tests run against the real Decap files
        os.environ["THUTUC_TESTS_STRICT"] = "1"  # tests/support/required.py: a missing tool fails, never skips
        return run_in_venv(["-m", "pytest", *pytest_arguments(rest)])
    ensure_environment()
    if command in ("build", "serve", "admin"):
        ensure_admin_assets()
    if command == "admin" and not admin_assets_ready():
        apt_install("npm", "npm để tải trình biên tập Decap CMS (một lần)")
        ensure_admin_assets()
        if not admin_assets_ready():
            sys.exit("Chưa tải được trình biên tập (cần npm và mạng tới kho npm, một lần): cài bằng "
                     "'sudo apt-get install npm' rồi chạy lại python3 build.py admin.")
    if command in ("build", "check", "serve", "admin", "new", "import"):
        return run_in_venv(["-m", "thutuc.host.cli", command, *rest])
    if command == "bench":  # build figures, then the preview loop (save to visible) at 2,000 procedures
        return run_in_venv([str(ROOT / "benchmarks" / "build_bench.py"), *rest], last=False) or run_in_venv(
            [str(ROOT / "benchmarks" / "preview_bench.py")]
        )
    say(f"Lệnh không rõ: {command}. Dùng: build, check, serve, admin, new, import, test, bench (xem: python3 build.py -h).")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
