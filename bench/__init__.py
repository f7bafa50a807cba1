"""Benchmarks and drills that run the site on real servers (``make bench``, ``make bench-cluster``,
``make restore-drill``); ``bench.servers`` starts and stops them for these and for tests/engines."""
