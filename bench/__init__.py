"""Benchmarks of the Salon scheduler: Girona B2B files, synthetic fairs and a greedy baseline."""
