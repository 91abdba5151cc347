"""Charts at their natural aspect ratio, crisp and whole; every colour from the theme (issue 13
#4 and #5).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg

from mfa_widgets.core.preferences import Factor, MfaPreference
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets._common import iter_widgets
from mfa_widgets.widgets.charts import CHALLENGE_COLOURS, figure_html, matrix_html
from mfa_widgets.widgets.dashboard import demo
from mfa_widgets.widgets.explorer import matrix_figure

_CHALLENGES = sorted(CHALLENGE_COLOURS)
# A CSS colour declaration, e.g. "color:#57606a" or "background: rgb(1,2,3)".
_DECLARATION = re.compile(
    r"(?<![-\w])(color|background(?:-color)?|border(?:-\w+)?|box-shadow)\s*:\s*([^;\"']+)"
)
_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\(|\b(?:white|black|red|green|grey|gray)\b")


def _matrix(columns: int, rows: int, cell: st.DataObject) -> pd.DataFrame:
    modes = ["OFF", "OPTIONAL", "ON"][:columns]
    index = pd.Index([f"combo{i}" for i in range(rows)], name="combination")
    data = [[cell.draw(st.sampled_from(_CHALLENGES)) for _ in modes] for _ in index]
    return pd.DataFrame(data, index=index, columns=modes)


@settings(max_examples=12, deadline=None)
@given(columns=st.integers(1, 3), rows=st.integers(1, 8), cell=st.data())
def test_the_matrix_plot_title_is_whole_and_inside_the_figure(
    columns: int, rows: int, cell: st.DataObject
) -> None:
    figure = matrix_figure(_matrix(columns, rows, cell))
    renderer = FigureCanvasAgg(figure).get_renderer()
    title = figure.axes[0].title
    box = title.get_window_extent(renderer)
    assert box.x0 >= 0
    assert box.x1 <= figure.bbox.width
    words = " ".join(title.get_text().split())
    assert words == "Sign-in challenge by preference and pool MFA mode"


def test_charts_are_vector_at_their_natural_aspect_ratio() -> None:
    from matplotlib.figure import Figure

    for width, height in ((10, 3.6), (4.4, 6)):
        figure = Figure(figsize=(width, height))
        figure.subplots().barh(["a", "b"], [1, 2], color="#0969da")
        chart = figure_html(figure, title="t")
        root = re.search(r"<svg[^>]*>", chart)
        assert root is not None
        assert ' width="' not in root[0]  # no fixed size to be stretched to
        assert ' height="' not in root[0]
        assert "height:auto" in root[0]
        view = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', root[0])
        assert view is not None
        ratio = float(view[1]) / float(view[2])
        assert ratio == pytest.approx(width / height, rel=0.25)  # tight bbox trims the margins
        assert f"max-width:min(100%, {int(width * 96)}px)" in chart
        assert "var(--jp-brand-color1" in chart
        assert "#0969da" not in chart.replace("var(--jp-brand-color1, #0969da)", "")


def _colour_literals(markup: str) -> list[str]:
    """Colour declarations in ``markup`` whose colour is not a JupyterLab theme variable."""
    bad = []
    for prop, value in _DECLARATION.findall(markup):
        without_fallbacks = re.sub(r"var\(--jp-[\w-]+,[^()]*\)|var\(--jp-[\w-]+\)", "", value)
        if _LITERAL.search(without_fallbacks):
            bad.append(f"{prop}: {value.strip()}")
    return bad


def test_the_challenge_matrix_table_uses_theme_colours() -> None:
    matrix = pd.DataFrame(
        [[c, f"{c} (predicted NONE)"] for c in _CHALLENGES],
        index=pd.Index(_CHALLENGES, name="combination"),
        columns=["OPTIONAL", "ON"],
    )
    markup = matrix_html(matrix)
    assert _colour_literals(markup) == []
    assert markup.count("mfa-mismatch") == len(_CHALLENGES)


def test_every_colour_on_the_dashboard_is_a_theme_variable(sandbox: Sandbox) -> None:
    dashboard = demo(sandbox, user="alice")
    try:
        panel = dashboard.preferences
        assert panel is not None
        panel.rows[Factor.SMS].enabled.value = True  # a "changed" badge and the CLI note
        dashboard.probe.use_known_password()
        dashboard.probe.sign_in()
        dashboard.client.admin_set_preference(
            dashboard.setup.pool.pool_id, "bob", MfaPreference(email="preferred")
        )
        dashboard.probe.state.username = "nobody"
        dashboard.probe.sign_in(password="Wrong-1!")  # an error status and a typo verdict
        markup = [
            str(getattr(widget, "value", ""))
            for widget in iter_widgets(dashboard.widget)
            if isinstance(getattr(widget, "value", None), str)
        ]
        literals = [bad for text in markup for bad in _colour_literals(text)]
        assert literals == []
    finally:
        dashboard.close()
