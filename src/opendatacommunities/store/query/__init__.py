"""SPARQL queries from outside: checked before they run, then run in worker processes that
can be stopped."""
