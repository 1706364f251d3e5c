/** Reports and recommendations as report-ingest stored them, and admins' decisions on recommendations. */
package ai.moolai.control.reports;
