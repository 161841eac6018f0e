"""tradecalc.io: reading and writing files safely, below every other layer (it imports only :mod:`tradecalc.errors`).

``limits`` (every size, count and time limit), ``reader`` (the one bounded reader),
``safety`` (workbook and text guards, deadlines, CSV-safe text), ``atomic``
(atomic writes), ``scratch`` (private temporary folders, removed even after a kill), ``formats`` (format names and suffixes, once), ``progress``
(the terminal progress line).
"""
