"""Guide mode: the rule-based coach that runs with no model."""
