package scoring

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestBumpVersion(t *testing.T) {
	for in, want := range map[string]string{
		"2.1": "2.2", "3": "4", "2.9": "2.10", "1.2.3": "1.2.4", "v2": "v2.1", "2024-spring": "2024-spring.1", "": "1",
	} {
		assert.Equal(t, want, bumpVersion(in), "bump %q", in)
	}
}

func TestRoundUp(t *testing.T) {
	for in, want := range map[time.Duration]time.Duration{
		time.Hour + 22*time.Minute:               time.Hour + 25*time.Minute,
		time.Hour + 10*time.Minute:               time.Hour + 10*time.Minute,
		time.Hour + 10*time.Minute + time.Second: time.Hour + 15*time.Minute,
		time.Minute:                              5 * time.Minute,
	} {
		assert.Equal(t, want, roundUp(in, 5*time.Minute))
	}
}
