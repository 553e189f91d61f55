/**
 * Crowdlearning in simulation (Chen et al., SECON 2018): a crowd of mobile devices with
 * heterogeneous compute speed, links and dropout, each holding a small shard of the training data,
 * trained by split learning (SplitFed) or by FedAvg. A discrete-event {@link
 * dev.splitlearn.crowd.VirtualClock} charges simulated time from each device's FLOPs and each
 * transfer's bytes, bandwidth and latency, while the real forward and backward passes run
 * underneath on this machine's engine.
 */
package dev.splitlearn.crowd;
