// Package network reads spinnsim network files (../shared/spec/network-format.md):
// a PyNN script written down as JSON. Load checks every field, reports every
// problem at once with its JSON path, fills in PyNN's defaults, and returns a
// Network that the mapping can place on a machine without further checks.
package network
