"""Generate large, realistic catalogues for benchmarks and size tests.

Each generated procedure is a sample procedure from content/ with a new code, a varied title and
related codes pointing inside the generated set; fields, agencies, life events and form files are the
sample's own, so the generated catalogue passes the same validation as real content.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content"

QUALIFIERS = [
    "", "", "cho cá nhân", "cho tổ chức", "do bị mất, hư hỏng", "trong trường hợp thay đổi thông tin",
    "có yếu tố nước ngoài", "tại cấp xã", "tại cấp tỉnh", "đối với doanh nghiệp nhỏ và vừa", "lần đầu",
    "cho người khuyết tật", "đối với hộ gia đình", "do hết hạn sử dụng", "cho người cao tuổi",
    "tại khu vực biên giới", "đối với đồng bào dân tộc thiểu số", "cho học sinh, sinh viên",
]


def _sample_procedures(sample: Path) -> list[dict]:
    files = sorted((sample / "procedures").rglob("*.yml"))
    # Abolished samples are notices: copies of them would be abolished procedures other copies name as related.
    return [data for data in (yaml.safe_load(f.read_text("utf-8")) for f in files) if data.get("status") != "abolished"]


STATISTICS_AS_OF = "2026-11-30"
STATISTICS_HEADER = "ma_thu_tuc,ky,den_ngay,tiep_nhan,truc_tuyen,dung_han,tre_han,dang_giai_quyet,tra_lai\n"


def statistics_rows(code: str, online: bool, rng: random.Random) -> list[str]:
    """One row per month from January to the month of STATISTICS_AS_OF, with numbers that add up."""
    year, last_month = int(STATISTICS_AS_OF[:4]), int(STATISTICS_AS_OF[5:7])
    base = rng.randint(5, 400)
    rows = []
    for month in range(1, last_month + 1):
        received = max(0, int(rng.gauss(base, base * 0.15)))
        returned = int(received * rng.uniform(0, 0.03))
        in_progress = int(received * rng.uniform(0.1, 0.3)) if month == last_month else 0
        late = int((received - returned - in_progress) * rng.uniform(0, 0.06))
        on_time = received - returned - in_progress - late
        via_online = int(received * rng.uniform(0.3, 0.95)) if online else 0
        rows.append(f"{code},{year}-{month:02d},{STATISTICS_AS_OF},{received},{via_online},{on_time},{late},{in_progress},{returned}\n")
    return rows


def generate(target: Path, count: int, sample: Path = SAMPLE, seed: int = 8, statistics: bool = False) -> Path:
    """Write a content tree with `count` procedures into target (replaced if it exists).

    statistics: also write content/thong-ke.csv, a row per procedure and month (docs/thong-ke.md).
    """
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name in ("fields.yml", "agencies.yml", "life-events.yml"):
        shutil.copy2(sample / name, target / name)
    for folder in ("forms", "pages"):
        if (sample / folder).exists():
            shutil.copytree(sample / folder, target / folder)
    templates = _sample_procedures(sample)
    codes = [f"9.{i:06d}" for i in range(count)]
    statistics_lines = [STATISTICS_HEADER]
    statistics_rng = random.Random(seed + 1)  # its own: titles stay the same with or without statistics
    for i, code in enumerate(codes):
        data = dict(templates[i % len(templates)])
        qualifier = rng.choice(QUALIFIERS)
        data["code"] = code
        data["title"] = f"{data['title']} {qualifier}".strip() if i >= len(templates) else data["title"]
        if data.get("related"):
            data["related"] = sorted({codes[(i + step) % count] for step in (1, 7, 31)} - {code})
        folder = target / "procedures" / data["field"]
        folder.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
        (folder / f"{code}.yml").write_text(text, "utf-8")
        if statistics:
            statistics_lines += statistics_rows(code, data.get("online") in ("partial", "full"), statistics_rng)
    if statistics:
        (target / "thong-ke.csv").write_text("".join(statistics_lines), "utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description="Generate a synthetic catalogue from the sample content.")
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--statistics", action="store_true", help="also write content/thong-ke.csv (a row per procedure and month)")
    args = parser.parse_args()
    generate(args.target, args.count, statistics=args.statistics)
    print(f"{args.count} procedures written to {args.target}")


if __name__ == "__main__":
    main()
