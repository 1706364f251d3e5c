/** The activity log: every admin action, written with the change, published and queryable. */
package ai.moolai.control.activity;
