"""Great Expectations suites (one JSON file per canonical table) and the runner that applies them."""
