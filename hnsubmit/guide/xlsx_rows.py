"""A worksheet's rows as values, what `ws.iter_rows(values_only=True)` gives, at about half its cost.

openpyxl (3.1) reads a sheet through defusedxml's pure-Python XML parser and builds a dict per cell and a
rich-text object per inline string; for a 5,000-row guide workbook that is most of `guide check`'s time
(issue 19, P8).  `values(ws)` parses the same sheet with the C parser of xml.etree and openpyxl's own
parse loop, conversions and padding (copied from openpyxl 3.1.5's `WorkSheetParser` and
`ReadOnlyWorksheet._cells_by_row`), and hands each row over as a tuple without per-cell objects.

It gives openpyxl's values or openpyxl's own answer: a sheet with a DOCTYPE (defusedxml refuses its
entities), a prolog it cannot see at once, a rich or phonetic inline string, or anything that raises in
the fast loop is read again by openpyxl itself, skipping the rows already handed over, so the error a
damaged sheet raises is openpyxl's.  tests/test_guide_fast_path.py compares both over every example.
"""

from __future__ import annotations

import re
from typing import Any, Iterator
from warnings import warn
from xml.etree.ElementTree import XMLPullParser

import openpyxl
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet import _reader as op
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

# The loop below is openpyxl 3.1's: another version reads through openpyxl itself until someone compares
# them again (tests/test_guide_fast_path.py fails then, as guide check no longer takes the fast way).
COPIED_FROM = openpyxl.__version__.startswith("3.1.")
CHUNK = 1 << 16
_CELL_REF = re.compile(r"([A-Z]{1,3})0*[1-9][0-9]*").fullmatch  # "AB12": never refused by coordinate_to_tuple
_COLUMNS: dict[str, int] = {}
_T_TAG = f"{{{op.SHEET_MAIN_NS}}}t"
FAST_ROWS = {"fast": 0, "fallback": 0}  # sheets read each way (for the tests)


class _Unusual(Exception):
    """Something the fast loop leaves to openpyxl."""


def _elements(source) -> Iterator[Any]:
    """End events of the sheet's XML, as openpyxl's iterparse gives them, by the C parser."""
    parser = XMLPullParser(events=("end",))
    first = True
    while True:
        chunk = source.read(CHUNK)
        if first:
            first = False
            _check_prolog(chunk)
        if not chunk:
            break
        parser.feed(chunk)
        for _event, element in parser.read_events():
            yield element
    parser.close()
    for _event, element in parser.read_events():
        yield element


def _check_prolog(chunk: bytes) -> None:
    """Only a plain UTF-8/ASCII prolog without a DOCTYPE: defusedxml forbids entity declarations, and a
    DOCTYPE is the only place they can stand; another encoding could hide one from this test."""
    start = 3 if chunk.startswith(b"\xef\xbb\xbf") else 0
    pos = start
    while True:
        lt = chunk.find(b"<", pos)
        if lt < 0 or lt + 1 >= len(chunk):
            raise _Unusual("prolog")
        nxt = chunk[lt + 1:lt + 2]
        if nxt == b"?":  # the XML declaration or a processing instruction
            pos = chunk.find(b"?>", lt)
            if pos < 0:
                raise _Unusual("prolog")
            continue
        if chunk.startswith(b"<!--", lt):
            pos = chunk.find(b"-->", lt)
            if pos < 0:
                raise _Unusual("prolog")
            continue
        if nxt == b"!":  # a DOCTYPE (or anything else the prolog should not hold)
            raise _Unusual("doctype")
        return  # the root element's start tag
    # (unreachable)


def _inline(child) -> str:
    """`Text.from_tree(child).content` for an inline string of plain <t> runs (the last one wins)."""
    if child.attrib:
        raise _Unusual("inline string attributes")  # openpyxl's Text() refuses them
    text = None
    for el in child:
        tag = el.tag
        if tag.rpartition("}")[2] != "t":
            raise _Unusual("rich inline string")
        text = el.text
    return "" if text is None else text


