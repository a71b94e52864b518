"""The command line speaks Vietnamese (argparse's own texts included), and `new` works in scripts."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest

from conftest import REPO, Project

# argparse's English, as Python 3.11–3.13 print it: none of it may reach an editor.
ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "error:",
           "invalid choice", "invalid int value", "are required", "unrecognized arguments", "expected one argument")


def _cli(project: Project, *args: str, stdin: str | bytes | None = "") -> subprocess.CompletedProcess:
    """The real CLI, as build.py runs it, with piped (not a terminal) standard input."""
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    result = subprocess.run([sys.executable, "-m", "thutuc.host.cli", *args], cwd=project.root, input=data,
                            capture_output=True, timeout=300)
    result.stdout, result.stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    return result


def _assert_vietnamese(text: str) -> None:
    assert text.strip()
    assert unicodedata.is_normalized("NFC", text)
    lowered = text.lower()
    assert not [e for e in ENGLISH if e in lowered], text


@pytest.mark.parametrize("command", [[], ["build"], ["check"], ["new"], ["import"], ["serve"]])
def test_help_is_vietnamese(minimal_project: Project, command: list[str]) -> None:
    result = _cli(minimal_project, *command, "-h")
    assert result.returncode == 0, result.stderr
    _assert_vietnamese(result.stdout)
    assert result.stdout.startswith("cách dùng: build.py")
    assert "hiện hướng dẫn này rồi thoát" in result.stdout
    assert "tùy chọn:" in result.stdout


@pytest.mark.parametrize(("args", "says"), [
    (["bogus"], "không có lựa chọn “bogus”"),
    (["import"], "thiếu tham số bắt buộc: TỆP"),
    (["new", "--level", "hai"], "giá trị “hai” không hợp lệ"),
    (["build", "--khong-co"], "không hiểu tham số: --khong-co"),
    (["build", "--site-dir"], "cần một giá trị"),
])
def test_usage_errors_are_vietnamese(minimal_project: Project, args: list[str], says: str) -> None:
    result = _cli(minimal_project, *args)
    assert result.returncode == 2
    _assert_vietnamese(result.stderr)
    assert says in result.stderr and "lỗi:" in result.stderr and "python3 build.py" in result.stderr


def test_build_py_help_is_vietnamese() -> None:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0
    _assert_vietnamese(result.stdout)
    assert result.stdout.startswith("Cách dùng: python3 build.py") and "python3 build.py new -h" in result.stdout


def _procedure_files(project: Project) -> list[str]:
    return sorted(p.name for p in (project.content / "procedures").rglob("*.yml"))


def test_new_reads_piped_answers(minimal_project: Project) -> None:
    # Answers in the order the questions come, with a byte-order mark and decomposed (NFD) accents, as
    # Windows and macOS tools write them.
    title = unicodedata.normalize("NFD", "Đăng ký kết hôn")
    piped = ("\ufeff1.000894\n" + title + "\nho-tich\n2\n").encode("utf-8")
    result = _cli(minimal_project, "new", stdin=piped)
    assert result.returncode == 0, result.stderr
    file = next((minimal_project.content / "procedures/ho-tich").glob("1.000894-*.yml"))
    assert file.name == "1.000894-dang-ky-ket-hon.yml"
    text = file.read_text("utf-8")
    assert "title: Đăng ký kết hôn\n" in text and "level: 2\n" in text
    assert "Mã thủ tục (ví dụ" not in result.stdout, "no prompts when nobody is typing"


def test_new_mixes_flags_and_piped_answers(minimal_project: Project) -> None:
    result = _cli(minimal_project, "new", "--ma", "1.000894", "--linh-vuc", "ho-tich", stdin="Đăng ký kết hôn\n1\n")
    assert result.returncode == 0, result.stderr
    assert (minimal_project.content / "procedures/ho-tich/1.000894-dang-ky-ket-hon.yml").is_file()


def test_new_without_a_terminal_names_each_missing_flag(minimal_project: Project) -> None:
    before = _procedure_files(minimal_project)
    result = _cli(minimal_project, "new", "--code", "1.000894", stdin="Đăng ký kết hôn\n")
    assert result.returncode == 2
    _assert_vietnamese(result.stderr)
    assert "--field (mã lĩnh vực)" in result.stderr and "--level (mức độ)" in result.stderr
    assert "--title (tên thủ tục)" not in result.stderr, "the piped line answered the title"
    assert _procedure_files(minimal_project) == before


def test_new_with_piped_wrong_answer_fails_instead_of_asking_again(minimal_project: Project) -> None:
    before = _procedure_files(minimal_project)
    result = _cli(minimal_project, "new", stdin="1.000894\nĐăng ký kết hôn\nkhong-co\n1\n1.000894\n")
    assert result.returncode == 1
    assert "lĩnh vực “khong-co” chưa có" in result.stderr
    assert _procedure_files(minimal_project) == before


def test_new_refuses_piped_text_that_is_not_utf8(minimal_project: Project) -> None:
    """A title typed into a Windows console (CP1258) is refused with a Vietnamese message, not a traceback."""
    before = _procedure_files(minimal_project)
    piped = b"1.000894\n" + "Kê\u0301t hôn\n".encode("cp1258") + b"ho-tich\n1\n"  # CP1258 writes tones apart
    result = _cli(minimal_project, "new", stdin=piped)
    assert result.returncode == 2
    assert "không phải văn bản UTF-8" in result.stderr and "Traceback" not in result.stderr
    assert _procedure_files(minimal_project) == before


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_new_in_a_terminal_asks_again_only_for_what_was_typed(minimal_project: Project) -> None:
    """Someone typing: an empty title is explained and asked again; the values given as flags stay."""
    import os
    import pty
    import select

    pid, terminal = pty.fork()
    if pid == 0:  # the child: the real CLI on a terminal
        os.chdir(minimal_project.root)
        os.execv(sys.executable, [sys.executable, "-m", "thutuc.host.cli", "new", "--ma", "1.000894", "--linh-vuc", "ho-tich",
                                  "--muc-do", "1"])
    seen = b""
    status: int | None = None

    def expect(text: str) -> None:
        nonlocal seen
        while text.encode() not in seen:
            ready, _, _ = select.select([terminal], [], [], 120)
            assert ready, f"no “{text}” from the command; it printed: {seen.decode(errors='replace')}"
            try:
                seen += os.read(terminal, 4096)
            except OSError:  # the command has ended
                break
        assert text.encode() in seen, seen.decode(errors="replace")

    try:
        expect("Tên thủ tục (ví dụ")
        os.write(terminal, b"\n")
        expect("tên thủ tục không được để trống")
        os.write(terminal, "Đăng ký kết hôn\n".encode())
        expect("Đã tạo content/procedures/ho-tich/1.000894-dang-ky-ket-hon.yml")
        expect("python3 build.py check")  # its last line: the command is ending by itself
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(terminal)
        if status is None:  # the test failed while the command was still asking: the hang-up stops it
            os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert seen.count("Mã thủ tục (ví dụ".encode()) == 0, "the code given as --ma is not asked for"


def test_new_checks_each_typed_answer_at_once(minimal_project: Project) -> None:
    """Typed at a terminal: a wrong answer is explained and asked again before the next question."""
    import os

    controller, terminal = os.openpty()
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "new"], cwd=minimal_project.root, stdin=terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment)
    os.close(terminal)
    try:
        # An existing code first, then a good one; then the title, a field that does not exist, a good one.
        os.write(controller, "1.001193\n1.000894\nĐăng ký kết hôn\nkhong-co\nho-tich\n7\n2\n".encode())
        output = process.communicate(timeout=120)[0].decode("utf-8")
    finally:
        os.close(controller)
    assert process.returncode == 0, output
    code_refused = output.index("Chưa dùng được: mã thủ tục “1.001193” đã có")
    assert code_refused < output.index("Tên thủ tục"), "the code is checked before the title is asked"
    assert output.index("lĩnh vực “khong-co” chưa có") < output.index("Mức độ (1, 2, 3 hoặc 4")
    assert "mức độ phải là 1, 2, 3 hoặc 4" in output
    file = minimal_project.content / "procedures/ho-tich/1.000894-dang-ky-ket-hon.yml"
    text = file.read_text("utf-8")
    assert "level: 2\n" in text
    assert "summary: 'TODO: một hoặc hai câu giới thiệu thủ tục cho người dân'  # không bắt buộc: xóa được\n" in text
    assert "keywords:  # không bắt buộc: xóa được\n" in text
    assert "decision: 'TODO" in text and "decision: 'TODO: quyết định công bố, ví dụ" in text
    assert "# không bắt buộc" not in next(line for line in text.splitlines() if line.startswith("decision:"))
