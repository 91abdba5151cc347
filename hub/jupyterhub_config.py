"""JupyterHub for a class: each hub user gets a server with the toolkit, already in the classroom.

Start the classroom first (``mfa-widgets classroom --state-dir ./class``), then the hub with the
classroom's trainer link in ``MFA_WIDGETS_TRAINER``::

    MFA_WIDGETS_TRAINER='http://127.0.0.1:PORT/#trainer=KEY' jupyterhub -f hub/jupyterhub_config.py

When a user's server starts, the hub adds the user to the classroom under their hub name (or finds
them there) and gives the server ``MFA_WIDGETS_CLASSROOM``, their own join link: ``Lab()`` in any
of their notebooks joins the class with no link to paste, and the trainer's board shows them.

This configuration is for a trial or a test on one machine: the dummy authenticator (any
name; the password in ``MFA_HUB_PASSWORD`` if set) and servers running as the hub's own user.
For a real class, swap in your site's authenticator and spawner; the ``pre_spawn_hook`` is the
only part the classroom needs. Everything listens on 127.0.0.1. Environment:

``MFA_WIDGETS_TRAINER`` (required)
    The trainer link printed by ``mfa-widgets classroom``.
``MFA_HUB_PORT``, ``MFA_HUB_API_PORT``, ``MFA_HUB_PROXY_API_PORT``
    The public port (default 8000), the hub's internal API port (8081) and the proxy's API
    port (8001).
``MFA_HUB_STATE``
    Where the hub keeps its database, cookie secret and the users' home folders (default
    ``./hub-state``).
"""

import os
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - provided by JupyterHub

state = Path(os.environ.get("MFA_HUB_STATE", "hub-state")).resolve()
state.mkdir(parents=True, exist_ok=True)

c.JupyterHub.bind_url = f"http://127.0.0.1:{os.environ.get('MFA_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("MFA_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = (
    f"http://127.0.0.1:{os.environ.get('MFA_HUB_PROXY_API_PORT', '8001')}"
)
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
if os.environ.get("MFA_HUB_PASSWORD"):
    c.DummyAuthenticator.password = os.environ["MFA_HUB_PASSWORD"]

c.JupyterHub.spawner_class = "simple"  # servers run as the hub's user, homes under `state`
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = "/lab"
if os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses that unless told
    c.Spawner.args = ["--allow-root"]
c.Spawner.start_timeout = 180  # a busy machine starts JupyterLab slowly
c.Spawner.http_timeout = 180


def join_classroom(spawner):  # type: ignore[no-untyped-def]
    """Add the hub user to the classroom and hand their server the join link."""
    from mfa_widgets.training.classroom import LINK_VARIABLE, TrainerConnection

    trainer = TrainerConnection(os.environ["MFA_WIDGETS_TRAINER"])
    link = trainer.add_learner(spawner.user.name)
    spawner.environment = {**spawner.environment, LINK_VARIABLE: link}


c.Spawner.pre_spawn_hook = join_classroom
