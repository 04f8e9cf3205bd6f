/**
 * The cluster's view of its worker processes: heartbeats and the registry they go to.
 */
@NullMarked
package io.taskqueue.cluster;

import org.jspecify.annotations.NullMarked;
