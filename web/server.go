// Package web serves live exercises: the HTTP API and the WebSocket protocol of
// design/protocol.md, and the participant and facilitator pages, all from one gin engine.
//
// Authorization: every /api route takes "Authorization: Bearer TOKEN". A missing or wrong
// token is 401 with the same sentence whatever it was meant for; a valid token without the
// right is 403. A token of one exercise asking about another gets 403 whether or not that
// other exercise exists, so an answer never reveals which exercises exist; only the admin,
// who may see every exercise, ever gets 404 for an unknown one. Who may do what is
// facilitator.Policy, which every route's gate (Server.may) and the WebSocket hello read.
// Wrong tokens and join codes (never right ones) are counted per address and globally
// (guessLimiter); past the limits they are refused with 429.
//
// Reviewing: a continuity manager owns a plan, so the reviewer token of exercise X reads X's
// report at any time and, once they have ended, every other exercise of X's plan: their
// reports, the plan's readiness and its proposed revision (GET /api/review/exercises lists
// them). It reads nothing of other plans (403). The admin reads everything.
//
// Logging: start-up, the exercises' lifecycle (created, a facilitator token replaced),
// warnings and errors; with Config.AccessLog also one line per request with method, path,
// status, duration and client IP. Tokens and join codes never appear in a URL (a handout's QR
// code carries the code in the URL's fragment, which browsers never send), and no header or
// body is ever logged.
//
// Limits (Config holds the knobs): an HTTP body or WebSocket message of at most 64 KiB (413,
// or the connection closed with 1009); texts of at most 4,000 characters and names, refs and
// codes of at most 100, without control characters; speed 0.1..3600. A WebSocket client says
// hello within 10 s, answers pings (every 54 s) within 60 s, sends at most 20 messages a
// second in bursts of 50 (past that: an error "slow down", nothing recorded), and is dropped
// when 256 messages wait for it; it reconnects with `since` and misses nothing. An ack is sent
// only after the engine returned, which it does once the event is committed.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gorilla/websocket"
	"github.com/jonboulle/clockwork"

	"github.com/ttx-dev/ttx/engine"
	"github.com/ttx-dev/ttx/facilitator"
)

func init() {
	// Debug mode prints every route at start-up and warns on stdout; the server logs
	// through its own slog.Logger instead.
	gin.SetMode(gin.ReleaseMode)
}

// Config is what a Server needs. Zero values of the optional fields take the defaults given.
type Config struct {
	Manager *facilitator.Manager // required
	Logger  *slog.Logger         // default: slog.Default()
	// AllowedOrigins lists origins ("https://ttx.example.org") besides the server's own host
	// that may open the WebSocket.
	AllowedOrigins []string

	// Clock times the rate limits and a retried command's wait for its first request
	// (Idempotency-Key), and dates the claims of Idempotency-Keys (default: the real clock).
	// Pings and deadlines of the WebSocket always use the real clock, which the network needs.
	Clock clockwork.Clock
	// HelloTimeout is how long a WebSocket client has to say hello (default 10 s).
	HelloTimeout time.Duration
	// PongWait is how long a WebSocket client that answers no ping is kept (default 60 s).
	PongWait time.Duration
	// PingPeriod is how often the server pings each WebSocket client (default 9/10 of
	// PongWait); it must be shorter than PongWait.
	PingPeriod time.Duration
	// WriteWait bounds each write to a WebSocket client (default 10 s).
	WriteWait time.Duration
	// SendBuffer is how many messages may queue for a WebSocket client before it is dropped
	// as too slow (default 256).
	SendBuffer int
	// MessageRate and MessageBurst bound what one WebSocket client may send: a token bucket
	// (default 20 messages a second, bursts of 50). Past it a message is answered
	// "slow down" and not acted on.
	MessageRate  float64
	MessageBurst int
	// GuessesPerMinute and GuessBurst bound the wrong tokens and join codes one address (an
	// IPv6 /64) may try (default 10 a minute, bursts of 50): past them the address is slowed
	// to that rate. Right credentials are never counted.
	GuessesPerMinute int
	GuessBurst       int
	// GlobalGuessesPerMinute and GlobalGuessBurst bound the wrong join codes, and apart the
	// wrong tokens, that all addresses together may try (default 6 a minute, bursts of 1,000):
	// past them only addresses that presented a right credential in the last hour are still
	// checked (docs/reliability.md has the arithmetic).
	GlobalGuessesPerMinute int
	GlobalGuessBurst       int
	// CommandTimeout bounds how long a facilitator's HTTP command waits for the store
	// (default 10 s); past it the answer is 503 with a sentence that says so.
	CommandTimeout time.Duration
	// MaxConnsPerParticipant and MaxConnsPerTeam cap the live WebSocket connections of one
	// participant (its id, or its team and name) and of one team (default 8 and 500).
	MaxConnsPerParticipant int
	MaxConnsPerTeam        int
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose X-Forwarded-For
	// names the client; without them the client is the peer's address and the header is
	// ignored.
	TrustedProxies []string
	// AccessLog logs one line per request. Off by default: the log is start-up, exercises'
	// lifecycle, warnings and errors, so that what start-up printed stays on screen.
	AccessLog bool
	// Guesses, when set, keeps the guessing limit's counts where every replica sees them
	// (engine/postgres); without it they are this server's own.
	Guesses GuessCounter
}

