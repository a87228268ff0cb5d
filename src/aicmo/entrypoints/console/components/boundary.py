"""Each tab renders inside its own error boundary: a failure stays in that tab, as a friendly panel.

The operator never sees a traceback. Unexpected exceptions are logged with a short reference that
the panel quotes, so the log line can be found.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import streamlit as st

from aicmo.entrypoints.console.client import ApiClient, ApiError, ApiUnreachable
from aicmo.entrypoints.console.components.common import show_api_error
from aicmo.entrypoints.console.components.shell import unreachable

log = logging.getLogger("aicmo.console")


def render_safely(label: str, render: Callable[[ApiClient], None], api: ApiClient) -> bool:
    """Run one tab body; True when it finished without an error panel."""
    try:
        render(api)
        return True
    except ApiUnreachable as exc:
        unreachable(exc.url, exc.reason)
    except ApiError as exc:
        log.warning("tab %s: API error %s %s (trace %s)", label, exc.status_code, exc.type, exc.trace_id)
        show_api_error(exc, what=f"while loading {label}")
    except Exception:
        ref = uuid.uuid4().hex[:8]
        log.exception("tab %s failed to render (ref %s)", label, ref)
        st.error(
            f"**{label} could not finish loading.** The other tabs still work. "
            f"The problem was logged with reference `{ref}`; reload the page to try again.",
            icon=":material/error:",
        )
    return False
