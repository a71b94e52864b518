"""Form generation benchmark: every *.form.yml of the sample content rendered to .docx, .odt and .pdf.

    .venv/bin/python benchmarks/forms_bench.py [--repeat 3]

Prints, per definition, the best time of each writer and the file sizes, then the totals and the
cost of a second build pass (served from the in-process cache). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from thutuc.content.catalogue import load_catalogue
from thutuc.content.form_definition import load_definition
from thutuc.forms import generate
from thutuc.forms.docx_writer import render_docx
from thutuc.forms.odt_writer import render_odt
from thutuc.forms.pdf_writer import render_pdf

CONTENT = Path(__file__).resolve().parent.parent / "content"


def best(repeat: int, action):
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    totals = {"pdf": 0.0, "docx": 0.0, "odt": 0.0}
    print(f"{'definition':70} {'pdf ms':>7} {'docx ms':>7} {'odt ms':>7} {'pages':>5} {'pdf KB':>7} {'docx KB':>7} {'odt KB':>6}")
    for file in sorted((CONTENT / "forms").rglob("*.form.yml")):
        written = file.relative_to(CONTENT).as_posix()
        definition, problems = load_definition(file, written, written)
        if definition is None:
            print(f"{written}: {len(problems)} lỗi")
            continue
        pdf_time, (pdf, pages) = best(args.repeat, lambda d=definition: render_pdf(d))
        docx_time, docx = best(args.repeat, lambda d=definition, n=pages: render_docx(d, n))
        odt_time, odt = best(args.repeat, lambda d=definition, n=pages: render_odt(d, n))
        totals["pdf"] += pdf_time
        totals["docx"] += docx_time
        totals["odt"] += odt_time
        print(f"{written:70} {pdf_time * 1000:7.0f} {docx_time * 1000:7.0f} {odt_time * 1000:7.0f} {pages:5} "
              f"{len(pdf) / 1024:7.1f} {len(docx) / 1024:7.1f} {len(odt) / 1024:6.1f}")
    print("total (s): " + ", ".join(f"{k} {v:.2f}" for k, v in totals.items()) + f", all {sum(totals.values()):.2f}")
    catalogue = load_catalogue(CONTENT).catalogue
    generate._CACHE.clear()
    first, _ = best(1, lambda: generate.generate_catalogue_forms(catalogue))
    again, _ = best(1, lambda: generate.generate_catalogue_forms(catalogue))
    users = sum(1 for p in catalogue.procedures for f in p.forms if f.definition)
    print(f"build pass: {first:.2f} s for {generate.generation_count} definitions used by {users} procedure forms; "
          f"second pass (cache): {again * 1000:.1f} ms")


if __name__ == "__main__":
    main()
