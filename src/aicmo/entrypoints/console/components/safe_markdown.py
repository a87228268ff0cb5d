"""No remote images from user or model text in the console.

Streamlit renders Markdown images, so `![](https://tracker.example/p.gif)` in a brief, a generated
post or a client's comment would be fetched by the operator's browser (a tracking pixel, or a
request to an internal address). `install()` wraps every Streamlit call that renders Markdown so
image syntax is escaped: the text shows `!` and a plain link, and nothing is fetched. HTML is
already escaped by Streamlit unless a call passes `unsafe_allow_html` (only for our own markup).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

_IMAGE = re.compile(r"(?<!\\)!\[")
_RENDERS_MARKDOWN = ("markdown", "caption", "info", "warning", "success", "error")
_MARK = "_aicmo_no_images"


def without_images(text: str) -> str:
    """`text` with every Markdown image (inline or by reference) turned into a literal `!` + link."""
    return _IMAGE.sub(r"\\![", text)


def _guard(render: Any) -> Any:
    if getattr(render, _MARK, False):
        return render

    @functools.wraps(render)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        index = 1 if args and isinstance(args[0], DeltaGenerator) else 0  # self, for the class methods
        if len(args) > index and isinstance(args[index], str):
            args = (*args[:index], without_images(args[index]), *args[index + 1 :])
        if isinstance(kwargs.get("body"), str):
            kwargs["body"] = without_images(kwargs["body"])
        return render(*args, **kwargs)

    setattr(guarded, _MARK, True)
    return guarded


def install() -> None:
    """Guard `st.markdown`, `st.caption`, the alerts and their container methods (idempotent)."""
    for name in _RENDERS_MARKDOWN:
        setattr(DeltaGenerator, name, _guard(getattr(DeltaGenerator, name)))
        setattr(st, name, _guard(getattr(st, name)))
