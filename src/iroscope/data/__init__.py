"""The canonical dataset: table schemas, readers and writers, validation."""
