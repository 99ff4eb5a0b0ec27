package output

import "golang.org/x/sys/unix"

// exchangeDirs swaps the folders a and b in one atomic step (renameat2 with
// RENAME_EXCHANGE, Linux 3.15 and later). It fails, changing nothing, where
// the kernel or the file system cannot do it.
func exchangeDirs(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
