package kit

// LineMemo keeps what the last frame worked out for each of its lines, for
// the next frame. A console draws a frame after every message, and from one
// frame to the next most lines are the same: measuring and cutting them by
// cells again was half of a server's CPU with a hundred sessions (the SSH
// benchmark's profile). Only the last frame's lines are kept.
type LineMemo[K comparable] struct {
	last, next map[K]string
}

// Get is the line worked out for k: the last frame's, or make's.
func (m *LineMemo[K]) Get(k K, make func() string) string {
	if m.next == nil {
		m.next = map[K]string{}
	}
	v, ok := m.last[k]
	if !ok {
		v = make()
	}
	m.next[k] = v
	return v
}

// Kept is how many lines of the last frame it keeps.
func (m *LineMemo[K]) Kept() int { return len(m.last) }

// FrameDone forgets the lines the frame just drawn did not use. The map
// of the frame before is emptied and kept for the next: a map made anew
// every frame was a tenth of a frame's garbage.
func (m *LineMemo[K]) FrameDone() {
	m.last, m.next = m.next, m.last
	clear(m.next)
}

// FrameMemos are the App's memos of the whole screen's lines.
type FrameMemos struct {
	Clip   LineMemo[clipKey]
	Splice LineMemo[SpliceKey]
}

func (f *FrameMemos) FrameDone() {
	f.Clip.FrameDone()
	f.Splice.FrameDone()
}

type clipKey struct {
	line string
	w    int
}

// ClipLines is clipLines with the lines of the last frame remembered.
func (f *FrameMemos) ClipLines(s string, w, h int) string {
	return clipEach(s, w, h, func(l string) string {
		return f.Clip.Get(clipKey{l, w}, func() string { return clipLine(l, w) })
	})
}

type SpliceKey struct {
	Base, Box string
	X, W      int
}
