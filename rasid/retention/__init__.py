"""Retention: deleting data past its delete date, masking (depersonalising) personal data
past its mask date on every read, and seeing masked data again with a supervisor's
approval (EU PNR Directive 2016/681, art. 12)."""
