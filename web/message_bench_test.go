package web_test

import (
	"testing"

	"github.com/ttx-dev/ttx/web"
)

// BenchmarkDecodeClientMessage decodes and checks the messages participants send most: every
// one goes through the strict decoder before the engine sees it.
func BenchmarkDecodeClientMessage(b *testing.B) {
	for _, tc := range []struct{ name, msg string }{
		{"act", `{"type":"act","ref":"r12-345","action":"contain_hosts"}`},
		{"note", `{"type":"note","ref":"r12-346","text":"Backups last verified in May; the catalogue is offline."}`},
		{"hello", `{"type":"hello","code":"ABCD-EFGH","name":"Alice","since":41}`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			data := []byte(tc.msg)
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := web.DecodeClientMessage(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
