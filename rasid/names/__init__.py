"""Names: Arabic and Latin normalisation, a transliteration bridge, an index and a scorer.

A name is cut into parts; each part gets a *key* (its consonant skeleton in a shared
alphabet) under which an Arabic-script part and its Latin spellings meet: محمد, Mohammed,
Muhammad, Mohamed and Mhamed all give ``MHMD``. Compounds (Abd al-Rahman, Nur al-Din, Abu
Bakr) become one part; articles, particles (bin, ibn, ould) and titles (Sheikh, Dr) drop out.
"""
