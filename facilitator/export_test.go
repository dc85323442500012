package facilitator

// SourceKey is sourceKey, for the tests.
var SourceKey = sourceKey
