package tui

// lineMemo keeps what the last frame worked out for each of its lines, for
// the next frame. A console draws a frame after every message, and from one
// frame to the next most lines are the same: measuring and cutting them by
// cells again was half of a server's CPU with a hundred sessions (the SSH
// benchmark's profile). Only the last frame's lines are kept.
type lineMemo[K comparable] struct {
	last, next map[K]string
}

// get is the line worked out for k: the last frame's, or make's.
func (m *lineMemo[K]) get(k K, make func() string) string {
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

// frameDone forgets the lines the frame just drawn did not use. The map
// of the frame before is emptied and kept for the next: a map made anew
// every frame was a tenth of a frame's garbage.
func (m *lineMemo[K]) frameDone() {
	m.last, m.next = m.next, m.last
	clear(m.next)
}

// frameMemos are the App's memos of the whole screen's lines.
type frameMemos struct {
	clip   lineMemo[clipKey]
	splice lineMemo[spliceKey]
}

func (f *frameMemos) frameDone() {
	f.clip.frameDone()
	f.splice.frameDone()
}

type clipKey struct {
	line string
	w    int
}

// clipLines is clipLines with the lines of the last frame remembered.
func (f *frameMemos) clipLines(s string, w, h int) string {
	return clipEach(s, w, h, func(l string) string {
		return f.clip.get(clipKey{l, w}, func() string { return clipLine(l, w) })
	})
}

type spliceKey struct {
	base, box string
	x, w      int
}
