//go:build linux

package sim

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

func systemAvailable() int64 {
	avail := meminfo("MemAvailable:")
	if avail < 0 {
		avail = math.MaxInt64
	}
	if c := cgroupLeft(); c >= 0 {
		avail = min(avail, c)
	}
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_AS, &lim) == nil && lim.Cur != unix.RLIM_INFINITY && lim.Cur < math.MaxInt64 {
		if vm := statusKB("VmSize:"); vm >= 0 {
			avail = min(avail, int64(lim.Cur)-vm)
		}
	}
	return avail
}

// meminfo reads a /proc/meminfo field in bytes (-1 if missing).
func meminfo(key string) int64 { return kbField("/proc/meminfo", key) }

func statusKB(key string) int64 { return kbField("/proc/self/status", key) }

func kbField(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return -1
			}
			return kb * 1024
		}
	}
	return -1
}

// cgroupLeft is what this process's memory cgroup allows beyond its
// current usage (v2, then v1), or -1 without a limit.
func cgroupLeft() int64 {
	dir := cgroupDir()
	for _, files := range [][2]string{{"memory.max", "memory.current"},
		{"memory.limit_in_bytes", "memory.usage_in_bytes"}} {
		limit, ok1 := readInt(dir + "/" + files[0])
		used, ok2 := readInt(dir + "/" + files[1])
		if ok1 && ok2 && limit < 1<<60 {
			return limit - used
		}
	}
	return -1
}

// cgroupDir is where the process's memory controller files are: its own
// cgroup under /sys/fs/cgroup (v2), or the v1 memory hierarchy; inside a
// container both are usually the mount's root.
func cgroupDir() string {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err == nil {
		for _, line := range bytes.Split(b, []byte("\n")) {
			parts := strings.SplitN(string(line), ":", 3)
			if len(parts) != 3 {
				continue
			}
			for _, d := range []string{"/sys/fs/cgroup" + parts[2], "/sys/fs/cgroup/memory" + parts[2]} {
				if (parts[0] == "0" || strings.Contains(parts[1], "memory")) && exists(d+"/memory.max", d+"/memory.limit_in_bytes") {
					return d
				}
			}
		}
	}
	if exists("/sys/fs/cgroup/memory.max") {
		return "/sys/fs/cgroup"
	}
	return "/sys/fs/cgroup/memory"
}

func exists(paths ...string) bool {
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}

func readInt(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	s := strings.TrimSpace(string(b))
	if s == "max" {
		return math.MaxInt64, true
	}
	x, err := strconv.ParseInt(s, 10, 64)
	return x, err == nil
}
