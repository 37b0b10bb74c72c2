"""The workflow's pages: lists (inbox, team, HR queue), the sheet page with its transitions, the
step pages where work happens inside a state (goal editor, answers, summary, SMART), the goal
library in the editor, applying a goal set, and HR's workflow overview."""
