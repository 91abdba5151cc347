"""The leak scan finds secrets in the forms they leak in (issue 13 #1), nothing in clean text."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st

from mfa_widgets.core.totp import new_secret
from mfa_widgets.widgets.totp import qr_svg
from tests.leakscan import find_leaks

_base32 = st.binary(min_size=10, max_size=20).map(lambda b: base64.b32encode(b).decode())


def leaky_notebook(path: Path, widget_value: str, output: str = "") -> Path:
    """A notebook saved with widget state, as JupyterLab's saveState would write it."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("demo()")
    if output:
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": output})]
    nb.cells = [cell]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "version_major": 2,
            "version_minor": 0,
            "state": {
                "abc": {
                    "model_name": "HTMLModel",
                    "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"value": widget_value},
                }
            },
        }
    }
    nbformat.write(nb, path)
    return path


def grouped(secret: str, size: int = 4) -> str:
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))


def test_the_grouped_secret_of_a_leaky_notebook_is_found(tmp_path: Path) -> None:
    secret = new_secret()
    path = leaky_notebook(tmp_path / "leaky.ipynb", f"<code>{grouped(secret)}</code>")
    assert secret not in path.read_text()  # an exact-string scan misses it
    assert len(find_leaks([path], [secret])) == 1


def test_a_qr_code_of_the_secret_is_decoded_and_found(tmp_path: Path) -> None:
    secret = new_secret()
    svg = qr_svg(f"otpauth://totp/demo:alice?secret={secret}&issuer=demo")
    path = leaky_notebook(tmp_path / "qr.ipynb", svg)
    assert find_leaks([path], [secret])
    data_url = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
    path = leaky_notebook(tmp_path / "qr-url.ipynb", "", output=f'<img src="{data_url}">')
    assert find_leaks([path], [secret])


def test_codes_typed_with_a_space_are_found_but_not_inside_longer_numbers(tmp_path: Path) -> None:
    path = leaky_notebook(tmp_path / "code.ipynb", "code: 123 456")
    assert find_leaks([path], ["123456"])
    clean = leaky_notebook(tmp_path / "clean.ipynb", "took 1234567 µs at 12:34:56.123456")
    assert find_leaks([clean], ["123456", "234567"]) == []


@settings(max_examples=40, deadline=None)
@given(
    secret=_base32,
    size=st.integers(min_value=2, max_value=8),
    lower=st.booleans(),
    separator=st.sampled_from([" ", "-", "\n", "  "]),
    encoding=st.sampled_from(["plain", "base64", "raw-base64", "json"]),
)
def test_a_secret_is_found_whatever_its_grouping_case_and_encoding(
    secret: str, size: int, lower: bool, separator: str, encoding: str
) -> None:
    shown = grouped(secret, size).replace(" ", separator)
    shown = shown.lower() if lower else shown
    text = {
        "plain": shown,
        "base64": base64.b64encode(secret.encode()).decode(),
        "raw-base64": base64.b64encode(base64.b32decode(secret)).decode(),
        "json": json.dumps({"value": f"<code>{shown}</code>"}),
    }[encoding]
    assert find_leaks([f"saved: {text} end"], [secret])
    assert find_leaks([f"saved: {text} end"], [new_secret()]) == []
