/**
 * Implementation of the resources module; not an API, may change in any release.
 */
package dev.coldstart.resources.internal;
