"""File formats notify writes: the iCalendar feed of policy application windows."""
