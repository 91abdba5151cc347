"""nbconvert settings for the docs build (docs/hooks.py puts this folder on JUPYTER_CONFIG_PATH).

The notebook pages load the script that draws their widgets from ``jupyter_widgets_base_url``
(unpkg). nbconvert's default version range is ``*``: whatever html-manager was published last,
even one made for another ipywidgets. The range is the one the installed ipywidgets declares
compatible (the same ipywidgets' own ``embed`` uses).
"""

from ipywidgets._version import __html_manager_version__

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - given by traitlets when loading
c.HTMLExporter.html_manager_semver_range = __html_manager_version__
