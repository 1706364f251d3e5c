/** Server-Sent Events for the dashboard: status changes, new recommendations and activity, live. */
package ai.moolai.control.events;
