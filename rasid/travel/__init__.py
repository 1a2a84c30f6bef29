"""Travel data: advance passenger information (UN/EDIFACT PAXLST) and passenger name records
(PNRGOV) read into frozen records, with the problems found on the way.

``rasid.travel.parse.parse`` is the entry point; the layers below it are the tokenizer
(``tokenizer``), the envelope (``edifact``), the two mappers (``paxlst``, ``pnrgov``) and the
records they build (``manifest``, ``pnr``). Parsing is pure: no database, no web.
"""
