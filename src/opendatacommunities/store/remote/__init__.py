"""A release on a remote SPARQL 1.1 engine (``ODC_STORE_URL``): its named graphs, the control
graph that says which release is live, and the reads and writes made over HTTP."""
