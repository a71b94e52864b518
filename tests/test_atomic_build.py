"""Atomic publishing: the site changes all at once after a complete build, or not at all.

Real builds through the editors' CLI: failures in every MkDocs phase (raised by a MkDocs hook file,
the host's own extension point), broken templates, builds stopped by SIGTERM, SIGINT and SIGKILL while
held in the middle of writing pages, two builds racing to swap, and the clean-up of what a killed build left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sitecheck import VIETNAMESE, siblings, tree_hashes
from support.pausing import add_pause_hook, blocked_on_lock, wait_until_paused
from support.waiting import wait_until

from conftest import FIXTURES, REPO, Project, make_project
from thutuc.render import atomic

KHAI_SINH = "procedures/ho-tich/1.001193-dang-ky-khai-sinh.yml"
KEPT = "Chưa xuất bản"


def add_hook(project: Project, code: str) -> None:
    """A MkDocs hook file (mkdocs.yml `hooks:`): runs inside the real build like a plugin."""
    (project.root / "hook.py").write_text(code, "utf-8")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nhooks:\n  - hook.py\n", "utf-8")


def assert_unchanged(project: Project, before: dict[str, str], *extra: str) -> None:
    assert tree_hashes(project.site) == before, "the published site changed"
    assert siblings(project) == sorted(["content", "mkdocs.yml", "site", *extra])


def test_success_builds_next_to_site_and_swaps_it_in(project: Project, published):
    add_hook(project, (
        "from pathlib import Path\n"
        "def on_post_build(config):\n"
        "    Path(config.config_file_path).with_name('built-in.txt').write_text(config.site_dir)\n"
    ))
    (project.content / KHAI_SINH).write_text(
        (project.content / KHAI_SINH).read_text("utf-8").replace("title: Đăng ký khai sinh", "title: Đăng ký khai sinh mới"), "utf-8"
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    built_in = Path((project.root / "built-in.txt").read_text())
    assert built_in.parent == project.root.resolve()
    assert built_in.name == f"site.building-{built_in.name.rsplit('-', 1)[1]}" and built_in.name != "site"
    assert not built_in.exists()  # renamed into place
    assert "Đăng ký khai sinh mới" in project.html("thu-tuc/dang-ky-khai-sinh-moi-1-001193/")
    assert siblings(project) == ["built-in.txt", "content", "hook.py", "mkdocs.yml", "site"]


PHASES = {
    "on_config": "def on_config(config):\n    raise RuntimeError('hỏng ở on_config')\n",
    "on_pre_build": "def on_pre_build(config):\n    raise RuntimeError('hỏng ở on_pre_build')\n",
    "on_files": "def on_files(files, config):\n    raise RuntimeError('hỏng ở on_files')\n",
    "on_nav": "def on_nav(nav, config, files):\n    raise RuntimeError('hỏng ở on_nav')\n",
    "on_env": "def on_env(env, config, files):\n    raise RuntimeError('hỏng ở on_env')\n",
    "on_page_markdown": (
        "def on_page_markdown(markdown, page, config, files):\n"
        "    if 'thu-tuc' in page.file.src_uri:\n        raise ValueError('hỏng ở on_page_markdown')\n"
    ),
    "on_page_context": "def on_page_context(context, page, config, nav):\n    raise KeyError('hỏng ở on_page_context')\n",
    "on_post_page": (
        "def on_post_page(output, page, config):\n"
        "    if 'linh-vuc' in page.file.src_uri:\n        raise OSError('hỏng ở on_post_page')\n    return output\n"
    ),
    "on_post_build": "def on_post_build(config):\n    raise RuntimeError('hỏng ở on_post_build')\n",
}


def assert_system_error(result: subprocess.CompletedProcess) -> None:
    """Exit 2, a Vietnamese line for editors first, developer details (the traceback) only after it."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    editor_line = next(i for i, line in enumerate(lines) if line.startswith("Lỗi hệ thống khi xây dựng"))
    assert VIETNAMESE.search(lines[editor_line]) and KEPT in lines[editor_line]
    assert all("Traceback" not in line and "Error building page" not in line for line in lines[:editor_line]), result.stderr


