package io.taskqueue.benchmarks;

import java.util.Arrays;

/**
 * Percentiles of a sample of durations, in milliseconds.
 */
final class Percentiles {

	private final double[] sortedMillis;

	Percentiles(long[] nanos) {
		this.sortedMillis = Arrays.stream(nanos).mapToDouble((value) -> value / 1e6).sorted().toArray();
	}

	double at(double percentile) {
		if (this.sortedMillis.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100.0 * this.sortedMillis.length) - 1;
		return this.sortedMillis[Math.max(0, Math.min(index, this.sortedMillis.length - 1))];
	}

}
