"""`build.py new`: a new procedure file with every required key, and TODO placeholders for what to write.

`check` reports each TODO as an error, so an unfilled scaffold can never be published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..content.editor_files import existing_codes, field_slugs, procedure_path, write_yaml
from ..content.placeholders import placeholder as todo
from ..content.problems import display_path
from ..content.schema_check import procedure_schema


@dataclass
class NewProcedure:
    code: str
    title: str
    field: str
    level: int
    authority_level: str = ""
    agency: str = ""


class ScaffoldError(Exception):
    """A Vietnamese explanation of why the file was not created."""


def answer_reason(content_dir: Path, name: str, value: str, code_pattern: str | None = None) -> str | None:
    """Why one answer (code, title, field or level) cannot be used, in Vietnamese; None when it can."""
    if name == "code":
        pattern = procedure_schema(code_pattern)["properties"]["code"]["pattern"]
        if not re.search(pattern, value):
            return f"mã thủ tục “{value}” không đúng dạng (ví dụ 1.001193)."
        if value in (codes := existing_codes(content_dir)):
            return f"mã thủ tục “{value}” đã có trong tệp {display_path(codes[value])}."
    elif name == "title" and not value.strip():
        return "tên thủ tục không được để trống."
    elif name == "field" and value not in (fields := field_slugs(content_dir)):
        return f"lĩnh vực “{value}” chưa có trong content/fields.yml; các mã hiện có: {', '.join(sorted(fields))}."
    elif name == "level" and value not in ("1", "2", "3", "4"):
        return "mức độ phải là 1, 2, 3 hoặc 4 (trang này cung cấp mức 1: thông tin, hoặc mức 2: có biểu mẫu tải về)."
    return None


def validate_answers(content_dir: Path, answers: NewProcedure, code_pattern: str | None = None) -> list[str]:
    """Every reason the answers cannot be used, in Vietnamese; empty when they can."""
    values = {"code": answers.code, "title": answers.title, "field": answers.field, "level": str(answers.level)}
    return [reason for name, value in values.items() if (reason := answer_reason(content_dir, name, value, code_pattern))]


def scaffold_data(answers: NewProcedure, today: dt.date) -> dict[str, Any]:
    level2 = answers.level >= 2
    document: dict[str, Any] = {
        "name": todo("tên giấy tờ thứ nhất, ví dụ Tờ khai đăng ký kết hôn theo mẫu"),
        "original": 1,
        "copy": 0,
    }
    if level2:
        document["form"] = "mau-1"
    data: dict[str, Any] = {
        "code": answers.code,
        "title": answers.title.strip(),
        "decision": todo("quyết định công bố, ví dụ Quyết định số 1872/QĐ-BTP ngày 04/9/2020 của Bộ trưởng Bộ Tư pháp"),
        "field": answers.field,
        "level": answers.level,
        "authority_levels": [answers.authority_level or todo("mã cấp thực hiện: bo, tinh hoặc xa")],
        "agencies": {"implementing": [answers.agency or todo("mã cơ quan thực hiện trong content/agencies.yml, ví dụ ubnd-xa")]},
        "subjects": [todo("đối tượng thực hiện, ví dụ Công dân Việt Nam")],
        "summary": todo("một hoặc hai câu giới thiệu thủ tục cho người dân"),
        "steps": [
            {"title": todo("tên bước 1, ví dụ Nộp hồ sơ"), "description": todo("nội dung bước 1")},
            {"title": todo("tên bước 2, ví dụ Trả kết quả"), "description": todo("nội dung bước 2")},
        ],
        "methods": [
            {
                "channel": "direct",
                "processing_time": todo("thời hạn giải quyết khi nộp trực tiếp, ví dụ 05 ngày làm việc"),
                "fees": todo("danh sách phí, lệ phí; ghi [] nếu không mất phí"),
            }
        ],
        "processing_time": todo("thời hạn giải quyết, ví dụ 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
        # Never a made-up "1 bộ": the editor writes the number, or deletes the line when it is not known.
        "dossier": {"quantity": todo("số bộ hồ sơ phải nộp, ví dụ 1 (xóa dòng này nếu chưa biết)"),
                    "cases": [{"documents": [document]}]},
        "result": [todo("kết quả người dân nhận được, ví dụ Giấy chứng nhận kết hôn")],
        "requirements": todo("yêu cầu, điều kiện; ghi Không nếu không có"),
        "receive_return": {"submit": ["direct"], "return": ["direct"]},
    }
    if level2:
        data["forms"] = [
            {
                "id": "mau-1",
                "title": todo("tên mẫu đơn, tờ khai"),
                "files": [todo(f"đường dẫn tệp mẫu, ví dụ forms/{answers.field}/to-khai.docx "
                               f"(chép tệp vào content/forms/{answers.field}/)")],
            }
        ]
    data["legal_basis"] = [
        {
            "number": todo("số ký hiệu văn bản, ví dụ 60/2014/QH13"),
            "title": todo("trích yếu, ví dụ Luật Hộ tịch"),
            "issued": todo("ngày ban hành dạng YYYY-MM-DD, ví dụ 2014-11-20"),
            "issuer": todo("cơ quan ban hành, ví dụ Quốc hội"),
        }
    ]
    data["keywords"] = [todo("từ khóa người dân hay tìm, kể cả chữ viết tắt")]
    data["updated"] = today.isoformat()
    return data


HEADER = [
    "Tạo bằng lệnh \"python3 build.py new\". Thay mọi giá trị bắt đầu bằng TODO bằng nội dung thật,",
    "rồi chạy \"python3 build.py check\": thủ tục chỉ được xuất bản khi không còn TODO nào.",
    "Dòng có ghi chú \"không bắt buộc\" xóa được (cả dòng, và các dòng “- ” ngay dưới nó) nếu chưa có thông tin.",
    "Hướng dẫn: docs/huong-dan-bien-tap.md",
]
# Lines of the scaffold whose TODO may be deleted instead of filled in (keys the schema does not require).
OPTIONAL_NOTE = "  # không bắt buộc: xóa được"
OPTIONAL_LINES = ("summary:", "  description:", "keywords:")


def create_procedure(content_dir: Path, answers: NewProcedure, code_pattern: str | None = None,
                     today: dt.date | None = None) -> Path:
    """Write the scaffold; raise ScaffoldError (Vietnamese) instead of overwriting anything."""
    reasons = validate_answers(content_dir, answers, code_pattern)
    if reasons:
        raise ScaffoldError("\n".join(reasons))
    target = procedure_path(content_dir, answers.field, answers.code, answers.title)
    if target.exists():
        raise ScaffoldError(f"tệp {display_path(target)} đã có; không ghi đè.")
    write_yaml(target, scaffold_data(answers, today or dt.date.today()), HEADER,
               notes={prefix: OPTIONAL_NOTE for prefix in OPTIONAL_LINES})
    return target
