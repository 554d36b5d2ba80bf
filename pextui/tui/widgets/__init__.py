"""Widgets of the console: roster, stage, status bar, chat, event log."""
