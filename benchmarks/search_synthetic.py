"""Synthetic catalogues of realistic Vietnamese procedures for the search benchmark and the size-budget test."""

from __future__ import annotations

import random

from thutuc.search import SearchDoc
from thutuc.vi.text import procedure_slug

ACTIONS = [
    "Đăng ký", "Cấp", "Cấp lại", "Cấp đổi", "Gia hạn", "Điều chỉnh", "Thu hồi", "Xác nhận", "Chứng thực",
    "Thẩm định", "Phê duyệt", "Công nhận", "Đăng ký lại", "Đăng ký thay đổi", "Chấm dứt", "Tạm ngừng",
    "Hỗ trợ", "Giải quyết", "Thông báo", "Sửa đổi, bổ sung",
]
OBJECTS = [
    "giấy phép lái xe", "giấy khai sinh", "giấy chứng nhận quyền sử dụng đất", "hộ kinh doanh",
    "giấy phép xây dựng", "giấy chứng nhận đăng ký doanh nghiệp", "phiếu lý lịch tư pháp", "thẻ bảo hiểm y tế",
    "giấy phép hoạt động khám bệnh, chữa bệnh", "chứng chỉ hành nghề dược", "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép kinh doanh vận tải bằng xe ô tô", "giấy phép khai thác tài nguyên nước", "giấy phép môi trường",
    "chứng chỉ hành nghề kiến trúc", "giấy phép thành lập trường mầm non", "trợ cấp xã hội hằng tháng",
    "giấy phép lao động cho người nước ngoài", "giấy chứng nhận đăng ký xe", "biển số xe", "giấy phép tổ chức lễ hội",
    "giấy phép sử dụng vật liệu nổ công nghiệp", "giấy chứng nhận kiểm định", "hợp đồng chuyển nhượng quyền sử dụng đất",
    "giấy xác nhận tình trạng hôn nhân", "thẻ căn cước", "giấy phép hoạt động điện lực", "giấy phép nhập khẩu thuốc",
    "giấy phép thành lập quỹ xã hội, quỹ từ thiện", "danh hiệu Gia đình văn hóa", "học bổng chính sách",
    "giấy phép hoạt động thủy lợi", "chứng nhận cơ sở đủ điều kiện chăn nuôi", "giấy phép đánh bắt thủy sản",
    "văn bằng bảo hộ nhãn hiệu", "giấy chứng nhận đầu tư", "giấy phép quảng cáo", "giấy phép xuất bản bản tin",
]
QUALIFIERS = [
    "", "", "", "cho cá nhân", "cho tổ chức", "do bị mất, hư hỏng", "trong trường hợp thay đổi thông tin",
    "có yếu tố nước ngoài", "tại cấp xã", "tại cấp tỉnh", "đối với doanh nghiệp nhỏ và vừa", "lần đầu",
    "cho người khuyết tật", "đối với hộ gia đình", "trực tuyến toàn trình", "do hết hạn sử dụng",
]
FIELDS = [
    "Hộ tịch", "Chứng thực", "Đường bộ", "Đất đai", "Xây dựng", "Đăng ký kinh doanh", "Lý lịch tư pháp",
    "Y tế dự phòng", "Dược phẩm", "An toàn thực phẩm", "Giao thông vận tải", "Tài nguyên nước", "Môi trường",
    "Giáo dục và Đào tạo", "Bảo trợ xã hội", "Việc làm", "Văn hóa cơ sở", "Thủy lợi", "Chăn nuôi", "Thủy sản",
    "Sở hữu trí tuệ", "Đầu tư", "Quảng cáo", "Xuất bản", "Điện lực", "Nuôi con nuôi", "Cư trú", "Người có công",
]
AGENCIES = [
    "Ủy ban nhân dân cấp xã", "Ủy ban nhân dân tỉnh", "Sở Tư pháp", "Sở Xây dựng", "Sở Y tế", "Sở Tài chính",
    "Sở Nông nghiệp và Môi trường", "Sở Giáo dục và Đào tạo", "Sở Công Thương", "Sở Văn hóa, Thể thao và Du lịch",
    "Công an tỉnh", "Công an cấp xã", "Sở Nội vụ", "Sở Khoa học và Công nghệ", "Trung tâm Phục vụ hành chính công",
]
ABBREVIATIONS = ["GPLX", "CCCD", "LLTP", "HKD", "TNHH", "BHYT", "GCN", "QSDĐ", "ATTP", "GPXD", "ĐKKD", "XNTTHN"]
COLLOQUIAL = [
    "làm giấy tờ", "mất giấy tờ", "làm lại", "hết hạn", "bằng lái", "sổ đỏ", "sổ hồng", "giấy phép con", "mở quán",
    "người nước ngoài", "trẻ em", "người cao tuổi", "xin phép", "nộp online", "doanh nghiệp nhỏ", "đất nông nghiệp",
    "nhà ở", "xe máy", "ô tô", "hộ nghèo", "thương binh", "học sinh", "giáo viên", "bác sĩ", "nhà thuốc",
]
SUMMARY_PARTS = [
    "Cá nhân, tổ chức nộp hồ sơ tại Bộ phận Một cửa hoặc trực tuyến trên Cổng Dịch vụ công quốc gia.",
    "Cơ quan có thẩm quyền kiểm tra, thẩm định hồ sơ và trả kết quả trong thời hạn quy định.",
    "Trường hợp hồ sơ chưa đầy đủ, cán bộ tiếp nhận hướng dẫn bổ sung, hoàn thiện một lần.",
    "Người yêu cầu nộp phí, lệ phí theo quy định và nhận kết quả trực tiếp hoặc qua dịch vụ bưu chính.",
    "Thủ tục áp dụng cho công dân Việt Nam và người nước ngoài cư trú hợp pháp tại địa phương.",
]


def synthetic_docs(count: int, seed: int = 32) -> list[SearchDoc]:
    rng = random.Random(seed)
    docs = []
    seen: set[str] = set()
    while len(docs) < count:
        title = " ".join(part for part in (rng.choice(ACTIONS), rng.choice(OBJECTS), rng.choice(QUALIFIERS)) if part)
        if title in seen and len(seen) < len(ACTIONS) * len(OBJECTS) * 8:
            continue
        seen.add(title)
        number = len(docs)
        code = f"{rng.choice('123')}.{number + 1000:06d}"
        # Like the sample content: ~5-6 keywords, an abbreviation and colloquial phrases.
        words = title.lower().replace(",", "").split()
        keywords = tuple(rng.sample(ABBREVIATIONS, 1)) + tuple(
            " ".join(words[i : i + rng.choice((2, 3))]) for i in (0, 1, 2, 3) if len(words) > i + 1
        ) + tuple(rng.sample(COLLOQUIAL, 2))
        docs.append(
            SearchDoc(
                title=title,
                url=f"thu-tuc/{procedure_slug(title, code)}/",
                code=code,
                field_name=rng.choice(FIELDS),
                level=rng.choice((1, 2, 2)),
                keywords=keywords,
                agencies=tuple(rng.sample(AGENCIES, 2)),
                summary=" ".join(rng.sample(SUMMARY_PARTS, 2)),
            )
        )
    return docs
