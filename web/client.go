package web

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

// client is one WebSocket connection after its hello: a participant of one team or a
// facilitator. Its read pump (the connection's goroutine) acts on the client's messages; its
// write pump is the only writer to the connection.
type client struct {
	s    *Server
	conn *websocket.Conn
	hub  *hub
	who  facilitator.Principal
	name string // a participant's display name
	// participantID is the id the participant presented in its hello ("" without one: its
	// refs are keyed by name); welcomeID is the one its welcome gives it to present later.
	participantID, welcomeID string
	// rec is the exercise's record, for what its mode and teams in play let a participant see.
	rec engine.ExerciseRecord
	// skipUpTo: the hub does not send events up to this seq, which the client said it has
	// (its since, bounded by what was committed when it said hello: a since from the future
	// filters nothing live).
	skipUpTo int64

	// send carries events from the hub; only the hub closes it.
	send chan []byte
	// tooSlow is set by the hub before it closes send when the client could not keep up.
	tooSlow bool
	// replies carries acks and errors from the read pump to the write pump.
	replies chan []byte
	// writerDone is closed when the write pump returns, so that the read pump never blocks
	// on a dead connection.
	writerDone chan struct{}
	closeOnce  sync.Once
}

// sees reports whether the client may see e (protocol.md: a participant sees what is
// addressed to its team or to everyone, never the answer key, as participantSees decides; a
// facilitator sees everything).
func (c *client) sees(e engine.Event) bool {
	if c.participant() {
		return participantSees(e, c.who.Team, c.rec)
	}
	return true
}

// participant reports whether the client is a team's participant, who gets the participants'
// form of each event (wireScenario.eventFor).
func (c *client) participant() bool { return c.who.Role == facilitator.RoleParticipant }

func (c *client) close() {
	c.closeOnce.Do(func() { _ = c.conn.Close() })
}

// serveWS upgrades GET /ws and runs the connection (hello, welcome, replay, then live events
// and the participant's messages) in a goroutine of its own, and returns: a connection that
// lived inside its handler would keep net/http's buffers, the request and gin's context for
// its whole life, about a third of a participant's memory (docs/performance.md).
func (s *Server) serveWS(c *gin.Context) {
	conn, err := s.upgrader.Upgrade(batchingWriter{c.Writer}, c.Request, nil)
	if err != nil {
		return // the upgrader has answered
	}
	ip := c.ClientIP()
	go func() {
		// Outside the handler, gin's recovery no longer applies: log a panic and close
		// this connection only (runConn's deferred Close runs while it unwinds).
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic serving a websocket", slog.String("panic", fmt.Sprint(v)),
					slog.String("stack", string(debug.Stack())))
			}
		}()
		s.runConn(conn, ip)
	}()
}

// newUpgrader returns the server's WebSocket upgrader. Write buffers come from a pool shared by
// every connection, so that an idle client holds none: thousands of clients mostly wait.
func (s *Server) newUpgrader() *websocket.Upgrader {
	return &websocket.Upgrader{
		ReadBufferSize:  2048,
		WriteBufferSize: 4096,
		WriteBufferPool: &sync.Pool{},
		CheckOrigin:     s.checkOrigin,
		Error: func(w http.ResponseWriter, r *http.Request, status int, reason error) {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(errorBody{Error: "websocket: " + reason.Error()})
		},
	}
}

// checkOrigin lets a browser open the WebSocket only from a page of this server or of an
// allowed origin. Clients that send no Origin (not browsers) are let in: they prove who they
// are with the hello like everyone.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || u.User != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false // a page is served over http or https, by a host without a user
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, allowed := range s.cfg.AllowedOrigins {
		// The whole origin, scheme included, or nothing: a look-alike host is another host.
		if strings.EqualFold(strings.TrimRight(allowed, "/"), u.Scheme+"://"+u.Host) {
			return true
		}
	}
	return false
}

