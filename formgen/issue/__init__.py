"""The issue stage: templates a user may restyle, and the blanks each unit receives."""
