"""The simulated Azure Communication Services Call Automation service (no Textual)."""
