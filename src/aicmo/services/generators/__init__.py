"""Generators, one per module. `get_generator(module)` is the only lookup the rest of AICMO uses."""
