"""Benchmark harness for wardtrack: `make bench` or `python -m bench --help`.

Measures throughput and p50/p99 latency of POST /api/v1/contacts under gunicorn against a bare WSGI
baseline that inserts the same row with one SQL statement, on SQLite and on PostgreSQL, and prints the
ratio of the real endpoint's throughput to the baseline's.
"""
