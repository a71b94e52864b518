"""The browser editor at /admin/ (Decap CMS) and the JSON Schemas published with the site.

Decap's config.yml is generated from the same JSON Schema that `check` uses, so the form always matches
the content model: every key becomes a widget with the schema's Vietnamese title as label and its
description as hint, and a key is required in the form exactly when the schema requires it.
Decap's own files come from the pinned npm package fetched by build.py (never from a CDN).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from ..content import urls
from ..content.schema_check import load_schema
from ..vi import labels

ADMIN_DIR = Path(__file__).parent / "admin"
ASSETS_ENV = "THUTUC_ADMIN_ASSETS"
# Set by `build.py admin`: the preview then answers the editor's local backend protocol (admin_backend.py).
LOCAL_BACKEND_ENV = "THUTUC_LOCAL_BACKEND"
ASSET_PACKAGES = ("decap-cms", "js-yaml")

SITE_LISTS = {
    # collection name: (file, $defs key, label, custom format)
    "fields": ("fields.yml", "fields", "Lĩnh vực", "yml-fields"),
    "agencies": ("agencies.yml", "agencies", "Cơ quan", "yml-agencies"),
    "life_events": ("life-events.yml", "life_events", "Sự kiện cuộc sống", "yml-life-events"),
}

# Keys whose values are slugs of another collection: edited by choosing, not typing.
_RELATIONS = {
    "field": ("fields", False),
    "implementing": ("agencies", True),
    "competent": ("agencies", True),
    "authorized": ("agencies", True),
    "coordinating": ("agencies", True),
    "life_events": ("life_events", True),
}

_ENUM_LABELS = {
    "channel": labels.CHANNELS,
    "online": labels.ONLINE_KINDS,
    "kind": labels.FEE_KINDS,
    "audiences": labels.AUDIENCES,
    "status": labels.STATUSES,
}


# What a collapsed list item shows. Codes (direct, fee) are shown by their Vietnamese names in the page
# (admin.js), since Decap's templates cannot map values.
_SUMMARIES = {
    "steps": "{{fields.title}}",
    "methods": "{{fields.channel}} – {{fields.processing_time | truncate(80, '…')}}",
    "fees": "{{fields.kind}}|{{fields.amount}}|{{fields.text}}",  # shown as "Lệ phí: 8.000 đồng – text" by admin.js
    "cases": "{{fields.name | default('Trường hợp chung')}}",
    "documents": "{{fields.name}}",
    "forms": "{{fields.title}}",
    "legal_basis": "{{fields.number}} – {{fields.title}}",
}


# Hints of the browser form where the schema's (shown in text editors too) speak YAML or codes.
_FORM_HINTS = {
    "code": "Mã của thủ tục trên Cổng Dịch vụ công quốc gia, ví dụ 1.001193. Không trùng với thủ tục khác.",
    "field": "Lĩnh vực của thủ tục (danh sách lĩnh vực sửa ở mục Lĩnh vực).",
    "online": "Cung cấp thông tin trực tuyến (mặc định cho mức 1–2), dịch vụ công trực tuyến một phần, hoặc toàn trình.",
    "online_url": "Địa chỉ https:// của dịch vụ trên Cổng Dịch vụ công quốc gia hoặc của tỉnh. Bắt buộc khi chọn "
                  "dịch vụ công trực tuyến một phần hoặc toàn trình.",
    "audiences": "Công dân và/hoặc doanh nghiệp: dùng để duyệt theo đối tượng.",
    "steps.description": "Nội dung chi tiết của bước.",
    "methods.channel": "Trực tiếp, trực tuyến hoặc qua dịch vụ bưu chính.",
    "methods.fees": "Danh sách phí, lệ phí. Không mất phí: để danh sách trống (khác với chưa ghi).",
    "methods.fees.kind": "Lệ phí hoặc phí.",
    "methods.fees.amount": "Số nguyên, đơn vị đồng, viết liền không dấu chấm, ví dụ 200000. Để trống khi mức thu do "
                           "địa phương quy định, và ghi mức thu vào ô Diễn giải.",
    "methods.fees.text": "Mô tả mức thu, bắt buộc khi để trống số tiền, ví dụ Theo Nghị quyết của HĐND tỉnh.",
    "methods.description": "Mô tả thêm về cách thức này.",
    "dossier.cases.documents.note": "Ghi chú về giấy tờ.",
    "requirements": "Yêu cầu, điều kiện thực hiện. Ghi Không nếu không có.",
    "receive_return": "Cách cơ quan nhận hồ sơ và trả kết quả (Điều 5.1.k).",
    "legal_basis.issued": "Ngày ban hành. Chỉ bỏ trống khi chưa có thông tin: trang sẽ ghi Chưa có thông tin, "
                          "không bao giờ ghi một ngày giả.",
}


_SINGULAR = {"subjects": "đối tượng", "result": "kết quả", "keywords": "từ khóa"}


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/$defs/") else ""


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    name = _ref_name(schema)
    if not name:
        return schema
    return {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}


def _options(name: str, values: list[Any], ref: str = "") -> list[Any]:
    """Select options: the value written to the file, the Vietnamese label shown (by key or by $defs name)."""
    names = _ENUM_LABELS.get(name) or _ENUM_LABELS.get(ref, {})
    return [{"label": names.get(v, str(v)), "value": v} for v in values]


def _widget(name: str, raw: dict[str, Any], root: dict[str, Any], required: bool, authority_levels: dict[str, str],
            path: str = "") -> dict[str, Any]:
    """One Decap field for one schema property (path: its dotted place in the file, for _FORM_HINTS)."""
    schema = _resolve(raw, root)
    ref = _ref_name(raw)
    path = f"{path}.{name}" if path else name
    field: dict[str, Any] = {"name": name, "label": schema.get("title") or raw.get("title") or name, "required": required}
    description = _FORM_HINTS.get(path) or schema.get("description") or raw.get("description")
    if description:
        field["hint"] = description
    kind = schema.get("type")
    if name in _RELATIONS:
        collection, multiple = _RELATIONS[name]
        field.update(widget="relation", collection=collection, file=collection, value_field="items.*.slug",
                     search_fields=["items.*.name", "items.*.slug"], display_fields=["items.*.name"], multiple=multiple)
        if multiple and schema.get("minItems"):
            field["min"] = schema["minItems"]
        return field
    if name == "authority_levels":
        field.update(widget="select", multiple=True, options=[{"label": v, "value": k} for k, v in authority_levels.items()],
                     min=schema.get("minItems", 0))
        return field
    if name in ("related", "replaced_by"):
        field.update(widget="relation", collection="procedures", value_field="code", search_fields=["title", "code"],
                     display_fields=["code", "title"], multiple=True)
        return field
    if ref == "markdown":
        field.update(widget="markdown", buttons=["bold", "italic", "link", "bulleted-list", "numbered-list"],
                     editor_components=[], modes=["rich_text", "raw"])
        return field
    if ref == "date":
        field.update(widget="datetime", format="YYYY-MM-DD", date_format="DD/MM/YYYY", time_format=False, picker_utc=True)
        return field
    if "enum" in schema:
        field.update(widget="select", options=_options(name, schema["enum"], ref))
        return field
    if kind == "integer" or kind == ["integer", "null"]:
        field.update(widget="number", value_type="int")
        if "minimum" in schema:
            field["min"] = schema["minimum"]
        if "maximum" in schema:
            field["max"] = schema["maximum"]
        if kind == ["integer", "null"]:
            field["required"] = False  # null is a meaningful value ("set locally", explained in text)
        return field
    if kind == "object":
        children = _fields(schema, root, authority_levels, path)
        if not required:
            # Decap demands an optional object's required children even when the object is absent
            # (decap-cms#2103): `abolished` would block every save. `check` judges the file instead.
            for child in children:
                child["required"] = False
        field.update(widget="object", collapsed=not required, fields=children)
        return field
    if kind == "array":
        items = _resolve(schema.get("items", {}), root)
        field["widget"] = "list"
        if schema.get("minItems"):
            field["min"] = schema["minItems"]
        elif required:
            # A required list that may be empty (fees: [] means free): Decap's "required" would refuse the
            # empty list, so the form starts with it empty and `check` judges the file.
            field.update(required=False, default=[])
        if items.get("type") == "object":
            field["fields"] = _fields(items, root, authority_levels, path)
            field["label_singular"] = items.get("title", field["label"])
            if name in _SUMMARIES:
                field["summary"] = _SUMMARIES[name]
        elif "enum" in items:
            field.update(widget="select", multiple=True, options=_options(name, items["enum"], _ref_name(schema.get("items", {}))))
        elif name == "files":
            field["field"] = {"name": "file", "label": "Tệp", "widget": "file", "choose_url": False,
                              "media_folder": "/content/forms", "public_folder": "forms"}
        else:
            # One text per item: a collapsed item shows its text, not the list's name again.
            singular = _SINGULAR.get(name, field["label"])
            field.update(label_singular=singular, summary="{{fields.item}}")
            field["field"] = {"name": "item", "label": items.get("title", singular[:1].upper() + singular[1:]), "widget": "string"}
        return field
    field["widget"] = "text" if name in ("summary",) else "string"
    if "pattern" in schema and ref in ("", "slug", "url", "email"):
        field["pattern"] = [schema["pattern"], "Không đúng định dạng: xem gợi ý bên dưới ô nhập."]
    return field


def _fields(schema: dict[str, Any], root: dict[str, Any], authority_levels: dict[str, str],
            path: str = "") -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        _widget(name, prop, root, name in required, authority_levels, path)
        for name, prop in schema.get("properties", {}).items()
    ]


def file_shape(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Key order (the content model's, which files follow) and nullable keys of an object, nested.

    admin.js writes every saved file in this order, so a save changes only what the editor changed, and
    writes a nullable key left empty (an amount "set locally") as null instead of dropping it.
    """
    shape: dict[str, Any] = {"keys": [], "nullable": [], "children": {}}
    for name, raw in schema.get("properties", {}).items():
        prop = _resolve(raw, root)
        shape["keys"].append(name)
        kind = prop.get("type")
        if isinstance(kind, list) and "null" in kind:
            shape["nullable"].append(name)
        target = _resolve(prop.get("items", {}), root) if kind == "array" else prop
        if target.get("type") == "object":
            shape["children"][name] = file_shape(target, root)
    return shape


