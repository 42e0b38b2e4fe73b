"""One module per `reflect` subcommand; each has ``register(subparsers)``."""
