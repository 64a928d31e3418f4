// Package kit is what every part of the console shares: the session
// (Common: services, agent, clock, language), the styles and the strings
// in both languages, the messages the parts send each other, and the
// components pages are made of (table, windowed list, dialog, form,
// phrase input, chart, framed box, overlay). It knows no page: the desk
// and the floor import it, never the other way.
package kit
