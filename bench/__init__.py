"""Measurement and demo tools: benchmarks, the synthetic corpus, the class simulation.

Not part of the installed package; run from a clone, e.g. ``python -m bench.benchmark``.
"""
