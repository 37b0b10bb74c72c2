"""The workflow's pages: lists (inbox, team, HR queue), the sheet page with its transitions, and
the step pages where work happens inside a state (goal editor, answers, summary, SMART)."""
