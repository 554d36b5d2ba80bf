"""Joining a conference: the connect form's fields and data, and the join-with-prompts flow."""
