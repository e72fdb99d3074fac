"""The publish stage: publicity list, commendation notice, certificates, plaque list.

Input is plain data (:class:`formgen.publish.model.PublishInput`): the campaign
and the winners of each award. ``formgen.publish.run.publish`` writes every
output into ``out/publish/``.
"""
