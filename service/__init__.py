"""contresens scoring engine: segmentation, MarianMT round trips, signals and reports.

Importing this package is cheap: torch and transformers are imported only when a model is
loaded (see `service.translate`).
"""

__version__ = "0.1.0"