def _hidden_header() -> dict[str, Any]:
    return {"name": "_header", "label": "Dòng đầu tệp", "widget": "hidden", "required": False}


def _hidden_source() -> dict[str, Any]:
    return {"name": "_source", "label": "Nội dung tệp khi mở", "widget": "hidden", "required": False}


def _optional(fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An overlay's form: every key may be left out, and so may the keys of a mapping it merges into
    (a list it writes replaces the procedure's whole list, so list items keep their required keys)."""
    result = []
    for field in fields:
        field = {**field, "required": False}
        field.pop("min", None)
        if field.get("widget") == "object":
            field["fields"] = _optional(field["fields"])
        result.append(field)
    return result


def _overlay_collection(content_dir: str, fields: list[dict[str, Any]]) -> dict[str, Any]:
    code = {"name": "code", "label": "Thủ tục được bổ sung", "widget": "relation", "collection": "procedures",
            "value_field": "code", "search_fields": ["code", "title"], "display_fields": ["code", "title"],
            "required": False, "hint": "Khi tạo tệp bổ sung mới: chọn thủ tục; tệp mang tên mã của nó (ví dụ 1.004222.yml)."}
    return {
        "name": "overlays",
        "label": "Bổ sung địa phương",
        "label_singular": "tệp bổ sung địa phương",
        "description": "Những gì riêng của địa phương (phí theo Nghị quyết HĐND tỉnh, thời hạn, cơ quan phối hợp…), ghi đè lên "
                       "bản ghi quốc gia khi xây dựng trang. Chỉ điền mục cần thay: mục để trống giữ nguyên như tệp thủ tục; "
                       "danh sách (như Cách thức thực hiện) ghi ở đây thay cả danh sách của tệp thủ tục.",
        "folder": f"{content_dir}/overlays",
        "extension": "yml",
        "format": "yml-overlay",
        "create": True,
        "identifier_field": "code",
        "slug": "{{code}}",
        "summary": "Bổ sung cho thủ tục {{filename}}",
        "preview_path": urls.SEARCH + "?q={{filename}}",
        "editor": {"preview": False},
        "fields": [_hidden_header(), _hidden_source(), code, *_optional([f for f in fields if f["name"] != "code"])],
    }


def decap_config(authority_levels: dict[str, str], content_dir: str = "content", site_url: str = "",
                 backend: dict[str, Any] | None = None, local_backend: str = "",
                 fields: dict[str, str] | None = None) -> dict[str, Any]:
    """Decap CMS configuration generated from the JSON Schemas.

    local_backend is the URL of `build.py admin`'s backend (the preview's own address); a published site
    has none, so a copy opened on localhost never looks for one."""
    procedure = load_schema("procedure")
    site = load_schema("site-data")
    procedure_fields = _fields(procedure, procedure, authority_levels)
    config: dict[str, Any] = {
        "backend": backend or {"name": "git-gateway", "branch": "main"},
        "locale": "vi",
        "media_folder": f"{content_dir}/forms",
        "public_folder": "forms",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": "procedures",
                "label": "Thủ tục hành chính",
                "label_singular": "thủ tục",
                "description": procedure.get("description", ""),
                "folder": f"{content_dir}/procedures",
                "extension": "yml",
                "format": "yml-procedure",
                "create": True,
                "identifier_field": "title",
                # One list of every procedure (files live in a folder per field), filtered by field name.
                "path": "{{field}}/{{code}}-{{slug}}",
                "summary": "{{code}} – {{title}}",
                # "Xem trang": the search page finds the procedure by its code (addresses fold the title in Python).
                "preview_path": urls.SEARCH + "?q={{code}}",
                "sortable_fields": ["title", "code", "updated"],
                "editor": {"preview": False},  # the preview server shows the real page
                "fields": [_hidden_header(), _hidden_source(), *procedure_fields],
            },
            _overlay_collection(content_dir, procedure_fields),
        ],
    }
    if fields:  # Decap refuses an empty list
        config["collections"][0]["view_filters"] = [{"label": name, "field": "field", "pattern": f"^{re.escape(slug)}$"}
                                                    for slug, name in fields.items()]
    if local_backend:
        config["local_backend"] = {"url": local_backend}
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url

    for name, (file, key, label, format_name) in SITE_LISTS.items():
        items = site["$defs"][key]["items"]
        config["collections"].append(
            {
                "name": name,
                "label": label,
                "format": format_name,
                "extension": "yml",
                "editor": {"preview": False},
                "files": [
                    {
                        "name": name,
                        "label": label,
                        "file": f"{content_dir}/{file}",
                        "fields": [
                            _hidden_header(),
                            _hidden_source(),
                            {"name": "items", "label": label, "widget": "list", "required": True, "min": 1,
                             "summary": "{{fields.name}}", "fields": _site_fields(items, site)},
                        ],
                    }
                ],
            }
        )
    return config


