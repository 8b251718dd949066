"""Command line: ``python -m analysis COMMAND ...``.

The CLI only parses arguments, calls the stage functions and writes files. Each command lives in
a small module of :mod:`analysis.commands` that defines ``register(subparsers)``; this file lists
them. User mistakes end with a one-line message and a documented exit code
(:class:`analysis.errors.ExitCode`), never a traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap

from analysis.errors import AnalysisError, ExitCode

#: Modules that each add one subcommand, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "analysis.commands.ingest",
    "analysis.commands.mentions",
    "analysis.commands.quotes",
    "analysis.commands.score",
    "analysis.commands.run",
    "analysis.commands.evaluate",
    "analysis.commands.report",
)

EPILOG = textwrap.dedent(
    """\
    exit codes:
      0  success
      1  internal error (a bug: rerun with --debug and report the traceback)
      2  bad command-line arguments
      3  an input path does not exist
      4  an input file cannot be used (e.g. a CSV without a text column)
      5  every input record was skipped (the manifest says why)
    130  interrupted (earlier outputs are left intact)
    """
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m analysis",
        description="Measure how French news media talk about the actors of a conflict.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a command not built yet
            raise
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or ExitCode.OK)
    except AnalysisError as exc:
        if args.debug:
            raise
        print(f"error: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("interrupted: outputs of earlier runs are left intact", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.OK)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
