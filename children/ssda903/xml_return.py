"""The DfE's XML form of the 903 return, read as the same rows as the CSV tables.

``EXPSSDA903`` holds one ``CHILD`` per child: a ``HEADER`` (CHILDID, SEX, DOB, ETHNIC, UPN…,
the AD1 items DATE_INT, DATE_MATCH, FOSTER_CARE…, and an ``AD_PLACED`` per decision that the
child should be placed for adoption) and an ``EPISODE`` per episode of care. Elements map to the
CSV columns as the DfE validator maps them (``csc-validator-be-903``, ``read_xml_from_text``):
CHILDID is CHILD and PL is PLACE; everything else keeps its name.

The file is read as a stream (lxml ``iterparse``), each ``CHILD`` cleared once read, so a whole
council's return never sits in memory as a tree. Row numbers are the line of the element.
"""

import io
import re

from lxml import etree

from children.ssda903 import tables as T

AD1_ITEMS = ("DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR")


class XmlReturnError(Exception):
    """The file is not well-formed XML; names the line and column."""

    def __init__(self, message: str, *, line: int | None, rule: str = "xml-not-well-formed"):
        super().__init__(message)
        self.line, self.rule = line, rule


def is_xml(data: bytes) -> bool:
    """True if the bytes start like an XML document (after any BOM and white space)."""
    head = data[:200].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def _leaves(element, lines: dict[str, int] | None = None) -> dict[str, str]:
    """The element's direct children that hold a value, by their CSV column name (and the line
    of each into ``lines``)."""
    values = {}
    for node in element:
        if not isinstance(node.tag, str) or len(node):
            continue
        tag = etree.QName(node).localname.upper()
        column = T.XML_RENAMED.get(tag, tag)
        values[column] = (node.text or "").strip()
        if lines is not None and node.sourceline:
            lines[column] = node.sourceline
    return values


def _row(name: str, element, fallback: int, child: str = "") -> T.SourceRow:
    lines: dict[str, int] = {}
    values = _leaves(element, lines)
    if child:
        values = {"CHILD": child, **values}
    return T.SourceRow(name, element.sourceline or fallback, values, lines=lines)


def read_xml_return(data: bytes, name: str):
    """The rows of the four tables the import reads, as ``{table name: [SourceRow]}``; None if
    the document's root is not ``EXPSSDA903`` (another kind of XML). Raises
    :class:`XmlReturnError` for XML that is not well formed."""
    rows: dict[str, list] = {t.name: [] for t in T.READ}
    parser = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
    )
    root_seen = False
    try:
        for event, element in parser:
            if event == "start":
                if not root_seen:
                    root_seen = True
                    if etree.QName(element).localname.upper() != T.XML_ROOT:
                        return None
                continue
            if etree.QName(element).localname.upper() != "CHILD":
                continue
            _read_child(element, name, rows)
            # Free what has been read: this child and any siblings before it.
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno, error.offset)
        what = re.sub(r",? line \d+, column \d+$", "", error.msg or "") or "it breaks off here"
        raise XmlReturnError(
            f"{name} is not well-formed XML: line {line}, column {column}: {what}. Export the "
            "return again from the case system.",
            line=line,
        ) from error
    if not root_seen:
        raise XmlReturnError(f"{name} is empty: no XML in it.", line=None)
    return rows


def _read_child(element, name: str, rows: dict[str, list]) -> None:
    header = None
    for part in element:
        if isinstance(part.tag, str) and etree.QName(part).localname.upper() == "HEADER":
            header = part
            break
    line = (header if header is not None else element).sourceline or 0
    header_row = _row(name, header, line) if header is not None else None
    child = header_row.values.get("CHILD", "") if header_row else ""
    if header_row is not None:
        rows["header"].append(header_row)
        values = header_row.values
        if any(values.get(item) for item in AD1_ITEMS[:3]):
            ad1 = {"CHILD": child, **{item: values.get(item, "") for item in AD1_ITEMS}}
            rows["ad1"].append(T.SourceRow(name, line, ad1, lines=header_row.lines))
        for part in header:
            if isinstance(part.tag, str) and etree.QName(part).localname.upper() == "AD_PLACED":
                rows["placed_for_adoption"].append(_row(name, part, line, child))
    for part in element:
        if isinstance(part.tag, str) and etree.QName(part).localname.upper() == "EPISODE":
            rows["episodes"].append(_row(name, part, line, child))