def _site_fields(items: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(items.get("required", []))
    result = []
    for name, raw in items["properties"].items():
        schema = _resolve(raw, root)
        field = {"name": name, "label": schema.get("title", name), "widget": "string", "required": name in required}
        if schema.get("description"):
            field["hint"] = schema["description"]
        if "pattern" in schema:
            field["pattern"] = [schema["pattern"], "Không đúng định dạng: xem gợi ý bên dưới ô nhập."]
        result.append(field)
    return result


def decap_config_yaml(config: dict[str, Any]) -> str:
    header = "# Tạo tự động từ plugins/thutuc/schema/*.json khi xây dựng trang: đừng sửa tệp này.\n"
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)


# -- published files ----------------------------------------------------------------------------------


def schema_documents() -> dict[str, str]:
    """{site path: JSON} for /schema/: each self-contained, so editors' tools can use the URL alone."""
    procedure = load_schema("procedure")
    site = load_schema("site-data")
    published = {
        "schema/procedure.json": procedure,
        "schema/site-data.json": site,
        "schema/form.json": load_schema("form"),  # form definitions (*.form.yml), see thutuc.forms
    }
    for name, (file, key, _, _) in SITE_LISTS.items():
        slug = file.removesuffix(".yml")
        published[f"schema/{slug}.json"] = {
            "$schema": site["$schema"],
            "$id": f"{slug}.json",
            "title": site["$defs"][key].get("title", name),
            "$defs": site["$defs"],
            "$ref": f"#/$defs/{key}",
        }
    return {path: json.dumps(data, ensure_ascii=False, indent=2) + "\n" for path, data in published.items()}


