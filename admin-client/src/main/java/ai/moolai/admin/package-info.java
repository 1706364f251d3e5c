/**
 * control-api's admin API for the tools and tests that drive it from outside: {@link ai.moolai.admin.AdminApi}
 * and the records its JSON reads into.
 */
package ai.moolai.admin;
