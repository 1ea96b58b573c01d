"""Load test (`make bench-load`): locust against gunicorn with production settings on loopback.

tests/load/runner.py prepares the data and sessions, starts gunicorn and the reminder scan, runs
locust headless (tests/load/locustfile.py) for a bounded time and prints the report. Run it with
`python -m tests.load` (options: `python -m tests.load --help`).
"""
