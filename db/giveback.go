package db

// GiveBack lets go of the memory a burst of reads left behind: the idle
// read connections beyond keep are closed (each holds its own page cache,
// up to 64 MiB), and the C heap's free pages go back to the system. A
// server calls it when sessions end; the pool opens connections again as
// reads need them.
func (d *DB) GiveBack(keep int) {
	if d.pg == nil {
		d.Read.SetMaxIdleConns(max(0, keep))
		d.Read.SetMaxIdleConns(idleReads)
	}
	trimHeap()
}
