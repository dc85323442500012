package facilitator

// SourceKey is sourceKey, for the tests.
var SourceKey = sourceKey

// NewJoinCode is newJoinCode, for the tests.
var NewJoinCode = newJoinCode
