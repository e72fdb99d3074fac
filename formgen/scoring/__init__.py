"""The ``score`` stage: rubric rules, judges' workbooks, aggregation, ranking, results.

``rules`` (one pure function per rubric rule type) → ``aggregate`` (judges to one
score per item) → ``rank`` (eligibility, no-tie ranking, quotas) → ``results``
(the results workbook); ``panel`` writes and reads the judges' workbooks and
``run.score_campaign`` ties the steps together.
"""
