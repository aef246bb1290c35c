"""Meta-evaluation: how well contresens and reference-based metrics agree with human judges (issue 8)."""
