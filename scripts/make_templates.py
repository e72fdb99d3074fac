"""Write the Word templates of every built-in preset into templates/<preset>/.

These are the templates `formgen init --preset NAME` puts in a new workspace,
kept in the repository so they can be opened in Word without running anything.
tests/test_issue.py checks they match what the code builds; after changing the
template code or a preset, run:  .venv/bin/python scripts/make_templates.py
"""
from pathlib import Path

from formgen.campaign.presets import preset_campaign, preset_names
from formgen.issue.templates import write_templates

ROOT = Path(__file__).resolve().parents[1] / "templates"

if __name__ == "__main__":
    for name in preset_names():
        for path in write_templates(preset_campaign(name), ROOT / name, overwrite=True):
            print(path.relative_to(ROOT.parent))
