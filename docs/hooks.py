"""mkdocs hooks: the notebooks join the site as pages, with working table-of-contents anchors.

- The repository's ``notebooks/`` are added as pages without copying (mkdocs-jupyter runs them).
  They stay where the package and ``make demo`` expect them (``notebooks/`` at the root).
- mkdocs-jupyter builds a notebook page's table of contents from the notebook's text with every
  inline code span removed, while the page's headings keep theirs: a heading such as
  ``### Two factors: `SELECT_MFA_TYPE``` got a contents link to an anchor that does not exist.
  The contents are rebuilt here from the markdown cells, slugged as the page's headings are.
- nbconvert's settings for the notebook pages (docs/nbconvert: the widget script's version).
- Every ``#anchor`` link on every page must name an id on that page: a broken one is a warning,
  so the strict build fails (mkdocs checks only the links written in Markdown).
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import markdown
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.toc import TableOfContents, get_toc
from mkdocs_jupyter.utils import slugify as notebook_slug
from nbconvert.filters.strings import _convert_header_id

HERE = Path(__file__).resolve().parent
log = logging.getLogger("mkdocs.hooks.mfa_widgets")


def on_config(config: Any) -> Any:
    """Put docs/nbconvert first on the Jupyter config path (mkdocs-jupyter reads it)."""
    paths = [str(HERE / "nbconvert"), os.environ.get("JUPYTER_CONFIG_PATH", "")]
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(p for p in paths if p)
    return config


@event_priority(100)  # before mkdocs-jupyter, which turns the notebooks into pages
def on_files(files: Files, config: Any) -> Files:
    """Add ``notebooks/*.ipynb`` from the repository root to the site's files."""
    root = Path(config.config_file_path).parent
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        files.append(
            File(
                f"notebooks/{notebook.name}",
                src_dir=str(root),
                dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls,
            )
        )
    return files


def _heading_id(text: str, separator: str) -> str:
    """A heading's anchor as mkdocs-jupyter writes it on the page (code spans' text kept)."""
    return str(_convert_header_id(notebook_slug(text)))


def notebook_toc(notebook: Path) -> TableOfContents:
    """The table of contents of a notebook's markdown cells, anchored as its page's headings."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    text = "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    md = markdown.Markdown(
        extensions=["fenced_code", "toc"], extension_configs={"toc": {"slugify": _heading_id}}
    )
    md.convert(text)
    return get_toc(md.toc_tokens)  # type: ignore[attr-defined]


@event_priority(-100)  # after mkdocs-jupyter rendered the page and set its contents
def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Give a notebook page the contents :func:`notebook_toc` builds."""
    if page.file.src_uri.endswith(".ipynb"):
        page.toc = notebook_toc(Path(page.file.abs_src_path))
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Warn (so the strict build fails) about a ``#anchor`` link to no id on the page."""
    ids = set(re.findall(r'\bid="([^"]+)"', output))
    for anchor in sorted(set(re.findall(r'href="#([^"]+)"', output)) - ids):
        log.warning("%s links to #%s, which is no anchor on that page", page.file.src_uri, anchor)
    return output
