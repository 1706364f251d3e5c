/** Cross-cutting wiring: security, errors as problem details, CORS, paging, the served dashboard. */
package ai.moolai.control.system;