func (s *Server) runConn(conn *websocket.Conn, ip string) {
	defer conn.Close()
	if !s.track(conn) {
		s.closeWith(conn, websocket.CloseGoingAway, "the server is shutting down")
		return
	}
	defer s.untrack(conn)
	conn.SetReadLimit(MaxMessageBytes)
	c, since, ok := s.hello(conn, ip)
	if !ok {
		return
	}
	defer c.close()

	s.teamJoined(c)
	s.presence.arrive(c, s.cfg.Clock.Now())
	defer s.presence.leave(c)
	if since > 0 {
		c.skipUpTo = min(since, c.hub.x.Snapshot().Seq)
	}
	lastSeq, refused, ok := c.hub.join(c)
	if !ok {
		s.closeWith(conn, websocket.CloseGoingAway, "the server is shutting down")
		return
	}
	if refused != nil {
		s.writeNow(conn, errorMessage{Type: "error", Error: engine.ErrorMessage(refused)})
		s.closeWith(conn, websocket.ClosePolicyViolation, "not allowed")
		return
	}
	defer c.hub.leave(c)

	// The replay: every event the client may see after since, up to the last one the hub had
	// broadcast when the client joined; the hub sends every later one.
	var replay []engine.Event
	for _, e := range c.hub.x.EventsSince(since) {
		if e.Seq > lastSeq {
			break
		}
		if c.sees(e) {
			replay = append(replay, e)
		}
	}
	welcome := s.welcome(c, lastSeq)
	go c.writePump(welcome, replay)
	c.readPump()
	// Let the write pump say goodbye with a close frame before the connection closes.
	c.hub.leave(c)
	<-c.writerDone
}

// hello waits for the client's hello and checks it. It answers every problem with an error
// message; a hello that is not one is answered and waited for again until the hello timeout,
// a wrong credential closes the connection.
func (s *Server) hello(conn *websocket.Conn, ip string) (*client, int64, bool) {
	deadline := time.Now().Add(s.cfg.HelloTimeout)
	_ = conn.SetReadDeadline(deadline)
	for {
		kind, data, err := conn.ReadMessage()
		if err != nil {
			if isTimeout(err) {
				s.closeWith(conn, websocket.ClosePolicyViolation, "no hello in time")
			}
			return nil, 0, false
		}
		m, err := decodeFrame(kind, data)
		if err == nil && m.Type != TypeHello {
			err = engine.Errorf(engine.EInvalid, "say hello first: {\"type\": \"hello\", \"code\": \"JOIN-CODE\", \"name\": \"…\"}")
		}
		if err != nil {
			if !s.writeNow(conn, errorMessage{Type: "error", Ref: m.Ref, Error: engine.ErrorMessage(err)}) {
				return nil, 0, false
			}
			continue
		}
		who, x, err := s.helloPrincipal(m, ip)
		if engine.ErrorCode(err) == engine.EInternal {
			s.log.Error("hello failed", slog.Any("err", err))
		}
		if err != nil {
			s.writeNow(conn, errorMessage{Type: "error", Error: engine.ErrorMessage(err)})
			s.closeWith(conn, websocket.ClosePolicyViolation, "not allowed")
			return nil, 0, false
		}
		h, err := s.hubFor(x)
		if err != nil {
			s.closeWith(conn, websocket.CloseGoingAway, engine.ErrorMessage(err))
			return nil, 0, false
		}
		_ = conn.SetReadDeadline(time.Time{})
		welcomeID := m.Participant
		if who.Role == facilitator.RoleParticipant && welcomeID == "" {
			welcomeID = rand.Text()
		}
		return &client{
			s:             s,
			conn:          conn,
			hub:           h,
			who:           who,
			name:          strings.TrimSpace(m.Name),
			participantID: m.Participant,
			welcomeID:     welcomeID,
			rec:           x.Record(),
			send:          make(chan []byte, s.cfg.SendBuffer),
			replies:       make(chan []byte, 16),
			writerDone:    make(chan struct{}),
		}, m.Since, true
	}
}

// helloPrincipal checks a hello's credential: a join code, or a facilitator token with its
// exercise. Every wrong credential gets the same answer.
func (s *Server) helloPrincipal(m ClientMessage, ip string) (facilitator.Principal, *facilitator.Listed, error) {
	space := spaceToken
	if m.Code != "" {
		space = spaceCode
	}
	who, err := s.checkCredential(space, ip, func() (facilitator.Principal, error) {
		if m.Code != "" {
			id, team, err := s.m.Join(m.Code)
			return facilitator.Principal{Role: facilitator.RoleParticipant, Exercise: id, Team: team}, err
		}
		return s.m.Authenticate(m.Token)
	})
	if err != nil {
		return who, nil, err
	}
	id := who.Exercise
	if who.Role != facilitator.RoleParticipant {
		// A token follows the exercise it names, if facilitator.Policy lets it.
		if err := s.m.Allowed(facilitator.ActFollow, who, m.Exercise); err != nil {
			return who, nil, err
		}
		id = m.Exercise
	}
	x, err := s.m.Exercise(id)
	if err != nil {
		return who, nil, err
	}
	return who, x, nil
}

