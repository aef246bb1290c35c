"""contresens command line, corpus I/O, reports and benchmarks (depends on `service`)."""
