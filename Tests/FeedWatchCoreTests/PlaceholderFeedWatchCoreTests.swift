import Testing

// Replaced by the real suite of this layer.
@Suite struct PlaceholderFeedWatchCoreTests {
    @Test func buildsAndLinks() { #expect(Bool(true)) }
}
