"""`make bench`: the API measured against raw-SQL floors on a 100,000-claim dataset.

See docs/benchmarks.md for the method and the latest results; ``python -m bench --help`` for
the options.
"""
