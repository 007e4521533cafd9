import Testing

// Replaced by the real suite of this layer.
@Suite struct PlaceholderFeedWatchCLITests {
    @Test func buildsAndLinks() { #expect(Bool(true)) }
}