@pytest.mark.parametrize("phase", list(PHASES))
def test_an_exception_in_any_mkdocs_phase_publishes_nothing(phase: str, project: Project, published):
    add_hook(project, PHASES[phase])
    result = project.build()
    assert_system_error(result)
    assert f"hỏng ở {phase}" in result.stderr
    assert_unchanged(project, published[1], "hook.py")


def test_a_plugin_error_in_the_last_phase_is_an_ordinary_failure(project: Project, published):
    add_hook(project, (
        "from mkdocs.exceptions import PluginError\n"
        "def on_post_build(config):\n    raise PluginError('Kiểm tra liên kết: có liên kết hỏng.')\n"
    ))
    result = project.build()
    assert result.returncode == 1, result.stderr
    assert "Kiểm tra liên kết: có liên kết hỏng." in result.stderr and KEPT in result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(project, published[1], "hook.py")


@pytest.mark.parametrize(
    "broken",
    [
        ("<h1>{{ p.title }}</h1>", "<h1>{{ p.title | bo_loc_khong_co }}</h1>"),  # compile time
        ("<h1>{{ p.title }}</h1>", "<h1>{{ tt.khong_co.thuoc_tinh }}</h1>"),  # render time
        ("{% block content %}", "{% block content %}{% for x in %}"),  # syntax
    ],
    ids=["unknown-filter", "undefined-attribute", "syntax-error"],
)
def test_a_broken_template_publishes_nothing(broken, project: Project, published):
    theme = project.root / "theme"
    shutil.copytree(REPO / "theme", theme)
    template = theme / "procedure.html"
    text = template.read_text("utf-8")
    assert broken[0] in text
    template.write_text(text.replace(broken[0], broken[1], 1), "utf-8")
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(f"custom_dir: {REPO / 'theme'}", f"custom_dir: {theme}"), "utf-8")
    result = project.build()
    assert_system_error(result)
    assert "procedure.html" in result.stderr or "Error building page 'thu-tuc/" in result.stderr
    assert_unchanged(project, published[1], "theme")


def test_a_check_on_the_written_pages_gates_the_swap(project: Project, published):
    """The link check runs on the finished staging folder; when it fails, nothing is swapped in."""
    file = project.content / KHAI_SINH
    file.write_text(file.read_text("utf-8").replace(
        "requirements: Không", "requirements: Xem [hướng dẫn](/thu-tuc/khong-ton-tai/)."), "utf-8")
    result = project.build()
    assert result.returncode == 1, result.stderr
    assert "khong-ton-tai" in result.stderr and KEPT in result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(project, published[1])


def test_a_broken_config_publishes_nothing(project: Project, published):
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("max_clicks: 3", "max_clicks: ba"), "utf-8")
    result = project.build()
    assert result.returncode == 1, result.stderr
    assert "Tệp cấu hình mkdocs.yml có lỗi" in result.stderr and KEPT in result.stderr
    assert "Traceback" not in result.stderr
    assert_unchanged(project, published[1])


def _build(project: Project, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "thutuc.host.cli", "build"], cwd=project.root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env})


