// Micro-benchmarks of the kernels; the end-to-end harness against the Python baselines is bench/run.
print("cococonvert-bench: no kernels registered yet")
