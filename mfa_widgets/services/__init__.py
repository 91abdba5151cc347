"""I/O over boto3 and pandas: the client, the event log, sweeps, audits, bulk changes, launching.

:mod:`~mfa_widgets.services.client` is the only boto3 caller; :mod:`~mfa_widgets.services.log`
turns events into a pandas DataFrame; :mod:`~mfa_widgets.services.explore`,
:mod:`~mfa_widgets.services.audit` and :mod:`~mfa_widgets.services.bulk` are the long jobs, paced
by :mod:`~mfa_widgets.services.pacing`; :mod:`~mfa_widgets.services.launch` starts JupyterLab or
Voila. Services never import the widgets or the sandbox (checked by ``make lint``): a sandbox is
just another endpoint to them.
"""
