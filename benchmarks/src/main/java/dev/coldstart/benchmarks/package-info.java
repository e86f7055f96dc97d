/**
 * coldstart measured side by side with the peers a user would pick instead, in the same run on the
 * same machine: rows B1 to B7 of {@code docs/benchmarks.md}. {@link dev.coldstart.benchmarks.BenchmarkMain}
 * runs each row and prints its figures (medians, minimum, maximum, ratios ours / peer, load average);
 * {@code benchmarks/run.sh} states the command of every row. Not published.
 */
package dev.coldstart.benchmarks;
