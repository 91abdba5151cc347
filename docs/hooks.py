"""mkdocs hook: the repository's notebooks/ join the site as pages (mkdocs-jupyter runs them).

The notebooks stay where the package and ``make demo`` expect them (``notebooks/`` at the
repository root); this adds them to the docs without copying.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files


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