// welcome builds the answer to a hello.
func (s *Server) welcome(c *client, lastSeq int64) welcomeMessage {
	snap := c.hub.x.Snapshot()
	return welcomeMessage{
		Type: "welcome", Role: string(c.who.Role), Team: c.who.Team, Name: c.name, Participant: c.welcomeID, Seq: lastSeq,
		Mode: c.hub.mode,
		Exercise: exerciseWire{
			ID: c.hub.x.ID(), Title: c.hub.x.Scenario().Title, Status: snap.Status,
			Speed: snap.Speed, SimTime: snap.SimTime.String(), Severity: snap.Severity,
			Mode: c.hub.mode, InPlay: c.hub.inPlay, PauseReason: snap.PauseReason,
		},
		Plan: c.hub.wire.plan,
	}
}

// writeNow writes v before the pumps run, when the connection's goroutine is its only writer.
func (s *Server) writeNow(conn *websocket.Conn, v any) bool {
	_ = conn.SetWriteDeadline(time.Now().Add(s.cfg.WriteWait))
	return conn.WriteJSON(v) == nil
}

func (s *Server) closeWith(conn *websocket.Conn, code int, text string) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text),
		time.Now().Add(s.cfg.WriteWait))
}

func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.As(err, &ne) && ne.Timeout()
}

