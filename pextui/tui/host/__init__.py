"""Host actions of the conference screen: the one action table, the calls, the dialogs."""
