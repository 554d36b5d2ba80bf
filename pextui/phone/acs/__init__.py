"""Azure Communication Services Call Automation: Microsoft's SDK, the callback receiver,
the ACS side of the phone desk (no Textual)."""
