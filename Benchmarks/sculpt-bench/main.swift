// sculpt-bench: validates, then times. See Benchmarks/README.md.
print("no benchmarks yet")
