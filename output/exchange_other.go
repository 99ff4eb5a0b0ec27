//go:build !linux

package output

import "errors"

// exchangeDirs cannot swap two folders atomically here: Write falls back to
// renaming the previous folder aside first.
func exchangeDirs(a, b string) error {
	return errors.ErrUnsupported
}
