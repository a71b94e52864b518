"""Page builder for the fill-in pages of form definitions (appended to PAGE_BUILDERS):
/bieu-mau/<path>/dien/, one per definition that procedures use, linked beside its downloads."""

from __future__ import annotations

from ..content import urls
from ..content.formfiles import DEFINITION_SUFFIX, generated_paths
from ..content.model import Catalogue, Form, Procedure
from ..content.urls import form_file_url, form_fill_url
from .browse import breadcrumbs_for
from .formfill_view import fill_page
from .pages import file_link, fillable, form_heading
from .specs import BuildInputs, PageSpec


def _users(catalogue: Catalogue) -> dict[str, list[tuple[Procedure, Form]]]:
    """Definition path -> the procedures (and their form entries) that use it, in catalogue order."""
    users: dict[str, list[tuple[Procedure, Form]]] = {}
    for procedure in catalogue.procedures:
        for form in procedure.forms:
            if fillable(form, procedure):
                users.setdefault(form.definition, []).append((procedure, form))
    return dict(sorted(users.items()))


def fill_links(catalogue: Catalogue) -> list[tuple[str, str]]:
    """(title, url) of every fill-in page, for the HTML site map."""
    return [(catalogue.form_definitions[path].title, form_fill_url(path)) for path in _users(catalogue)]


def formfill_pages(inputs: BuildInputs) -> list[PageSpec]:
    catalogue = inputs.catalogue
    specs = []
    for path, used_by in _users(catalogue).items():
        definition = catalogue.form_definitions[path]
        first, form = used_by[0]
        downloads = [file_link(written, first) for written in generated_paths(path)]
        procedures = list(dict.fromkeys((p.title, p.url) for p, _ in used_by))
        heading = form_heading(form.title, form.code or definition.code)[1]
        form_id = form_file_url(path.removesuffix(DEFINITION_SUFFIX)).removeprefix(urls.FORMS)

        def context(definition=definition, form_id=form_id, heading=heading, downloads=downloads, procedures=procedures) -> dict:
            return {"fill": fill_page(definition, form_id, heading, downloads, procedures)}

        specs.append(PageSpec(
            url=form_fill_url(path),
            template="form-fill.html",
            title=f"Điền trực tuyến: {definition.title}",
            description=(f"Điền {definition.title[0].lower() + definition.title[1:]} trên điện thoại hoặc máy tính rồi in "
                         "hoặc lưu PDF để nộp; dữ liệu chỉ ở trên máy của bạn, không gửi đi đâu."),
            context=context,
            lastmod=max((inputs.updated(p) for p, _ in used_by), default=""),
            breadcrumbs=breadcrumbs_for((first.title, first.url)),
            depends=(definition.digest, tuple(procedures), tuple((d.url, d.label) for d in downloads)),
        ))
    return specs
