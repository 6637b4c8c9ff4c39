"""Archive deduplication: exact and near-duplicate documents and paragraphs across many documents.

:mod:`.minhash` is the kernel (normalise, shingle, sign, band, verify, cluster); :mod:`.records`
reads and writes the records and :mod:`.report` the report, for both engines: :mod:`.archive` (the
local streaming engine) and :mod:`.spark` (Spark). :mod:`.engine` declares the call both offer and
lists them for ``nlp-service dedup --engine``. Repeats inside one article are :mod:`nlp_service.clean`.
"""
