# Simulated memory of a devsim device (sourced): MemFree of /lib/devsim/mem.conf with every service
# running, plus what each stopped service (marker in /tmp/devsim/stopped) held; /proc/meminfo is a
# plain file rewritten at each change.
. /lib/devsim/mem.conf

service_state() {
	mkdir -p /tmp/devsim/stopped
	if [ "$2" = stopped ]; then touch "/tmp/devsim/stopped/$1"; else rm -f "/tmp/devsim/stopped/$1"; fi
	free=$MEM_FREE
	for marker in /tmp/devsim/stopped/*; do
		[ -e "$marker" ] || continue
		eval "free=\$((free + \${MEM_${marker##*/}:-0}))"
	done
	printf 'MemTotal:       %8d kB\nMemFree:        %8d kB\nMemAvailable:   %8d kB\nBuffers:        %8d kB\nCached:         %8d kB\n' \
		"$MEM_TOTAL" "$free" "$free" 1024 4096 >/proc/meminfo.new
	mv /proc/meminfo.new /proc/meminfo
}
