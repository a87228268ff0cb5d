"""Edit an artifact's content as structure: fields, lists and tables drawn from its pydantic model.

`edit_model` renders one widget per field of the module's content model (text, numbers, choices,
one-item-per-line lists, tables of rows for lists of small records, a card per item for richer
ones) and returns the content as the widgets hold it now. Nothing here knows a module by name: the
strategy's KPI table and pillars, the creatives' concepts or the monitoring plan all come from
their models. The Markdown is rendered by the API from what is saved.
"""

from __future__ import annotations

import json
import types
from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, Union, get_args, get_origin

import streamlit as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

LONG_TEXT = 90  # characters: longer strings (or any with a line break) get a text area
SEP = "; "  # how a list of words shows inside one table cell


# ---- reading annotations ------------------------------------------------------------------------
def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type without `| None`, whether None is allowed)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Enum)


def _list_of(tp: Any) -> Any | None:
    return get_args(tp)[0] if get_origin(tp) is list and get_args(tp) else None


def _cell(tp: Any) -> bool:
    """Fits one table cell: a word, a number, a choice (lists and records get a card instead)."""
    tp, _ = _unwrap(tp)
    return tp in (str, int, float, bool) or _is_enum(tp) or get_origin(tp) is Literal


def label_of(name: str) -> str:
    special = {"kpis": "KPIs", "kpi": "KPI", "icp": "Ideal customer", "cta": "Call to action", "pct": "%"}
    if name in special:
        return special[name]
    words = [special.get(w, w) for w in name.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _singular(name: str) -> str:
    text = label_of(name)
    return text[:-1] if text.endswith("s") and not text.endswith("ss") else text


# ---- one value ----------------------------------------------------------------------------------
def _value(tp: Any, value: Any, label: str, key: str, *, collapsed: bool = False) -> Any:
    """One widget for one value of type `tp`; returns what it holds."""
    tp, optional = _unwrap(tp)
    visibility = "collapsed" if collapsed else "visible"
    if tp is bool:
        return st.checkbox(label, value=bool(value), key=key)
    if tp is int:
        return int(
            st.number_input(label, value=int(value or 0), step=1, key=key, label_visibility=visibility)
        )
    if tp is float:
        return float(st.number_input(label, value=float(value or 0), key=key, label_visibility=visibility))
    if get_origin(tp) is Literal:
        options = list(get_args(tp))
        index = options.index(value) if value in options else None
        return st.selectbox(label, options, index=index, key=key, label_visibility=visibility)
    if _is_enum(tp):
        options = [m.value for m in tp]
        current = value.value if isinstance(value, Enum) else value
        index = options.index(current) if current in options else None
        return st.selectbox(label, options, index=index, key=key, label_visibility=visibility)
    item = _list_of(tp)
    if _is_enum(item):
        options = [m.value for m in item]
        chosen = [v for v in (value or []) if v in options]
        return st.multiselect(label, options, default=chosen, key=key, label_visibility=visibility)
    if item is str:
        if collapsed:  # a table cell: the words on one line
            text = st.text_input(label, value=SEP.join(value or []), key=key, label_visibility=visibility)
            return [part.strip() for part in text.split(SEP.strip()) if part.strip()]
        text = st.text_area(
            f"{label} (one per line)",
            value="\n".join(value or []),
            key=key,
            height=max(80, 26 * (len(value or []) + 1)),
        )
        return [line.strip() for line in text.splitlines() if line.strip()]
    if tp is str:
        text = "" if value is None else str(value)
        if not collapsed and (len(text) > LONG_TEXT or "\n" in text):
            out = st.text_area(label, value=text, key=key, height=max(80, 22 * (len(text) // 80 + 2)))
        else:
            out = st.text_input(label, value=text, key=key, label_visibility=visibility)
        return None if optional and not out.strip() else out
    if tp in (date, datetime):
        text = st.text_input(f"{label} (ISO)", value=str(value or ""), key=key, label_visibility=visibility)
        return text.strip() or None
    return _json(label, value, key)


def _json(label: str, value: Any, key: str) -> Any:
    """A shape with no widget of its own (e.g. a mapping): edited as JSON, kept when it does not parse."""
    text = st.text_area(f"{label} (JSON)", value=json.dumps(value, indent=2, ensure_ascii=False), key=key)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        st.error(f"{label}: not valid JSON (line {exc.lineno}): {exc.msg}; the saved value is kept.")
        return value


# ---- records and lists of records ---------------------------------------------------------------
def edit_model(model: type[BaseModel], content: dict[str, Any], key: str) -> dict[str, Any]:
    """Widgets for every field of `model`, filled from `content`; returns the edited content."""
    edited = dict(content)
    for name, field in model.model_fields.items():
        edited[name] = _field(name, field, content.get(name), f"{key}.{name}")
    return edited


def _field(name: str, field: FieldInfo, value: Any, key: str) -> Any:
    tp, _ = _unwrap(field.annotation)
    label = label_of(name)
    if _is_model(tp):
        with st.container(border=True):
            st.markdown(f"**{label}**")
            return edit_model(tp, value or {}, key)
    item = _list_of(tp)
    if _is_model(item):
        rows = value or []
        if all(_cell(f.annotation) for f in item.model_fields.values()) and len(item.model_fields) <= 6:
            return _table(name, item, rows, key)
        return _cards(name, item, rows, key)
    if get_origin(tp) is dict and get_args(tp)[1:] == (int,):
        return _mapping(label, value or {}, key)
    return _value(field.annotation, value, label, key)


def _row_controls(name: str, rows: list[Any], key: str, blank: dict[str, Any]) -> list[Any]:
    """The rows shown: the saved ones, plus any added, minus any removed (kept until saved). The
    add / remove buttons go below the rows (`_row_buttons`); their callbacks run before the rows."""
    store = f"{key}:rows"
    if store not in st.session_state:
        st.session_state[store] = len(rows)
    count = st.session_state[store]
    return [rows[i] if i < len(rows) else blank for i in range(count)]


def _row_buttons(name: str, key: str) -> None:
    store = f"{key}:rows"
    thing = _singular(name)
    thing = thing if thing.isupper() else thing.lower()
    article = "an" if thing[:1].lower() in "aeiou" else "a"

    def grow(by: int) -> None:
        st.session_state[store] = max(0, st.session_state[store] + by)

    row = st.container(horizontal=True, gap="small")
    row.button(f"Add {article} {thing}", key=f"{key}:add", icon=":material/add:", on_click=grow, args=(1,))
    row.button(
        f"Remove the last {thing}",
        key=f"{key}:remove",
        disabled=st.session_state[store] == 0,
        icon=":material/remove:",
        on_click=grow,
        args=(-1,),
    )


def _blank(model: type[BaseModel]) -> dict[str, Any]:
    return {
        n: f.get_default(call_default_factory=True) if not f.is_required() else None
        for n, f in model.model_fields.items()
    }


def _table(name: str, item: type[BaseModel], rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """A table of inputs: one row per record, one column per field (the KPI table, the phases)."""
    st.markdown(f"**{label_of(name)}**")
    fields = list(item.model_fields.items())
    widths = [_width(n, rows) if _unwrap(f.annotation)[0] is str else 2 for n, f in fields]
    header = st.columns(widths)
    for column, (field_name, _) in zip(header, fields, strict=True):
        column.caption(label_of(field_name))
    out = []
    for i, row in enumerate(_row_controls(name, rows, key, _blank(item))):
        cells = st.columns(widths, vertical_alignment="center")
        record = dict(row or {})
        for cell, (field_name, field) in zip(cells, fields, strict=True):
            with cell:
                record[field_name] = _value(
                    field.annotation,
                    record.get(field_name),
                    f"{label_of(field_name)} · {_singular(name)} {i + 1}",
                    f"{key}.{i}.{field_name}",
                    collapsed=True,
                )
        out.append(record)
    _row_buttons(name, key)
    return out


def _width(field_name: str, rows: list[dict[str, Any]]) -> float:
    """A text column as wide as its longest value needs (within reason), so targets stay readable."""
    longest = max((len(str((r or {}).get(field_name) or "")) for r in rows), default=0)
    return min(6.0, max(2.0, longest / 12))


def _cards(name: str, item: type[BaseModel], rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """A card per record with its own fields (the pillars: name, description, topics, formats)."""
    st.markdown(f"**{label_of(name)}**")
    out = []
    for i, row in enumerate(_row_controls(name, rows, key, _blank(item))):
        title = (row or {}).get("name") or (row or {}).get("title") or ""
        with st.expander(f"{_singular(name)} {i + 1}" + (f": {title}" if title else ""), expanded=False):
            out.append(_labelled(item, row or {}, f"{key}.{i}", f"{_singular(name)} {i + 1}"))
    _row_buttons(name, key)
    return out


def _labelled(model: type[BaseModel], content: dict[str, Any], key: str, owner: str) -> dict[str, Any]:
    """Like edit_model, with the owner in each label ("Description · Pillar 2") so each is findable."""
    edited = dict(content)
    for name, field in model.model_fields.items():
        tp, _ = _unwrap(field.annotation)
        if _is_model(tp) or _is_model(_list_of(tp)):
            edited[name] = _field(name, field, content.get(name), f"{key}.{name}")
        else:
            edited[name] = _value(
                field.annotation, content.get(name), f"{label_of(name)} · {owner}", f"{key}.{name}"
            )
    return edited


def _mapping(label: str, value: dict[str, int], key: str) -> dict[str, int]:
    st.markdown(f"**{label}**")
    out = {}
    columns = st.columns(min(4, max(1, len(value))))
    for i, (name, number) in enumerate(value.items()):
        with columns[i % len(columns)]:
            out[name] = int(
                st.number_input(f"{name} · {label}", value=int(number), step=1, key=f"{key}.{name}")
            )
    return out


# ---- checking before saving ---------------------------------------------------------------------
def problems(model: type[BaseModel], content: dict[str, Any]) -> list[str]:
    """What the API would refuse, said per field ("pillars.2.description: ..."), before sending."""
    try:
        model.model_validate(content)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in e['loc']) or 'content'}: {e['msg']}" for e in exc.errors()]
    return []


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """Top-level fields whose value differs (compared as JSON, so 3 and 3.0 or enum and text agree)."""

    def norm(value: Any) -> str:
        return json.dumps(value, sort_keys=True, default=str)

    return [k for k in after if norm(before.get(k)) != norm(after.get(k))]
