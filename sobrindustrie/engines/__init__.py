"""Pure-Python engines: data in, data out, no Django import.

Each engine can be used from the `sobrindustrie` console script and is unit-tested on its own
under tests/engines/. Django apps adapt their models into the plain data these engines take.
"""
