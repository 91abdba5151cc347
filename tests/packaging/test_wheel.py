"""The built wheel, installed as a user would into fresh venvs, one per extra.

The wheel is built once per session from the tracked files; every venv installs it from the local
wheel cache (tests/packaging/installs.py), so after the first run no install touches the network.
Each extra's features run in its own venv; the default install must pull no moto, Jupyter,
matplotlib, Flask or pyarrow. Slow (a few minutes): ``-m "not slow"`` skips it.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

import mfa_widgets
from mfa_widgets.core.extras import EXTRAS
from tests.packaging.dashboard_session import free_port
from tests.packaging.installs import ROOT, Venv, build_wheel, ensure_cached, install, make_venv

# Minutes per run (a first run fills a wheel cache): `make test-wheel`, outside `make test`.
pytestmark = [pytest.mark.slow, pytest.mark.wheel]

#: Distributions the default install must not bring (the heavy optional stacks).
HEAVY = {"moto", "flask", "jupyterlab", "jupyter-server", "notebook", "voila", "ipykernel",
         "matplotlib", "pyarrow"}  # fmt: skip
#: What moto[server] would add and the sandbox never uses.
SERVER_BUNDLE = {"sympy", "cfn-lint", "networkx", "docker", "aws-xray-sdk"}
SWEEP = """
import json, sys
import mfa_widgets as mw
from mfa_widgets.core.preferences import Factor
from mfa_widgets.sandbox import Sandbox
from mfa_widgets.widgets import ExplorerPanel
with Sandbox() as sandbox:
    log = mw.MfaLog()
    panel = ExplorerPanel(mw.MfaClient.for_sandbox(sandbox, log=log), log=log)
    panel.factor_boxes[Factor.EMAIL].value = False
    panel.run_button.click()
    panel.wait(timeout=300)
frame = mw.outcomes_frame(panel.outcomes)
print(json.dumps({"scenarios": len(frame), "agree": int(frame["agrees"].sum()),
                  "status": panel.status.message, "png": bytes(panel.plot.value)[:4].hex()}))
