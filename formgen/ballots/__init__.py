"""Paper rating ballots (测评票): print them, read the marks back, tally by rater group.

- ``settings``: what a campaign's ballots hold (subjects, levels, rater groups and counts);
- ``layout``: the one geometry shared by printing and reading (mm on A4);
- ``code``: the machine-readable bar naming campaign, group, sheet and page;
- ``pdf`` / ``docx``: the printed ballots (``formgen ballots``);
- ``read``: scans and photos → marks per row (fiducials → homography → boxes);
- ``tally`` / ``workbook``: marks → ledger tallies, decisions, 测评票统计.xlsx;
- ``sample``: filled and degraded ballots for tests, the bench and the demo.
"""
