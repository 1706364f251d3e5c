/** The metrics every service exports alike: timers as histograms, and the build each instance runs. */
package ai.moolai.service.metrics;