class _Parser(op.WorkSheetParser):
    """openpyxl's WorkSheetParser (3.1.5) with the C XML parser and cells as (column, value) pairs."""

    def parse(self):  # the body of WorkSheetParser.parse, with its iterparse replaced
        dispatcher = {
            op.COL_TAG: self.parse_column_dimensions,
            op.PROT_TAG: self.parse_sheet_protection,
            op.EXT_TAG: self.parse_extensions,
            op.CF_TAG: self.parse_formatting,
            op.LEGACY_TAG: self.parse_legacy,
            op.ROW_BREAK_TAG: self.parse_row_breaks,
            op.COL_BREAK_TAG: self.parse_col_breaks,
            op.CUSTOM_VIEWS_TAG: self.parse_custom_views,
        }
        properties = {
            op.PRINT_TAG: ('print_options', op.PrintOptions),
            op.MARGINS_TAG: ('page_margins', op.PageMargins),
            op.PAGE_TAG: ('page_setup', op.PrintPageSetup),
            op.HEADER_TAG: ('HeaderFooter', op.HeaderFooter),
            op.FILTER_TAG: ('auto_filter', op.AutoFilter),
            op.VALIDATION_TAG: ('data_validations', op.DataValidationList),
            op.PROPERTIES_TAG: ('sheet_properties', op.WorksheetProperties),
            op.VIEWS_TAG: ('views', op.SheetViewList),
            op.FORMAT_TAG: ('sheet_format', op.SheetFormatProperties),
            op.SCENARIOS_TAG: ('scenarios', op.ScenarioList),
            op.TABLE_TAG: ('tables', op.TablePartList),
            op.HYPERLINK_TAG: ('hyperlinks', op.HyperlinkList),
            op.MERGE_TAG: ('merged_cells', op.MergeCells),
        }
        row_tag = op.ROW_TAG
        for element in _elements(self.source):
            tag_name = element.tag
            if tag_name in dispatcher:
                dispatcher[tag_name](element)
                element.clear()
            elif tag_name in properties:
                prop = properties[tag_name]
                obj = prop[1].from_tree(element)
                setattr(self, prop[0], obj)
                element.clear()
            elif tag_name == row_tag:
                row = self.parse_row(element)
                element.clear()
                yield row

    def parse_row(self, row):  # WorkSheetParser.parse_row and parse_cell for data_only, one loop, (column, value)
        r = row.get("r")
        if r is not None:
            try:
                self.row_counter = int(r)
            except ValueError:
                val = float(r)
                if val.is_integer():
                    self.row_counter = int(val)
                else:
                    raise ValueError(f"{r} is not a valid row number")
        else:
            self.row_counter += 1
        # (openpyxl keeps the row's other attributes as dimensions: nothing here reads them)
        col_counter = 0
        cells = []
        append = cells.append
        value_tag, inline_tag, t_tag = op.VALUE_TAG, op.INLINE_STRING, _T_TAG
        for element in row:
            get = element.get
            data_type = get('t', 'n')
            coordinate = get('r')
            style_id = get('s', 0)
            if style_id:
                style_id = int(style_id)
            if coordinate:
                # openpyxl's coordinate_to_tuple, through a dict of the column letters it has already read
                m = _CELL_REF(coordinate)
                column = _COLUMNS.get(m[1]) if m else None
                if column is None:
                    column = coordinate_to_tuple(coordinate)[1]  # what openpyxl raises for a bad reference
                    if m:
                        _COLUMNS[m[1]] = column
                col_counter = column
            else:
                col_counter += 1
                column = col_counter
            if data_type == "inlineStr":
                value = None
                child = element.find(inline_tag)
                if child is not None:
                    if len(child) == 1 and not child.attrib and child[0].tag == t_tag:
                        value = child[0].text
                        if value is None:
                            value = ""
                    else:
                        value = _inline(child)
                append((column, value))
                continue
            value = element.findtext(value_tag, None) or None
            if value is not None:
                if data_type == 'n':
                    value = op._cast_number(value)
                    if style_id in self.date_formats:
                        try:
                            value = from_excel(value, self.epoch, timedelta=style_id in self.timedelta_formats)
                        except (OverflowError, ValueError):
                            msg = f"""Cell {coordinate} is marked as a date but the serial value {value} is outside the limits for dates. The cell will be treated as an error."""
                            warn(msg)
                            value = "#VALUE!"
                elif data_type == 's':
                    value = self.shared_strings[int(value)]
                elif data_type == 'b':
                    value = bool(int(value))
                elif data_type == 'd':
                    value = from_ISO8601(value)
            append((column, value))
        self.col_counter = col_counter
        return self.row_counter, cells


def _row(cells: list, max_col: int | None) -> tuple:
    """ReadOnlyWorksheet._get_row(row, 1, max_col, values_only=True) for (column, value) pairs."""
    if not cells and not max_col:
        return ()
    max_col = max_col or cells[-1][0]
    out = [None] * max_col
    for column, value in cells:
        if 1 <= column <= max_col:
            out[column - 1] = value
    return tuple(out)


def _fast(ws: ReadOnlyWorksheet) -> Iterator[tuple]:
    """ReadOnlyWorksheet._cells_by_row(1, 1, max_column, max_row, values_only=True) through _Parser."""
    max_col, max_row = ws.max_column, ws.max_row
    empty_row: tuple | list = []
    if max_col is not None:
        empty_row = (None,) * max_col
    counter = 1
    idx = 1
    wb = ws.parent
    with ws._get_source() as src:
        parser = _Parser(src, ws._shared_strings, data_only=True, epoch=wb.epoch,
                         date_formats=wb._date_formats, timedelta_formats=wb._timedelta_formats)
        for idx, cells in parser.parse():
            if max_row is not None and idx > max_row:
                break
            for _ in range(counter, idx):
                counter += 1
                yield empty_row
            if counter <= idx:
                counter += 1
                yield _row(cells, max_col)
    if max_row is not None and max_row < idx:
        for _ in range(counter, max_row + 1):
            yield empty_row


def values(ws) -> Iterator[tuple]:
    """The rows of `ws` as `ws.iter_rows(values_only=True)` gives them (a read-only, data-only sheet
    goes the fast way; any other sheet, or one the fast way cannot read, goes through openpyxl)."""
    if not COPIED_FROM or not isinstance(ws, ReadOnlyWorksheet) or not ws.parent.data_only or ws._current_row == 0:
        yield from ws.iter_rows(values_only=True)
        return
    done = 0
    try:
        for row in _fast(ws):
            yield row
            done += 1
    except Exception:  # noqa: BLE001 - openpyxl reads it again and says what is wrong, if anything
        FAST_ROWS["fallback"] += 1
        for n, row in enumerate(ws.iter_rows(values_only=True)):
            if n >= done:
                yield row
        return
    FAST_ROWS["fast"] += 1