// writePump writes the welcome, the replay, then everything the hub and the read pump queue,
// and pings on a ticker. It is the connection's only writer.
func (c *client) writePump(welcome welcomeMessage, replay []engine.Event) {
	ticker := time.NewTicker(c.s.cfg.PingPeriod)
	defer func() {
		ticker.Stop()
		close(c.writerDone)
		c.close()
	}()
	if !c.writeReplay(welcome, replay) {
		return
	}
	for {
		select {
		case msg, ok := <-c.send:
			if !ok {
				switch {
				case c.tooSlow:
					c.s.closeWith(c.conn, websocket.CloseTryAgainLater, "too far behind; reconnect with since")
				case c.s.ctx.Err() != nil:
					c.s.closeWith(c.conn, websocket.CloseGoingAway, "the server is shutting down")
				default:
					c.s.closeWith(c.conn, websocket.CloseNormalClosure, "")
				}
				return
			}
			if !c.writeQueued(msg) {
				return
			}
		case msg := <-c.replies:
			if !c.writeQueued(msg) {
				return
			}
		case <-ticker.C:
			_ = c.conn.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

// writeReplay writes the welcome and the replay, together as far as the connection holds
// them back (batchConn).
func (c *client) writeReplay(welcome welcomeMessage, replay []engine.Event) bool {
	return c.batched(func() bool {
		if !c.writeJSON(welcome) {
			return false
		}
		for _, e := range replay {
			if !c.writeJSON(c.hub.wire.eventFor(e, c.participant())) {
				return false
			}
		}
		return true
	})
}

// maxBatch bounds the messages written together, so that a client that is sent to without
// pause still gets its pings.
const maxBatch = 64

// writeQueued writes msg and whatever else is queued for the client by then (up to maxBatch
// messages), in one write to the network as far as the connection holds them back.
func (c *client) writeQueued(msg []byte) bool {
	return c.batched(func() bool {
		ok := c.write(msg)
		for n := 1; ok && n < maxBatch; n++ {
			next, queued := c.queued()
			if !queued {
				break
			}
			ok = c.write(next)
		}
		return ok
	})
}

// queued returns a message already queued for the client, without waiting. A closed send
// is left for the write pump's select to see.
func (c *client) queued() ([]byte, bool) {
	select {
	case msg, open := <-c.send:
		return msg, open
	case msg := <-c.replies:
		return msg, true
	default:
		return nil, false
	}
}

// batched runs write with the connection holding back what it writes (batchConn), then sends
// it all at once.
func (c *client) batched(write func() bool) bool {
	bc, ok := c.conn.NetConn().(*batchConn)
	if !ok {
		return write()
	}
	bc.hold()
	wrote := write()
	return bc.send() == nil && wrote
}

func (c *client) writeJSON(v any) bool {
	msg, err := json.Marshal(v)
	if err != nil {
		c.s.log.Error("encode message", slog.Any("err", err))
		return false
	}
	return c.write(msg)
}

func (c *client) write(msg []byte) bool {
	_ = c.conn.SetWriteDeadline(time.Now().Add(c.s.cfg.WriteWait))
	return c.conn.WriteMessage(websocket.TextMessage, msg) == nil
}

// readPump reads the client's messages until the connection fails or closes, and answers
// each. It runs in the connection's goroutine and is its only reader.
func (c *client) readPump() {
	pongWait := c.s.cfg.PongWait
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	limit := newBucket(c.s.cfg.MessageRate, float64(c.s.cfg.MessageBurst), c.s.cfg.Clock.Now())
	ctx, cancel := context.WithCancel(c.s.ctx)
	defer cancel()
	for {
		kind, data, err := c.conn.ReadMessage()
		if err != nil {
			if errors.Is(err, websocket.ErrReadLimit) {
				c.s.log.Info("websocket message too large", slog.String("exercise", c.hub.x.ID()))
			}
			return
		}
		_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
		c.s.presence.touch(c, c.s.cfg.Clock.Now())
		var reply any
		if !limit.take(c.s.cfg.Clock.Now()) {
			m, _ := DecodeClientMessage(data)
			reply = errorMessage{Type: "error", Ref: m.Ref, Error: "slow down: at most " +
				formatRate(c.s.cfg.MessageRate) + " messages a second"}
		} else {
			reply = c.handle(ctx, kind, data)
		}
		msg, err := json.Marshal(reply)
		if err != nil {
			c.s.log.Error("encode reply", slog.Any("err", err))
			return
		}
		select {
		case c.replies <- msg:
		case <-c.writerDone:
			return
		}
	}
}

// handle acts on one message and returns the ack or error to send back. An ack is only ever
// sent after the engine returned, which it does once the event is committed.
func (c *client) handle(ctx context.Context, kind int, data []byte) any {
	m, err := decodeFrame(kind, data)
	if err != nil {
		return errorMessage{Type: "error", Ref: m.Ref, Error: engine.ErrorMessage(err)}
	}
	if m.Type == TypeHello {
		return errorMessage{Type: "error", Error: "you have already said hello on this connection"}
	}
	if err := c.s.m.Allowed(facilitator.ActRespond, c.who, c.hub.x.ID()); err != nil {
		return errorMessage{Type: "error", Ref: m.Ref, Error: engine.ErrorMessage(err)}
	}
	r := engine.Response{Team: c.who.Team, Name: c.name, Ref: m.Ref, Participant: c.participantID}
	if c.participantID == "" {
		r.Issued = c.welcomeID // a later hello may present it (protocol.md v2)
	}
	x := c.hub.x
	var e engine.Event
	switch m.Type {
	case TypeAct:
		e, err = x.Act(ctx, r, m.Action)
	case TypeChoose:
		e, err = x.Choose(ctx, r, m.Decision, m.Option)
	case TypeEscalate:
		e, err = x.Escalate(ctx, r, m.To, m.Text)
	case TypeNote:
		e, err = x.Note(ctx, r, m.Text)
	case TypeAnswer:
		e, err = x.Answer(ctx, r, m.Question, m.Text)
	case TypeFeedback:
		e, err = x.Feedback(ctx, r, *m.Feedback)
	}
	if err != nil {
		if engine.ErrorCode(err) == engine.EInternal {
			c.s.log.Error("record response", slog.String("exercise", x.ID()), slog.String("type", m.Type), slog.Any("err", err))
		}
		return errorMessage{Type: "error", Ref: m.Ref, Error: engine.ErrorMessage(err)}
	}
	return ackMessage{Type: "ack", Ref: m.Ref, Seq: e.Seq}
}

// track registers a connection so that Close can end it; false once the server is closing.
func (s *Server) track(conn *websocket.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.conns[conn] = struct{}{}
	s.connWG.Add(1)
	return true
}

func (s *Server) untrack(conn *websocket.Conn) {
	s.mu.Lock()
	delete(s.conns, conn)
	s.mu.Unlock()
	s.connWG.Done()
}

// errBinaryFrame answers a binary WebSocket frame: the protocol is JSON text.
var errBinaryFrame = invalid("binary frames are refused: send each message as JSON in a text frame")

// decodeFrame decodes one WebSocket frame of kind (a text or binary message): only text
// frames carry messages.
func decodeFrame(kind int, data []byte) (ClientMessage, error) {
	if kind != websocket.TextMessage {
		return ClientMessage{}, errBinaryFrame
	}
	return DecodeClientMessage(data)
}
