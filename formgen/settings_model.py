"""The one base of every settings model (campaign.yaml, ballots.yaml, form types).

YAML reads ``.nan``, ``.inf`` and ``1e400`` as floats that pass every ``ge``/``le``
bound and every sum-to-1 test (NaN compares false with everything), so a weight of
``.nan`` silently changes results. Every number of every setting is therefore
refused unless it is finite; the loader names the key in Chinese
(``finite_number`` in :mod:`formgen.campaign.load`).
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class SettingsModel(BaseModel):
    """Unknown keys are typos and non-finite numbers are mistakes: both are refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)
