"""Pure computations on polars frames and numpy arrays. Never imports dagster or reads files."""
