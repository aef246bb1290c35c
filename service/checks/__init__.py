"""Localization checks that need no model: numbers, dates, names, untranslated text, length,
markup and placeholders, typography. Each check lives in its own module and is looked up by
name in `service.checks.registry`, imported on first use."""
