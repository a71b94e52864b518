"""The search index, built with lunr.py at build time, and the compact result data shown in the browser.

Field boosts rank a match in the title highest, then the code, keywords (abbreviations such as GPLX),
the field name, agency names and the summary. Title and keywords store the exact (toned) and the
folded form of each word (see pipeline.expand), so that the browser can rank exact-diacritic matches
higher; the other fields store folded words only. The index goes to the browser in a compact form
(compact_index) that search.js turns back into lunr's own and loads with lunr.Index.load.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass

from lunr import __TARGET_JS_VERSION__ as LUNR_JS_VERSION
from lunr.builder import Builder
from lunr.index import Index
from lunr.pipeline import Pipeline
from lunr.token_set import TokenSet

from ..content.model import Catalogue
from ..content.urls import SEARCH_DOCS as DOCS_PATH
from ..content.urls import SEARCH_INDEX as INDEX_PATH
from ..vi.labels import LEVELS
from ..vi.text import plain_text
from . import pipeline as vi

# (field name, boost). The browser reads the names from the index, so they can change freely.
FIELDS: tuple[tuple[str, int], ...] = (
    ("title", 10),
    ("code", 8),
    ("keywords", 5),
    ("field", 2),
    ("agencies", 1),
    ("summary", 1),
)
SUMMARY_WORDS = 40  # the summary ranks least; its first sentences carry what matters


@dataclass(frozen=True)
class SearchDoc:
    """What search needs of one procedure: indexed text and what a result shows."""

    title: str
    url: str
    code: str
    field_name: str
    level: int
    keywords: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    summary: str = ""
    online: str = ""  # labels.submission_label, "" for a page


@dataclass(frozen=True)
class SitePage:
    """A page that is not a procedure but should be findable (the statistics page, "Giới thiệu")."""

    title: str
    url: str
    text: str = ""


# What a page result shows where a procedure shows its field (level 0 means "not a procedure").
PAGE_KIND = "Trang thông tin"


def search_docs(catalogue: Catalogue, pages: Iterable[SitePage] = ()) -> list[SearchDoc]:
    """One SearchDoc per procedure, in catalogue order, then one per findable page."""
    docs = []
    for procedure in catalogue.procedures:
        agency_slugs = dict.fromkeys(slug for slugs in procedure.agencies.values() for slug in slugs)
        agencies = tuple(catalogue.agencies[s].name for s in agency_slugs if s in catalogue.agencies)
        item = catalogue.fields.get(procedure.field)
        docs.append(
            SearchDoc(
                title=procedure.title,
                url=procedure.url,
                code=procedure.code,
                field_name=item.name if item else procedure.field,
                level=procedure.level,
                keywords=procedure.keywords,
                agencies=agencies,
                summary=plain_text(procedure.summary) if procedure.summary else "",
                online=procedure.submission,
            )
        )
    docs += [SearchDoc(title=page.title, url=page.url, code="", field_name=PAGE_KIND, level=0, summary=page.text)
             for page in pages]
    return docs


def _field_texts(doc: SearchDoc) -> dict[str, list[str]]:
    """The words of each field, each word kept only in the highest-ranked field that has it.

    A word already in the title adds nothing to ranking when repeated in keywords or the summary (the
    title's boost dominates), so it is stored once: this halves the postings, which is what the size
    budget is made of. Secondary fields are stored folded only: the exact-diacritic bonus comes from
    the title and the keywords.
    """
    seen: set[str] = set()

    def fresh(words: list[str], folded_only: bool = False) -> list[str]:
        kept = []
        for word in words:
            key = vi.fold(word)
            if key not in seen:
                seen.add(key)
                kept.append(key if folded_only else word)
        return kept

    title = vi.tokenize(doc.title)
    seen.update(vi.fold(word) for word in title)
    return {
        "title": title,
        "code": vi.tokenize(doc.code),
        "keywords": fresh([w for keyword in doc.keywords for w in vi.tokenize(keyword)]),
        "field": fresh(vi.tokenize(doc.field_name), folded_only=True),
        "agencies": fresh([w for agency in doc.agencies for w in vi.tokenize(agency)], folded_only=True),
        "summary": fresh(vi.tokenize(doc.summary)[:SUMMARY_WORDS], folded_only=True),
    }


def make_builder() -> Builder:
    """A lunr builder with the Vietnamese pipeline instead of lunr's English defaults."""
    builder = Builder()
    builder.pipeline.add(Pipeline.registered_functions[vi.NORMALISE_LABEL], Pipeline.registered_functions[vi.EXPAND_LABEL])
    builder.search_pipeline.add(Pipeline.registered_functions[vi.NORMALISE_LABEL])
    builder.ref("id")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    # Only term presence is stored (no positions): the browser needs nothing else and it keeps the index small.
    builder.metadata_whitelist = []
    return builder


def build_index(docs: Iterable[SearchDoc]) -> tuple[Builder, Index]:
    """The lunr index and its builder; document refs are positions in the result data ("0", "1", ...)."""
    builder = make_builder()
    for number, doc in enumerate(docs):
        # Lists are taken token by token by lunr's tokenizer: our tokenizer has already split them.
        builder.add({"id": str(number), **_field_texts(doc)})
    if not builder.document_count:
        # lunr.py divides by the number of documents: an empty catalogue gets an empty index.
        return builder, Index({}, {}, TokenSet.from_list([]), list(builder._fields), builder.search_pipeline)
    return builder, builder.build()


def compact_index(builder: Builder, index: Index) -> dict:
    """lunr's serialised index without the redundancy, for the wire.

    lunr's own JSON repeats every posting (inverted index) and every score (field vectors): ~750 KB
    gzipped for 2,000 procedures. What is really needed is, per term and field, which documents have it
    and how often, plus each field's length: the browser recomputes lunr's BM25 scores from these with
    the builder's formula (search.js `expandIndex`) and loads the result with `lunr.Index.load`.
    Postings are delta-coded document numbers, doubled, +1 when a term frequency above 1 follows.
    """
    fields = list(index.fields)
    count = builder.document_count
    lengths = [[builder.field_lengths[f"{name}/{ref}"] for ref in range(count)] for name in fields]
    # term -> per field: [(document number, term frequency)], documents in ascending order
    postings: dict[str, list[list[tuple[int, int]]]] = {}
    for number, name in enumerate(fields):
        for ref in range(count):
            for term, tf in builder.field_term_frequencies[f"{name}/{ref}"].items():
                postings.setdefault(term, [[] for _ in fields])[number].append((ref, tf))
    terms = []
    for term in sorted(postings):
        encoded_fields = []
        for pairs in postings[term]:
            encoded, previous = [], 0
            for ref, tf in pairs:
                encoded.append((ref - previous) * 2 + (1 if tf > 1 else 0))
                if tf > 1:
                    encoded.append(tf)
                previous = ref
            encoded_fields.append(encoded)
        while encoded_fields and not encoded_fields[-1]:
            encoded_fields.pop()
        terms.append([term, *encoded_fields])
    return {
        "version": LUNR_JS_VERSION,
        "pipeline": index.pipeline.serialize(),
        "fields": fields,
        # lunr.py keeps boosts and BM25 parameters private; they are what the browser must reuse.
        "boosts": [builder._fields[name].boost for name in fields],
        "b": builder._b,
        "k1": builder._k1,
        "count": count,
        "lengths": lengths,
        "terms": terms,
    }


def expand_compact(data: dict) -> dict:
    """The compact index back in lunr's serialised form (the Python twin of search.js `expandIndex`)."""
    fields, count = data["fields"], data["count"]
    averages = [sum(lengths) / count if count else 0 for lengths in data["lengths"]]
    inverted, vectors = [], {}
    for term_index, (term, *encoded_fields) in enumerate(data["terms"]):
        postings: list[dict[str, int]] = []
        for encoded in encoded_fields:
            docs, ref, i = {}, 0, 0
            while i < len(encoded):
                ref += encoded[i] // 2
                tf = 1
                if encoded[i] % 2:
                    i += 1
                    tf = encoded[i]
                docs[ref] = tf
                i += 1
            postings.append(docs)
        documents_with_term = sum(len(docs) for docs in postings)
        idf = math.log(1 + abs((count - documents_with_term + 0.5) / (documents_with_term + 0.5)))
        entry: dict = {"_index": term_index}
        for number, name in enumerate(fields):
            docs = postings[number] if number < len(postings) else {}
            entry[name] = {str(ref): {} for ref in docs}
            for ref, tf in docs.items():
                length_ratio = data["lengths"][number][ref] / averages[number]
                score = idf * ((data["k1"] + 1) * tf) / (data["k1"] * (1 - data["b"] + data["b"] * length_ratio) + tf)
                vectors.setdefault(f"{name}/{ref}", []).extend([term_index, round(score * data["boosts"][number], 3)])
        inverted.append([term, entry])
    return {
        "version": data["version"],
        "fields": fields,
        "fieldVectors": [[ref, vector] for ref, vector in vectors.items()],
        "invertedIndex": inverted,
        "pipeline": data["pipeline"],
    }


def result_data(docs: list[SearchDoc]) -> dict:
    """What a result shows: title, URL, code, field and level, with field and level names listed once."""
    fields = list(dict.fromkeys(doc.field_name for doc in docs))
    levels = sorted({doc.level for doc in docs if doc.level})
    return {
        "fields": fields,
        "levels": {str(level): LEVELS.get(level, f"Mức độ {level}") for level in levels},
        "docs": [[doc.title, doc.url, doc.code, fields.index(doc.field_name), doc.level, doc.online] for doc in docs],
    }


def _json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build_search_files(docs: list[SearchDoc]) -> dict[str, bytes]:
    """Site-relative path -> content of the search files: the lunr index and the result data."""
    builder, index = build_index(docs)
    return {INDEX_PATH: _json_bytes(compact_index(builder, index)), DOCS_PATH: _json_bytes(result_data(docs))}
