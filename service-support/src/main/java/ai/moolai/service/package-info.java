/** Wiring every service shares, applied by Boot auto-configuration. */
package ai.moolai.service;
