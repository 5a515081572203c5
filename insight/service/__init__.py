"""Application services: what pages and the command line are given. The `PageView` (a page's
narrow view of a dataset, with bound calls that return safe tables, slides and recorded exports)
and the exports recorded in the sharing log (`release`). Above outputs and sharing; only the CLI
stands above it."""
