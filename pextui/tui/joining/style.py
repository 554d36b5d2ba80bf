"""The stylesheet of the connect screen: a centred box of labelled rows, busy indicator,
inline info and error lines, and the recent conferences list."""

CONNECT_CSS = """
ConnectScreen {
    align: center middle;
}
ConnectScreen > #connect {
    width: 80;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: round $primary;
    border-title-style: bold;
    padding: 0 1;
}
ConnectScreen .row {
    height: auto;
}
ConnectScreen .row > .field-label {
    width: 14;
    color: $text-muted;
}
ConnectScreen .row > Input {
    width: 1fr;
}
ConnectScreen RadioSet {
    layout: horizontal;
    width: auto;
}
ConnectScreen RadioSet > RadioButton {
    width: auto;
    margin-right: 2;
}
ConnectScreen Checkbox {
    border: none;
    padding: 0;
    height: 1;
    background: transparent;
    width: auto;
}
ConnectScreen #insecure-warning {
    color: $text-warning;
    text-style: bold;
    display: none;
    margin-left: 14;
}
ConnectScreen #insecure-warning.visible {
    display: block;
}
ConnectScreen #connect-info {
    color: $text-muted;
    height: auto;
    display: none;
}
ConnectScreen #connect-info.visible {
    display: block;
}
ConnectScreen #connect-error {
    color: $text-error;
    text-style: bold;
    height: auto;
    display: none;
}
ConnectScreen #connect-error.visible {
    display: block;
}
ConnectScreen #connect-bottom {
    height: auto;
    margin-top: 1;
    align-horizontal: right;
}
ConnectScreen #busy {
    width: 1fr;
    height: 1;
    display: none;
}
ConnectScreen.-busy #busy {
    display: block;
}
ConnectScreen #connect-buttons {
    width: auto;
    height: auto;
}
ConnectScreen #connect-buttons Button {
    margin-left: 2;
}
ConnectScreen #recent-title {
    margin-top: 1;
    color: $text-muted;
}
ConnectScreen #recent {
    height: auto;
    max-height: 5;
}
"""
