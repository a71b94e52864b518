"""`build.py serve`: a live preview that shows an edited procedure within about a second at 2,000.

The first build is an ordinary MkDocs build into a temporary folder. After a save:

- when only files under content/procedures/ changed, the catalogue is reloaded from memory (only the
  changed files are read again, see load_memo.py) and only the pages whose key changed are rendered
  again: the edited procedure, pages that show it as related, and the list pages, which read the
  whole catalogue. Open pages reload as soon as these are written. The search index is rebuilt in a
  helper process and written when it is ready; the link check then runs on the kept scans of all
  other pages (it only prints: a preview is not a publication).
- any other change (mkdocs.yml, theme/, fields.yml, forms, overlays, pages) is a full build into a
  folder beside the preview, swapped in only when it succeeds.

Content errors never replace the last good preview: they are printed in the terminal and shown as a
banner at the top of every page until fixed. Pages are not minified in the preview.

Single pages are rendered with the project's renderer (page_render.py, through
plugin.render_generated) and served by the preview's own server (preview_server.py); the full build
is the one thing asked of MkDocs (host_build.py). Nothing here imports MkDocs.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..content.load_memo import LoadMemo
from ..editor.admin import LOCAL_BACKEND_ENV
from ..editor.admin_backend import API_PATH, LocalBackend, wsgi_answer
from ..render import atomic
from ..render.budget import MarkdownTooSlow
from ..render.helper_process import start_helper
from ..render.linkgraph import check_site, format_report, page_path, scan_pages
from ..render.page_render import page_bytes, write_file, write_outputs
from ..search import build_search_files
from ..site.changes import changes_files
from ..site.navigation import sitemap_entries
from ..site.plan import procedure_paths
from ..site.seo import write_sitemap
from ..site.statistics_pages import statistics_files
from . import snapshot
from .door import BuildStopped, ConfigInvalid, ContentInvalid, HostDoor
from .http_server import PreviewServer

POLL_SECONDS = 0.25  # how often watched files are compared; also sees edits on network and WSL drives


def _seconds(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " giây"


class PreviewError(Exception):
    """A build stopped by the content or configuration: the message is for editors."""

    def __init__(self, details: str, printed: bool = False) -> None:
        super().__init__(details)
        self.details, self.printed = details, printed


class PreviewSession:
    """The state kept between rebuilds: the last good build's plugin, pages, keys and link scans."""

    def __init__(self, config_file: Path, site_dir: Path, serve_url: str, door: HostDoor) -> None:
        self.door = door  # the host's build (host/build.py), handed in by host/cli.py
        self.config_file = config_file
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.memo = LoadMemo()
        self.plugin: Any = None
        self.config: Any = None
        self.needs_full = True
        self.keys: dict[str, Any] = {}  # src_uri -> the key the page was last rendered with
        self.sitemap: dict[str, str] = {}
        self.share_images: dict[str, bytes] = {}  # og:image cards written to the site, by URL
        self.search_input: Any = None
        self.search_generation = 0
        self.helper: ProcessPoolExecutor | None = None
        self.search_job: Future | None = None
        self.search_written = 0  # the generation whose search files are on disk
        self.watched: list[Path] = [config_file]
        self.seen: snapshot.Snapshot = {}
        self.problem: tuple[str, str] = ("", "")
        self.last_report = ""
        self.last_rendered: list[str] = []  # src_uri of the pages the last update rendered
        self.last_kind = ""  # "full", "update", "unchanged" or "error": what the last rebuild did
        # Held while files in site_dir are written or swapped (the server's lock: it serves whole files).
        self.writing: Any = nullcontext()
        # Called once per rebuild with the problem to show (none: empty) as soon as the pages are on
        # disk: the server reloads open pages then, before an update's link check.
        self.on_visible: Callable[[tuple[str, str]], None] = lambda problem: None
        self._shown = False

    # -- what changed and what to do about it ---------------------------------------------------

    def rebuild(self, now: snapshot.Snapshot | None = None) -> None:
        """Called after watched files changed (now: their snapshot, if taken) and once at start; never raises."""
        if now is None:
            now = snapshot.take(self.watched)
        changed = snapshot.changed(self.seen, now)
        self.seen = now
        if not changed and not self.needs_full:
            self.last_kind = "unchanged"
            return
        started = time.perf_counter()
        self.last_kind = "error"
        self._shown = False
        try:
            if not self.needs_full and self._only_procedures(changed):
                self.last_report = self._update(started)
                self.last_kind = "update"
            else:
                self.needs_full = True
                self.last_report = self._full_build(started)
                self.needs_full = False
                self.last_kind = "full"
            self.problem = ("", "")
            print(self.last_report, flush=True)
        except (PreviewError, MarkdownTooSlow) as error:
            if isinstance(error, MarkdownTooSlow):  # content that takes too long to render: a content error
                self.needs_full = True
                error = PreviewError(error.line())
            self.problem = ("nội dung hoặc cấu hình có lỗi; trang dưới đây là bản trước đó.", error.details)
            if not error.printed:
                print(error.details, file=sys.stderr)
            print("Bản xem trước giữ nguyên bản trước đó; sửa lỗi rồi lưu lại tệp.", file=sys.stderr, flush=True)
        except Exception as error:  # noqa: BLE001 - a template or program error must not stop the preview
            self.needs_full = True
            self.problem = ("lỗi khi xây dựng (có thể do mẫu giao diện trong theme/).", f"{type(error).__name__}: {error}")
            print("Lỗi khi xây dựng bản xem trước:", file=sys.stderr)
            traceback.print_exc(file=sys.stderr)
        if not self._shown or self.problem[0]:
            self._show(self.problem)

    def _show(self, problem: tuple[str, str]) -> None:
        self._shown = True
        with self.writing:  # pages are served with the number of the build they show
            self.on_visible(problem)

    def _only_procedures(self, changed: set[str]) -> bool:
        procedures = str(self.plugin.catalogue.content_dir / "procedures") + "/"
        return all(path.startswith(procedures) for path in changed)

    # -- full build ------------------------------------------------------------------------------

    def _full_build(self, started: float) -> str:
        staging = atomic.staging_dir(self.site_dir)
        atomic.discard(staging)
        try:
            config = self.door.load_site_config(self.config_file, site_dir=str(staging))
        except ConfigInvalid as error:  # MkDocs has printed what is wrong, key by key
            raise PreviewError(f"Tệp cấu hình {self.config_file.name} có lỗi (chi tiết trong cửa sổ dòng lệnh).", printed=True) from error
        config.site_url = self.serve_url  # absolute links and canonical URLs point at the preview
        # Before building: `seen` must be the files as they were before the build, so that a file
        # saved during the build is built next.
        self.watch_what(config)
        plugin = config.plugins["thutuc"]
        plugin.load_memo = self.memo
        plugin.config["minify"] = False
        # The preview re-renders single pages: names must not follow content, and nothing is deployed from it.
        for option in ("fingerprint", "precompress", "deploy"):
            plugin.config.hosting[option] = False
        try:
            self.door.build_site(config, self.serve_url)
        except BuildStopped as error:
            atomic.discard(staging)
            # MkDocs has printed the plugin's message and raises an English "Aborted…": keep the former.
            raise PreviewError(str(plugin.build_error or error), printed=plugin.build_error is not None) from error
        except BaseException:
            atomic.discard(staging)
            raise
        with self.writing:
            atomic.swap_in(staging, self.site_dir)
        config["site_dir"] = str(self.site_dir)
        self.plugin, self.config = plugin, config
        self.keys = {uri: spec.key() for uri, spec in plugin.page_specs.items()}
        self.sitemap = dict(plugin.sitemap_items)
        self.share_images = dict(plugin.share_images)
        self.search_input = plugin.search_documents()
        self.search_generation += 1  # a search job still running belongs to an older site
        self.search_written, self.search_job = self.search_generation, None
        stats = plugin.stats
        return (f"Đã xây dựng bản xem trước: {stats.procedures} thủ tục, {stats.pages} trang "
                f"({_seconds(time.perf_counter() - started)}).")

    def watch_what(self, config) -> None:
        """Watch what this configuration reads (mkdocs.yml may name another content or theme folder)."""
        watched = self._watched_paths(config)
        if watched != self.watched:
            self.seen = snapshot.take(watched)
        self.watched = watched

    def _watched_paths(self, config) -> list[Path]:
        content_dir = self.config_file.parent / config.plugins["thutuc"].config.content_dir
        paths = [self.config_file, content_dir, Path(config.docs_dir)]
        if config.theme.custom_dir:
            paths.append(Path(config.theme.custom_dir))
        return list(dict.fromkeys(path.resolve() for path in paths if path.exists()))

    # -- incremental update ----------------------------------------------------------------------

    def _update(self, started: float) -> str:
        plugin, config = self.plugin, self.config
        try:
            result = self.door.reload_content(plugin, config)  # every problem at once; nothing is written before this
        except ContentInvalid as error:
            raise PreviewError(str(error)) from error
        plugin.catalogue = result.catalogue
        files = plugin.site_files
        specs = plugin.plan_pages(config, files)
        self._sync_share_images(plugin.share_image_files(config))
        wanted = {spec.src_uri for spec in specs}
        stale = [spec for spec in specs if spec.key() is None or self.keys.get(spec.src_uri, ()) != spec.key()]
        plugin.sitemap_items = []
        rendered = [plugin.render_generated(config, spec) for spec in stale]  # before anything is written
        plugin.page_scans.update(scan_pages(plugin.take_rendered()))
        with self.writing:
            for uri in [uri for uri in self.keys if uri not in wanted]:
                self._remove_page(uri)
            for dest_uri, output in rendered:
                write_file(self.site_dir / dest_uri, page_bytes(output))
            self.sitemap.update(plugin.sitemap_items)
            for spec in specs:
                if not spec.in_sitemap:  # e.g. a procedure abolished by this save: its notice leaves the sitemap
                    self.sitemap.pop(spec.url, None)
            write_sitemap(self.site_dir, sitemap_entries(list(self.sitemap.items()), plugin.settings), config.site_url or "")
            # A procedure may now link to a form file no other procedure used; the statistics CSV's totals
            # follow fields and agencies; the Atom feed follows lifecycle dates. Written as the build writes
            # its generated files (page_render.write_outputs).
            write_outputs(self.site_dir, plugin.form_outputs(), only_missing=True)
            write_outputs(self.site_dir, {**statistics_files(plugin.build_inputs), **changes_files(plugin.build_inputs)})
            self._show(("", ""))  # the pages are there: reload now; the link check only prints
        for spec in stale:
            self.keys[spec.src_uri] = spec.key()
        self.last_rendered = [spec.src_uri for spec in stale]
        self._refresh_search()
        warning = self._check_links(specs)
        reused = self.memo.reused
        return (f"Đã cập nhật bản xem trước: {len(stale)} trang, {len(specs) - len(stale)} trang giữ nguyên, "
                f"đọc lại {len(plugin.catalogue.procedures) - reused} tệp thủ tục "
                f"({_seconds(time.perf_counter() - started)}).{warning}")

    def _remove_page(self, uri: str) -> None:
        forgotten = self.plugin.forget_page(uri)
        if forgotten is not None:
            dest_uri, url = forgotten
            output = self.site_dir / dest_uri
            output.unlink(missing_ok=True)
            if output.parent != self.site_dir and not any(output.parent.iterdir()):
                output.parent.rmdir()  # thu-tuc/<old slug>/ goes with its page, as in a full build
            self.plugin.page_scans.pop(page_path(dest_uri), None)
            self.sitemap.pop(url, None)
        del self.keys[uri]

    def _sync_share_images(self, images: dict[str, bytes]) -> None:
        """og:image cards as a full build writes them: new and renamed ones written, stale ones removed.
        The image cache hands out the same bytes object for the same card, so unchanged ones cost nothing."""
        for url, data in images.items():
            if self.share_images.get(url) is not data:
                target = self.site_dir / url
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        for url in self.share_images.keys() - images.keys():
            (self.site_dir / url).unlink(missing_ok=True)
        self.share_images = dict(images)

    def _refresh_search(self) -> None:
        """lunr takes about a second at 2,000 procedures: build in the helper, write when ready."""
        docs = self.plugin.search_documents()
        if docs == self.search_input:
            return
        self.search_input = docs
        self.search_generation += 1
        generation = self.search_generation
        if self.helper is None:
            self.helper = start_helper()
        job = self.search_job = self.helper.submit(build_search_files, docs)

        def write(done: Future) -> None:
            if done.exception() is not None or generation != self.search_generation:
                return
            with self.writing:  # the build's writer; a search running in the browser reads the old or new file
                write_outputs(self.site_dir, done.result())
            self.search_written = generation

        job.add_done_callback(write)

    def _check_links(self, specs) -> str:
        plugin = self.plugin
        report = check_site(self.site_dir, self.config.site_url or "", procedure_paths(specs), plugin.config.max_clicks,
                            scans=plugin.page_scans, keep_resolved=True)
        if report.ok:
            return ""
        return "\n" + format_report(report, plugin.config.max_clicks, "Kiểm tra liên kết không đạt (khi xuất bản, bản dựng sẽ dừng)")

    def settle(self) -> None:
        """Wait until the search files of the last update are written (tests compare whole sites)."""
        if self.search_job is not None:
            self.search_job.result()
            for callback_done in range(100):  # the writing callback runs right after the result is set
                if self.search_written == self.search_generation:
                    return
                time.sleep(0.01 * (callback_done + 1))

    def close(self) -> None:
        if self.helper is not None:
            self.helper.shutdown(wait=True, cancel_futures=True)
            self.helper = None


