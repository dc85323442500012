//go:build unix

package sqlite

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock takes the lock that one serving process holds on the database at path for its whole
// life: an flock on the side file PATH.lock, released by unlock or when the process dies
// (even by SIGKILL), so that a stale lock never stays behind. A second server on the same
// file would split its exercises between two processes; Lock refuses it with a sentence
// that says so. Readers (`ttx report`) take no lock.
func Lock(path string) (unlock func(), err error) {
	if err := checkDir(path); err != nil {
		return nil, err // the sentence Open would say
	}
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock database %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another ttx serve is already using the database %s (it holds %s); stop it, or give this one another --db", path, name)
		}
		return nil, fmt.Errorf("lock database %s: %w", path, err)
	}
	return func() { _ = f.Close() }, nil
}
