"""The campaign model and how it is read (campaign.yaml, units.xlsx, presets)."""
from formgen.campaign.load import load_campaign, load_units, write_units
from formgen.campaign.model import Award, Campaign, Rubric, RubricItem, Unit

__all__ = ["Award", "Campaign", "Rubric", "RubricItem", "Unit", "load_campaign", "load_units", "write_units"]
