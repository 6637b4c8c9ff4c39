r"""Commitment tracking: a quantified target of one document and its outcome in later ones.

A **target** is an indicator inside a commitment (``commitments[].quantity`` and the other
figures of the same commitment) of a v1 result: metric key, value (a range's high end too),
comparator, the year it is due (the commitment's deadline, else the article's year), region and
actor. An **outcome** candidate is an indicator of a later document that lies in no commitment
(a reported figure, not a plan). :func:`track` links each target to the first outcome candidate of
the documents that report on its due year (same region, same metric, a figure of the same kind)
and decides its status with the rules of guide ``tracking-v1`` (corpus/README.md §8.4):
``met``, ``not_met``, ``no_evidence`` (a later document exists, no figure of that metric) and
``not_due`` (no document speaks of the due year yet). ``partly_met`` is in the guide and the API
but not produced: one target here is one figure.

Metrics match by key when the phrase table (``resources/metrics.tsv``) names both, else by the
longest run of Han characters the two metric phrases share (at least :data:`MIN_SHARED` of them,
after the verbs of plans and reports are stripped: 新增, 完成, 改建 …).

Example:
    >>> from nlp_service.tracking.metrics import metric_key
    >>> metric_key("全年国内生产总值增长", "%"), metric_key("居民消费价格上涨", "%")
    (('gdp_growth', 'up'), ('cpi', 'down'))

"""
