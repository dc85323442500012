package web

// ScoresComputed is how many reports s has scored, for the tests of its cache.
func ScoresComputed(s *Server) int64 { return s.memo.computed.Load() }
