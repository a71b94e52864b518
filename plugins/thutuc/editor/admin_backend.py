"""The browser editor's local backend: Decap CMS's proxy protocol, served by `build.py admin`.

Decap's own `decap-server` (npm) listens on every network interface (Express `app.listen(port)` with no
address), so anyone on the office network could write into content/. This is the same protocol
(POST /api/v1 with an `action`, as decap-server's localFs middleware answers it), mounted on the
preview server, which `admin` binds to 127.0.0.1 only, and stricter about what it touches:

- every path must stay inside content/ (no absolute paths, no `..`, no link that resolves outside);
- entries must be UTF-8 YAML that the project's safe parser reads (no aliases, no tags), at most the
  size `check` accepts; media (form files) must have an allowed extension and size;
- requests must name this server as Host and Origin and send JSON, so other web pages open in the
  officer's browser (or a DNS-rebinding name) cannot write through it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from ..content.formfiles import ALLOWED_EXTENSIONS
from ..content.yamlsource import MAX_BYTES, YamlProblem, parse_yaml

API_PATH = "api/v1"
ENTRY_EXTENSIONS = (".yml", ".yaml")


class Refused(Exception):
    """A request the backend will not carry out; the message is for editors (Vietnamese)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message, self.status = message, status


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class LocalBackend:
    """Answers Decap's proxy actions for one project folder, touching only its content folder."""

    def __init__(self, project_root: Path, content_dir: str = "content", max_media_bytes: int = 10 * 1024 * 1024,
                 log: Callable[[str], None] = print) -> None:
        self.root = project_root.resolve()
        self.content_name = PurePosixPath(content_dir).as_posix().strip("/")
        self.content = (self.root / self.content_name).resolve()
        self.max_media_bytes = max_media_bytes
        self.log = log

    # -- paths ------------------------------------------------------------------------------------

    def resolve(self, path: Any, *, folder: bool = False) -> Path:
        """The real file for a path Decap sent (relative to the project), or Refused when it leaves content/."""
        if not isinstance(path, str) or not path or "\\" in path or "\x00" in path:
            raise Refused(f"đường dẫn không hợp lệ: {path!r}.")
        parts = PurePosixPath(path).parts
        if PurePosixPath(path).is_absolute() or any(part in ("..", ".") for part in path.split("/")):
            raise Refused(f"đường dẫn “{path}” không được dùng “..” hay bắt đầu bằng “/”.")
        inside = tuple(PurePosixPath(self.content_name).parts)
        if parts[: len(inside)] != inside or (len(parts) == len(inside) and not folder):
            raise Refused(f"chỉ được đọc và ghi trong thư mục {self.content_name}/, không phải “{path}”.")
        real = (self.root / path).resolve()
        if real != self.content and self.content not in real.parents:
            raise Refused(f"“{path}” là lối tắt trỏ ra ngoài thư mục {self.content_name}/: không dùng được.")
        return real

    def list_files(self, folder: str, extension: str, depth: int) -> list[str]:
        """Files under folder down to depth levels (1: the folder itself), as decap-server lists them."""
        start = self.resolve(folder, folder=True)
        found: list[str] = []

        def walk(real: Path, shown: str, level: int) -> None:
            if level <= 0:
                return
            try:
                children = sorted(os.scandir(real), key=lambda entry: entry.name)
            except OSError:
                return
            for child in children:
                child_shown = f"{shown}/{child.name}"
                if child.is_dir(follow_symlinks=False):
                    walk(Path(child.path), child_shown, level - 1)
                elif child.name.endswith(extension) and child.is_file():
                    try:
                        self.resolve(child_shown)
                    except Refused:
                        continue  # a link out of content/ is never listed
                    found.append(child_shown)

        walk(start, folder.rstrip("/"), depth)
        return found

    # -- reading -----------------------------------------------------------------------------------

    def entry(self, path: str, label: str | None = None) -> dict[str, Any]:
        file: dict[str, Any] = {"path": path, "label": label}
        try:
            data = self.resolve(path).read_bytes()
        except (Refused, OSError):
            return {"data": None, "file": {**file, "id": None}}
        return {"data": data.decode("utf-8", "replace"), "file": {**file, "id": _sha256(data)}}

    def media(self, path: str) -> dict[str, Any]:
        try:
            data = self.resolve(path).read_bytes()
        except OSError as error:
            raise Refused(f"không đọc được “{path}” ({error.strerror}).", 404) from None
        return {"id": _sha256(data), "content": base64.b64encode(data).decode("ascii"), "encoding": "base64",
                "path": path, "name": PurePosixPath(path).name}

    # -- writing -----------------------------------------------------------------------------------

    def _write(self, real: Path, data: bytes) -> None:
        """Write through a temporary file and a rename: the preview never reads half a file."""
        real.parent.mkdir(parents=True, exist_ok=True)
        self.resolve(self._shown(real))  # the folders just made cannot lead outside either
        handle, temporary = tempfile.mkstemp(dir=real.parent, prefix=".luu-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, real)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _shown(self, real: Path) -> str:
        return real.relative_to(self.root).as_posix() if self.root in real.parents else str(real)

    def check_entry(self, path: str, raw: Any) -> bytes:
        if PurePosixPath(path).suffix not in ENTRY_EXTENSIONS:
            raise Refused(f"“{path}”: chỉ lưu được tệp .yml.")
        if not isinstance(raw, str):
            raise Refused(f"“{path}”: nội dung gửi lên không phải văn bản.")
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError:
            raise Refused(f"“{path}”: nội dung có ký tự không hợp lệ (không mã hóa được UTF-8).") from None
        if len(data) > MAX_BYTES:
            raise Refused(f"“{path}”: tệp quá lớn ({len(data) // 1024} KB; tối đa {MAX_BYTES // 1024} KB).")
        try:
            parse_yaml(raw, path)
        except YamlProblem as error:
            raise Refused(f"chưa lưu, tệp sẽ không đọc được: {error.problem.format()}") from None
        return data

    def check_media(self, path: str, content: Any, encoding: Any) -> bytes:
        if PurePosixPath(path).suffix.lower() not in ALLOWED_EXTENSIONS:
            raise Refused(f"“{PurePosixPath(path).name}”: chỉ tải lên được tệp {' '.join(ALLOWED_EXTENSIONS)}.")
        if encoding != "base64" or not isinstance(content, str):
            raise Refused(f"“{path}”: tệp gửi lên không đúng dạng.")
        try:
            data = base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise Refused(f"“{path}”: tệp gửi lên không đúng dạng.") from None
        if len(data) > self.max_media_bytes:
            raise Refused(f"“{PurePosixPath(path).name}”: tệp quá lớn (tối đa {self.max_media_bytes // (1024 * 1024)} MB).")
        return data

    def persist_entry(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        if not files:
            raise Refused("không có tệp nào để lưu.")
        # Check everything first: one bad file saves nothing.
        writes = [(self.resolve(f.get("path")), self.check_entry(f["path"], f.get("raw")), f.get("newPath")) for f in files]
        assets = [(self.resolve(a.get("path")), self.check_media(a["path"], a.get("content"), a.get("encoding")))
                  for a in params.get("assets") or []]
        moves = [(real, self.resolve(new)) for real, _, new in writes if new]
        for real, data, _ in writes:
            self._write(real, data)
            self.log(f"Đã lưu {self._shown(real)} (chưa xuất bản: trang công khai đổi khi xây dựng lại bằng python3 build.py).")
        for real, data in assets:
            self._write(real, data)
            self.log(f"Đã lưu tệp {self._shown(real)}.")
        for old, new in moves:  # only the entry's own file: decap-server would move its whole folder
            new.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, new)
            self.log(f"Đã đổi tên {self._shown(old)} thành {self._shown(new)}.")
        return {"message": "entry persisted"}

    def delete(self, path: str) -> None:
        real = self.resolve(path)
        if real.is_file():
            real.unlink()
            self.log(f"Đã xóa {path}.")

    # -- the protocol --------------------------------------------------------------------------------

    def handle(self, body: Any) -> tuple[int, Any]:
        """(HTTP status, JSON answer) for one request body."""
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            return 422, {"error": "yêu cầu không hợp lệ."}
        params = body.get("params") if isinstance(body.get("params"), dict) else {}
        try:
            return 200, self._answer(body["action"], params)
        except Refused as refusal:
            self.log(f"Từ chối yêu cầu {body['action']}: {refusal.message}")
            return refusal.status, {"error": refusal.message}
        except (KeyError, TypeError, ValueError):
            return 422, {"error": f"yêu cầu {body['action']} thiếu hoặc sai tham số."}

    def _answer(self, action: str, params: dict[str, Any]) -> Any:
        if action == "info":
            return {"repo": self.root.name, "publish_modes": ["simple"], "type": "local_fs"}
        if action == "entriesByFolder":
            files = self.list_files(params["folder"], str(params["extension"]), int(params["depth"]))
            return [self.entry(path) for path in files]
        if action == "entriesByFiles":
            return [self.entry(f["path"], f.get("label")) for f in params["files"]]
        if action == "getEntry":
            return self.entry(params["path"])
        if action == "persistEntry":
            return self.persist_entry(params)
        if action == "getMedia":
            return [self.media(path) for path in self.list_files(params["mediaFolder"], "", 1)]
        if action == "getMediaFile":
            return self.media(params["path"])
        if action == "persistMedia":
            asset = params["asset"]
            real = self.resolve(asset.get("path"))
            self._write(real, self.check_media(asset["path"], asset.get("content"), asset.get("encoding")))
            self.log(f"Đã lưu tệp {asset['path']}.")
            return self.media(asset["path"])
        if action == "deleteFile":
            self.delete(params["path"])
            return {"message": f"deleted file {params['path']}"}
        if action == "deleteFiles":
            for path in params["paths"]:
                self.resolve(path)  # all or nothing
            for path in params["paths"]:
                self.delete(path)
            return {"message": "deleted files"}
        if action == "getDeployPreview":
            return None
        raise Refused(f"thao tác “{action}” không được hỗ trợ.")


def origins(port: int) -> set[str]:
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def wsgi_answer(backend: LocalBackend, environ: dict[str, Any], start_response: Callable[..., Any],
                port: int, max_body: int) -> Iterable[bytes]:
    """Serve one request to /api/v1 (a WSGI app body), after checking where it comes from."""

    def reply(status: int, answer: Any) -> list[bytes]:
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        reason = {200: "OK", 403: "Forbidden", 405: "Method Not Allowed", 413: "Payload Too Large",
                  415: "Unsupported Media Type", 404: "Not Found"}.get(status, "Unprocessable Entity")
        start_response(f"{status} {reason}", [("Content-Type", "application/json; charset=utf-8"),
                                              ("Content-Length", str(len(data))), ("Cache-Control", "no-store")])
        return [data]

    allowed = origins(port)
    if environ.get("REQUEST_METHOD") != "POST":
        return reply(405, {"error": "chỉ nhận POST."})
    # Host and Origin must be this server: a page from another site, or a DNS name rebound to 127.0.0.1,
    # cannot write into content/ through the officer's browser.
    origin = environ.get("HTTP_ORIGIN")
    if environ.get("HTTP_HOST") not in allowed or (origin is not None and origin.removeprefix("http://") not in allowed):
        return reply(403, {"error": "yêu cầu không đến từ trang biên tập trên máy này."})
    if not str(environ.get("CONTENT_TYPE", "")).startswith("application/json"):
        return reply(415, {"error": "yêu cầu phải là JSON."})
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0 or length > max_body:
        return reply(413, {"error": "yêu cầu quá lớn."})
    try:
        body = json.loads(environ["wsgi.input"].read(length).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return reply(422, {"error": "yêu cầu không phải JSON hợp lệ."})
    return reply(*backend.handle(body))