// Server is the HTTP handler of ttx. Close stops its WebSocket hubs.
type Server struct {
	cfg      Config
	m        *facilitator.Manager
	log      *slog.Logger
	engine   *gin.Engine
	guesses  credentialLimiter
	render   *renderer
	presence *presence
	memo     *memo
	idem     engine.IdempotencyKeeper // the store's, or the server's own (idempotency.go)
	upgrader *websocket.Upgrader

	ctx    context.Context // the hubs' context, cancelled by Close
	cancel context.CancelFunc

	mu      sync.Mutex
	hubs    map[string]*hub // by exercise id
	conns   map[*websocket.Conn]struct{}
	closing bool
	wg      sync.WaitGroup // the hubs
	connWG  sync.WaitGroup // the WebSocket connections
}

// NewServer returns the HTTP handler serving cfg.Manager's exercises.
func NewServer(cfg Config) *Server {
	if cfg.Manager == nil {
		panic("web.NewServer: Config.Manager is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	setDefault(&cfg.HelloTimeout, 10*time.Second)
	setDefault(&cfg.PongWait, 60*time.Second)
	setDefault(&cfg.PingPeriod, cfg.PongWait*9/10)
	setDefault(&cfg.WriteWait, 10*time.Second)
	setDefault(&cfg.SendBuffer, 256)
	setDefault(&cfg.MessageRate, 20)
	setDefault(&cfg.MessageBurst, 50)
	setDefault(&cfg.GuessesPerMinute, 10)
	setDefault(&cfg.GuessBurst, 50)
	setDefault(&cfg.CommandTimeout, 10*time.Second)
	setDefault(&cfg.MaxConnsPerParticipant, 8)
	setDefault(&cfg.MaxConnsPerTeam, 500)
	setDefault(&cfg.GlobalGuessesPerMinute, 6)
	setDefault(&cfg.GlobalGuessBurst, 1000)

	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		cfg:      cfg,
		m:        cfg.Manager,
		log:      cfg.Logger,
		guesses:  newGuessLimiter(cfg.Clock, cfg.GuessesPerMinute, cfg.GuessBurst, cfg.GlobalGuessesPerMinute, cfg.GlobalGuessBurst),
		render:   newRenderer(),
		presence: newPresence(),
		memo:     newMemo(maxMemo),
		ctx:      ctx,
		cancel:   cancel,
		hubs:     make(map[string]*hub),
		conns:    make(map[*websocket.Conn]struct{}),
	}
	if s.idem = cfg.Manager.Idempotency(); s.idem == nil {
		s.idem = engine.NewMemoryIdempotency()
	}
	if cfg.Guesses != nil {
		s.guesses = newSharedGuesses(cfg.Guesses, cfg.Logger, cfg.GuessesPerMinute, cfg.GuessBurst, cfg.GlobalGuessesPerMinute, cfg.GlobalGuessBurst)
	}
	s.upgrader = s.newUpgrader()
	s.engine = s.routes()
	return s
}

func setDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.engine.ServeHTTP(w, r)
}

