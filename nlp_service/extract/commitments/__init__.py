"""Commitments: forward-looking targets, pledges and tasks, clause by clause.

Three steps. :mod:`.context` reads what a reader uses to decide a clause (document kind, section,
list and lead-in, tense markers); :mod:`.gate` decides which clauses are commitments (a classifier
from ``nlp_service.models.clauses`` — rules, scikit-learn or char-BERT — behind an evidence gate);
:mod:`.fields` reads each commitment's actor, modality, action, target and deadline.
"""

from nlp_service.extract.commitments.context import (
    LABELS,
    ClauseContext,
    ClauseSite,
    clause_contexts,
    document_kind,
    list_intro_end,
    task_heading,
)
from nlp_service.extract.commitments.fields import (
    STRENGTH,
    Fields,
    action_and_target,
    commitment_fields,
    document_actor,
    speaker_body,
)
from nlp_service.extract.commitments.find import Commitment, find_commitments
from nlp_service.extract.commitments.gate import explicit_pledge, forward_evidence, never, rule_label

__all__ = ["LABELS", "STRENGTH", "ClauseContext", "ClauseSite", "Commitment", "Fields", "action_and_target",
           "clause_contexts", "commitment_fields", "document_actor", "document_kind", "explicit_pledge",
           "find_commitments", "forward_evidence", "list_intro_end", "never", "rule_label", "speaker_body",
           "task_heading"]