def assets_dir(configured: str, root: Path) -> Path:
    """Where build.py left Decap's files: the plugin option, or THUTUC_ADMIN_ASSETS, relative to the project."""
    value = os.environ.get(ASSETS_ENV) or configured
    path = Path(value)
    return path if path.is_absolute() else (root / path)


def admin_asset_files(folder: Path) -> list[Path] | None:
    """Decap's and js-yaml's files from the cache, or None when they have not been fetched."""
    found: list[Path] = []
    for package in ASSET_PACKAGES:
        matches = sorted(p for p in folder.glob(f"{package}-*") if (p / ".complete").exists())
        if not matches:
            return None
        found.extend(sorted(f for f in matches[-1].iterdir() if f.is_file() and not f.name.startswith(".")))
    return found


def admin_files(folder: Path, config: dict[str, Any]) -> dict[str, Path | str] | None:
    """{site path: source file or text} for /admin/, or None when Decap has not been fetched."""
    assets = admin_asset_files(folder)
    if assets is None:
        return None
    files: dict[str, Path | str] = {f"admin/{p.name}": p for p in assets}
    for own in ("index.html", "manual-init.js"):
        files[f"admin/{own}"] = ADMIN_DIR / own
    procedure = load_schema("procedure")
    site = load_schema("site-data")
    shape = json.dumps(file_shape(procedure, procedure), ensure_ascii=False)
    list_shapes = json.dumps({format_name: file_shape(_resolve(site["$defs"][key]["items"], site), site)
                              for _, (_, key, _, format_name) in SITE_LISTS.items()}, ensure_ascii=False)
    script = (ADMIN_DIR / "admin.js").read_text("utf-8")
    names = json.dumps({**labels.CHANNELS, **labels.FEE_KINDS}, ensure_ascii=False)
    files["admin/admin.js"] = (script.replace("/*SHAPE*/{}", shape).replace("/*LIST_SHAPES*/{}", list_shapes)
                               .replace("/*CODE_NAMES*/{}", names))
    files["admin/config.yml"] = decap_config_yaml(config)
    return files


def published_files(authority_levels: dict[str, str], *, admin: bool, assets_option: str, root: Path,
                    site_url: str = "", fields: dict[str, str] | None = None) -> tuple[dict[str, Path | str], bool]:
    """Everything editors' tools add to the site: schemas always, /admin/ when enabled and fetched.

    Returns the files and whether /admin/ is among them.
    """
    files: dict[str, Path | str] = dict(schema_documents())
    if not admin:
        return files, False
    local = site_url.rstrip("/") + "/" + "api/v1" if site_url and os.environ.get(LOCAL_BACKEND_ENV) else ""
    extra = admin_files(assets_dir(assets_option, root), decap_config(authority_levels, site_url=site_url, local_backend=local,
                                                                      fields=fields))
    if extra is None:
        return files, False
    files.update(extra)
    return files, True
