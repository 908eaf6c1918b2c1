"""The benchmark of issue 10 (bench/run); not part of the application."""
