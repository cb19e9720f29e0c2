"""Dataset to tidy frames: the questions the reports ask, as pure functions.

``asof`` (what a date means when a question is asked for a day), ``choices`` (checking ids
and names against the data), ``facts`` (conflicts, series over time, growth),
``memberships``, ``participation``, ``coverage``, ``events`` and ``profiles``. Frames in,
frames out: no text formatting and no figures (that is ``reporting``).
"""