// Close disconnects every WebSocket client, stops the hubs and waits for the connections to
// wind down, so that nothing calls the manager afterwards. It does not close the manager.
func (s *Server) Close() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait() // the hubs have closed their clients' send channels: the write pumps close
	s.mu.Lock()
	for conn := range s.conns {
		_ = conn.Close() // those still saying hello, or not yet on a hub
	}
	s.mu.Unlock()
	s.connWG.Wait()
}

func (s *Server) routes() *gin.Engine {
	r := gin.New()
	// The client IP is the peer's address, headers can be forged: X-Forwarded-For counts only
	// from a trusted proxy (NewServer has checked the list).
	r.RemoteIPHeaders = []string{"X-Forwarded-For"}
	_ = r.SetTrustedProxies(s.cfg.TrustedProxies)
	r.HandleMethodNotAllowed = true
	if s.cfg.AccessLog {
		r.Use(s.accessLog)
	}
	r.Use(s.recovery)
	r.NoRoute(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusNotFound, errorBody{Error: "there is nothing at " + c.Request.URL.Path})
	})
	r.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: c.Request.Method + " is not allowed here"})
	})

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"ok": true}) })
	s.staticRoutes(r)
	r.GET("/ws", s.serveWS)

	api := r.Group("/api", s.authenticate)
	api.GET("/whoami", s.may(facilitator.ActWhoami), s.whoami)
	api.GET("/scenarios", s.may(facilitator.ActListScenarios), s.listScenarios)
	api.POST("/exercises", s.may(facilitator.ActCreate), s.idempotent, s.createExercise)
	api.GET("/exercises", s.may(facilitator.ActListAll), s.listExercises)
	api.GET("/exercises/:id", s.may(facilitator.ActSee), s.getExercise)
	api.POST("/exercises/:id/start", s.may(facilitator.ActRun), s.idempotent, s.clockCommand((*facilitator.Listed).Start))
	api.POST("/exercises/:id/pause", s.may(facilitator.ActRun), s.idempotent, s.clockCommand((*facilitator.Listed).Pause))
	api.POST("/exercises/:id/resume", s.may(facilitator.ActRun), s.idempotent, s.clockCommand((*facilitator.Listed).Resume))
	api.POST("/exercises/:id/advance", s.may(facilitator.ActRun), s.idempotent, s.clockCommand((*facilitator.Listed).Advance))
	api.POST("/exercises/:id/end", s.may(facilitator.ActRun), s.idempotent, s.clockCommand((*facilitator.Listed).End))
	api.POST("/exercises/:id/speed", s.may(facilitator.ActRun), s.idempotent, s.setSpeed)
	api.POST("/exercises/:id/injects", s.may(facilitator.ActRun), s.idempotent, s.adHocInject)
	api.POST("/exercises/:id/injects/:name/trigger", s.may(facilitator.ActRun), s.idempotent, s.triggerInject)
	api.POST("/exercises/:id/injects/:name/hold", s.may(facilitator.ActRun), s.idempotent, s.holdInject)
	api.POST("/exercises/:id/observations", s.may(facilitator.ActObserve), s.idempotent, s.observe)
	s.hotWashRoutes(api)
	s.evaluationRoutes(api)
	s.reportRoutes(api)
	s.mselRoutes(api)
	s.roomRoutes(api)
	s.reviewRoutes(r)
	return r
}

// accessLog logs one line per request: never the query, a header or the body.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.log.Info("request",
		slog.String("method", c.Request.Method),
		slog.String("path", c.Request.URL.Path),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("took", time.Since(start)),
		slog.String("ip", c.ClientIP()))
}

// recovery turns a panic in a handler into a logged error and a 500 "internal error".
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", slog.String("method", c.Request.Method),
				slog.String("route", c.FullPath()), slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			if !c.Writer.Written() {
				c.AbortWithStatusJSON(http.StatusInternalServerError, errorBody{Error: "internal error"})
			} else {
				c.Abort()
			}
		}
	}()
	c.Next()
}