def serve(config_file: Path, address: str, door: HostDoor, *, admin: bool = False, open_browser: bool = False) -> int:
    """Build, serve on address and rebuild on every save until Ctrl+C.

    With admin, the same server answers the browser editor at /admin/ (admin_backend.py): the caller
    makes sure the address is 127.0.0.1."""
    host, _, port_text = address.rpartition(":")
    host = host.strip("[]")
    if not host or not port_text.isdigit():
        print(f"Địa chỉ “{address}” không đúng dạng máy:cổng, ví dụ 127.0.0.1:8000.", file=sys.stderr)
        return 2
    port = int(port_text)
    try:
        config = door.load_site_config(config_file)
    except ConfigInvalid:
        print(f"Tệp cấu hình {config_file.name} có lỗi (xem các dòng phía trên).", file=sys.stderr)
        return 1
    mount_path = urlsplit(config.site_url or "/").path or "/"
    if admin:
        os.environ[LOCAL_BACKEND_ENV] = "1"  # the editor's config.yml then points at this server
    site_dir = Path(tempfile.mkdtemp(prefix="thutuc-xem-truoc-"))
    try:
        # Bound now, before the first build (which may take a minute): a busy port is named at once,
        # and no other program can take the port while the site builds.
        server = PreviewServer(host, port, site_dir, mount_path)
    except OSError:
        shutil.rmtree(site_dir, ignore_errors=True)
        print(f"Cổng {port} trên {host} đang được dùng (có thể một bản xem trước khác đang chạy). "
              f"Dừng nó, hoặc chọn cổng khác: python3 build.py {'admin' if admin else 'serve'} --address {host}:{port + 1}",
              file=sys.stderr)
        return 2
    port = server.server_address[1]  # the one the system chose for port 0 (tests: never a busy one)
    shown_host = f"[{host}]" if ":" in host else host
    session = PreviewSession(config_file, site_dir, f"http://{shown_host}:{port}{mount_path}", door)
    session.writing = server.writing
    session.on_visible = server.publish  # open pages reload (and show or drop the banner)
    session.watch_what(config)  # before the first build: a catalogue that starts broken is fixed by a save too
    server.nothing_built = lambda: _nothing_built_page(session)
    if admin:
        options = config.plugins["thutuc"].config
        max_media = options.max_form_size_mb * 1024 * 1024
        backend = LocalBackend(config_file.parent, options.content_dir, max_media)
        # A form file in base64, with the entry; Host and Origin must name this server (wsgi_answer).
        server.api = partial(wsgi_answer, backend, port=port, max_body=max_media * 4 // 3 + 2 * 1024 * 1024)
        server.api_path = API_PATH
    serving = threading.Thread(target=server.serve_forever, name="xem-truoc-http", daemon=True)
    # SIGTERM (a terminal closed, a service manager) cleans up like Ctrl+C: helper process, temporary folder.
    with atomic.sigterm_as_interrupt():
        try:
            print("Đang xây dựng bản xem trước…", flush=True)
            session.rebuild()
            serving.start()
            if admin:
                _announce_editor(session.serve_url + "admin/", host, open_browser)
            else:
                print(f"Xem trước tại {session.serve_url} (trang tự tải lại khi bạn lưu tệp; nhấn Ctrl+C để dừng). "
                      "Sửa nội dung trên trình duyệt: python3 build.py admin", flush=True)
            while True:  # polling, not file events: it also sees edits on network and WSL drives
                time.sleep(POLL_SECONDS)
                now = snapshot.take(session.watched)
                if now != session.seen:
                    session.rebuild(now)
        except KeyboardInterrupt:
            pass
        finally:
            if serving.is_alive():
                server.shutdown()
            server.server_close()
            session.close()
            shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def _announce_editor(url: str, host: str, open_browser: bool) -> None:
    """Called once the server answers: the editor's address in Vietnamese, and a browser where there is a screen."""
    print(f"Trình biên tập: {url}\n"
          f"Xem trước trang web: {url.removesuffix('admin/')}\n"
          f"Chỉ máy này mở được (địa chỉ {host}). Nút “Lưu” ghi thẳng vào thư mục content/; trang công khai chỉ "
          "đổi khi xây dựng lại (python3 build.py) và đưa lên máy chủ. Nhấn Ctrl+C để dừng.", flush=True)
    if not open_browser:
        return
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        print("Không có màn hình đồ họa: hãy tự mở địa chỉ trên bằng trình duyệt.", flush=True)
        return
    threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()  # some browsers block until closed


def _nothing_built_page(session: PreviewSession) -> bytes | None:
    """What every address shows while the first build has failed (reloads by itself once fixed)."""
    if session.plugin is not None or not session.problem[0]:
        return None
    summary, details = session.problem
    return (f"<!doctype html><html lang=vi><head><meta charset=utf-8><title>Lỗi xem trước</title></head><body>"
            f"<h1>Chưa có bản xem trước</h1><p>{html.escape(summary)}</p><pre>{html.escape(details)}</pre>"
            "</body></html>").encode()
