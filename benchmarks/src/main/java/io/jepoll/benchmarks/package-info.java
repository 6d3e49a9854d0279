/** Benchmarks of jepoll's loops, the reference servers they are compared with, and the charts. */
package io.jepoll.benchmarks;
