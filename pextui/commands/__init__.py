"""Subcommands of the `pextui` command line, one module each.

Each module exposes `configure(parser: argparse.ArgumentParser) -> None` and
`run(args: argparse.Namespace) -> int`. They are imported lazily so that, for
example, `pextui sim` never imports Textual.
"""
