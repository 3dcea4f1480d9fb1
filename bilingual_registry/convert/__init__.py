"""English datasets from records: `to_english` rows, their writers and the batch runner."""
