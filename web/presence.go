package web

import (
	"sort"
	"sync"
	"time"
)

// presence knows who is connected to each exercise now: every participant's WebSocket, with
// the time it connected and the time it last sent something. The console's team grid shows it
// (GET /api/exercises/:id, "presence"). It is the server's memory of the moment, not the
// exercise's record: a restart starts it empty, and the team_joined events stay the record.
type presence struct {
	mu    sync.Mutex
	conns map[string]map[*client]*presenceEntry // by exercise id
}

type presenceEntry struct {
	team, name, id string // id: the participant id of the hello, or "" (protocol.md v2)
	since, touch   time.Time
}

func newPresence() *presence {
	return &presence{conns: make(map[string]map[*client]*presenceEntry)}
}

// arrive records that participant c is connected, at now.
func (p *presence) arrive(c *client, now time.Time) {
	if !c.participant() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	id := c.hub.x.ID()
	if p.conns[id] == nil {
		p.conns[id] = make(map[*client]*presenceEntry)
	}
	p.conns[id][c] = &presenceEntry{team: c.who.Team, name: c.name, id: c.participantID, since: now, touch: now}
}

// touch records that c sent something at now.
func (p *presence) touch(c *client, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e := p.conns[c.hub.x.ID()][c]; e != nil {
		e.touch = now
	}
}

// leave forgets c.
func (p *presence) leave(c *client) {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := c.hub.x.ID()
	delete(p.conns[id], c)
	if len(p.conns[id]) == 0 {
		delete(p.conns, id)
	}
}

// personJSON is one person connected to a team now: one participant id (or, for a client
// without one, one name); its tabs are one person, active when any was. Two people with one
// name and ids of their own are two.
type personJSON struct {
	Name         string `json:"name"`
	Connections  int    `json:"connections"`
	Since        string `json:"since"`         // RFC 3339, when the first of them connected
	LastActivity string `json:"last_activity"` // RFC 3339, when one of them last sent something
}

// people returns who is connected to each team of exercise id now, by team, each team's
// people sorted by name.
func (p *presence) people(id string) map[string][]personJSON {
	p.mu.Lock()
	type acc struct {
		name         string
		n            int
		since, touch time.Time
	}
	byTeam := make(map[string]map[string]*acc)
	for _, e := range p.conns[id] {
		if byTeam[e.team] == nil {
			byTeam[e.team] = make(map[string]*acc)
		}
		key := "id:" + e.id
		if e.id == "" {
			key = "name:" + e.name
		}
		a := byTeam[e.team][key]
		if a == nil {
			a = &acc{name: e.name, since: e.since, touch: e.touch}
			byTeam[e.team][key] = a
		}
		a.n++
		if e.since.Before(a.since) {
			a.since = e.since
		}
		if e.touch.After(a.touch) {
			a.touch = e.touch
		}
	}
	p.mu.Unlock()
	out := make(map[string][]personJSON, len(byTeam))
	for team, names := range byTeam {
		list := make([]personJSON, 0, len(names))
		for _, a := range names {
			list = append(list, personJSON{Name: a.name, Connections: a.n,
				Since: a.since.UTC().Format(time.RFC3339), LastActivity: a.touch.UTC().Format(time.RFC3339)})
		}
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		out[team] = list
	}
	return out
}
