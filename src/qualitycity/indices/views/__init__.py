"""Quality-index pages: the framework editor, data, results and the public version."""
