package mapping

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// defaultHostBytes is the host memory assumed where the system does not
// say (no /proc/meminfo).
const defaultHostBytes = 16 << 30

// hostMemory is the physical memory of the host: MemTotal of /proc/meminfo,
// or defaultHostBytes where there is none.
func hostMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return defaultHostBytes
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(fields[1], 10, 64); err == nil && kb > 0 {
				return kb * 1024
			}
		}
	}
	return defaultHostBytes
}
