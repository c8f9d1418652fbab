"""Tests of the benchmark helpers (bench/): synthetic fairs and the greedy baseline."""
