/**
 * The model zoo: DJL models as sequences of named stages with named cut points, and the plan of how
 * a model is cut between client extractor, server cloud model and client classifier.
 */
package dev.splitlearn.models;
