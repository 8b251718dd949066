"""One module per subcommand of ``python -m analysis``; each defines ``register(subparsers)``."""

import argparse


class HelpFormatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """Keeps the examples' line breaks and shows defaults."""
