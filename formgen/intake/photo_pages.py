"""Several photos of one multi-page form, sent together, put back together as one form.

A unit photographs page 1 and page 2 of a 申报表 and mails both pictures (or zips
them). Read alone, page 2 is no form (it has no title and few labels), and page 1
lacks the rows that run on to page 2. Here the photos of one email or archive are
read page by page, in the order they were sent; a photo that reads as a form starts a form, and the photos after it
that are no form by themselves are its next pages. Each group is then read as one
document, so a table split across the page break is joined as in a PDF.
"""
from __future__ import annotations

from dataclasses import dataclass

from formgen.errors import FormgenError, InputFileError
from formgen.forms import FormSpec
from formgen.intake.matcher import match_all
from formgen.intake.result import ExtractResult, SourceFile
from formgen.intake.review import flag_for_review
from formgen.intake.validate import validate



@dataclass
class _Page:
    member: SourceFile
    layout: tuple | None = None
    images: dict | None = None
    starts_form: bool = False
    error: InputFileError | None = None


def _renumber(layout: tuple, number: int) -> tuple:
    """A page read as page 1, made page ``number`` of a longer document."""
    tables, lines = layout
    for t in tables:
        t.page = number
        for c in t.cells:
            c.page = number
            for ln in c.lines:
                ln.page = number
    for ln in lines:
        ln.page = number
    return layout


def read_photo_set(photos: list[SourceFile], forms: list[FormSpec]
                   ) -> list[tuple[list[int], list[ExtractResult] | InputFileError]]:
    """The photos (indexes into ``photos``) of each form, and its results — or the
    InputFileError of a photo that cannot be read, alone in its group, so that one bad
    photo does not stop the others. A group's results name all its photos (``source``)."""
    from formgen.intake.readers import layout as geo
    from formgen.intake.readers.ocr_reader import PAD_PT, TOL_PT, read_image_layout

    order = list(range(len(photos)))
    pages: dict[int, _Page] = {}
    for i in order:
        page = pages[i] = _Page(photos[i])
        try:
            page.layout, page.images = read_image_layout(photos[i])
            alone = geo.build_document(photos[i].source_label, [page.layout], "ocr", TOL_PT, PAD_PT)
            page.starts_form = any(r.form_type for r in match_all(alone, forms))
        except InputFileError as e:
            page.error = e
        except FormgenError as e:
            page.error = InputFileError(photos[i].name, str(e), "corrupt")
    groups: list[list[int]] = []
    for i in order:
        p = pages[i]
        if p.error is None and not p.starts_form and groups and pages[groups[-1][0]].error is None:
            groups[-1].append(i)  # no form by itself: the next page of the form before it
        else:
            groups.append([i])
    out: list[tuple[list[int], list[ExtractResult] | InputFileError]] = []
    for g in groups:
        first = pages[g[0]]
        out.append((g, first.error if first.error is not None else _read_group([pages[i] for i in g], forms)))
    return out


def _read_group(group: list[_Page], forms: list[FormSpec]) -> list[ExtractResult]:
    from formgen.intake.readers import layout as geo
    from formgen.intake.readers.ocr_reader import PAD_PT, TOL_PT

    label = " + ".join(p.member.source_label for p in group)
    layouts, images = [], {}
    for n, p in enumerate(group, start=1):
        layouts.append(_renumber(p.layout, n))
        if p.images and 1 in p.images:
            images[n] = p.images[1]
    doc = geo.build_document(label, layouts, "ocr", TOL_PT, PAD_PT)
    doc.page_images = images
    results = match_all(doc, forms)
    for r in results:
        if r.form_type:
            spec = next(f for f in forms if f.type == r.form_type)
            validate(r, spec)
            flag_for_review(r, spec, doc)
        r.source = label
        if len(group) > 1:
            r.warn(None, f"由 {len(group)} 张照片按发送顺序拼成一份表格：{label}；如页序不对，请核对")
    return results
