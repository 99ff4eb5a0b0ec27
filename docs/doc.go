// Package docs holds the users' documentation (network-format.md) and the
// test that keeps it true: every whole-network example in it loads and maps,
// every example marked pending is still refused, and every key the loader
// accepts and every flag of the command is documented.
package docs
