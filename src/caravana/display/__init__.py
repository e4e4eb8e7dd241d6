"""What every view of a results folder shares (the dashboard, a place's briefing, the
report, the forecast's plot), below all of them: a run, ensemble or forecast folder loaded
for display (``loading``) with its scenario's context (``context``: map, reports), the roads
a map draws (``geography``), and date axes in the reader's language (``dates``)."""
