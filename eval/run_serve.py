"""`contresens serve`: check everything that can be checked quickly (settings, termbase files, that the
model files exist), then run the HTTP service under uvicorn. The options are passed to the server (and
to every worker process) as `CONTRESENS_*` environment variables, the same ones a deployment sets."""

from __future__ import annotations

import argparse
import os

from eval.settings_args import OPTION_FIELDS, settings_from_args

ENV_LISTS = ("glossary", "checks", "skip_checks")


def _export(args: argparse.Namespace) -> None:
    """Put the options given on the command line into the environment the server reads."""
    import json

    for key in OPTION_FIELDS:
        value = getattr(args, key, None)
        if value is None:
            continue
        if key in ENV_LISTS:
            text = json.dumps(value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        else:
            text = str(value)
        os.environ[f"CONTRESENS_{key.upper()}"] = text


def run_serve(args: argparse.Namespace) -> int:
    """Validate, then serve until interrupted. Errors before serving exit 2 with the reason."""
    import uvicorn

    from service.api.lifecycle import preflight
    from service.glossary.loading import glossary_for

    settings = settings_from_args(args)  # a bad setting raises ValidationError: exit 2
    glossary_for(settings)  # a bad termbase file: exit 2
    if not args.no_preflight:
        preflight(settings)  # a model that is not there: exit 2, before the server starts
    _export(args)
    uvicorn.run("service.api.app:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, proxy_headers=True, timeout_graceful_shutdown=30)
    return 0
