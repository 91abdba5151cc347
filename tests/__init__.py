"""mfa_widgets tests (a package so test helpers can be imported as ``tests.<module>``)."""
