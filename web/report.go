package web

import "github.com/gin-gonic/gin"

// reportRoutes adds the review endpoints (report, readiness) once scoring is wired.
func (s *Server) reportRoutes(api *gin.RouterGroup) {}
