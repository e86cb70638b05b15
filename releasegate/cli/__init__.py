"""The ``releasegate`` command line: one thin module per subcommand over library functions."""
