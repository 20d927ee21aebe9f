"""The demo firms: who they are (catalogue, roles), what they report (financials, holdings),
where they stand in the pipeline, and the profile snapshot each one amounts to."""
