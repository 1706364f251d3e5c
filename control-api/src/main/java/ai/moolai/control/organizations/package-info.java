/** Organizations: the customers whose orchestrators the controller manages. */
package ai.moolai.control.organizations;