def test_a_second_build_waits_while_the_first_swaps(project: Project, published, tmp_path: Path):
    """The first build is held between its two renames (no site/ exists then); a second build must wait
    for it on the folder lock rather than run: deterministic, whatever the speed of either build."""
    pause = tmp_path / "pause"
    pause.mkdir()
    first = _build(project, **{atomic.PAUSE_ENV: f"swap:{pause}"})
    second = None
    try:
        wait_until((pause / "swap.reached").exists, "the first build reaches its swap",
                   give_up=lambda: first.poll() is not None and f"it ended first: {first.communicate()[1]}")
        assert not project.site.exists()  # really between the renames
        second = _build(project)

        def second_ran() -> str | None:
            if second.poll() is None:
                return None
            return f"the second build ran (exit {second.returncode}) while the first was swapping:\n{second.communicate()[1]}"

        wait_until(lambda: blocked_on_lock(second.pid, project.root), "the second build waits on the lock", give_up=second_ran)
    finally:
        (pause / "swap.go").touch()
    for build in (first, second):
        _, stderr = build.communicate(timeout=600)
        assert build.returncode == 0, stderr
    # Same content, so the site is byte-for-byte the published one; nothing is left over.
    assert_unchanged(project, published[1])


def test_a_failed_final_rename_puts_the_old_site_back(tmp_path: Path):
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("cũ", "utf-8")
    with pytest.raises(OSError):
        atomic.swap_in(tmp_path / "site.building-1", target)  # nothing to rename: the final rename fails
    assert (target / "index.html").read_text("utf-8") == "cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- leftovers of killed builds -------------------------------------------------------------------------


def _break_content(project: Project) -> None:
    (project.content / "fields.yml").write_text("- slug: Sai\n", "utf-8")


def test_leftover_staging_folders_are_removed_by_the_next_build(project: Project, published):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for name in (f"site.building-{dead.pid}", "site.building-99999999"):
        (project.root / name / "thu-tuc").mkdir(parents=True)
        (project.root / name / "index.html").write_text("nửa chừng", "utf-8")
    alive = project.root / f"site.building-{os.getpid()}"  # a build still running (this process) keeps its folder
    alive.mkdir()
    _break_content(project)
    result = project.build()
    assert result.returncode == 1
    assert_unchanged(project, published[1], alive.name)


def test_a_swap_cut_in_half_is_repaired_by_the_next_build(project: Project, published):
    # A kill between the two renames of a swap leaves the previous site under site.old and no site/.
    (project.root / "site").rename(project.root / "site.old")
    _break_content(project)
    result = project.build()
    assert result.returncode == 1
    assert_unchanged(project, published[1])


# -- stopping a real build in the middle ------------------------------------------------------------------


def _paused_build(published, tmp_path: Path) -> tuple[Project, subprocess.Popen, Path]:
    """A build of the published project held at its first procedure page (see support.pausing)."""
    project = make_project(tmp_path / "project", FIXTURES / "minimal")
    shutil.copytree(published[0].site, project.site)
    marker = add_pause_hook(project.root)
    # Ctrl+C as a terminal sends it: a suite started in the background (`cmd &` in a script) inherits an
    # ignored SIGINT, and Python then never installs its KeyboardInterrupt handler in the build.
    process = subprocess.Popen(
        [sys.executable, "-m", "thutuc.host.cli", "build"], cwd=project.root,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_until_paused(process, marker)
    staging = project.root / f"site.building-{process.pid}"
    assert staging.is_dir() and any(staging.iterdir()), "the build is not writing its staging folder"
    marker.unlink()
    return project, process, staging


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_build_stopped_mid_way_leaves_the_old_site_and_cleans_up(stop, published, tmp_path):
    project, process, _ = _paused_build(published, tmp_path)
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 130, stderr
    assert "Đã dừng xây dựng" in stderr and KEPT in stderr
    assert "Traceback" not in stderr
    assert_unchanged(project, published[1], "pause_hook.py")


def test_a_killed_build_leaves_the_old_site_and_the_next_build_cleans_up(published, tmp_path):
    project, process, staging = _paused_build(published, tmp_path)
    process.kill()  # SIGKILL: no clean-up can run
    process.communicate(timeout=60)
    assert staging.is_dir()
    assert_unchanged(project, published[1], "pause_hook.py", staging.name)
    _break_content(project)  # the next build fails fast, but removes the leftover first
    result = project.build()
    assert result.returncode == 1
    assert_unchanged(project, published[1], "pause_hook.py")
