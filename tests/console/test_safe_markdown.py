"""The console renders no remote images from user or model text (issue 18: tracking pixels)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from aicmo.entrypoints.console.components.safe_markdown import without_images

PIXEL = (
    "Our story ![](https://tracker.example/p.gif?who=operator) and ![logo][1]\n\n[1]: https://x.example/l.png"
)


def test_image_syntax_is_escaped_and_the_text_kept() -> None:
    safe = without_images(PIXEL)
    assert "![" not in safe.replace("\\![", "") and "https://tracker.example/p.gif" in safe
    assert without_images("Plain **text** with a [link](https://example.com)!") == (
        "Plain **text** with a [link](https://example.com)!"
    )


def _page() -> None:
    import streamlit as st
    from tests.console.test_safe_markdown import PIXEL

    from aicmo.entrypoints.console.components import safe_markdown

    safe_markdown.install()
    st.markdown(PIXEL)
    st.caption(PIXEL)
    st.info(PIXEL)
    with st.container():
        st.markdown(body=PIXEL)
    left, _ = st.columns(2)
    left.markdown(PIXEL)
    st.write(PIXEL)


def test_every_markdown_surface_of_the_console_renders_no_image() -> None:
    page = AppTest.from_function(_page).run(timeout=30)
    assert not page.exception
    shown = [m.value for m in page.markdown] + [c.value for c in page.caption] + [i.value for i in page.info]
    assert len(shown) == 6
    assert all("\\![" in text and "![" not in text.replace("\\![", "") for text in shown), shown
