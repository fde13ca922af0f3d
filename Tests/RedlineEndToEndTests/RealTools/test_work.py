"""A small pytest-benchmark suite for redline's end-to-end tests.

REDLINE_SLOWDOWN=N makes test_squares do N times the work, for a real regression on demand.
"""
import os


def squares(count):
    return sum(value * value for value in range(count))


def test_squares(benchmark):
    count = 3000 * int(os.environ.get("REDLINE_SLOWDOWN", "1"))
    benchmark(squares, count)


def test_join(benchmark):
    benchmark(lambda: ",".join(str(value) for value in range(500)))
