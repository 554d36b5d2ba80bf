"""Screens of the console: connect, conference, and one module per dialog."""