sys.stdout.flush()
ax = mw.plot_matrix(panel.matrix)
ax.figure.savefig(sys.argv[1])
"""


#: Test tools the sandbox venv gets, to run the sandbox's own lifecycle tests.
TEST_TOOLS = ("pytest>=8", "awscli>=1.36")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = build_wheel(tmp_path_factory.mktemp("wheel"))
    ensure_cached(built, ",".join(EXTRAS), *TEST_TOOLS)  # one fill for every venv below
    return built


def _venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path, extras: str, *also: str) -> Venv:
    venv = make_venv(tmp_path_factory.mktemp("venv") / (extras or "default"))
    install(venv, wheel, extras, *also, compile_bytecode=False)
    return venv


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    return _venv(tmp_path_factory, wheel, "")


@pytest.fixture(scope="module")
def sandbox_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    # pytest and awscli to run the sandbox's own lifecycle tests against the installed package.
    return _venv(tmp_path_factory, wheel, "sandbox", *TEST_TOOLS)


@pytest.fixture(scope="module")
def demo_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Venv:
    return _venv(tmp_path_factory, wheel, "sandbox,demo")


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0
    assert "ModuleNotFoundError" not in result.stderr
    return lines[-1]


def test_the_wheel_ships_the_notebooks_license_and_typing(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {Path(n).name for n in names if n.startswith("mfa_widgets/notebooks/")}
    assert shipped == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert "mfa_widgets/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA")))
    assert f"Version: {mfa_widgets.__version__}" in metadata.decode()


def test_default_install_is_light_and_names_the_extra_for_each_feature(
    default: Venv, tmp_path: Path
) -> None:
    assert default.distributions() & HEAVY == set()
    cli = default.bin("mfa-widgets")
    out = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["mfa-widgets", mfa_widgets.__version__]
    predict = subprocess.run(
        [cli, "predict", "--pool-mfa", "ON", "--pool-factors", "SMS,TOTP", "--phone", "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(predict.stdout)["challenge"]
    for command in (["sandbox"], ["explore"]):
        result = subprocess.run([cli, *command], capture_output=True, text=True, timeout=60)
        assert _one_line(result).endswith("pip install 'mfa-widgets[sandbox]'"), command
        assert len(result.stderr.strip().splitlines()) == 1
    lab = subprocess.run([cli, "lab", "--dir", tmp_path / "nb"], capture_output=True, text=True)
    assert _one_line(lab).endswith("pip install 'mfa-widgets[demo]'")
    demo = default.run("-c", "import mfa_widgets as mw; mw.demo()", check=False)
    assert _one_line(demo).endswith("pip install 'mfa-widgets[sandbox]'")
    parquet = default.run(
        "-c", f"import mfa_widgets as mw; mw.MfaLog().to_parquet({str(tmp_path / 'x')!r})",
        check=False,
    )  # fmt: skip
    assert _one_line(parquet).endswith("pip install 'mfa-widgets[parquet]'")
    view = default.run(
        "-c", "import mfa_widgets as mw; from mfa_widgets.widgets import LogView\n"
        f"v = LogView(mw.MfaLog()); v.state.folder = {str(tmp_path)!r}; v.export('parquet')\n"
        "print(v.status.message)",
    )  # fmt: skip
    assert view.stdout.strip() == (
        "Parquet export needs the 'parquet' extra (pyarrow is not installed): "
        "pip install 'mfa-widgets[parquet]'"
    )


def test_sandbox_extra_serves_without_moto_server_and_passes_its_lifecycle_tests(
    sandbox_venv: Venv, tmp_path: Path
) -> None:
    assert "moto" in sandbox_venv.distributions()
    assert sandbox_venv.distributions() & SERVER_BUNDLE == set()
    tests = tmp_path / "tests"
    (tests / "service").mkdir(parents=True)
    for name in ("__init__.py", "conftest.py", "service/conftest.py",
                 "service/test_sandbox_lifecycle.py"):  # fmt: skip
        shutil.copy(ROOT / "tests" / name, tests / name)
    result = sandbox_venv.run(
        "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/service/test_sandbox_lifecycle.py",
        cwd=tmp_path, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert re.search(r"\d+ passed", result.stdout)


def test_sweep_runs_with_sandbox_and_plots_with_the_plot_extra(
    sandbox_venv: Venv, wheel: Path, tmp_path: Path
) -> None:
    script = tmp_path / "sweep.py"
    script.write_text(SWEEP)
    png = tmp_path / "matrix.png"
    without = sandbox_venv.run(script, png, check=False, timeout=600)
    swept = json.loads(without.stdout.strip().splitlines()[-1])
    assert swept["scenarios"] == swept["agree"] > 0  # the sweep itself needs no matplotlib
    assert swept["png"] == ""
    assert swept["status"].endswith(
        "No chart: the challenge matrix chart needs the 'plot' extra "
        "(matplotlib is not installed): pip install 'mfa-widgets[plot]'."
    )
    assert _one_line(without).endswith("pip install 'mfa-widgets[plot]'")
    assert not png.exists()
    install(sandbox_venv, wheel, "sandbox,plot", compile_bytecode=False)
    with_plot = json.loads(sandbox_venv.run(script, png, timeout=600).stdout.splitlines()[-1])
    assert with_plot["png"] == "89504e47"  # the panel draws its chart
    assert "No chart" not in with_plot["status"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_parquet_extra_exports_and_reads_back(default: Venv, wheel: Path, tmp_path: Path) -> None:
    # The default venv, its light-install checks done above, gets [parquet]: a fresh venv would
    # install pandas and boto3 again for nothing.
    install(default, wheel, "parquet", compile_bytecode=False)
    venv = default
    assert venv.distributions() & (HEAVY - {"pyarrow"}) == set()
    path = tmp_path / "log.parquet"
    code = (
        "import mfa_widgets as mw\n"
        "log = mw.MfaLog()\n"
        "log.append({'operation': 'GetUser', 'username': 'alice', 'latency_ms': 12.5})\n"
        "log.append({'operation': 'AdminGetUser', 'username': 'bob', 'outcome': 'error'})\n"
        f"log.to_parquet({str(path)!r})\n"
        f"back = mw.MfaLog.read_frame({str(path)!r})\n"
        "assert back.equals(log.frame), (back.dtypes, log.frame.dtypes)\n"
        "print(list(back['username']))"
    )
    assert venv.run("-c", code).stdout.strip() == "['alice', 'bob']"


def _execute(venv: Venv, notebook: Path) -> nbformat.NotebookNode:
    venv.run(
        venv.bin("jupyter"), "execute", "--timeout=300", "--inplace", notebook,
        cwd=notebook.parent, timeout=600,
    )  # fmt: skip
    executed = nbformat.read(notebook, as_version=4)
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    return executed


def test_demo_extra_runs_the_shipped_quickstart_and_demo_in_a_kernel(
    demo_venv: Venv, tmp_path: Path
) -> None:
    folder = tmp_path / "work"
    demo_venv.run(
        "-c", f"from pathlib import Path; from mfa_widgets.services.launch import working_copy; "
        f"working_copy(Path({str(folder)!r}))",
    )  # fmt: skip
    _execute(demo_venv, folder / "01-quickstart.ipynb")
    probe = tmp_path / "demo.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
            "import mfa_widgets as mw\ndashboard = mw.demo()\nprint(type(dashboard).__name__)"
        )]),
        probe,
    )  # fmt: skip
    executed = _execute(demo_venv, probe)
    printed = [o for o in executed.cells[0].outputs if o.output_type == "stream"]
    assert printed[-1]["text"].strip() == "Dashboard"


@pytest.fixture
def lab_server(demo_venv: Venv, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    folder = tmp_path / "mine"
    proc = subprocess.Popen(
        [demo_venv.bin("mfa-widgets"), "lab", "--dir", folder, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        url = ""
        deadline = time.monotonic() + 120
        while not url and time.monotonic() < deadline:
            line = proc.stdout.readline()
            url = next(iter(re.findall(r"open (http\S+)", line)), "")
        yield url, folder
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_lab_command_serves_a_working_copy_of_the_notebooks(
    lab_server: tuple[str, Path], demo_venv: Venv
) -> None:
    url, folder = lab_server
    token = url.split("token=")[1]
    base = url.split("/lab/")[0]
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/contents?token={token}") as answer:  # noqa: S310
                listing = json.load(answer)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)
    served = {item["name"] for item in listing["content"]}
    assert served == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {p.name for p in folder.iterdir()} == served
    where = "import mfa_widgets, os; print(os.path.dirname(mfa_widgets.__file__))"
    site = demo_venv.run("-c", where)
    assert not folder.resolve().is_relative_to(Path(site.stdout.strip()))


def test_every_feature_extra_was_installed_alone_somewhere() -> None:
    covered = {"sandbox", "plot", "parquet", "demo"}
    assert covered == set(EXTRAS)
