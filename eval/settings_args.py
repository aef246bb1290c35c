"""From command-line options to `Settings`: the options given override the environment."""

from __future__ import annotations

import argparse

from service.config import Settings

OPTION_FIELDS = ("forward_model", "backward_model", "source_lang", "target_lang", "beam_size", "decoder", "device",
                 "offline", "glossary", "builtin_glossary", "term_policy", "checks", "skip_checks", "backend",
                 "ct2_compute_type", "threads", "cache", "cache_path", "quality_weights")


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Environment settings with the command-line options that were given on top."""
    overrides = {key: value for key in OPTION_FIELDS if (value := getattr(args, key, None)) is not None}
    return Settings(**overrides)
