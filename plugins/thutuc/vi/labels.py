"""Vietnamese labels for the values of the content model. Level names are configuration-friendly data."""

from __future__ import annotations

from collections.abc import Collection

CHANNELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Dịch vụ bưu chính"}

# Whether a citizen can send the dossier over the internet, as lists and search results say it.
SUBMIT_ONLINE = "Nộp trực tuyến được"
SUBMIT_OFFLINE = "Chưa nộp trực tuyến"


def submission_label(online: str, channels: Collection[str]) -> str:
    """Online kinds "partial"/"full" (Decree 42/2022) or an online channel mean the dossier can be sent online."""
    return SUBMIT_ONLINE if online in ("partial", "full") or "online" in channels else SUBMIT_OFFLINE


# Decree 42/2022/NĐ-CP vocabulary, shown beside the Circular 32/2017 level.
ONLINE_KINDS = {
    "info": "Dịch vụ cung cấp thông tin trực tuyến",
    "partial": "Dịch vụ công trực tuyến một phần",
    "full": "Dịch vụ công trực tuyến toàn trình",
}

LEVELS = {
    1: "Mức độ 1",
    2: "Mức độ 2",
    3: "Mức độ 3",
    4: "Mức độ 4",
}

LEVEL_DESCRIPTIONS = {
    1: "Cung cấp đầy đủ thông tin về thủ tục hành chính.",
    2: "Thông tin đầy đủ và biểu mẫu tải về để điền, in và nộp.",
    3: "Điền và gửi biểu mẫu trực tuyến.",
    4: "Điền, gửi biểu mẫu và thanh toán trực tuyến.",
}

FEE_KINDS = {"fee": "Lệ phí", "charge": "Phí"}

AUDIENCES = {"citizen": "Công dân", "business": "Doanh nghiệp"}

AGENCY_ROLES = {
    "implementing": "Cơ quan thực hiện",
    "competent": "Cơ quan có thẩm quyền",
    "authorized": "Cơ quan được ủy quyền",
    "coordinating": "Cơ quan phối hợp",
}

NOT_APPLICABLE = "Không"
NOT_REGULATED = "Không quy định"


def money(amount: int) -> str:
    """200000 -> "200.000 đồng" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".") + " đồng"


def file_size(size: int) -> str:
    """Human size in Vietnamese notation (decimal comma): "512 byte", "2,5 KB", "38 KB", "1,2 MB"."""
    if size < 1024:
        return f"{size} byte"
    if size < 10 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",").replace(",0 KB", " KB")
    if size < 1023.5 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1048576:.1f} MB".replace(".", ",").replace(",0 MB", " MB")


STATUSES = {"active": "Đang áp dụng", "abolished": "Đã bãi bỏ"}


def date_vi(iso: str) -> str:
    """2024-07-01 -> 01/07/2024."""
    if len(iso) >= 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"
    return iso
